import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { SqlClient, SqlQueryable } from '../../src/store/sql-client';

/** A fresh in-memory PGlite with pgvector. */
export async function createPglite(): Promise<PGlite> {
  return PGlite.create({ extensions: { vector } });
}

/** The store's SqlClient over an in-process PGlite (no wire protocol). */
export function pgliteClient(db: PGlite): SqlClient {
  const wrap = (q: Pick<PGlite, 'query'>): SqlQueryable => ({
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await q.query<T>(sql, params)).rows }),
  });
  return {
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return stop;
    },
    close: async () => {},
  };
}

export interface PgliteServer {
  db: PGlite;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** PGlite with pgvector served over the Postgres wire protocol on a free loopback port. */
export async function startPgliteServer(db?: PGlite, port = 0): Promise<PgliteServer> {
  const database = db ?? (await createPglite());
  const server = new PGLiteSocketServer({ db: database, port, host: '127.0.0.1', maxConnections: 100 });
  await server.start();
  const address = server.getServerConn();
  const bound = Number(address.split(':').pop());
  return {
    db: database,
    port: bound,
    url: `postgres://postgres@127.0.0.1:${bound}/postgres`,
    stop: () => server.stop(),
  };
}
