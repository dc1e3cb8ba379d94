import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, SEEDS_DIR, seedIndex } from '../../helpers/seed-index';

interface Question {
  id: string;
  question: string;
  source?: string;
  expect?: string;
}
const fixture = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'tests/fixtures/seed-questions.json'), 'utf8')) as Record<'answerable' | 'typos' | 'unanswerable', Question[]>;

async function rank(q: Question): Promise<{ rank: number; answered: boolean }> {
  const { searcher } = await seedIndex();
  const text = await readFile(path.join(SEEDS_DIR, q.source ?? ''), 'utf8');
  const at = text.indexOf(q.expect ?? '');
  const end = at + (q.expect ?? '').length;
  const r = await searcher.search(q.question, { k: 3 });
  const i = r.hits.findIndex((h) => h.source === q.source && h.start < end && h.end > at);
  return { rank: i + 1, answered: r.answered };
}

describe('seed question set (offline model, hybrid)', () => {
  it('finds the answering passage in the top 3 for at least 90% of questions, and first for at least 70%', async () => {
    const ranks = await Promise.all(fixture.answerable.map(rank));
    const hit1 = ranks.filter((r) => r.rank === 1).length / ranks.length;
    const hit3 = ranks.filter((r) => r.rank >= 1).length / ranks.length;
    expect(hit3).toBeGreaterThanOrEqual(0.9);
    expect(hit1).toBeGreaterThanOrEqual(0.7);
    expect(ranks.filter((r) => r.answered).length / ranks.length).toBeGreaterThanOrEqual(0.8);
  });

  it('still answers questions with typos', async () => {
    const ranks = await Promise.all(fixture.typos.map(rank));
    expect(ranks.filter((r) => r.rank >= 1).length / ranks.length).toBeGreaterThanOrEqual(0.9);
    expect(ranks.filter((r) => r.answered).length / ranks.length).toBeGreaterThanOrEqual(0.8);
  });

  it('says "not in the reports" for off-topic questions and is never confident on unanswerable ones', async () => {
    const { searcher } = await seedIndex();
    for (const q of ['Who won the 2022 World Cup?', 'How do I make a sourdough starter?', 'What is the boiling point of water?']) {
      const r = await searcher.search(q);
      expect(r.answer, q).toBe('none');
      expect(r.answered).toBe(false);
    }
    const results = await Promise.all(fixture.unanswerable.map((q) => searcher.search(q.question)));
    expect(results.filter((r) => r.answer === 'confident').length / results.length).toBeLessThanOrEqual(0.1);
  });

  it('answers in three levels: confident with the right quote, unsure for a near-domain question', async () => {
    const { searcher } = await seedIndex();
    const sure = await searcher.search('How many North Korean troops were wounded in Kursk?');
    expect(sure.answer).toBe('confident');
    expect(sure.hits[0]?.text).toContain('North Korean');
    const near = await searcher.search('How many Leopard 2 tanks has Germany delivered to Ukraine?');
    expect(near.answer).toBe('unsure');
    expect(near.hits.length).toBeGreaterThan(0);
  });

  it('ignores framing words, format characters and small-word typos', async () => {
    const { searcher } = await seedIndex();
    const plain = await searcher.search('What did Stoltenberg promise?');
    for (const q of ['Please tell me: what did Stoltenberg promise?', 'q3: what did Stoltenberg promise?', 'wat did Stolten\u00adberg promise?', 'wat did Stol\u200btenberg promise?']) {
      const r = await searcher.search(q);
      expect(r.answer, q).not.toBe('none');
      expect(r.hits[0]?.passageId, q).toBe(plain.hits[0]?.passageId);
    }
  });

  it('ranks reader comments below report text and marks them', async () => {
    const { searcher, index } = await seedIndex();
    const comments = index.passages.toArray().filter((p) => p.comment);
    expect(comments.length).toBeGreaterThan(0);
    expect(comments.every((p) => p.source === '001_1acd37ffbbe669fc.txt')).toBe(true);
    expect(comments.some((p) => p.text.includes('Where do you find the energy, Adam?'))).toBe(true);
    expect(index.passages.toArray().some((p) => !p.comment && p.text.includes('Kastehelmi'))).toBe(true);
    const r = await searcher.search('Where do you find the energy Adam', { k: 3 });
    expect(r.hits.find((h) => h.text.includes('find the energy'))?.comment).toBe(true);
  });

  it('returns verbatim text, report-relative offsets and highlight ranges inside the passage', async () => {
    const { searcher } = await seedIndex();
    const r = await searcher.search('How many North Korean troops were wounded in Kursk?');
    expect(r.answered).toBe(true);
    const top = r.hits[0];
    expect(top?.source).toBe('003_9a57778b51dc72a5.txt');
    const text = await readFile(path.join(SEEDS_DIR, top?.source ?? ''), 'utf8');
    for (const h of r.hits) {
      const report = await readFile(path.join(SEEDS_DIR, h.source), 'utf8');
      expect(report.slice(h.start, h.end)).toBe(h.text);
      for (const [s, e] of h.highlights) {
        expect(s).toBeGreaterThanOrEqual(h.start);
        expect(e).toBeLessThanOrEqual(h.end);
      }
    }
    const [s, e] = top?.highlights[0] ?? [0, 0];
    expect(text.slice(s, e)).toBe('More than 200 North Korean troops were wounded in a few days in Kursk region, an intercepted audio reveals.');
  });

  it('pages through results without repeating a passage', async () => {
    const { searcher } = await seedIndex();
    const first = await searcher.search('Russian drone attacks on cities', { k: 3 });
    const second = await searcher.search('Russian drone attacks on cities', { k: 3, offset: 3 });
    expect(first.hasMore).toBe(true);
    // Neighbouring hits merge into one quote, so a page may hold fewer than k hits; none may repeat text.
    expect(second.hits.length).toBeGreaterThan(0);
    expect(second.hits.length).toBeLessThanOrEqual(3);
    const all = [...first.hits, ...second.hits];
    expect(new Set(all.map((h) => h.passageId)).size).toBe(all.length);
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) expect(a.source === b.source && a.start < b.end && b.start < a.end, `${a.passageId} overlaps ${b.passageId}`).toBe(false);
    }
  });

  it('supports lexical and dense modes on their own', async () => {
    const { searcher } = await seedIndex();
    const lexical = await searcher.search('Starlink terminals SpaceX Pentagon', { mode: 'lexical' });
    const dense = await searcher.search('Starlink terminals SpaceX Pentagon', { mode: 'dense' });
    expect(lexical.hits[0]?.source).toBe('000_b37f0f623e6a3c91.txt');
    expect(lexical.signals.denseZ).toBeNull();
    expect(dense.signals.passageCoverage).toBeNull();
    expect(dense.hits.length).toBeGreaterThan(0);
  });

  it('gives surrounding text for "Show context" and null for unknown ids', async () => {
    const { searcher, index } = await seedIndex();
    const p = index.passages.get(10);
    const ctx = searcher.context(p?.id ?? '');
    expect(ctx?.text).toContain(p?.text);
    expect(ctx && ctx.text.length).toBeGreaterThan(p?.text.length ?? 0);
    expect(ctx?.focus).toEqual([p?.start, p?.end]);
    expect(searcher.context('ffffffffffff')).toBeNull();
  });

  it('cuts very long questions and rejects empty ones', async () => {
    const { searcher } = await seedIndex();
    const long = await searcher.search(`What happened in Kherson? ${'blah '.repeat(200)}`);
    expect(long.truncated).toBe(true);
    expect(long.question.length).toBeLessThanOrEqual(300);
    await expect(searcher.search('   ')).rejects.toMatchObject({ code: 'QUERY_INVALID' });
  });

  it('lists reports with titles and passage counts', async () => {
    const { searcher, index } = await seedIndex();
    const reports = searcher.reports();
    expect(reports.find((r) => r.source.startsWith('003'))?.title).toBe('Weekly roundup');
    expect(reports.reduce((a, r) => a + r.passages, 0)).toBe(index.passages.length);
    expect(searcher.stats()).toMatchObject({ reports: 5, passages: index.passages.length, modelId: 'offline/glove-sif-100d', dims: 100 });
  });
});
