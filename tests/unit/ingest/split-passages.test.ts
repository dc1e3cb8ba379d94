import { describe, expect, it } from 'vitest';
import { createDuplicateFilter } from '../../../src/ingest/dedupe';
import { DEFAULT_CHUNKING, splitReport } from '../../../src/ingest/split-passages';
import { countWords, splitSentences } from '../../../src/ingest/sentences';
import type { ReportText } from '../../../src/ingest/types';

const sentence = (topic: string, n: number) => `The ${topic} update number ${n} describes shelling near the front line today.`;
const paragraph = (topic: string, sentences: number) => Array.from({ length: sentences }, (_, i) => sentence(topic, i + 1)).join(' ');

function report(text: string, path = 'r.txt'): ReportText {
  return { path, text };
}

function split(text: string, filter = createDuplicateFilter(0.9)) {
  return splitReport(report(text), DEFAULT_CHUNKING, filter);
}

describe('splitReport', () => {
  it('gives passages whose offsets slice the report verbatim', () => {
    const text = `Key developments\n- ${paragraph('alpha', 5)}\n- ${paragraph('beta', 5)}\nBattleground updates\n${paragraph('gamma', 12)}\n`;
    const { passages } = split(text);
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it('keeps passages within about 40 to 150 words and never cuts inside a sentence', () => {
    const text = [paragraph('alpha', 30), paragraph('beta', 3), paragraph('gamma', 4), paragraph('delta', 9)].join('\n');
    const { passages } = split(text);
    const sentenceEnds = new Set(splitSentences(text).map((s) => s.end));
    const sentenceStarts = new Set(splitSentences(text).map((s) => s.start));
    for (const p of passages) {
      const words = countWords(p.text);
      expect(words).toBeGreaterThanOrEqual(DEFAULT_CHUNKING.minWords);
      expect(words).toBeLessThanOrEqual(DEFAULT_CHUNKING.maxWords);
      expect(sentenceStarts.has(p.start)).toBe(true);
      expect(sentenceEnds.has(p.end)).toBe(true);
    }
  });

  it('keeps a long bulleted item whole', () => {
    const bullet = `- ${paragraph('bullet', 14)}`; // about 160 words, above maxWords
    const text = `Key developments\n${bullet}\n${paragraph('after', 5)}`;
    const { passages } = split(text);
    expect(passages.some((p) => p.text === bullet)).toBe(true);
  });

  it('records the nearest heading and the paragraph number', () => {
    const text = `Key developments\n${paragraph('alpha', 5)}\nKharkiv:\n${paragraph('beta', 5)}`;
    const { passages } = split(text);
    expect(passages.map((p) => [p.heading, p.paragraph])).toEqual([
      ['Key developments', 2],
      ['Kharkiv', 4],
    ]);
  });

  it('does not make passages of very short lines such as names or "Menu"', () => {
    const text = `Menu\n\n${paragraph('alpha', 5)}\nJay\n${paragraph('beta', 5)}\nHinTN`;
    const { passages } = split(text);
    expect(passages.every((p) => countWords(p.text) >= DEFAULT_CHUNKING.minWords)).toBe(true);
    expect(passages.some((p) => p.text.startsWith('Menu') || p.text.startsWith('Jay'))).toBe(false);
  });

  it('drops repeated paragraphs, keeping the first, across reports too', () => {
    const repeated = paragraph('repeated', 5);
    const filter = createDuplicateFilter(0.9);
    const a = splitReport(report(`${repeated}\n${paragraph('other', 5)}\n${repeated}`, 'a.txt'), DEFAULT_CHUNKING, filter);
    expect(a.duplicates).toBe(1);
    expect(a.passages.filter((p) => p.text.includes('repeated update number 1')).length).toBe(1);
    const b = splitReport(report(`${repeated.replace('today.', 'today!')}\n${paragraph('fresh', 5)}`, 'b.txt'), DEFAULT_CHUNKING, filter);
    expect(b.duplicates).toBe(1);
    expect(b.passages.map((p) => p.source)).toEqual(['b.txt']);
  });

  it('gives stable ids that depend on source and text', () => {
    const text = `${paragraph('alpha', 5)}\n${paragraph('beta', 5)}`;
    const first = split(text).passages.map((p) => p.id);
    expect(split(text).passages.map((p) => p.id)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const moved = splitReport(report(text, 'other.txt'), DEFAULT_CHUNKING, createDuplicateFilter(0.9)).passages.map((p) => p.id);
    expect(moved).not.toEqual(first);
  });
});
