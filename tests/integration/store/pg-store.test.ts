import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishRanks } from '../../../src/embed/english-ranks';
import type { Embedder } from '../../../src/embed/types';
import { createSearcher } from '../../../src/search/searcher';
import { createPgStore, type PgStore } from '../../../src/store/pg-store';
import { createPgClient, type SqlClient } from '../../../src/store/sql-client';
import { MODEL_CACHE_DIR, getOfflineEmbedder } from '../../helpers/offline-embedder';
import { createPglite, pgliteClient, type PgliteServer, startPgliteServer } from '../../helpers/pglite';
import { PROJECT_ROOT, SEEDS_DIR, seedIndex } from '../../helpers/seed-index';
import { topThreeOverlap } from '../../helpers/overlap';

const fixture = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'tests/fixtures/seed-questions.json'), 'utf8')) as Record<string, Array<{ question: string }>>;
const questions = Object.values(fixture).flat().map((q) => q.question);

async function buildSeeds(store: PgStore, embedder: Embedder): Promise<string> {
  const summary = await store.build({ reportsDir: SEEDS_DIR, embedder, englishRanks: await englishRanks(MODEL_CACHE_DIR) });
  return summary.buildId;
}

describe('Postgres store on in-process PGlite', () => {
  let client: SqlClient;
  let store: PgStore;
  beforeAll(async () => {
    client = pgliteClient(await createPglite());
    store = createPgStore({ client });
  });

  it('has no live build before the first build', async () => {
    expect(await store.liveBuildId()).toBeNull();
    expect(await store.readManifest()).toBeNull();
    await expect(store.load()).rejects.toMatchObject({ code: 'INDEX_MISSING' });
  });

  it('gives the same top 3 passages as the local store on the seed questions', async () => {
    const embedder = await getOfflineEmbedder();
    const buildId = await buildSeeds(store, embedder);
    expect(await store.liveBuildId()).toBe(buildId);
    const pgSearcher = createSearcher({ index: await store.load(), embedder });
    const { searcher: local } = await seedIndex();
    const overlap = await topThreeOverlap(local, pgSearcher, questions);
    expect(overlap.mean).toBeGreaterThanOrEqual(0.9);
  });

  it('stores passages as verbatim slices of their reports, with a manifest row per build', async () => {
    const index = await store.load();
    const byPath = new Map(index.reports.toArray().map((r) => [r.path, r]));
    for (const p of index.passages) expect(byPath.get(p.source)?.text.slice(p.start, p.end)).toBe(p.text);
    const { rows } = await client.query<{ model_id: string; dims: number; fingerprint: string }>('SELECT model_id, dims, fingerprint FROM rqb_builds');
    const embedder = await getOfflineEmbedder();
    expect(rows[0]).toMatchObject({ model_id: embedder.info.id, dims: embedder.info.dims, fingerprint: embedder.info.fingerprint });
  });

  it('publishes a rebuild under a new build id, reuses vectors and keeps only the live and the previous build', async () => {
    const embedder = await getOfflineEmbedder();
    const first = await store.liveBuildId();
    const second = await store.build({ reportsDir: SEEDS_DIR, embedder });
    expect(second.buildId).not.toBe(first);
    expect(second.embedded).toBe(0);
    const third = await store.build({ reportsDir: SEEDS_DIR, embedder });
    const { rows } = await client.query<{ build_id: string }>('SELECT build_id FROM rqb_builds ORDER BY build_id');
    expect(rows.map((r) => r.build_id).sort()).toEqual([second.buildId, third.buildId].sort());
    expect(await store.liveBuildId()).toBe(third.buildId);
  });

  it('refuses another model with the same clear error as the local store', async () => {
    const embedder = await getOfflineEmbedder();
    const other: Embedder = { ...embedder, info: { ...embedder.info, id: 'Xenova/bge-small-en-v1.5', fingerprint: 'other' } };
    const index = await store.load();
    expect(() => createSearcher({ index, embedder: other })).toThrow(expect.objectContaining({ code: 'INDEX_MODEL_MISMATCH', message: expect.stringContaining('The index was built with model') }));
  });

  it('lets one build at a time hold the lock', async () => {
    const embedder = await getOfflineEmbedder();
    await client.query("INSERT INTO rqb_build_lock (name, holder, expires_at) VALUES ('build', 'someone-else', now() + interval '1 minute')");
    await expect(store.build({ reportsDir: SEEDS_DIR, embedder })).rejects.toMatchObject({ code: 'INDEX_LOCKED' });
    await client.query("UPDATE rqb_build_lock SET expires_at = now() - interval '1 second'");
    await expect(store.build({ reportsDir: SEEDS_DIR, embedder })).resolves.toMatchObject({ passages: expect.any(Number) });
    expect((await client.query('SELECT * FROM rqb_build_lock')).rows).toHaveLength(0);
  });
});

describe('Postgres store over the wire (PGlite socket, node-postgres)', () => {
  let server: PgliteServer;
  let client: SqlClient;
  beforeAll(async () => {
    server = await startPgliteServer();
    client = createPgClient(server.url);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('builds, announces the build by NOTIFY, and searches like the local store', async () => {
    const embedder = await getOfflineEmbedder();
    const store = createPgStore({ client });
    await store.migrate();
    const seen: Array<string | null> = [];
    const stop = await store.watch((id) => seen.push(id));
    const buildId = await buildSeeds(store, embedder);
    await expect.poll(() => seen, { timeout: 5000 }).toContain(buildId);
    await stop();
    const pgSearcher = createSearcher({ index: await store.load(), embedder });
    const { searcher: local } = await seedIndex();
    const overlap = await topThreeOverlap(local, pgSearcher, questions.slice(0, 30));
    expect(overlap.mean).toBeGreaterThanOrEqual(0.9);
  });
});
