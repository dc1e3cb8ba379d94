import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server';

export interface RealPostgres {
  url: string;
  port: number;
  /** `SELECT version()`. */
  version: string;
  /** Immediate shutdown (SIGQUIT: no checkpoint, WAL recovery at the next start), as a crash would leave it. */
  crash(): Promise<void>;
  /** Starts the server again on the same data folder and port. */
  restart(): Promise<void>;
  /** Fast shutdown, then the data folder is removed. */
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/N/bin that has both the server and the pgvector extension (installed by .ci/run). */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (existsSync(path.join(bin, 'postgres')) && existsSync(`/usr/share/postgresql/${v}/extension/vector.control`)) return bin;
  }
  throw new Error(`No PostgreSQL server with pgvector under ${root} (found versions: ${versions.join(', ') || 'none'}). Run bash .ci/run, which installs both.`);
}

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` system user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root and there is no postgres user to run the server as (the postgresql package creates it).');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
      return rows[0]?.v ?? '';
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * A real PostgreSQL server with pgvector in a fresh temporary data folder, listening on a free
 * loopback port only (trust authentication, no fsync: a throwaway test server).
 */
export async function startRealPostgres(): Promise<RealPostgres> {
  const bin = findPostgresBin();
  const user = runAs();
  const dir = await mkdtemp(path.join(tmpdir(), 'real-pg-'));
  if (user) await chown(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C'], { stdio: 'pipe', ...asUser });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<unknown> = Promise.resolve();
  const start = async (): Promise<string> => {
    const c = spawn(
      path.join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...asUser },
    );
    c.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child = c;
    exited = new Promise((r) => c.once('exit', r));
    return waitReady(url, c, () => output, 30_000);
  };
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(sig);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const version = await start();
    return {
      url,
      port,
      version,
      crash: () => signal('SIGQUIT'),
      restart: async () => {
        await start();
      },
      async stop() {
        await signal('SIGINT');
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await signal('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
