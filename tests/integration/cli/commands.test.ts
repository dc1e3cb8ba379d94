import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder';
import { PROJECT_ROOT, SEEDS_DIR } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const exec = promisify(execFile);
const tempDir = useTempDirs();
const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
const env = { ...process.env, MODEL_CACHE_DIR, EMBEDDING_MODEL: 'offline', FORCE_COLOR: '0' };

async function run(script: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = execFile(TSX, [path.join(PROJECT_ROOT, 'scripts', script), ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 });
  if (input !== undefined) child.stdin?.end(input);
  else child.stdin?.end();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

let indexDir: string;
beforeAll(async () => {
  indexDir = path.join(await exec('mktemp', ['-d']).then((r) => r.stdout.trim()), 'index');
  const built = await run('build-index.ts', ['--reports', SEEDS_DIR, '--index', indexDir, '--model', 'offline']);
  expect(built.code).toBe(0);
  expect(built.stdout).toMatch(/Indexed 5 reports into \d+ passages \(\d+ duplicates removed\)/);
  expect(built.stdout).toMatch(/Model: offline\/glove-sif-100d/);
  expect(built.stdout).toMatch(/Took [\d.]+ s/);
}, 120_000);

describe('npm run ask', () => {
  it('prints one JSON object per question and nothing else on stdout', async () => {
    const r = await run('ask.ts', ['--index', indexDir, '--json', '--k', '2'], 'What did Stoltenberg promise Ukraine?\nWho won the 2022 World Cup?\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ question: 'What did Stoltenberg promise Ukraine?', answered: true });
    expect(first.hits).toHaveLength(2);
    const hit = first.hits[0];
    expect(Object.keys(hit).sort()).toEqual(['comment', 'end', 'highlight', 'score', 'source', 'start', 'text']);
    expect(hit.source).toBe('000_b37f0f623e6a3c91.txt');
    const { readFile } = await import('node:fs/promises');
    const report = await readFile(path.join(SEEDS_DIR, hit.source), 'utf8');
    expect(report.slice(hit.start, hit.end)).toBe(hit.text);
    for (const [s, e] of hit.highlight) expect(report.slice(s, e).length).toBe(e - s);
    expect(second).toMatchObject({ question: 'Who won the 2022 World Cup?', answered: false });
  });

  it('answers a question given as an argument, in human form with sources', async () => {
    const r = await run('ask.ts', ['--index', indexDir, '--k', '1', 'How many North Korean troops were wounded in Kursk?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Report 003 · Weekly roundup · ¶5');
    expect(r.stdout).toContain('More than 200 North Korean troops were wounded');
  });

  it('says how to build the index when it is missing', async () => {
    const r = await run('ask.ts', ['--index', path.join(await tempDir(), 'none'), 'anything']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No index found');
    expect(r.stderr).toContain('npm run build-index');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects bad flags with usage', async () => {
    const r = await run('ask.ts', ['--index', indexDir, '--mode', 'fuzzy', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--mode must be hybrid, dense or lexical');
  });
});

describe('npm run build-index', () => {
  it('explains an empty reports folder without a stack trace', async () => {
    const reports = await tempDir();
    const r = await run('build-index.ts', ['--reports', reports, '--index', path.join(reports, 'idx'), '--model', 'offline']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No reports to index');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names skipped files and still indexes the rest', async () => {
    const reports = await tempDir();
    await mkdir(path.join(reports, 'nested'));
    await writeFile(path.join(reports, 'nested', 'good.md'), '# Front update\nUkrainian forces held the bridgehead near Krynky for another week despite heavy shelling and repeated assaults.');
    await writeFile(path.join(reports, 'image.txt'), Buffer.from([0, 1, 2, 3, 255]));
    const r = await run('build-index.ts', ['--reports', reports, '--index', path.join(reports, '..', `${path.basename(reports)}-idx`), '--model', 'offline']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Indexed 1 report into 1 passage (0 duplicates removed)');
    expect(r.stdout).toContain('Skipped image.txt: binary file');
  });
});
