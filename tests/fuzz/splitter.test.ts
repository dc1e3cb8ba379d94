import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDuplicateFilter } from '../../src/ingest/dedupe';
import { hashText } from '../../src/ingest/read-reports';
import { decodeReport } from '../../src/ingest/read-text';
import { countWords, splitSentences } from '../../src/ingest/sentences';
import { DEFAULT_CHUNKING, splitReport } from '../../src/ingest/split-passages';
import { deriveTitle } from '../../src/ingest/title';
import type { ReportText } from '../../src/ingest/types';
import { anyText, fuzzRuns, isWellFormed, longWord, nastyReport, nastyText } from '../helpers/fuzz';

const SPLIT_RUNS = 1500;
const CORPUS_RUNS = 300;
const SENTENCE_RUNS = 3000;
const DECODE_RUNS = 2000;
const TITLE_RUNS = 2000;

/** Longest title deriveTitle makes from text: 70 characters plus an ellipsis. */
const MAX_TITLE = 71;

/** A report whose paragraphs are drawn, with repeats, from a small pool, so duplicates are common. */
const repetitiveReport = fc
  .array(fc.oneof(nastyText(30), fc.array(fc.constantFrom('grain', 'corridor', 'Odesa', 'ships', 'wheat', 'sanctions', 'Kyiv'), { minLength: 4, maxLength: 60 }).map((w) => w.join(' '))), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((pool) => fc.array(fc.nat(pool.length - 1), { minLength: 2, maxLength: 25 }).map((order) => order.map((i) => pool[i]!).join('\n\n')));

const reportText = fc.oneof(
  { weight: 2, arbitrary: repetitiveReport },{ weight: 4, arbitrary: nastyReport() }, { weight: 1, arbitrary: anyText(60) }, { weight: 1, arbitrary: longWord(2000, 8000) });

function reportOf(path: string, raw: string): ReportText & { hash: string; title: string } {
  const text = decodeReport(Buffer.from(raw, 'utf8'));
  return { path, text, hash: hashText(text), title: deriveTitle(text, path) };
}

/** Problems of one report's passages (empty when valid): verbatim slices, in order, not overlapping. */
function passageProblems(report: ReportText, passages: ReturnType<typeof splitReport>['passages']): string[] {
  const problems: string[] = [];
  let prevEnd = 0;
  const ids = new Set<string>();
  for (const p of passages) {
    if (report.text.slice(p.start, p.end) !== p.text) problems.push(`passage ${p.id} is not text.slice(${p.start}, ${p.end})`);
    if (p.start < prevEnd) problems.push(`passage ${p.id} starts at ${p.start}, before the previous end ${prevEnd}`);
    if (p.end <= p.start) problems.push(`passage ${p.id} is empty`);
    if (p.text !== p.text.trim()) problems.push(`passage ${p.id} is not trimmed`);
    // A report of short lines only is kept whole as its single passage, so it can still be found.
    const wholeShortReport = passages.length === 1 && p.text === report.text.trim();
    if (!wholeShortReport && countWords(p.text) < DEFAULT_CHUNKING.shortLineWords) problems.push(`passage ${p.id} has fewer than ${DEFAULT_CHUNKING.shortLineWords} words`);
    if (p.source !== report.path) problems.push(`passage ${p.id} source ${p.source}`);
    if (!/^[0-9a-f]{12}$/.test(p.id)) problems.push(`passage id ${p.id}`);
    if (p.paragraph < 1 || !Number.isInteger(p.paragraph)) problems.push(`passage ${p.id} paragraph ${p.paragraph}`);
    if (ids.has(p.id)) problems.push(`passage id ${p.id} repeated`);
    ids.add(p.id);
    if (isWellFormed(report.text) && !isWellFormed(p.text)) problems.push(`passage ${p.id} splits a surrogate pair`);
    const seen = new Set<string>();
    for (const line of p.text.split('\n')) {
      if (countWords(line) < DEFAULT_CHUNKING.shortLineWords) continue;
      const key = (line.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
      if (seen.has(key)) problems.push(`passage ${p.id} quotes a duplicate paragraph: ${JSON.stringify(line.slice(0, 60))}`);
      seen.add(key);
    }
    prevEnd = p.end;
  }
  return problems;
}

describe('splitReport (fuzz)', () => {
  it(`cuts any report into verbatim, ordered, non-overlapping passages without throwing (${SPLIT_RUNS} runs)`, () => {
    fc.assert(
      fc.property(reportText, (raw) => {
        const report = reportOf('fuzz/report.txt', raw);
        const { passages, duplicates } = splitReport(report, DEFAULT_CHUNKING, createDuplicateFilter(DEFAULT_CHUNKING.nearDuplicateJaccard));
        expect(passageProblems(report, passages)).toEqual([]);
        expect(duplicates).toBeGreaterThanOrEqual(0);
      }),
      fuzzRuns(2101, SPLIT_RUNS),
    );
  });

  it(`shares one duplicate filter across reports: a repeated report adds no passages (${CORPUS_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(reportText, { minLength: 1, maxLength: 4 }), (raws) => {
        const filter = createDuplicateFilter(DEFAULT_CHUNKING.nearDuplicateJaccard);
        const reports = raws.map((raw, i) => reportOf(`r${i}.md`, raw));
        const problems = reports.flatMap((report) => passageProblems(report, splitReport(report, DEFAULT_CHUNKING, filter).passages));
        const again = { ...reports[0]!, path: 'copy.md' };
        expect({ problems, repeated: splitReport(again, DEFAULT_CHUNKING, filter).passages.map((p) => p.text) }).toEqual({ problems: [], repeated: [] });
      }),
      fuzzRuns(2102, CORPUS_RUNS),
    );
  });
});

describe('splitSentences (fuzz)', () => {
  it(`returns trimmed, non-empty, ordered spans inside [from, to) that never cross a line break (${SENTENCE_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText(60), nastyReport(6)), fc.nat(), fc.nat(), (text, a, b) => {
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        const problems: string[] = [];
        let prevEnd = from;
        for (const { start, end } of splitSentences(text, from, to)) {
          const sentence = text.slice(start, end);
          if (start < prevEnd || end <= start || end > to) problems.push(`span [${start}, ${end}) outside [${prevEnd}, ${to}]`);
          if (sentence.trim() !== sentence) problems.push(`span [${start}, ${end}) not trimmed`);
          if (sentence.includes('\n')) problems.push(`span [${start}, ${end}) crosses a line break`);
          prevEnd = end;
        }
        expect(problems).toEqual([]);
        const whole = splitSentences(text);
        expect(whole.length === 0).toBe(text.trim() === '');
      }),
      fuzzRuns(2201, SENTENCE_RUNS),
    );
  });
});

describe('decodeReport (fuzz)', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    anyText(40).map((s) => Buffer.from(s, 'utf8')),
    anyText(20).map((s) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s.replace(/\n/g, '\r\n'), 'utf8')])),
    fc.string({ unit: 'binary-ascii', maxLength: 300 }).map((s) => Buffer.from(s, 'latin1')),
  );

  it(`decodes any bytes to well-formed text without a BOM or carriage returns (${DECODE_RUNS / 2} runs)`, () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const text = decodeReport(Buffer.from(input));
        expect({ bom: text.charCodeAt(0) === 0xfeff, cr: text.includes('\r'), wellFormed: isWellFormed(text) }).toEqual({ bom: false, cr: false, wellFormed: true });
      }),
      fuzzRuns(2301, DECODE_RUNS / 2),
    );
  });

  it(`round-trips valid UTF-8 apart from a leading BOM and line endings (${DECODE_RUNS / 2} runs)`, () => {
    fc.assert(
      fc.property(anyText(40), (value) => {
        const expected = value.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
        expect(decodeReport(Buffer.from(value, 'utf8'))).toBe(expected);
      }),
      fuzzRuns(2302, DECODE_RUNS / 2),
    );
  });
});

describe('deriveTitle (fuzz)', () => {
  const fileName = fc.oneof(
    fc.constantFrom('003_weekly.txt', 'notes/budget.md', 'a/b/c.txt', 'r.md'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => `${s.replace(/[\s/\\.]/g, '_')}.txt`),
  );

  it(`gives a non-empty, well-formed title of at most ${MAX_TITLE} characters for any text (${TITLE_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText(60), nastyReport(4), longWord()), fileName, (raw, rel) => {
        const text = decodeReport(Buffer.from(raw, 'utf8'));
        const title = deriveTitle(text, rel);
        const fromText = text.split('\n').some((line) => countWords(line.replace(/^\s*#+\s*/, '').replace(/^[-*•]\s+/, '')) >= 2);
        expect({
          empty: title.trim().length === 0,
          tooLong: fromText && title.length > MAX_TITLE,
          wellFormed: isWellFormed(title),
          multiLine: title.includes('\n'),
        }).toEqual({ empty: false, tooLong: false, wellFormed: true, multiLine: false });
      }),
      fuzzRuns(2401, TITLE_RUNS),
    );
  });

  it('keeps whole emoji when it shortens a title and skips word-less leading sentences', () => {
    expect(deriveTitle(`${'a'.repeat(69)}🚀 and more words here`, 'x.txt')).toBe(`${'a'.repeat(69)}…`);
    expect(deriveTitle('. The weekly roundup', 'x.txt')).toBe('The weekly roundup');
    expect(deriveTitle('… Grain exports rose. More text', 'x.txt')).toBe('Grain exports rose');
  });
});
