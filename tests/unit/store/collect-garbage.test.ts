import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../src/store/collect-garbage';

describe('collectGarbage', () => {
  it('frees what nothing references any more, and keeps what is still referenced', async () => {
    let dropped: { data: Float64Array } | null = { data: new Float64Array(1 << 20) };
    const kept = { data: new Float64Array(16) };
    const droppedRef = new WeakRef(dropped);
    const keptRef = new WeakRef(kept);
    dropped = null;
    // A WeakRef's target lives at least until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(droppedRef.deref()).toBeUndefined();
    expect(keptRef.deref()).toBe(kept);
  });
});
