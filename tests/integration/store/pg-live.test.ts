import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLiveSearcher, openSearcher } from '../../../src/app';
import { createPgStore } from '../../../src/store/pg-store';
import { createPgClient } from '../../../src/store/sql-client';
import { MODEL_CACHE_DIR, getOfflineEmbedder } from '../../helpers/offline-embedder';
import { createPglite, pgliteClient, startPgliteServer } from '../../helpers/pglite';
import { SEEDS_DIR } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});


describe('a replica following the Postgres store', () => {
  it('switches at once to a build another replica publishes, through LISTEN/NOTIFY, finishing the search in flight', async () => {
    const db = await createPglite();
    const store = createPgStore({ client: pgliteClient(db) });
    const reportsDir = await writeReports(path.join(await tempDir(), 'reports'), false);
    const opened = await openSearcher({ reportsDir, indexDir: 'unused', model: 'offline', modelCacheDir: MODEL_CACHE_DIR, rebuild: 'if-stale', onWarning: () => {}, store });
    expect(opened.built).not.toBeNull();
    // Polling is off: only the notification can trigger the switch.
    const reloads: string[] = [];
    const live = openLiveSearcher(opened, { indexDir: 'unused', store, pollMs: 0 });
    const watched = openLiveSearcher(opened, { indexDir: 'unused', store, pollMs: 60_000, onReload: (info) => reloads.push(info.buildDir) });
    cleanups.push(() => live.close(), () => watched.close());
    const before = watched.currentBuildDir();
    const extra = EXTRA_REPORT;
    await writeFile(path.join(reportsDir, extra.file), extra.text);
    const other = createPgStore({ client: pgliteClient(db) });
    const inFlight = watched.search(extra.question, { k: 3 });
    const summary = await other.build({ reportsDir, embedder: await getOfflineEmbedder() });
    await expect(inFlight).resolves.toMatchObject({ hits: expect.any(Array) });
    await expect.poll(() => reloads, { timeout: 5000 }).toContain(`postgres:${summary.buildId}`);
    expect(watched.currentBuildDir()).not.toBe(before);
    const after = await watched.search(extra.question, { k: 3 });
    expect(after.hits.some((h) => h.source === extra.file)).toBe(true);
    expect(live.currentBuildDir()).toBe(before);
  }, 120_000);

  it('says the store is unavailable while Postgres is down, keeps running, and recovers when it is back', async () => {
    const db = await createPglite();
    let server = await startPgliteServer(db);
    const port = server.port;
    const client = createPgClient(server.url);
    cleanups.push(() => client.close());
    const store = createPgStore({ client });
    const opened = await openSearcher({ reportsDir: SEEDS_DIR, indexDir: 'unused', model: 'offline', modelCacheDir: MODEL_CACHE_DIR, rebuild: 'if-stale', onWarning: () => {}, store });
    const live = openLiveSearcher(opened, { indexDir: 'unused', store, pollMs: 200 });
    cleanups.push(() => live.close());
    const question = 'What did Stoltenberg promise Ukraine?';
    const good = await live.search(question, { k: 3 });
    expect(good.hits.length).toBeGreaterThan(0);

    await server.stop();
    await expect(live.search(question, { k: 3 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    // Lexical search runs on the passages in memory and still answers.
    expect((await live.search(question, { k: 3, mode: 'lexical' })).hits.length).toBeGreaterThan(0);
    // Background checks while the database is down keep the build in memory serving.
    await new Promise((r) => setTimeout(r, 600));
    expect(live.currentBuildDir()).toBe(opened.buildDir);

    server = await startPgliteServer(db, port);
    cleanups.push(() => server.stop());
    await expect.poll(async () => (await live.search(question, { k: 3 }).catch(() => null))?.hits.map((h) => h.start), { timeout: 10_000 }).toEqual(good.hits.map((h) => h.start));
  }, 120_000);
});
