import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBlindQuestions } from '../../../scripts/eval/questions';

const SEEDS = path.resolve('seeds');

describe('blind question sets', () => {
  it('name an existing report and a phrase that occurs verbatim in it, for every answerable question', async () => {
    const all = await readBlindQuestions('all');
    const texts = new Map<string, string>();
    for (const q of all.filter((x) => x.answerable)) {
      const report = q.report ?? '';
      if (!texts.has(report)) texts.set(report, await readFile(path.join(SEEDS, report), 'utf8'));
      expect(q.phrase, q.id).toBeTruthy();
      expect(texts.get(report)?.includes(q.phrase ?? '\u0000'), `${q.id}: "${q.phrase}" in ${report}`).toBe(true);
    }
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    for (const q of all.filter((x) => !x.answerable)) expect(['near-domain', 'off-topic'], q.id).toContain(q.kind);
  });

  it('keep the test split out of what the weights may be fitted on', async () => {
    const fit = await readBlindQuestions('fit');
    const test = await readBlindQuestions('test');
    expect(test.length).toBeGreaterThan(100);
    expect(fit.some((q) => q.split === 'test')).toBe(false);
    expect(fit.filter((q) => q.split === 'train').length).toBe(300);
    expect(fit.length + test.length).toBe((await readBlindQuestions('all')).length);
  });
});
