/**
 * The Postgres store: builds live in rows under their build id (reports, passages with verbatim
 * text, offsets and a pgvector embedding, and a manifest row), and `rqb_live` names the build that
 * serves. A build writes all its rows and switches `rqb_live` in one transaction, which also sends
 * NOTIFY, so readers see the old build or the new one, never half of one. Dense search runs in
 * Postgres on the HNSW index; the passages, vectors and words are loaded for the lexical side.
 */
import { randomBytes } from 'node:crypto';
import { IndexError } from '../errors';
import type { Passage } from '../ingest/types';
import { DEFAULT_CHUNKING } from '../ingest/split-passages';
import type { BuildLock } from './lock';
import { type BuildOptions, type BuildSummary, DEFAULT_HNSW, factsOf, manifestOf, prepareBuild, summaryOf } from './build-index';
import { newBuildId } from './layout';
import type { DenseIndex, IndexData, LoadedIndex, StoredReport } from './load-index';
import { memoryCorpus } from './passage-store';
import { memoryVectorRows } from './vector-rows';
import { type IndexManifest, manifestProblems } from './manifest';
import { BUILD_CHANNEL, migrate, vectorIndexSql } from './pg-schema';
import type { SqlClient, SqlQueryable } from './sql-client';

/** Rows per INSERT: large enough to be quick, small enough to keep each statement's parameters modest. */
const INSERT_BATCH = 500;
/** A build lock not renewed for this long belongs to a dead build and is taken over. */
const LOCK_TTL_MS = 60_000;
/** Builds kept besides the live one, so a search that started on the previous build can finish. */
const KEEP_PREVIOUS_BUILDS = 1;
/** pgvector's upper bound for hnsw.ef_search. */
const MAX_EF_SEARCH = 1000;
const LOCK_NAME = 'build';

/** The ref of a build in the store, shown where a local build shows its folder. */
export function pgBuildRef(buildId: string): string {
  return `postgres:${buildId}`;
}

export interface PgStoreDeps {
  client: SqlClient;
  /** Takes the one-build-at-a-time lock (default: a lock row with a TTL in Postgres). */
  acquireLock?: (waitMs: number) => Promise<BuildLock>;
}

export interface PgStore {
  /** Creates or migrates the schema. */
  migrate(): Promise<number[]>;
  /** The id of the build that serves, or null before the first build. */
  liveBuildId(): Promise<string | null>;
  /** The live build's manifest, or null before the first build. */
  readManifest(): Promise<IndexManifest | null>;
  /** A build's data; the build must exist. */
  loadData(buildId: string): Promise<IndexData>;
  /** A build ready to search (dense search in Postgres); the live one when no id is given. */
  load(buildId?: string): Promise<LoadedIndex>;
  /** Builds from a reports folder and publishes the build. */
  build(options: Omit<BuildOptions, 'indexDir'>): Promise<BuildSummary>;
  /** Calls `onPublished` with each newly published build id (also after a lost connection is back). */
  watch(onPublished: (buildId: string | null) => void): Promise<() => Promise<void>>;
}

function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v).join(',')}]`;
}

function parseVector(text: string, into: Float32Array, offset: number): void {
  const parts = text.slice(1, -1).split(',');
  for (let i = 0; i < parts.length; i++) into[offset + i] = Number(parts[i]);
}

function bytesOf(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

function floatsOf(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

function corrupt(buildId: string, problem: string): IndexError {
  return new IndexError('INDEX_CORRUPT', `The index build ${buildId} in the database is unusable: ${problem}.`, { hint: 'Rebuild it with: npm run build-index' });
}

/** A database lock row with a TTL, renewed while the build runs. */
function rowLock(client: SqlClient): (waitMs: number) => Promise<BuildLock> {
  return async (waitMs) => {
    const holder = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const { rows } = await client.query(
        `INSERT INTO rqb_build_lock (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE rqb_build_lock.expires_at < now() RETURNING holder`,
        [LOCK_NAME, holder, LOCK_TTL_MS / 1000],
      );
      if (rows.length > 0) break;
      if (Date.now() >= deadline) {
        throw new IndexError('INDEX_LOCKED', 'Another build is writing the index in the database.', { hint: 'Wait for it to finish, then run the build again.' });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const renew = setInterval(() => {
      client.query('UPDATE rqb_build_lock SET expires_at = now() + make_interval(secs => $3) WHERE name = $1 AND holder = $2', [LOCK_NAME, holder, LOCK_TTL_MS / 1000]).catch(() => {});
    }, LOCK_TTL_MS / 3);
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await client.query('DELETE FROM rqb_build_lock WHERE name = $1 AND holder = $2', [LOCK_NAME, holder]);
      },
    };
  };
}

/** pgvector search over one build's passages; ef_search is raised per query to at least k. */
function pgDenseIndex(client: SqlClient, buildId: string, dims: number, efSearch: number): DenseIndex {
  const d = Math.trunc(dims);
  return {
    searchKnn: (query, k) =>
      client.transaction(async (tx) => {
        await tx.query(`SET LOCAL hnsw.ef_search = ${Math.min(MAX_EF_SEARCH, Math.max(efSearch, Math.trunc(k)))}`);
        // Rows of other builds share the index: keep scanning until k rows of this build are found.
        await tx.query('SET LOCAL hnsw.iterative_scan = strict_order');
        const { rows } = await tx.query<{ ord: number; distance: number }>(
          `SELECT ord, (embedding::vector(${d}) <=> $1::vector(${d}))::float8 AS distance FROM rqb_passages
           WHERE build_id = $2 AND dims = ${d} ORDER BY embedding::vector(${d}) <=> $1::vector(${d}) LIMIT $3`,
          [`[${query.join(',')}]`, buildId, Math.trunc(k)],
        );
        return { neighbors: rows.map((r) => Number(r.ord)), distances: rows.map((r) => Number(r.distance)) };
      }),
  };
}

async function insertBatches<T>(items: T[], insert: (batch: T[], first: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += INSERT_BATCH) await insert(items.slice(i, i + INSERT_BATCH), i);
}

/** Creates the Postgres store over `client`. Nothing runs until a method is called. */
export function createPgStore(deps: PgStoreDeps): PgStore {
  const { client } = deps;
  const acquireLock = deps.acquireLock ?? rowLock(client);
  let migrated: Promise<number[]> | null = null;
  /** Migrates once per store; a failed attempt (database down) is retried on the next call. */
  const ready = (): Promise<number[]> => {
    migrated ??= migrate(client).catch((err: unknown) => {
      migrated = null;
      throw err;
    });
    return migrated;
  };

  async function liveBuildId(): Promise<string | null> {
    await ready();
    const { rows } = await client.query<{ build_id: string }>('SELECT build_id FROM rqb_live');
    return rows[0]?.build_id ?? null;
  }

  async function manifestOfBuild(buildId: string): Promise<IndexManifest> {
    await ready();
    const { rows } = await client.query<{ manifest: unknown }>('SELECT manifest FROM rqb_builds WHERE build_id = $1', [buildId]);
    const manifest = rows[0]?.manifest;
    if (manifest === undefined) throw new IndexError('INDEX_MISSING', `The index build ${buildId} is not in the database.`, { hint: 'Build it with: npm run build-index' });
    const problems = manifestProblems(manifest);
    if (problems.length > 0) throw corrupt(buildId, problems.join('; '));
    return manifest as IndexManifest;
  }

  async function loadData(buildId: string): Promise<IndexData> {
    const manifest = await manifestOfBuild(buildId);
    const dims = manifest.model.dims;
    const reportRows = await client.query<{
      path: string;
      label: string;
      format: StoredReport['format'];
      hash: string;
      title: string;
      date: string | null;
      url: string | null;
      author: string | null;
      page_starts: number[] | null;
      text: string;
    }>('SELECT path, label, format, hash, title, date::text AS date, url, author, page_starts, text FROM rqb_reports WHERE build_id = $1 ORDER BY ord', [buildId]);
    const reports: StoredReport[] = reportRows.rows.map((r) => ({
      path: r.path,
      label: r.label,
      format: r.format,
      text: r.text,
      hash: r.hash,
      title: r.title,
      date: r.date,
      url: r.url,
      author: r.author,
      pageStarts: r.page_starts,
    }));
    const byPath = new Map(reports.map((r) => [r.path, r]));
    const passageRows = await client.query<{
      ord: number;
      passage_id: string;
      source: string;
      start_offset: number;
      end_offset: number;
      paragraph: number;
      heading: string | null;
      comment: boolean;
      text: string;
      embedding: string;
    }>(
      'SELECT ord, passage_id, source, start_offset, end_offset, paragraph, heading, comment, text, embedding::text AS embedding FROM rqb_passages WHERE build_id = $1 ORDER BY ord',
      [buildId],
    );
    if (passageRows.rows.length !== manifest.counts.passages) {
      throw corrupt(buildId, `it holds ${passageRows.rows.length} passages, the manifest says ${manifest.counts.passages}`);
    }
    const vectors = new Float32Array(passageRows.rows.length * dims);
    const passages: Passage[] = passageRows.rows.map((r, i) => {
      if (Number(r.ord) !== i) throw corrupt(buildId, `passage ${i} is missing`);
      const report = byPath.get(r.source);
      if (!report || report.text.slice(r.start_offset, r.end_offset) !== r.text) throw corrupt(buildId, `passage ${r.passage_id} is not a verbatim slice of its report`);
      parseVector(r.embedding, vectors, i * dims);
      const p: Passage = { id: r.passage_id, source: r.source, start: r.start_offset, end: r.end_offset, paragraph: r.paragraph, heading: r.heading, text: r.text };
      if (r.comment) p.comment = true;
      return p;
    });
    const termRows = await client.query<{ term_words: string[]; term_ranks: number[] | null; term_induced: number[]; term_vectors: Uint8Array }>(
      'SELECT term_words, term_ranks, term_induced, term_vectors FROM rqb_builds WHERE build_id = $1',
      [buildId],
    );
    const t = termRows.rows[0];
    if (!t) throw corrupt(buildId, 'its words are missing');
    const termVectors = floatsOf(t.term_vectors);
    if (termVectors.length !== t.term_words.length * dims) throw corrupt(buildId, 'its word vectors do not match its words');
    return { dir: pgBuildRef(buildId), manifest, reports, passages, vectors, terms: { words: t.term_words, ranks: t.term_ranks, induced: t.term_induced, vectors: termVectors } };
  }

  async function load(buildId?: string): Promise<LoadedIndex> {
    const id = buildId ?? (await liveBuildId());
    if (id === null) {
      throw new IndexError('INDEX_MISSING', 'No index found in the database (DATABASE_URL).', { hint: 'Build it with: npm run build-index' });
    }
    const { reports, passages, ...data } = await loadData(id);
    // The lexical side is indexed by the searcher from these texts (Postgres keeps no BM25 arrays).
    const vectorRow = memoryVectorRows(data.vectors, data.manifest.model.dims);
    return { ...data, ...memoryCorpus(reports, passages), bm25: null, vectorRow, hnsw: pgDenseIndex(client, id, data.manifest.model.dims, data.manifest.hnsw.efSearch) };
  }

  async function previous(embedder: BuildOptions['embedder']): Promise<IndexData | null> {
    const id = await liveBuildId();
    if (id === null) return null;
    try {
      const prev = await loadData(id);
      return prev.manifest.model.fingerprint === embedder.info.fingerprint && prev.manifest.model.dims === embedder.info.dims ? prev : null;
    } catch (err) {
      if (err instanceof IndexError) return null;
      throw err;
    }
  }

  async function write(tx: SqlQueryable, buildId: string, manifest: IndexManifest, prepared: Awaited<ReturnType<typeof prepareBuild>>): Promise<void> {
    const dims = manifest.model.dims;
    const { terms } = prepared;
    await tx.query(
      `INSERT INTO rqb_builds (build_id, model_id, dims, fingerprint, manifest, term_words, term_ranks, term_induced, term_vectors)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9)`,
      [buildId, manifest.model.id, dims, manifest.model.fingerprint, JSON.stringify(manifest), JSON.stringify(terms.words), terms.ranks === null ? null : JSON.stringify(terms.ranks), JSON.stringify(terms.induced ?? []), bytesOf(terms.vectors)],
    );
    await insertBatches(prepared.reports, (batch, first) =>
      tx.query(
        `INSERT INTO rqb_reports (build_id, ord, path, label, format, hash, title, date, url, author, page_starts, text)
         SELECT $1, r.ord, r.path, r.label, r.format, r.hash, r.title, r.date::date, r.url, r.author, r.page_starts::jsonb, r.text
         FROM jsonb_to_recordset($2::jsonb) AS r(ord int, path text, label text, format text, hash text, title text, date text, url text, author text, page_starts text, text text)`,
        [
          buildId,
          JSON.stringify(
            batch.map((r, i) => ({
              ord: first + i,
              path: r.path,
              label: r.label,
              format: r.format,
              hash: r.hash,
              title: r.title,
              date: r.date,
              url: r.url,
              author: r.author,
              page_starts: r.pageStarts === null ? null : JSON.stringify(r.pageStarts),
              text: r.text,
            })),
          ),
        ],
      ),
    );
    await insertBatches(prepared.passages, (batch, first) =>
      tx.query(
        `INSERT INTO rqb_passages (build_id, ord, passage_id, source, start_offset, end_offset, paragraph, heading, comment, text, dims, embedding)
         SELECT $1, p.ord, p.id, p.source, p.start, p."end", p.paragraph, p.heading, p.comment, p.text, $3, p.embedding::vector
         FROM jsonb_to_recordset($2::jsonb) AS p(ord int, id text, source text, start int, "end" int, paragraph int, heading text, comment boolean, text text, embedding text)`,
        [
          buildId,
          JSON.stringify(
            batch.map((p, i) => ({
              ord: first + i,
              id: p.id,
              source: p.source,
              start: p.start,
              end: p.end,
              paragraph: p.paragraph,
              heading: p.heading,
              comment: p.comment === true,
              text: p.text,
              embedding: vectorLiteral(prepared.vectors.subarray((first + i) * dims, (first + i + 1) * dims)),
            })),
          ),
          dims,
        ],
      ),
    );
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM rqb_passages WHERE build_id = $1', [buildId]);
    if (Number(rows[0]?.n) !== prepared.passages.length) throw corrupt(buildId, `wrote ${prepared.passages.length} passages, read back ${String(rows[0]?.n)}`);
  }

  /** Deletes builds other than the live one and the newest previous ones kept for in-flight readers. */
  async function collectGarbage(): Promise<void> {
    await client.query(
      `DELETE FROM rqb_builds WHERE build_id NOT IN (SELECT build_id FROM rqb_live)
       AND build_id NOT IN (
         SELECT build_id FROM rqb_builds WHERE published_at IS NOT NULL AND build_id NOT IN (SELECT build_id FROM rqb_live)
         ORDER BY published_at DESC LIMIT ${KEEP_PREVIOUS_BUILDS})`,
    );
  }

  async function build(options: Omit<BuildOptions, 'indexDir'>): Promise<BuildSummary> {
    const started = performance.now();
    const chunking = options.chunking ?? DEFAULT_CHUNKING;
    const hnswSettings = options.hnsw ?? DEFAULT_HNSW;
    const progress = options.onProgress ?? (() => {});
    const { embedder } = options;
    await ready();
    const lock = await acquireLock(options.lockWaitMs ?? 0);
    try {
      const prev = await previous(embedder);
      const prepared = await prepareBuild(options, chunking, hnswSettings, prev, progress);
      const buildId = newBuildId();
      const facts = { ...factsOf(prepared), calibration: prepared.calibration };
      const manifest = manifestOf(facts, buildId, (performance.now() - started) / 1000, embedder.info, chunking, hnswSettings, {});
      await client.query(vectorIndexSql(embedder.info.dims, hnswSettings.m, hnswSettings.efConstruction));
      await client.transaction(async (tx) => {
        await write(tx, buildId, manifest, prepared);
        await tx.query('UPDATE rqb_builds SET published_at = clock_timestamp() WHERE build_id = $1', [buildId]);
        await tx.query(
          `INSERT INTO rqb_live (singleton, build_id, published_at) VALUES (true, $1, now())
           ON CONFLICT (singleton) DO UPDATE SET build_id = EXCLUDED.build_id, published_at = EXCLUDED.published_at`,
          [buildId],
        );
        await tx.query('SELECT pg_notify($1, $2)', [BUILD_CHANNEL, buildId]);
      });
      progress({ phase: 'write', done: 1, total: 1 });
      await collectGarbage();
      return summaryOf(facts, buildId, pgBuildRef(buildId), embedder, started);
    } finally {
      await lock.release();
    }
  }

  return {
    migrate: ready,
    liveBuildId,
    async readManifest() {
      const id = await liveBuildId();
      return id === null ? null : manifestOfBuild(id);
    },
    loadData,
    load,
    build,
    watch: (onPublished) =>
      client.listen(
        BUILD_CHANNEL,
        (payload) => onPublished(payload === '' ? null : payload),
        () => onPublished(null),
      ),
  };
}
