/**
 * Runs index rebuilds (and the reports-folder changes they publish) one at a time, in arrival
 * order, so an upload, a removal and /reindex never race for the build lock or see each other's
 * half-made changes.
 */
export interface BuildQueue {
  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** True while a task runs or waits. */
  busy(): boolean;
}

export function createBuildQueue(): BuildQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      pending += 1;
      const result = tail.then(task).finally(() => {
        pending -= 1;
      });
      tail = result.catch(() => undefined);
      return result;
    },
    busy: () => pending > 0,
  };
}
