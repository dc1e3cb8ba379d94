import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
    expect(Object.keys(hit).sort()).toEqual(['comment', 'date', 'end', 'highlight', 'page', 'score', 'source', 'start', 'text', 'title', 'url']);
    expect(hit.source).toBe('000_b37f0f623e6a3c91.txt');
    // A plain-text report without a sidecar or a dateline: its title is its first line, nothing else is known.
    expect(hit).toMatchObject({ title: 'Key developments', date: null, url: null, page: null });
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

  it('words parser errors plainly: a negative --k, a missing value, an unknown option', async () => {
    const negative = await run('ask.ts', ['--index', indexDir, '--k', '-3', 'x']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--k must be a whole number from 1 to 100, got "-3".');
    const missing = await run('ask.ts', ['--index', indexDir, '--k']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('--k needs a value.');
    const unknown = await run('ask.ts', ['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('Unknown option --frobnicate.');
    expect(unknown.stderr).toContain('Usage: npm run ask');
  });

  it('says the question is empty, and in --json prints a JSON error object', async () => {
    const plain = await run('ask.ts', ['--index', indexDir, '  ']);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('The question is empty');
    const json = await run('ask.ts', ['--index', indexDir, '--json', '']);
    expect(json.code).toBe(2);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ question: '', answered: false, hits: [], error: expect.stringContaining('The question is empty') });
  });

  it('exits quietly when the reader closes the pipe early (| head -1)', async () => {
    const child = spawn(TSX, [path.join(PROJECT_ROOT, 'scripts', 'ask.ts'), '--index', indexDir, '--json'], { cwd: PROJECT_ROOT, env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end('What did NATO promise about air defense?\n'.repeat(400));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/\n\s+at /);
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

  it('names the files it could not use when none is usable, and leaves no index folder behind', async () => {
    const reports = await tempDir();
    await writeFile(path.join(reports, 'scan.txt'), Buffer.from([0, 1, 2, 3, 255]));
    const index = path.join(await tempDir(), 'new-index');
    const r = await run('build-index.ts', ['--reports', reports, '--index', index, '--model', 'offline']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('none of its files could be used');
    expect(r.stderr).toContain('scan.txt: binary file (contains NUL bytes)');
    expect(existsSync(index)).toBe(false);
  });
});
