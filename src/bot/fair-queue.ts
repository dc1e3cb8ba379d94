/**
 * Round-robin scheduling of work across keys (chats). Each key's items run one at a time and in
 * the order they were pushed; among keys with work waiting, the one served longest ago goes next.
 * So a chat that sends 600 messages holds one slot, not all of them, and everyone else's questions
 * start as soon as a slot is free. Admins' chats are keys like any other: unthrottled, but never
 * ahead of everyone.
 */

export interface FairQueue<T> {
  /** Queues `item` behind the earlier items of `key`. */
  push(key: string, item: T): void;
  /** Items queued or running. */
  size(): number;
  /** Items running now. */
  running(): number;
  /** Items queued or running, per key in order (running first). */
  unfinished(): T[];
  /** Resolves once nothing is queued or running (at once when already idle). */
  idle(): Promise<void>;
  /** Starts nothing more; running items finish. For shutdown. */
  pause(): void;
}

export interface FairQueueOptions<T> {
  /** Items running at once across all keys. */
  concurrency: number;
  /** The work for one item; a rejection is passed to onError and the queue moves on. */
  run: (item: T) => Promise<void>;
  onError: (err: unknown, item: T) => void;
}

export function createFairQueue<T>(options: FairQueueOptions<T>): FairQueue<T> {
  const queues = new Map<string, T[]>();
  const active = new Map<string, T>();
  /** Keys with queued items and nothing running, in the order they became ready. */
  const ready: string[] = [];
  const isReady = new Set<string>();
  let paused = false;
  let idleWaiters: Array<() => void> = [];

  const size = (): number => {
    let n = active.size;
    for (const q of queues.values()) n += q.length;
    return n;
  };

  const settleIdle = (): void => {
    if (size() > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const pump = (): void => {
    while (!paused && active.size < options.concurrency && ready.length > 0) {
      const key = ready.shift()!;
      isReady.delete(key);
      const queue = queues.get(key);
      const item = queue?.shift();
      if (item === undefined) continue;
      if (queue!.length === 0) queues.delete(key);
      active.set(key, item);
      void options
        .run(item)
        .catch((err: unknown) => options.onError(err, item))
        .finally(() => {
          active.delete(key);
          if (queues.has(key)) {
            ready.push(key);
            isReady.add(key);
          }
          pump();
          settleIdle();
        });
    }
  };

  return {
    push(key, item) {
      const queue = queues.get(key);
      if (queue) queue.push(item);
      else queues.set(key, [item]);
      if (!active.has(key) && !isReady.has(key)) {
        ready.push(key);
        isReady.add(key);
      }
      pump();
    },
    size,
    running: () => active.size,
    unfinished() {
      const out: T[] = [];
      const keys = new Set([...active.keys(), ...queues.keys()]);
      for (const key of keys) {
        const running = active.get(key);
        if (running !== undefined) out.push(running);
        out.push(...(queues.get(key) ?? []));
      }
      return out;
    },
    idle() {
      if (size() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    pause() {
      paused = true;
    },
  };
}
