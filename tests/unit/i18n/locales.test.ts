/** The locale files: every language has every key, and every message formats cleanly. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES, wordsFor } from '../../../src/i18n/words';
import { PROJECT_ROOT } from '../../helpers/seed-index';

function keysOf(locale: string): string[] {
  const source = readFileSync(path.join(PROJECT_ROOT, 'src', 'locales', `${locale}.ftl`), 'utf8');
  return [...source.matchAll(/^([a-z][a-z0-9-]*) =/gm)].map((m) => m[1]!);
}

// Plausible values for every variable the messages use.
const ARGS = {
  chars: 300, from: 4, to: 6, n: 2, bot: '@quote_test_bot', count: 3, number: '003', title: 'Weekly roundup', passages: 21,
  reports: 5, model: 'offline/glove-sif-100d', dims: 100, builtAt: '2024-01-02T03:04:05.000Z', buildId: 'b1', dir: '/srv/index',
  phase: 'Reading reports', done: 3, total: 5, percent: 60, duplicates: 1, reused: 2, embedded: 3, removed: 0, seconds: '1.2', topics: 'Kherson, Kursk',
  file: 'june.pdf', reason: 'not a report', profile: 'offline',
};

describe('locale files', () => {
  const english = keysOf('en');

  it('define the same keys in every language', () => {
    expect(english.length).toBeGreaterThan(50);
    for (const locale of LOCALES) expect([...keysOf(locale)].sort(), locale).toEqual([...english].sort());
  });

  it('format every message without missing variables, isolation marks or a fallback to English', () => {
    for (const locale of LOCALES) {
      const t = wordsFor(locale);
      for (const key of english) {
        const value = t(key, ARGS);
        expect(value, `${locale} ${key}`).not.toMatch(/[{}\u2068\u2069]/);
        expect(value.trim().length, `${locale} ${key}`).toBeGreaterThan(0);
        // 'sources-report' stays "Report 003" everywhere, matching the source line under each quote.
        if (locale !== 'en' && !['button-context', 'reindex-progress', 'help-inline-title', 'about-model-offline', 'sources-report'].includes(key)) {
          expect(value, `${locale} ${key} is still English`).not.toBe(wordsFor('en')(key, ARGS));
        }
      }
    }
  });

  it('choose plural forms by number in each language', () => {
    expect(wordsFor('en')('sources-header', { count: 1 })).toBe('1 indexed report, newest first:');
    expect(wordsFor('uk')('sources-header', { count: 3 })).toBe('3 звіти в індексі, найновіші першими:');
    expect(wordsFor('uk')('sources-header', { count: 5 })).toBe('5 звітів в індексі, найновіші першими:');
    expect(wordsFor('ru')('sources-header', { count: 21 })).toBe('21 отчёт в индексе, новые первыми:');
  });
});
