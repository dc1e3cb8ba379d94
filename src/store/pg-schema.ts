/**
 * The Postgres store's schema, created and migrated by the project. Each migration runs once, in
 * order, in its own transaction, recorded in rqb_migrations; an advisory lock keeps two replicas
 * starting together from migrating at once.
 */
import type { SqlClient } from './sql-client';

/** NOTIFY channel on which a published build id is announced. */
export const BUILD_CHANNEL = 'rqb_build_published';

/** Any fixed number: the advisory lock key that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 4_711_011;

/** Ordered, append-only: never edit a migration that has shipped, add a new one. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'builds, reports, passages with pgvector',
    sql: `
      CREATE EXTENSION IF NOT EXISTS vector;
      CREATE TABLE rqb_builds (
        build_id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        model_id text NOT NULL,
        dims integer NOT NULL,
        fingerprint text NOT NULL,
        manifest jsonb NOT NULL,
        term_words jsonb NOT NULL,
        term_ranks jsonb,
        term_vectors bytea NOT NULL
      );
      CREATE TABLE rqb_live (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        build_id text NOT NULL REFERENCES rqb_builds (build_id),
        published_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE rqb_reports (
        build_id text NOT NULL REFERENCES rqb_builds (build_id) ON DELETE CASCADE,
        ord integer NOT NULL,
        path text NOT NULL,
        label text NOT NULL,
        format text NOT NULL,
        hash text NOT NULL,
        title text NOT NULL,
        date date,
        url text,
        author text,
        page_starts jsonb,
        text text NOT NULL,
        PRIMARY KEY (build_id, ord)
      );
      CREATE TABLE rqb_passages (
        build_id text NOT NULL REFERENCES rqb_builds (build_id) ON DELETE CASCADE,
        ord integer NOT NULL,
        passage_id text NOT NULL,
        source text NOT NULL,
        start_offset integer NOT NULL,
        end_offset integer NOT NULL,
        paragraph integer NOT NULL,
        heading text,
        comment boolean NOT NULL DEFAULT false,
        text text NOT NULL,
        dims integer NOT NULL,
        embedding vector NOT NULL,
        PRIMARY KEY (build_id, ord),
        CHECK (start_offset >= 0 AND end_offset > start_offset)
      );
      CREATE TABLE rqb_build_lock (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'induced word vectors of a build',
    sql: `ALTER TABLE rqb_builds ADD COLUMN IF NOT EXISTS term_induced jsonb NOT NULL DEFAULT '[]'::jsonb;`,
  },
];

/** The HNSW index for one embedding size: vectors of each model size get their own partial index. */
export function vectorIndexSql(dims: number, m: number, efConstruction: number): string {
  const d = Math.trunc(dims);
  return `CREATE INDEX IF NOT EXISTS rqb_passages_hnsw_${d} ON rqb_passages
    USING hnsw ((embedding::vector(${d})) vector_cosine_ops) WITH (m = ${Math.trunc(m)}, ef_construction = ${Math.trunc(efConstruction)})
    WHERE dims = ${d}`;
}

/** Applies the migrations not applied yet; returns the versions it applied. */
export async function migrate(client: SqlClient): Promise<number[]> {
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query('CREATE TABLE IF NOT EXISTS rqb_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM rqb_migrations')).rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.sql.split(';').map((s) => s.trim()).filter((s) => s.length > 0)) await tx.query(statement);
      await tx.query('INSERT INTO rqb_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
