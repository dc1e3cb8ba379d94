/**
 * Console mode end to end: no token, two questions piped into `tsx src/main.ts`, answers on stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConsole as run } from '../helpers/main-process';
import { MODEL_CACHE_DIR } from '../helpers/offline-embedder';
import { useTempDirs } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = path.join(ROOT, 'seeds');

/** Seed report text by its leading number ("003" → contents of 003_*.txt). */
function seedByNumber(n: string): string {
  const file = readdirSync(SEEDS).find((f) => f.startsWith(`${n}_`));
  expect(file).toBeDefined();
  return readFileSync(path.join(SEEDS, file!), 'utf8');
}

describe('console mode', () => {
  const tempDir = useTempDirs();

  it('answers piped questions with verbatim quotes and sources, then exits 0 at EOF', async () => {
    const indexDir = await tempDir('console-index-');
    const questions = ['What did NATO promise about air defense?', 'What happened in the Kursk region?'];
    const result = await run(`${questions.join('\n')}\n`, {
      REPORTS_DIR: 'seeds',
      INDEX_DIR: indexDir,
      EMBEDDING_MODEL: 'offline',
      MODEL_CACHE_DIR,
      LOG_LEVEL: 'warn',
    });
    expect(result.code, result.stderr).toBe(0);

    const answers = result.stdout.split(/^Question: /m).slice(1);
    expect(answers.map((a) => a.split('\n')[0])).toEqual(questions);
    for (const answer of answers) {
      expect(answer).not.toContain("I couldn't find this in the reports.");
      const quotes = [...answer.matchAll(/((?:^> .*\n)+)— \d+\. Report (\d+) · .+ · ¶\d+.*$/gm)];
      expect(quotes.length).toBeGreaterThan(0);
      for (const [, quoted, number] of quotes) {
        const verbatim = quoted!.replace(/^> /gm, '').replace(/\*\*/g, '').trimEnd();
        expect(seedByNumber(number!)).toContain(verbatim);
      }
    }
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('fails with one clear line and exit code 2 on invalid settings', async () => {
    const result = await run('', { RESULTS_PER_PAGE: 'many', LOG_LEVEL: 'warn' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('RESULTS_PER_PAGE must be a whole number between 1 and 10 (got "many").');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
