/**
 * Shared fast-check arbitraries for hostile text (RTL, emoji with ZWJ and skin tones, zero-width
 * characters, HTML/Markdown metacharacters, very long words) and checks of the Telegram Bot API
 * payload limits, for the property-based tests under tests/fuzz.
 */
import fc from 'fast-check';
import type { InlineQueryResultArticle, MessageEntity } from 'grammy/types';
import { expect } from 'vitest';

export const NASTY_FRAGMENTS = [
  'مرحبا بالعالم',
  'الحرب في أوكرانيا.',
  'שלום עולם',
  'הדו״ח השבועי.',
  '\u200F',
  '\u200E',
  '\u202E',
  '\u2066',
  '👨‍👩‍👧‍👦',
  '👍🏽',
  '🏳️‍🌈',
  '🧑🏿‍🚀',
  '🚀',
  '📈',
  '\u200B',
  '\u200D',
  '\uFEFF',
  '\u00A0',
  '\u2028',
  '\u3000',
  '<b>',
  '</b>',
  '<a href="x">',
  '&amp;',
  '&lt;',
  '*',
  '**',
  '_',
  '__',
  '[',
  ']',
  '(',
  ')',
  '[link](http://x)',
  '~',
  '`',
  '```',
  '||',
  '>',
  '\\',
  'e\u0301',
  '穀物の輸出は増えた。',
  'Зерновой экспорт вырос.',
  '12%',
  '€5',
  '. ',
  '! ',
  '? ',
  '… ',
  '." ',
  'Mr. ',
  'U.S. ',
  'e.g. ',
  '- ',
  '# ',
  '1. ',
  ':',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '  ',
] as const;

const WORDS = [
  'The', 'report', 'says', 'air', 'defense', 'Ukraine', 'sanctions', 'package', 'grain', 'budget', 'missile',
  'production', 'front', 'Russia', 'EU', 'summit', 'officials', 'said', 'and', 'was', 'Kyiv', 'drones', 'energy',
] as const;

/** A run of one repeated-ish unit thousands of code units long, without spaces. */
export const longWord = (minLength = 1000, maxLength = 6000): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom('a', 'Z', 'ß', 'ع', 'ש', '🚀', '👍🏽', '.', '*', '<', '\u200B', '9'), minLength, maxLength });

/** One piece of hostile text. */
const nastyPiece = (withLongWords = true): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY_FRAGMENTS) },
    { weight: 6, arbitrary: fc.constantFrom(...WORDS).map((w) => `${w} `) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: withLongWords ? 1 : 0, arbitrary: longWord() },
  );

/** Hostile text of up to `maxPieces` pieces (may be empty). */
export const nastyText = (maxPieces = 40, withLongWords = true): fc.Arbitrary<string> =>
  fc.array(nastyPiece(withLongWords), { maxLength: maxPieces }).map((parts) => parts.join(''));

/** Hostile text mixed with empty, whitespace-only and fully random strings. */
export const anyText = (maxPieces = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: nastyText(maxPieces) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\u200B', '\uFEFF', ' \t\n\u3000') },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );

/** A multi-paragraph report body: hostile paragraphs separated by blank lines, headings and bullets. */
export const nastyReport = (maxParagraphs = 12): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: nastyText(60) },
        { weight: 2, arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 20, maxLength: 400 }).map((w) => `${w.join(' ')}.`) },
        { weight: 1, arbitrary: nastyText(6, false).map((t) => `# ${t}`) },
        { weight: 1, arbitrary: nastyText(10, false).map((t) => `- ${t}`) },
        { weight: 1, arbitrary: fc.constantFrom('', '   ', '\u200B', 'Summary:') },
      ),
      { maxLength: maxParagraphs },
    )
    .chain((paras) => fc.constantFrom('\n\n', '\n', '\r\n\r\n', '\n \n').map((sep) => paras.join(sep)));

/** True when the string has no lone surrogate (Telegram requires valid UTF-8). */
export function isWellFormed(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Bot API problems of one text message and its entities (empty when valid): 1–4096 UTF-16 units of
 * non-blank text, ≤ 100 entities inside the text that don't split surrogate pairs; with `wellFormed`
 * also no lone surrogates.
 */
export function messageProblems(message: { text: string; entities?: readonly MessageEntity[] | undefined }, wellFormed = true): string[] {
  const problems: string[] = [];
  const { text } = message;
  const entities = message.entities ?? [];
  if (typeof text !== 'string' || text.trim().length === 0) problems.push('blank text');
  if (text.length > 4096) problems.push(`text has ${text.length} UTF-16 units`);
  if (entities.length > 100) problems.push(`${entities.length} entities`);
  if (wellFormed && !isWellFormed(text)) problems.push('lone surrogate in text');
  for (const e of entities) {
    const end = e.offset + e.length;
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length)) problems.push(`non-integer entity ${JSON.stringify(e)}`);
    if (e.offset < 0 || e.length <= 0 || end > text.length) problems.push(`entity outside text ${JSON.stringify(e)} (text ${text.length})`);
    if (isLowSurrogate(text.charCodeAt(e.offset))) problems.push(`entity starts inside a surrogate pair ${JSON.stringify(e)}`);
    if (end < text.length && isLowSurrogate(text.charCodeAt(end))) problems.push(`entity ends inside a surrogate pair ${JSON.stringify(e)}`);
  }
  return problems;
}

/** Inline result problems: non-empty title (≤ 100) and description (≤ 200), id 1–64 bytes, valid message content. */
export function inlineArticleProblems(result: InlineQueryResultArticle, wellFormed = true): string[] {
  const problems: string[] = [];
  const idBytes = Buffer.byteLength(result.id, 'utf8');
  if (result.type !== 'article') problems.push(`type ${String(result.type)}`);
  if (idBytes < 1 || idBytes > 64) problems.push(`id of ${idBytes} bytes`);
  if (result.title.trim().length === 0 || result.title.length > 100) problems.push(`title ${JSON.stringify(result.title)}`);
  const description = result.description ?? '';
  if (description.trim().length === 0 || description.length > 200) problems.push(`description ${JSON.stringify(description)}`);
  if (wellFormed && !isWellFormed(result.title)) problems.push('lone surrogate in title');
  if (wellFormed && !isWellFormed(description)) problems.push('lone surrogate in description');
  const content = result.input_message_content;
  if (!('message_text' in content)) problems.push('no message_text');
  else {
    if (content.parse_mode !== undefined) problems.push('parse_mode set');
    problems.push(...messageProblems({ text: content.message_text, entities: content.entities }, wellFormed).map((p) => `content: ${p}`));
  }
  return problems;
}

/** callback_data limit: 1–64 bytes. */
export function expectValidCallbackData(data: string): void {
  const bytes = Buffer.byteLength(data, 'utf8');
  expect(bytes >= 1 && bytes <= 64, `callback_data ${JSON.stringify(data)} has ${bytes} bytes`).toBe(true);
}

/** Longest a property may run (shrinking included) before it counts as failed, so a failure never hangs CI. */
const PROPERTY_BUDGET_MS = 45_000;

/**
 * fast-check parameters: a fixed seed and run count for reproducible CI, and a time budget that also
 * bounds shrinking. FUZZ_SEED_OFFSET=n shifts every seed, to explore new inputs locally.
 */
export function fuzzRuns<T>(baseSeed: number, numRuns: number): fc.Parameters<T> {
  const seed = baseSeed + Number(process.env.FUZZ_SEED_OFFSET ?? 0);
  // The plugin only reads timings, never the generated values, so it fits any property type.
  const budget = fc.interruptAfterTimeLimit(PROPERTY_BUDGET_MS, { failOnInterrupt: true }) as fc.Plugin<T>;
  return { seed, numRuns, plugins: [budget] };
}
