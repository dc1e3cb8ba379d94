import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../../src/ingest/types';
import { bufferTextSource, decodeCorpus, encodeCorpus, fileTextSource, memoryCorpus, type ReportInfo, type StoredReport } from '../../../src/store/passage-store';

const REPORTS: StoredReport[] = [
  { path: 'a.txt', label: '001', format: 'text', text: 'Plain ASCII report. Second sentence here.\n\nThird paragraph.', hash: 'h1', title: 'A', date: '2024-01-02', url: null, author: null, pageStarts: null },
  { path: 'b.md', label: '002', format: 'markdown', text: 'Шахед over Київ — “drones” 🚀 at night.\n\nNext: naïve café.', hash: 'h2', title: 'B', date: null, url: 'https://example.org/b', author: 'X', pageStarts: [0, 30] },
  { path: 'empty.txt', label: '003', format: 'text', text: '', hash: 'h3', title: 'Empty', date: null, url: null, author: null, pageStarts: null },
];

function slice(r: StoredReport, from: string, to: string, extra: Partial<Passage> = {}): Passage {
  const start = r.text.indexOf(from);
  const end = r.text.indexOf(to) + to.length;
  return { id: `${r.label}-${start}`, source: r.path, start, end, paragraph: 1, heading: null, text: r.text.slice(start, end), ...extra };
}

const [A, B] = REPORTS as [StoredReport, StoredReport];
const PASSAGES: Passage[] = [
  slice(A, 'Plain', 'here.'),
  slice(A, 'Third', 'paragraph.', { paragraph: 2, heading: 'Section' }),
  slice(B, 'Шахед', 'night.', { id: 'zz-first' }),
  // Overlaps the previous passage, as neighbouring parts of a cut paragraph never do, to test offsets.
  slice(B, '🚀', 'café.', { paragraph: 3, heading: 'Section', comment: true, id: 'aa-last' }),
];

function roundTrip() {
  const files = encodeCorpus(REPORTS, PASSAGES);
  return decodeCorpus(JSON.parse(files.reportsJson) as ReportInfo[], bufferTextSource(files.texts), files.passages);
}

describe('passage store', () => {
  it('gives back every passage and report exactly, non-ASCII texts included', () => {
    const { reports, passages } = roundTrip();
    expect(passages.length).toBe(PASSAGES.length);
    expect(passages.toArray()).toEqual(PASSAGES);
    expect([...passages]).toEqual(PASSAGES);
    expect(reports.toArray()).toEqual(REPORTS);
    PASSAGES.forEach((p, i) => {
      expect(passages.text(i)).toBe(p.text);
      expect(passages.source(i)).toBe(p.source);
      expect(passages.heading(i)).toBe(p.heading);
      expect(passages.comment(i)).toBe(p.comment === true);
      expect(reports.text(passages.report(i)).slice(passages.start(i), passages.end(i))).toBe(p.text);
    });
    const { text: _text, ...infoB } = B;
    expect(reports.info(1)).toEqual(infoB);
  });

  it('gives every passage text right on repeated reads in any order, past the texts it keeps', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    const report: StoredReport = { ...A, path: 'many.txt', text: words.join(' ') };
    let at = 0;
    const many: Passage[] = words.map((w, i) => {
      const p: Passage = { id: `p${i}`, source: report.path, start: at, end: at + w.length, paragraph: 1, heading: null, text: w };
      at += w.length + 1;
      return p;
    });
    const files = encodeCorpus([report], many);
    const { passages } = decodeCorpus(JSON.parse(files.reportsJson) as ReportInfo[], bufferTextSource(files.texts), files.passages);
    for (const i of [...words.keys(), ...[...words.keys()].reverse(), 7, 7, 4999, 0]) expect(passages.text(i)).toBe(words[i]);
  });

  it('reads texts from the file by position as it does from memory', () => {
    const files = encodeCorpus(REPORTS, PASSAGES);
    const dir = mkdtempSync(path.join(tmpdir(), 'texts-'));
    const file = path.join(dir, 'texts.utf8');
    writeFileSync(file, files.texts);
    const fd = openSync(file, 'r');
    try {
      const { reports, passages } = decodeCorpus(JSON.parse(files.reportsJson) as ReportInfo[], fileTextSource(fd, files.texts.byteLength), files.passages);
      expect(passages.toArray()).toEqual(PASSAGES);
      expect(reports.toArray()).toEqual(REPORTS);
      const cut = fileTextSource(fd, files.texts.byteLength + 10);
      expect(() => cut.read(files.texts.byteLength, files.texts.byteLength + 10)).toThrow(/ends at/);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds passages by id and reports by path, and says -1 for unknown ones', () => {
    const { reports, passages } = roundTrip();
    PASSAGES.forEach((p, i) => expect(passages.indexOf(p.id)).toBe(i));
    expect(passages.indexOf('nope')).toBe(-1);
    expect(reports.indexOf('b.md')).toBe(1);
    expect(reports.indexOf('c.md')).toBe(-1);
  });

  it('matches the in-memory store on every accessor', () => {
    const disk = roundTrip();
    const memory = memoryCorpus(REPORTS, PASSAGES);
    for (let i = 0; i < PASSAGES.length; i++) {
      for (const f of ['id', 'report', 'source', 'start', 'end', 'paragraph', 'heading', 'comment', 'text'] as const) {
        expect(disk.passages[f](i), `${f}(${i})`).toEqual(memory.passages[f](i));
      }
    }
    expect(() => disk.passages.get(PASSAGES.length)).toThrow(RangeError);
    expect(() => memory.passages.get(-1)).toThrow(RangeError);
  });

  it('refuses a passage that is not a verbatim slice of its report', () => {
    const bad = [{ ...PASSAGES[0]!, text: 'changed' }];
    expect(() => encodeCorpus(REPORTS, bad)).toThrow(/verbatim/);
    expect(() => encodeCorpus(REPORTS, [{ ...PASSAGES[0]!, source: 'gone.txt' }])).toThrow(/no stored report/);
  });

  it('rejects files that disagree with each other', () => {
    const files = encodeCorpus(REPORTS, PASSAGES);
    const info = JSON.parse(files.reportsJson) as ReportInfo[];
    expect(() => decodeCorpus(info, bufferTextSource(files.texts.subarray(0, files.texts.byteLength - 1)), files.passages)).toThrow(/bytes/);
    expect(() => decodeCorpus(info.slice(0, 2), bufferTextSource(files.texts), files.passages)).toThrow(/reports/);
    expect(() => decodeCorpus(info, bufferTextSource(files.texts), Buffer.from('junk'))).toThrow(/unreadable/);
  });
});
