import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressBar, etaText } from '../../../src/console/build-report';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('build progress', () => {
  it('estimates the rest of a phase from its average rate so far', () => {
    expect(etaText(250, 1000, 10_000)).toBe(' ETA 30s');
    expect(etaText(100, 1000, 10_000)).toBe(' ETA 1m30s');
    expect(etaText(20, 1000, 4_000)).toBe(' ETA 3m16s');
  });

  it('gives no estimate at the start of a phase, too early in it, or at its end', () => {
    expect(etaText(0, 1000, 10_000)).toBe('');
    expect(etaText(500, 1000, 1_000)).toBe('');
    expect(etaText(5, 1000, 10_000)).toBe('');
    expect(etaText(1000, 1000, 10_000)).toBe('');
  });

  it('shows the estimate on a terminal, timing each phase from its first update', () => {
    vi.useFakeTimers();
    const { stream, written } = fakeStream(true);
    const bar = createProgressBar(stream);
    bar.update({ phase: 'read', done: 10, total: 10 });
    vi.advanceTimersByTime(60_000);
    bar.update({ phase: 'embed', done: 0, total: 1000 });
    vi.advanceTimersByTime(10_000);
    bar.update({ phase: 'embed', done: 500, total: 1000 });
    expect(written.at(-1)).toContain('Embedding passages');
    expect(written.at(-1)).toContain('(500/1000) ETA 10s');
  });

  it('times a phase that starts part done (reused vectors, graph rows added while embedding) by the work left', () => {
    vi.useFakeTimers();
    const { stream, written } = fakeStream(true);
    const bar = createProgressBar(stream);
    bar.update({ phase: 'index', done: 600, total: 1000 });
    vi.advanceTimersByTime(10_000);
    bar.update({ phase: 'index', done: 800, total: 1000 });
    expect(written.at(-1)).toContain('(800/1000) ETA 10s');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const { stream, written } = fakeStream(false);
    const bar = createProgressBar(stream);
    bar.update({ phase: 'embed', done: 500, total: 1000 });
    bar.done();
    expect(written).toEqual([]);
  });
});
