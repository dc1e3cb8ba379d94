/**
 * A tiny rendering-neutral document model. Answers, help texts and context views are built as
 * blocks of styled spans; `src/bot/format.ts` turns them into Telegram text + entities and
 * `src/console/render-text.ts` into plain text. Nothing here knows Telegram.
 */
import { isLowSurrogate } from '../text/clip';

export type SpanStyle = 'strong' | 'emphasis' | 'code';

export interface Span {
  text: string;
  style?: SpanStyle;
  /** Makes the span a link (http or https). */
  url?: string;
}

/** A link over part of a quote's source line (the report's title). */
export interface SourceLink {
  offset: number;
  length: number;
  url: string;
}

/** Our own words (frame). */
export interface TextBlock {
  kind: 'text';
  spans: Span[];
}

/** A verbatim quote from a report, with its source line. */
export interface QuoteBlock {
  kind: 'quote';
  /** Concatenated span texts are a verbatim, contiguous slice of the report. */
  spans: Span[];
  /** Source line, e.g. "Report 003 · Weekly roundup · 20 Aug 2024 · ¶4". */
  source: string;
  /** The title's place in `source` and the report's URL, when one is known. */
  sourceLink?: SourceLink;
  /** The report's title, for places that show it on its own (inline results). */
  title: string;
  passageId: string;
}

export type Block = TextBlock | QuoteBlock;

/** A frame paragraph from plain strings and spans. */
export function text(...parts: Array<string | Span>): TextBlock {
  return { kind: 'text', spans: parts.map((p) => (typeof p === 'string' ? { text: p } : p)) };
}

export function strong(value: string): Span {
  return { text: value, style: 'strong' };
}

export function emphasis(value: string): Span {
  return { text: value, style: 'emphasis' };
}

export function code(value: string): Span {
  return { text: value, style: 'code' };
}

/** A plain span, linked when `url` is known. */
export function link(value: string, url: string | null): Span {
  return url === null ? { text: value } : { text: value, url };
}

/** The plain text of a list of spans. */
export function spansText(spans: readonly Span[]): string {
  return spans.map((s) => s.text).join('');
}

/**
 * Splits `passage` into spans with the given passage-relative ranges marked strong. Ranges are
 * clamped, sorted and merged; leading/trailing whitespace of the passage is dropped.
 */
export function highlightSpans(passage: string, ranges: ReadonlyArray<readonly [number, number]>): Span[] {
  const lead = passage.length - passage.trimStart().length;
  const body = passage.trim();
  const shifted = ranges
    .map(([s, e]) => shrinkToText(body, Math.max(0, s - lead), Math.min(body.length, e - lead)))
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of shifted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  const spans: Span[] = [];
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) spans.push({ text: body.slice(at, s) });
    spans.push({ text: body.slice(s, e), style: 'strong' });
    at = e;
  }
  if (at < body.length) spans.push({ text: body.slice(at) });
  return spans;
}

/** Trims whitespace off a range and widens it so it never splits a surrogate pair. */
function shrinkToText(body: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  if (s > 0 && isLowSurrogate(body.charCodeAt(s))) s -= 1;
  if (e < body.length && isLowSurrogate(body.charCodeAt(e))) e += 1;
  while (s < e && /\s/.test(body.charAt(s))) s++;
  while (e > s && /\s/.test(body.charAt(e - 1))) e--;
  return [s, e];
}


/** Spans of one of our own sentences, with `backticked` parts as code (never used on report text). */
export function withCode(value: string): Span[] {
  return value
    .split('`')
    .map((part, i) => (i % 2 === 1 ? code(part) : { text: part }))
    .filter((span) => span.text !== '');
}
