/**
 * The live searcher over a real index folder: it follows `current` to new builds while searches
 * keep succeeding, finishes in-flight searches on the old index, and keeps the old index when a
 * new build is corrupt, missing or from another model.
 */
import { cp, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLoader } from '../../../src/app';
import type { Embedder } from '../../../src/embed/types';
import { createLiveSearcher, type LiveSearcher, type ReloadInfo } from '../../../src/search/live-searcher';
import { createSearcher } from '../../../src/search/searcher';
import type { SearchResult, Searcher } from '../../../src/search/types';
import { buildIndex } from '../../../src/store/build-index';
import { CURRENT_LINK, FILES, newBuildId, publishBuild } from '../../../src/store/layout';
import { loadIndex } from '../../../src/store/load-index';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';
import { createFakeSearcher } from '../../helpers/fake-searcher';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();
// Short, so swaps are noticed quickly even if fs.watch misses an event.
const POLL_MS = 100;
const QUESTIONS = ['What did NATO promise about air defense?', 'What happened in the Kursk region?', 'Which sanctions did the EU adopt?'];

let live: LiveSearcher | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});

async function waitUntil<T>(probe: () => T | null | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function builtIndex(withExtra = false): Promise<{ indexDir: string; reportsDir: string; embedder: Embedder; buildDir: string; searcher: Searcher }> {
  const embedder = await getOfflineEmbedder();
  const reportsDir = await writeReports(await tempDir('live-reports-'), withExtra);
  const indexDir = await tempDir('live-index-');
  const summary = await buildIndex({ reportsDir, indexDir, embedder });
  const searcher = createSearcher({ index: await loadIndex(indexDir), embedder });
  return { indexDir, reportsDir, embedder, buildDir: summary.dir, searcher };
}

/** Copies the live build to a new build folder, lets `spoil` damage it, and points `current` at it. */
async function publishSpoiledCopy(indexDir: string, buildDir: string, spoil: (dir: string) => Promise<void>): Promise<string> {
  const id = newBuildId();
  const copy = path.join(indexDir, 'builds', id);
  await cp(buildDir, copy, { recursive: true });
  await spoil(copy);
  await publishBuild(indexDir, id);
  return copy;
}

describe('live searcher', () => {
  it('switches to a newly published build while searches keep succeeding', async () => {
    const { indexDir, reportsDir, embedder, buildDir, searcher } = await builtIndex();
    const reloads: ReloadInfo[] = [];
    const errors: unknown[] = [];
    live = createLiveSearcher({
      initial: searcher,
      initialBuildDir: buildDir,
      indexDir,
      load: buildLoader(embedder),
      pollMs: POLL_MS,
      onReload: (info) => reloads.push(info),
      onReloadError: (err) => errors.push(err),
    });
    const before = live.stats().buildId;
    expect((await live.search(EXTRA_REPORT.question)).hits.some((h) => h.text.includes(EXTRA_REPORT.fact))).toBe(false);

    const results: SearchResult[] = [];
    const failures: unknown[] = [];
    let stop = false;
    const searching = (async () => {
      // Bounded: stops shortly after the swap, or after 2000 searches at most.
      for (let i = 0; i < 2000 && !stop; i++) {
        try {
          results.push(await live!.search(QUESTIONS[i % QUESTIONS.length]!, { k: 3 }));
        } catch (err) {
          failures.push(err);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    await writeFile(path.join(reportsDir, EXTRA_REPORT.file), EXTRA_REPORT.text);
    const summary = await buildIndex({ reportsDir, indexDir, embedder });
    await waitUntil(() => reloads.length > 0, 10_000, 'the reload');
    const afterSwap = results.length;
    expect(afterSwap).toBeGreaterThan(0);
    await waitUntil(() => results.length >= afterSwap + 20, 10_000, 'searches after the swap');
    stop = true;
    await searching;

    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    expect(results.every((r) => r.hits.length > 0)).toBe(true);
    expect(reloads).toHaveLength(1);
    expect(reloads[0]).toMatchObject({ buildDir: summary.dir, previousBuildDir: buildDir, stats: { buildId: summary.buildId, reports: 6 } });
    expect(live.stats().buildId).toBe(summary.buildId);
    expect(live.stats().buildId).not.toBe(before);
    expect(live.currentBuildDir()).toBe(summary.dir);
    const fresh = await live.search(EXTRA_REPORT.question);
    expect(fresh.answered).toBe(true);
    expect(fresh.hits[0]?.text).toContain(EXTRA_REPORT.fact);
    expect(live.reports().map((r) => r.source)).toContain(EXTRA_REPORT.file);
  });

  it('finishes a search in flight on the old index and serves new calls from the new one', async () => {
    const indexDir = await tempDir('live-stub-');
    await mkdir(path.join(indexDir, 'builds', 'a'), { recursive: true });
    await mkdir(path.join(indexDir, 'builds', 'b'), { recursive: true });
    await publishBuild(indexDir, 'a');
    const base = createFakeSearcher();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const oldSearcher: Searcher = {
      ...base,
      search: async (q, o) => {
        await gate;
        return { ...(await base.search(q, o)), question: `old: ${q}` };
      },
    };
    const newSearcher: Searcher = { ...base, search: async (q, o) => ({ ...(await base.search(q, o)), question: `new: ${q}` }) };
    const loaded: string[] = [];
    live = createLiveSearcher({
      initial: oldSearcher,
      initialBuildDir: path.join(indexDir, 'builds', 'a'),
      indexDir,
      pollMs: 0,
      load: async (dir) => {
        loaded.push(path.basename(dir));
        return newSearcher;
      },
    });
    const inFlight = live.search('Peklo missile');
    await publishBuild(indexDir, 'b');
    const outcome = await live.reloadNow();
    expect(outcome).toMatchObject({ status: 'reloaded', info: { buildDir: path.join(indexDir, 'builds', 'b') } });
    expect((await live.search('Peklo missile')).question).toBe('new: Peklo missile');
    expect(live.current()).toBe(newSearcher);
    expect(live.snapshot()).toBe(newSearcher);
    release();
    expect((await inFlight).question).toBe('old: Peklo missile');
    expect(await live.reloadNow()).toEqual({ status: 'unchanged', buildDir: path.join(indexDir, 'builds', 'b') });
    expect(loaded).toEqual(['b']);
  });

  it('keeps serving the old index when a new build is corrupt or the link is gone, reporting each once', async () => {
    const { indexDir, embedder, buildDir, searcher } = await builtIndex();
    const errors: Array<{ err: any; dir: string | null }> = [];
    const reloads: ReloadInfo[] = [];
    live = createLiveSearcher({
      initial: searcher,
      initialBuildDir: buildDir,
      indexDir,
      load: buildLoader(embedder),
      pollMs: POLL_MS,
      onReload: (info) => reloads.push(info),
      onReloadError: (err, dir) => errors.push({ err, dir }),
    });
    const servingId = live.stats().buildId;
    const stillServes = async (): Promise<void> => {
      const result = await live!.search(QUESTIONS[0]!);
      expect(result.hits.length).toBeGreaterThan(0);
      expect(live!.stats().buildId).toBe(servingId);
      expect(live!.currentBuildDir()).toBe(buildDir);
    };

    const truncated = await publishSpoiledCopy(indexDir, buildDir, (dir) => truncate(path.join(dir, FILES.vectors), 100));
    await waitUntil(() => errors.length === 1, 10_000, 'the truncated-vectors error');
    expect(errors[0]).toMatchObject({ dir: truncated, err: { code: 'INDEX_CORRUPT', message: expect.stringContaining('vectors.f32') } });
    await stillServes();
    // Later checks skip a build that already failed: one report, not one per poll.
    await new Promise((r) => setTimeout(r, POLL_MS * 5));
    expect(errors).toHaveLength(1);
    await expect(live.reloadNow()).resolves.toMatchObject({ status: 'failed', buildDir: truncated, error: { code: 'INDEX_CORRUPT' } });

    const badManifest = await publishSpoiledCopy(indexDir, buildDir, (dir) => writeFile(path.join(dir, FILES.manifest), '{"formatVersion": 1, "model": '));
    await waitUntil(() => errors.length === 2, 10_000, 'the unreadable-manifest error');
    expect(errors[1]).toMatchObject({ dir: badManifest, err: { code: 'INDEX_CORRUPT', message: expect.stringContaining('manifest.json') } });
    await stillServes();

    await rm(path.join(indexDir, CURRENT_LINK));
    await waitUntil(() => errors.length === 3, 10_000, 'the missing-link error');
    expect(errors[2]).toMatchObject({ dir: null, err: { code: 'INDEX_MISSING', message: expect.stringContaining('gone') } });
    await stillServes();

    expect(reloads).toEqual([]);
    await publishBuild(indexDir, path.basename(buildDir));
    await expect(live.reloadNow()).resolves.toMatchObject({ status: 'unchanged' });
  });

  it('refuses builds made with another embedding model or dimensions with INDEX_MODEL_MISMATCH', async () => {
    const { indexDir, reportsDir, embedder, buildDir, searcher } = await builtIndex();
    const errors: any[] = [];
    live = createLiveSearcher({ initial: searcher, initialBuildDir: buildDir, indexDir, load: buildLoader(embedder), pollMs: POLL_MS, onReloadError: (err) => errors.push(err) });
    const otherModel: Embedder = { ...embedder, info: { ...embedder.info, id: 'Xenova/other-model', fingerprint: '0123456789abcdef' } };
    await buildIndex({ reportsDir, indexDir, embedder: otherModel });
    await waitUntil(() => errors.length === 1, 10_000, 'the model mismatch');
    expect(errors[0]).toMatchObject({ code: 'INDEX_MODEL_MISMATCH', message: expect.stringContaining('Xenova/other-model') });

    // Zero-padded vectors keep their norms: a consistent index of another width, as a 384-dim model would write.
    const pad = (v: Float32Array): Float32Array => {
      const out = new Float32Array(384);
      out.set(v);
      return out;
    };
    const wider: Embedder = {
      info: { ...embedder.info, id: 'Xenova/wider-model', dims: 384, fingerprint: 'fedcba9876543210' },
      embedQuery: async (t) => pad(await embedder.embedQuery(t)),
      embedPassages: async (ts, progress) => (await embedder.embedPassages(ts, progress)).map(pad),
    };
    await buildIndex({ reportsDir, indexDir, embedder: wider });
    await waitUntil(() => errors.length === 2, 10_000, 'the dimension mismatch');
    expect(errors[1]).toMatchObject({ code: 'INDEX_MODEL_MISMATCH', message: expect.stringContaining('384 dims') });

    expect(live.currentBuildDir()).toBe(buildDir);
    expect((await live.search(QUESTIONS[1]!)).hits.length).toBeGreaterThan(0);
  });
});
