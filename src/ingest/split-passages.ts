import { createHash } from 'node:crypto';
import type { DuplicateFilter } from './dedupe';
import { commentRanges } from './comments';
import { countWords, splitSentences } from './sentences';
import type { ChunkingSettings, Passage, ReportText } from './types';

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

/** The report's text without surrounding blank space, if it has any words. */
function wholeReport(text: string, settings: ChunkingSettings): { start: number; end: number; words: number } | null {
  const words = countWords(text);
  if (words === 0) return null;
  // A line said twice is a duplicate the normal path would drop; quoting the whole would repeat it.
  const lines = text.split('\n').filter((l) => countWords(l) >= settings.shortLineWords).map((l) => l.trim().toLowerCase());
  if (new Set(lines).size < lines.length) return null;
  const start = text.length - text.trimStart().length;
  return { start, end: text.trimEnd().length, words };
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
export function splitReport(report: ReportText, settings: ChunkingSettings, duplicates: DuplicateFilter): SplitResult {
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

  let kept = drafts.filter((d) => d.words >= settings.shortLineWords);
  // A report of short lines only (a title-only record, a three-line note) is still findable as one passage.
  if (kept.length === 0 && dupCount === 0) {
    const whole = wholeReport(text, settings);
    if (whole && !duplicates.isDuplicate(text.slice(whole.start, whole.end))) kept = [{ ...whole, paragraph: 1, heading: null }];
  }
  const comments = commentRanges(text);
  const passages = kept.map((d) => {
    const passageText = text.slice(d.start, d.end);
    const middle = (d.start + d.end) / 2;
    const passage: Passage = {
      id: passageId(report.path, passageText),
      source: report.path,
      start: d.start,
      end: d.end,
      paragraph: d.paragraph,
      heading: d.heading,
      text: passageText,
    };
    if (comments.some(([s, e]) => middle >= s && middle < e)) passage.comment = true;
    return passage;
  });
  return { passages, duplicates: dupCount };
}
