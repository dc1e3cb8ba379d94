import { spawn } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rng, writeSyntheticCorpus } from '../../../scripts/synthetic-corpus';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { loadIndex } from '../../../src/store/load-index';
import { MODEL_CACHE_DIR, getOfflineEmbedder } from '../../helpers/offline-embedder';
import { PROJECT_ROOT } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();
const QUESTIONS = ['Who attacked the railway computers?', 'What happened in Kursk?', 'air defense systems for Kyiv'];
/** Builds to kill; kill points (ms after spawn) spread over start-up, splitting, embedding, indexing and publishing. */
const KILLS = 5;
/** Attempts allowed: a build that finishes before its kill point (a fast moment) does not count as a kill. */
const MAX_ATTEMPTS = 12;

async function answers(indexDir: string): Promise<string> {
  const embedder = await getOfflineEmbedder();
  const searcher = createSearcher({ index: await loadIndex(indexDir), embedder });
  const out = [];
  for (const q of QUESTIONS) out.push(await searcher.search(q, { k: 3 }));
  return JSON.stringify(out);
}

/** Starts `npm run build-index` as a child and SIGKILLs it after `afterMs`; resolves with whether it finished first. */
function buildAndKill(reports: string, indexDir: string, afterMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve) => {
    // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child process that a
    // SIGKILL of the CLI would leave running, still building.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/build-index.ts'), '--reports', reports, '--index', indexDir, '--model', 'offline'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, MODEL_CACHE_DIR },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
    });
  });
}

describe('crash safety', () => {
  let reports: string;
  let fullBuildMs: number;
  /** What a complete build of the big corpus answers (built undisturbed into its own folder). */
  let completeAnswers: string;
  beforeAll(async () => {
    reports = await tempDir('crash-reports-');
    await writeSyntheticCorpus(reports, 3000);
    const probe = await tempDir('crash-probe-');
    const t = performance.now();
    expect(await buildAndKill(reports, probe, 120_000)).toBe('finished');
    fullBuildMs = performance.now() - t;
    completeAnswers = await answers(probe);
  }, 180_000);

  it('survives SIGKILL at random points of a rebuild: old index intact, next build succeeds, no temp folders left', async () => {
    const embedder = await getOfflineEmbedder();
    const indexDir = await tempDir('crash-index-');
    const seedsLike = await tempDir('crash-seeds-');
    await writeSyntheticCorpus(seedsLike, 200);
    await buildIndex({ reportsDir: seedsLike, indexDir, embedder });
    let before = await answers(indexDir);
    let liveBefore = await readlink(path.join(indexDir, 'current'));

    const rand = rng(2026);
    const outcomes: string[] = [];
    // The probe build may have run on a busy machine, so aim within the first 60% of its duration.
    const span = Math.max(500, fullBuildMs * 0.6 - 150);
    let kills = 0;
    for (let i = 0; kills < KILLS && i < MAX_ATTEMPTS; i++) {
      // Stratified: one kill point in each fifth of the window, cycling.
      const at = Math.round(150 + (((i % KILLS) + rand()) / KILLS) * span);
      const outcome = await buildAndKill(reports, indexDir, at);
      outcomes.push(`${at}ms:${outcome}`);
      if (outcome === 'finished') {
        before = await answers(indexDir);
        liveBefore = await readlink(path.join(indexDir, 'current'));
        continue;
      }
      kills++;
      // Killed before the swap: the old build, untouched. Killed after it (while cleaning up): the complete new build.
      const live = await readlink(path.join(indexDir, 'current'));
      if (live === liveBefore) expect(await answers(indexDir)).toBe(before);
      else {
        expect(await answers(indexDir)).toBe(completeAnswers);
        before = completeAnswers;
        liveBefore = live;
      }
    }
    expect(kills, outcomes.join(', ')).toBeGreaterThanOrEqual(3);

    expect(await buildAndKill(reports, indexDir, 120_000)).toBe('finished');
    const after = await loadIndex(indexDir);
    expect(after.passages.length).toBeGreaterThan(2000);
    const builds = await readdir(path.join(indexDir, 'builds'));
    expect(builds.filter((b) => b.startsWith('.tmp-'))).toEqual([]);
    expect(builds.length).toBeLessThanOrEqual(2);
    expect((await readdir(indexDir)).filter((n) => n.startsWith('current.tmp-') || n === '.build.lock')).toEqual([]);
  }, 300_000);
});
