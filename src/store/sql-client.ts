/**
 * The few things the Postgres store needs from a database connection, so the same store code runs
 * over node-postgres (production, and PGlite over the wire) and over an in-process PGlite in tests.
 */
import pg from 'pg';
import { AppError } from '../errors';

export interface SqlRows<T> {
  rows: T[];
}

/** A connection (or a transaction on one) that runs parameterised SQL. */
export interface SqlQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlRows<T>>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with each payload sent on `channel`, and `onReconnect` after a lost listening
   * connection is back (notifications in between may be lost). Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** PostgreSQL or Redis could not be reached or failed mid-command: the caller may retry later. */
export class StoreUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('STORE_UNAVAILABLE', message, { hint: 'Check that PostgreSQL is running and DATABASE_URL points at it.', ...options });
  }
}

/** How long to wait for a connection before a query fails as unavailable. */
const CONNECT_TIMEOUT_MS = 5000;
/** Delay between attempts to re-open a lost LISTEN connection. */
const LISTEN_RETRY_MS = 1000;
/** Enough connections for concurrent searches of one replica without crowding a shared server. */
const POOL_SIZE = 5;

/** SQLSTATE classes that mean "the server is gone or refusing", not "the query is wrong". */
function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT')) {
    return true;
  }
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|ECONNREFUSED/i.test(message);
}

/** Wraps connection failures as StoreUnavailableError; other errors pass through. */
export function asUnavailable(err: unknown): unknown {
  if (err instanceof AppError || !isConnectionFailure(err)) return err;
  return new StoreUnavailableError(`The database is unavailable (${err instanceof Error ? err.message : String(err)}).`, { cause: err });
}

/** A node-postgres pool for `url` (postgres://…). Connection failures surface as StoreUnavailableError. */
export function createPgClient(url: string): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const dispatch = (msg: pg.Notification): void => {
    for (const fn of listeners.get(msg.channel) ?? []) fn(msg.payload ?? '');
  };
  // Servers that multiplex one session over many connections (PGlite's socket server) deliver a
  // notification on whichever connection runs next; on PostgreSQL only the LISTEN connection gets it.
  pool.on('connect', (c) => c.on('notification', dispatch));
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw asUnavailable(err);
    }
  };
  return {
    query: <T>(sql: string, params?: unknown[]) => wrap(async () => ({ rows: (await pool.query(sql, params)).rows as T[] })),
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) =>
      wrap(async () => {
        const client = await pool.connect();
        let broken = false;
        const onError = (): void => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          const result = await fn({ query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }) });
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          throw err;
        } finally {
          client.off('error', onError);
          client.release(broken);
        }
      }),
    async listen(channel, onNotify, onReconnect) {
      let stopped = false;
      let client: pg.Client | null = null;
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(onNotify);
      const open = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
        c.on('notification', dispatch);
        c.on('error', () => {});
        c.on('end', () => {
          if (stopped) return;
          client = null;
          setTimeout(reopen, LISTEN_RETRY_MS).unref();
        });
        await c.connect();
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        client = c;
      };
      const reopen = (): void => {
        if (stopped) return;
        open().then(
          () => onReconnect?.(),
          () => setTimeout(reopen, LISTEN_RETRY_MS).unref(),
        );
      };
      await wrap(open);
      return async () => {
        stopped = true;
        set.delete(onNotify);
        await client?.end().catch(() => {});
      };
    },
    close: () => pool.end(),
  };
}
