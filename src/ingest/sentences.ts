/** Sentence boundaries with exact offsets, so a sentence can be highlighted inside a verbatim quote. */
import { isSeparator } from '../text/tokens';

export interface Span {
  start: number;
  end: number;
}

/** Words that end in a period without ending a sentence. */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'gen', 'col', 'lt', 'sgt', 'capt', 'maj', 'rep', 'sen', 'gov',
  'pres', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'no', 'vol', 'fig', 'inc', 'ltd', 'co', 'corp', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
  'u.s', 'u.k', 'u.n', 'e.u', 'a.m', 'p.m',
]);

const TERMINATOR = /[.!?…]+["'”’)\]]*(?=\s)/g;

function endsWithAbbreviation(text: string, dotIndex: number): boolean {
  let i = dotIndex;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1] ?? '')) i--;
  const word = text.slice(i, dotIndex).toLowerCase();
  if (word.length === 0) return false;
  if (ABBREVIATIONS.has(word)) return true;
  // Single initials ("J. Smith") and dotted acronyms ("U.S.") do not end sentences.
  return /^\p{L}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word);
}

/**
 * Splits `text.slice(from, to)` into sentences. Line breaks always end a sentence.
 * Returned spans are trimmed of surrounding whitespace and are offsets into `text`.
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  const push = (s: number, e: number): void => {
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  let lineStart = from;
  while (lineStart < to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    const line = text.slice(lineStart, lineEnd);
    let sentenceStart = 0;
    TERMINATOR.lastIndex = 0;
    for (let m = TERMINATOR.exec(line); m !== null; m = TERMINATOR.exec(line)) {
      const end = m.index + m[0].length;
      const next = line.slice(end).trimStart()[0] ?? '';
      const isPeriod = m[0][0] === '.';
      if (isPeriod && m[0].length === 1 && endsWithAbbreviation(line, m.index)) continue;
      // A new sentence starts with a capital, a digit, a quote or a bracket; otherwise keep going.
      if (next && !/[\p{Lu}\p{N}"'“‘(\[]/u.test(next)) continue;
      push(lineStart + sentenceStart, lineStart + end);
      sentenceStart = end;
    }
    push(lineStart + sentenceStart, lineEnd);
    lineStart = lineEnd + 1;
  }
  return spans;
}

const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isAsciiWordChar = (c: number): boolean => isAsciiLetter(c) || (c >= 48 && c <= 57);

/** Words of `text` counted without building them, when every character is ASCII or neither letter nor digit; else null. */
function countPlainWords(text: string): number | null {
  let n = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      if (c >= 0xd800 && c <= 0xdfff) return null;
      if (!isSeparator(c)) return null;
      i++;
      continue;
    }
    if (!isAsciiWordChar(c)) {
      i++;
      continue;
    }
    n++;
    i++;
    while (i < len && isAsciiWordChar(text.charCodeAt(i))) i++;
    // An apostrophe followed by letters continues the word ("don't", "Ukraine’s").
    for (;;) {
      const a = i < len ? text.charCodeAt(i) : 0;
      if ((a !== 39 && a !== 0x2019) || i + 1 >= len || !isAsciiLetter(text.charCodeAt(i + 1))) break;
      i += 2;
      while (i < len && isAsciiLetter(text.charCodeAt(i))) i++;
    }
  }
  return n;
}

/** Counts words (runs of letters or digits). */
export function countWords(text: string): number {
  const plain = countPlainWords(text);
  if (plain !== null) return plain;
  const m = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu);
  return m ? m.length : 0;
}
