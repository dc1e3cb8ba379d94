/**
 * A full garbage collection on demand, for the few points of a build where a large corpus has just
 * become garbage while the process sits waiting (on the graph workers) and so allocates nothing
 * that would make V8 collect it: without one, the freed gigabyte stays resident until the build ends.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** Collects garbage now when the runtime allows it (a no-op otherwise); costs about a second per GB of live heap. */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
