import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder';
import { type PgliteServer, startPgliteServer } from '../../helpers/pglite';
import { PROJECT_ROOT, SEEDS_DIR } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();
const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
const baseEnv = { ...process.env, MODEL_CACHE_DIR, EMBEDDING_MODEL: 'offline', FORCE_COLOR: '0', DATABASE_URL: '', REPORTS_DIR: '' };

async function run(script: string, args: string[], env: Record<string, string>, input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = execFile(TSX, [path.join(PROJECT_ROOT, 'scripts', script), ...args], { cwd: PROJECT_ROOT, env: { ...baseEnv, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  child.stdin?.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

type Hit = { source: string; start: number; end: number };
const fixture = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'tests/fixtures/seed-questions.json'), 'utf8')) as Record<string, Array<{ question: string }>>;
const questions = Object.values(fixture).flat().map((q) => q.question);

describe('DATABASE_URL set: npm run build-index, then npm run ask -- --json', () => {
  let server: PgliteServer;
  beforeAll(async () => {
    server = await startPgliteServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gives the same top-3 passages as the local index on the seed question fixture', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    const local = await run('build-index.ts', ['--reports', SEEDS_DIR, '--index', indexDir], {});
    expect(local.code, local.stderr).toBe(0);
    const pg = await run('build-index.ts', ['--reports', SEEDS_DIR], { DATABASE_URL: server.url });
    expect(pg.code, pg.stderr).toBe(0);
    expect(pg.stdout).toMatch(/Indexed 5 reports into \d+ passages/);
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rqb_passages');
    expect(rows[0]?.n).toBeGreaterThan(0);

    const input = `${questions.join('\n')}\n`;
    const a = await run('ask.ts', ['--index', indexDir, '--json', '--k', '3'], {}, input);
    const b = await run('ask.ts', ['--json', '--k', '3'], { DATABASE_URL: server.url }, input);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const parse = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { hits: Hit[] }).hits.map((h) => `${h.source}:${h.start}-${h.end}`));
    const ra = parse(a.stdout);
    const rb = parse(b.stdout);
    expect(ra).toHaveLength(questions.length);
    expect(rb).toHaveLength(questions.length);
    const overlaps = ra.map((top, i) => {
      const other = rb[i] ?? [];
      const size = Math.max(top.length, other.length);
      return size === 0 ? 1 : top.filter((k) => other.includes(k)).length / size;
    });
    const mean = overlaps.reduce((s, x) => s + x, 0) / overlaps.length;
    expect(mean).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});
