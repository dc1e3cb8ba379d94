import { describe, expect, it } from 'vitest';
import { createFairQueue } from '../../../src/bot/fair-queue';

/** A queue whose items finish only when the test says so; records the order they started in. */
function controlled(concurrency: number) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const queue = createFairQueue<string>({
    concurrency,
    run: (item) =>
      new Promise<void>((resolve) => {
        started.push(item);
        finishers.set(item, resolve);
      }),
    onError: () => undefined,
  });
  const finish = async (item: string): Promise<void> => {
    finishers.get(item)!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { queue, started, finish };
}

describe('fair queue', () => {
  it('serves chats round-robin: a flooding chat gets one slot, the others start at once', async () => {
    const { queue, started, finish } = controlled(2);
    for (let i = 1; i <= 5; i++) queue.push('flood', `f${i}`);
    queue.push('a', 'a1');
    queue.push('b', 'b1');
    queue.push('a', 'a2');
    expect(started).toEqual(['f1', 'a1']);
    await finish('f1');
    expect(started).toEqual(['f1', 'a1', 'b1']);
    await finish('a1');
    await finish('b1');
    expect(started).toEqual(['f1', 'a1', 'b1', 'f2', 'a2']);
    expect(queue.size()).toBe(5);
  });

  it('keeps each chat in order and runs one item per chat at a time', async () => {
    const { queue, started, finish } = controlled(10);
    for (const item of ['x1', 'x2', 'x3']) queue.push('x', item);
    expect(started).toEqual(['x1']);
    await finish('x1');
    expect(started).toEqual(['x1', 'x2']);
    await finish('x2');
    await finish('x3');
    await queue.idle();
    expect(started).toEqual(['x1', 'x2', 'x3']);
    expect(queue.size()).toBe(0);
  });

  it('lists what is unfinished, and starts nothing more once paused', async () => {
    const { queue, started, finish } = controlled(1);
    queue.push('a', 'a1');
    queue.push('a', 'a2');
    queue.push('b', 'b1');
    expect(queue.unfinished()).toEqual(['a1', 'a2', 'b1']);
    queue.pause();
    await finish('a1');
    expect(started).toEqual(['a1']);
    expect(queue.unfinished()).toEqual(['a2', 'b1']);
    expect(queue.running()).toBe(0);
  });

  it('moves on after a failing item and reports it', async () => {
    const failures: string[] = [];
    const done: string[] = [];
    const queue = createFairQueue<string>({
      concurrency: 1,
      run: async (item) => {
        if (item === 'bad') throw new Error('boom');
        done.push(item);
      },
      onError: (_err, item) => failures.push(item),
    });
    queue.push('a', 'bad');
    queue.push('a', 'good');
    await queue.idle();
    expect(failures).toEqual(['bad']);
    expect(done).toEqual(['good']);
  });
});
