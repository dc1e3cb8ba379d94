/**
 * `npm run eval -- pg-lexical`: the lexical side measured three ways on Cranfield and MED, by
 * nDCG@10 and per-query latency: our in-process BM25 (the searcher's lexical mode, what the
 * Postgres store serves today), PostgreSQL full-text search (a stored `tsvector` with a GIN index,
 * ranked by ts_rank_cd and ts_rank) and pg_textsearch (a BM25 index, `<@>`). The Postgres sides run
 * in an in-process PGlite (PostgreSQL 18 in WebAssembly) with @electric-sql/pglite-pg_textsearch;
 * with DATABASE_URL set, full-text search (and pg_textsearch when that server has it) is measured
 * on that server too.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_textsearch } from '@electric-sql/pglite-pg_textsearch';
import type { Embedder } from '../../src/embed/types';
import { createSearcher } from '../../src/search/searcher';
import { createPgClient, type SqlQueryable } from '../../src/store/sql-client';
import { type IrCollection, memoryIndex, ndcgAt10 } from './ir-data';

/** Ranked document ids for one query. */
type Ranker = (query: string) => Promise<string[]>;

interface Measured {
  ndcg10: number;
  queryP50Ms: number;
  queryP95Ms: number;
}

/** Text search configuration of both Postgres sides: Snowball English stemming and stopwords, like our light stemmer. */
const TEXT_CONFIG = 'english';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Runs every judged query once through `rank` (after two warm-up queries) and scores the top 10. */
async function measure(rank: Ranker, collection: IrCollection): Promise<Measured> {
  const judged = collection.queries.filter((q) => collection.qrels.has(q.id));
  for (const q of judged.slice(0, 2)) await rank(q.text);
  let sum = 0;
  const times: number[] = [];
  for (const q of judged) {
    const started = performance.now();
    const ranked = await rank(q.text);
    times.push(performance.now() - started);
    sum += ndcgAt10(ranked, collection.qrels.get(q.id) ?? new Map());
  }
  times.sort((a, b) => a - b);
  return {
    ndcg10: Number((sum / judged.length).toFixed(4)),
    queryP50Ms: Number(percentile(times, 0.5).toFixed(2)),
    queryP95Ms: Number(percentile(times, 0.95).toFixed(2)),
  };
}

/** The text each document is indexed under, as `memoryIndex` indexes it. */
function docText(d: IrCollection['docs'][number]): string {
  return d.text.trim() || d.title?.trim() || '(empty)';
}

/** Loads the collection into `table` (id, body) in batches. */
async function loadTable(db: SqlQueryable, table: string, collection: IrCollection): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`CREATE TABLE ${table} (id text PRIMARY KEY, body text NOT NULL)`);
  for (let i = 0; i < collection.docs.length; i += 500) {
    const batch = collection.docs.slice(i, i + 500).map((d) => ({ id: d.id, body: docText(d) }));
    await db.query(`INSERT INTO ${table} (id, body) SELECT r.id, r.body FROM jsonb_to_recordset($1::jsonb) AS r(id text, body text)`, [JSON.stringify(batch)]);
  }
}

/**
 * Full-text search: a stored tsvector with a GIN index. A question's words are OR-ed (plainto_tsquery
 * ANDs them, which matches almost nothing for a sentence-long question), and the matches are ranked.
 */
async function ftsRankers(db: SqlQueryable, table: string): Promise<Record<string, Ranker>> {
  await db.query(`ALTER TABLE ${table} ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('${TEXT_CONFIG}', body)) STORED`);
  await db.query(`CREATE INDEX ${table}_gin ON ${table} USING gin (tsv)`);
  await db.query(`ANALYZE ${table}`);
  // The question's own lexemes (stemmed, stopwords dropped) joined with |; 'simple' keeps them as they are.
  const orQuery = `to_tsquery('simple', coalesce(nullif(array_to_string(ARRAY(SELECT quote_literal(l) FROM unnest(tsvector_to_array(to_tsvector('${TEXT_CONFIG}', $1))) AS l), ' | '), ''), 'rqb_no_terms'))`;
  const ranker =
    (rank: string): Ranker =>
    async (query) =>
      (await db.query<{ id: string }>(`SELECT id FROM ${table}, ${orQuery} AS q WHERE tsv @@ q ORDER BY ${rank} DESC, id LIMIT 10`, [query])).rows.map((r) => r.id);
  return {
    fts_ts_rank_cd: ranker('ts_rank_cd(tsv, q)'),
    fts_ts_rank: ranker('ts_rank(tsv, q)'),
    // Normalisation 1: the rank divided by 1 + log(document length), which favours short matching abstracts less.
    fts_ts_rank_norm1: ranker('ts_rank(tsv, q, 1)'),
  };
}

/** pg_textsearch: a BM25 index (k1 1.2, b 0.75 by default, as ours), ranked by `<@>` (negative scores). */
async function bm25Ranker(db: SqlQueryable, table: string): Promise<Ranker> {
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_textsearch');
  await db.query(`CREATE INDEX ${table}_bm25 ON ${table} USING bm25 (body) WITH (text_config = '${TEXT_CONFIG}')`);
  const q = `to_bm25query($1, '${table}_bm25')`;
  return async (query) =>
    // The index scan also returns documents that match no term (score 0) to fill the limit: not a match.
    (await db.query<{ id: string; score: number }>(`SELECT id, (body <@> ${q})::float8 AS score FROM ${table} ORDER BY body <@> ${q} LIMIT 10`, [query])).rows
      .filter((r) => Number(r.score) < 0)
      .map((r) => r.id);
}

/** The three lexical sides on one collection; `db` is PGlite with pg_textsearch, `server` an optional real Postgres. */
async function evalCollection(name: string, collection: IrCollection, embedder: Embedder, cacheDir: string, db: SqlQueryable, server: SqlQueryable | null): Promise<Record<string, unknown>> {
  const index = await memoryIndex(collection.docs, embedder, cacheDir);
  // nDCG@10 scores ten documents: the answer-display floor that hides weak hits is off, as in `eval ir`.
  const searcher = createSearcher({ index, embedder, relativeFloor: 0 });
  const ours: Ranker = async (query) => (await searcher.search(query, { k: 10, mode: 'lexical' })).hits.map((h) => h.source);
  const table = `rqb_eval_${name}`;
  const out: Record<string, unknown> = { docs: collection.docs.length, queries: collection.queries.filter((q) => collection.qrels.has(q.id)).length };
  out.ours_bm25_in_process = await measure(ours, collection);
  await loadTable(db, table, collection);
  const fts = await ftsRankers(db, table);
  for (const [key, rank] of Object.entries(fts)) out[`pglite_${key}`] = await measure(rank, collection);
  out.pglite_pg_textsearch_bm25 = await measure(await bm25Ranker(db, table), collection);
  await db.query(`DROP TABLE ${table}`);
  if (server) {
    await loadTable(server, table, collection);
    try {
      const serverFts = await ftsRankers(server, table);
      for (const [key, rank] of Object.entries(serverFts)) out[`server_${key}`] = await measure(rank, collection);
      try {
        out.server_pg_textsearch_bm25 = await measure(await bm25Ranker(server, table), collection);
      } catch (err) {
        out.server_pg_textsearch_bm25 = { unavailable: err instanceof Error ? err.message : String(err) };
      }
    } finally {
      await server.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
  return out;
}

/** Measures the lexical sides on the given collections; prints nothing itself. */
export async function evalPgLexical(embedder: Embedder, cacheDir: string, collections: Array<[string, IrCollection]>): Promise<unknown> {
  const pglite = await PGlite.create({ extensions: { pg_textsearch } });
  const db: SqlQueryable = { query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pglite.query<T>(sql, params)).rows }) };
  const url = process.env.DATABASE_URL;
  const server = url ? createPgClient(url) : null;
  try {
    const version = (await db.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '';
    const serverVersion = server ? ((await server.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '') : null;
    const out: Record<string, unknown> = { model: embedder.info.id, pglite: version.split(' on ')[0], server: serverVersion?.split(' on ')[0] ?? null, textConfig: TEXT_CONFIG };
    for (const [name, collection] of collections) out[name] = await evalCollection(name, collection, embedder, cacheDir, db, server);
    return out;
  } finally {
    await pglite.close();
    await server?.close();
  }
}
