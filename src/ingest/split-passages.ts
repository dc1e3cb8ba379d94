import { createHash } from 'node:crypto';
import type { DuplicateFilter } from './dedupe';
import { countWords, splitSentences } from './sentences';
import type { ChunkingSettings, Passage, Report } from './types';

/** Passage sizes a person can quote: a few sentences up to a paragraph. */
export const DEFAULT_CHUNKING: ChunkingSettings = {
  minWords: 40,
  targetWords: 100,
  maxWords: 150,
  shortLineWords: 4,
  nearDuplicateJaccard: 0.9,
};

type Kind = 'heading' | 'bullet' | 'short' | 'text';

interface Paragraph {
  start: number;
  end: number;
  number: number;
  words: number;
  kind: Kind;
}

interface Draft {
  start: number;
  end: number;
  paragraph: number;
  words: number;
  heading: string | null;
}

/** Headings without a colon must be followed by a real paragraph of at least this many words. */
const HEADING_FOLLOWER_WORDS = 25;
const MAX_HEADING_WORDS = 8;

function paragraphsOf(text: string, settings: ChunkingSettings): Paragraph[] {
  const lines: Array<{ start: number; end: number }> = [];
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let s = pos;
    let e = nl;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s) lines.push({ start: s, end: e });
    pos = nl + 1;
  }
  const paras: Paragraph[] = lines.map((l, i) => ({ ...l, number: i + 1, words: countWords(text.slice(l.start, l.end)), kind: 'text' }));
  paras.forEach((p, i) => {
    const line = text.slice(p.start, p.end);
    const next = paras[i + 1];
    if (/^#{1,6}\s/.test(line)) p.kind = 'heading';
    else if (/^([-*•–]|\d{1,3}[./)])\s/.test(line)) p.kind = p.words < settings.shortLineWords ? 'short' : 'bullet';
    else if (p.words >= 1 && p.words <= MAX_HEADING_WORDS && line.length <= 80 && /^\p{Lu}/u.test(line) && line.endsWith(':')) p.kind = 'heading';
    else if (
      p.words >= 2 &&
      p.words <= MAX_HEADING_WORDS &&
      /^\p{Lu}/u.test(line) &&
      !/[.!?"”’)…,;]$/u.test(line) &&
      next !== undefined &&
      next.words >= HEADING_FOLLOWER_WORDS
    )
      p.kind = 'heading';
    else if (p.words < settings.shortLineWords) p.kind = 'short';
  });
  return paras;
}

function headingText(text: string, p: Paragraph): string {
  return text.slice(p.start, p.end).replace(/^#+\s*/, '').trim();
}

/** Cuts one long paragraph into sentence groups of balanced size, never inside a sentence. */
function splitLong(text: string, p: Paragraph, settings: ChunkingSettings, heading: string | null): Draft[] {
  const sentences = splitSentences(text, p.start, p.end).map((s) => ({ ...s, words: countWords(text.slice(s.start, s.end)) }));
  const chunks = Math.max(1, Math.ceil(p.words / settings.targetWords));
  const perChunk = p.words / chunks;
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  for (const s of sentences) {
    // Close the chunk when adding this sentence would overshoot the target more than it undershoots.
    const overshoot = current ? current.words + s.words - perChunk : 0;
    if (current && (current.words >= perChunk || current.words + s.words > settings.maxWords || overshoot > perChunk - current.words)) {
      drafts.push(current);
      current = null;
    }
    if (!current) current = { start: s.start, end: s.end, paragraph: p.number, words: s.words, heading };
    else {
      current.end = s.end;
      current.words += s.words;
    }
  }
  if (current) {
    const prev = drafts[drafts.length - 1];
    if (prev && current.words < settings.minWords && prev.words + current.words <= settings.maxWords) {
      prev.end = current.end;
      prev.words += current.words;
    } else drafts.push(current);
  }
  return drafts;
}

export function passageId(source: string, text: string): string {
  return createHash('sha256').update(source).update('\n').update(text).digest('hex').slice(0, 12);
}

export interface SplitResult {
  passages: Passage[];
  /** Paragraphs dropped because an earlier paragraph (in this or an earlier report) says the same. */
  duplicates: number;
}

/**
 * Cuts a report into quotable passages: whole paragraphs merged until they reach `minWords`,
 * long paragraphs split at sentence ends, bullets kept whole, very short lines absorbed into
 * a neighbour or dropped, and duplicate paragraphs dropped (the first occurrence is kept).
 */
export function splitReport(report: Report, settings: ChunkingSettings, duplicates: DuplicateFilter): SplitResult {
  const { text } = report;
  const drafts: Draft[] = [];
  let heading: string | null = null;
  let current: Draft | null = null;
  let dupCount = 0;
  let sectionStart = 0;

  const flush = (): void => {
    if (!current) return;
    const prev = drafts[drafts.length - 1];
    const sameSection = drafts.length > sectionStart;
    if (current.words < settings.minWords && prev && sameSection && prev.words + current.words <= settings.maxWords) {
      prev.end = current.end;
      prev.words += current.words;
    } else drafts.push(current);
    current = null;
  };

  for (const p of paragraphsOf(text, settings)) {
    if (p.kind === 'heading') {
      flush();
      heading = headingText(text, p).replace(/:$/, '');
      sectionStart = drafts.length;
      continue;
    }
    if (p.kind === 'short') {
      if (current) {
        current.end = p.end;
        current.words += p.words;
      }
      continue;
    }
    if (duplicates.isDuplicate(text.slice(p.start, p.end))) {
      dupCount++;
      flush();
      // Never merge across the dropped paragraph: the merged passage would quote it after all.
      sectionStart = drafts.length;
      continue;
    }
    // Bullets stay whole unless absurdly long; plain paragraphs split above maxWords.
    const limit = p.kind === 'bullet' ? settings.maxWords * 2 : settings.maxWords;
    if (p.words > limit) {
      flush();
      drafts.push(...splitLong(text, p, settings, heading));
      continue;
    }
    if (current && current.words < settings.minWords && current.words + p.words <= settings.maxWords) {
      current.end = p.end;
      current.words += p.words;
      continue;
    }
    flush();
    current = { start: p.start, end: p.end, paragraph: p.number, words: p.words, heading };
  }
  flush();

  const passages = drafts
    .filter((d) => d.words >= settings.shortLineWords)
    .map((d) => {
      const passageText = text.slice(d.start, d.end);
      return {
        id: passageId(report.path, passageText),
        source: report.path,
        start: d.start,
        end: d.end,
        paragraph: d.paragraph,
        heading: d.heading,
        text: passageText,
      };
    });
  return { passages, duplicates: dupCount };
}
