import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeAnswer, composeContext, quoteOf, type AnswerPage } from '../../src/answer/answer';
import { spansText, text, type Block, type QuoteBlock, type Span, type SpanStyle } from '../../src/answer/document';
import { ReportNumbers } from '../../src/answer/source-label';
import { decodeCallback, encodeCallback, type CallbackAction } from '../../src/bot/callback-data';
import { cutSpans, renderBlocks, renderInlineArticle, renderInlineNotice, type TgMessage } from '../../src/bot/format';
import { clip } from '../../src/text/clip';
import { answerKeyboard } from '../../src/bot/keyboards';
import { splitSentences } from '../../src/ingest/sentences';
import { reportLabel } from '../../src/ingest/report-label';
import type { PassageContext, SearchHit } from '../../src/search/types';
import {
  anyText,
  expectValidCallbackData,
  fuzzRuns,
  inlineArticleProblems,
  isWellFormed,
  longWord,
  messageProblems,
  NASTY_FRAGMENTS,
  nastyText,
} from '../helpers/fuzz';
import { englishWords } from '../../src/i18n/words';

const en = englishWords();

const ANSWER_RUNS = 1500;
const INLINE_RUNS = 1500;
const NOTICE_RUNS = 500;
const CONTEXT_RUNS = 800;
const CUT_RUNS = 2000;
const CLIP_RUNS = 2000;
const KEYBOARD_RUNS = 1000;
const CALLBACK_RUNS = 2000;
const MIXED_RUNS = 500;

/**
 * Room a cut quote always keeps after the start of its first highlight: the window (4096 minus the
 * source line) less a 20% lead-in and a 15% word-boundary slack, rounded down generously.
 */
const HIGHLIGHT_KEPT_CHARS = 2000;
/** renderQuote reserves room for this mark on the source line whether or not it cuts the quote. */
const EXCERPT_MARK = ' · excerpt';

const word = fc.constantFrom('Ukraine', 'air', 'defense', 'report', 'grain', 'sanctions', 'Kyiv', 'missile', '2024');

/** A passage as the splitter produces it: hostile text with at least one word, sometimes far beyond 4096 chars. */
const passageText = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(nastyText(40), word, nastyText(40)).map((parts) => parts.join(' ')) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(fc.oneof(word, fc.constantFrom(...NASTY_FRAGMENTS)), { minLength: 5, maxLength: 40 }), fc.integer({ min: 500, max: 4000 }))
      .map(([parts, count]) => `${Array.from({ length: count }, (_, i) => parts[i % parts.length]).join(' ')} report`),
  },
  { weight: 1, arbitrary: fc.tuple(nastyText(10), longWord(3000, 9000), word, nastyText(10)).map((parts) => parts.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(longWord(4100, 6000), word).map((parts) => parts.join('. ')) },
);

/** Passage ids as the index makes them: 12 hex digits, with a "-n" suffix when two passages collide. */
const passageId = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9a-f]{12}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{12}-[2-9]\d{0,3}$/) },
);

/** Ids a forged or stale button might carry. */
const anyPassageId = fc.oneof(passageId, anyText(3), fc.string({ maxLength: 80 }));

const sourcePath = fc.oneof(
  fc.constantFrom('003_weekly.txt', 'notes/budget.md', '2024/12_review.txt', 'report.txt'),
  fc.tuple(fc.stringMatching(/^\d{0,6}$/), nastyText(4, false)).map(([digits, name]) => `${digits}${name.replace(/[/\n]/g, '_')}.txt`),
);

/** Highlight ranges as the searcher makes them (whole sentences) or arbitrary ranges inside the passage. */
function highlightsFor(text: string, start: number): fc.Arbitrary<Array<[number, number]>> {
  const sentences = splitSentences(text);
  const bySentence =
    sentences.length === 0
      ? fc.constant<Array<[number, number]>>([])
      : fc
          .uniqueArray(fc.nat(sentences.length - 1), { minLength: 1, maxLength: 2 })
          .map((picked) => [...picked].sort((a, b) => a - b).map((i): [number, number] => [start + sentences[i]!.start, start + sentences[i]!.end]));
  const arbitrary = fc
    .array(fc.tuple(fc.nat(text.length), fc.nat(text.length)), { maxLength: 120 })
    .map((pairs) => pairs.map(([a, b]): [number, number] => [start + Math.min(a, b), start + Math.max(a, b)]));
  return fc.oneof({ weight: 3, arbitrary: bySentence }, { weight: 1, arbitrary }, { weight: 1, arbitrary: fc.constant<Array<[number, number]>>([]) });
}

const hit: fc.Arbitrary<SearchHit> = fc
  .record({
    text: passageText,
    start: fc.nat(100_000),
    id: passageId,
    source: sourcePath,
    title: anyText(20),
    paragraph: fc.integer({ min: 1, max: 9999 }),
    date: fc.option(fc.constantFrom('2024-08-20', '1999-12-31', '2025-02-28')),
    url: fc.option(fc.constantFrom('https://example.org/report?id=1&x=<b>', 'http://war.example/a_b*c')),
    page: fc.option(fc.integer({ min: 1, max: 900 })),
    extraPages: fc.nat(2),
  })
  .chain((h) =>
    highlightsFor(h.text, h.start).map(
      (highlights): SearchHit => ({
        passageId: h.id,
        source: h.source,
        title: h.title,
        date: h.date,
        url: h.url,
        page: h.page,
        endPage: h.page === null ? null : h.page + h.extraPages,
        heading: null,
        comment: false,
        part: 1,
        parts: 1,
        paragraph: h.paragraph,
        start: h.start,
        end: h.start + h.text.length,
        text: h.text,
        score: 1,
        highlights,
      }),
    ),
  );

function numbersFor(hits: readonly SearchHit[]): ReportNumbers {
  const sources = [...new Set(hits.map((h) => h.source))];
  return new ReportNumbers(
    sources.map((source) => ({ source, label: reportLabel(source), title: 'Title', date: null, url: null, format: 'text' as const, passages: 1 })),
  );
}

function styledText(spans: readonly Span[], style: SpanStyle): string[] {
  return spans.filter((s) => s.style === style).map((s) => s.text);
}

/** A quote as shown in the reply: its blockquote text and the source line after it. */
interface ShownQuote {
  message: TgMessage;
  quoteText: string;
  after: string;
}

function shownQuotes(messages: readonly TgMessage[]): ShownQuote[] {
  const shown: ShownQuote[] = [];
  for (const message of messages) {
    for (const e of message.entities) {
      if (e.type !== 'blockquote' && e.type !== 'expandable_blockquote') continue;
      shown.push({ message, quoteText: message.text.slice(e.offset, e.offset + e.length), after: message.text.slice(e.offset + e.length) });
    }
  }
  return shown;
}

/**
 * Problems of showing `quote` as `shown` (empty when fine): the whole verbatim text with its source line,
 * or, for a quote too long for one message, a verbatim excerpt marked as such that keeps the highlight.
 */
function quoteProblems(quote: QuoteBlock, shown: ShownQuote | undefined): string[] {
  if (shown === undefined) return [`quote ${quote.passageId} is missing`];
  const full = spansText(quote.spans);
  const problems: string[] = [];
  const link = quote.sourceLink;
  if (link !== undefined) {
    const title = quote.source.slice(link.offset, link.offset + link.length);
    const linked = shown.message.entities.some(
      (e) => e.type === 'text_link' && e.url === link.url && shown.message.text.slice(e.offset, e.offset + e.length) === title,
    );
    if (!linked) problems.push(`quote ${quote.passageId} source title is not linked to ${link.url}`);
  }
  if (shown.quoteText === full) {
    if (!shown.after.startsWith(`\n${quote.source}`)) problems.push(`quote ${quote.passageId} lost its source line`);
    return problems;
  }
  if (!full.includes(shown.quoteText)) problems.push(`quote ${quote.passageId} is not a verbatim excerpt`);
  if (full.length + quote.source.length + EXCERPT_MARK.length + 1 <= 4096) problems.push(`quote ${quote.passageId} (${full.length} chars) was cut though it fits`);
  if (!shown.after.startsWith(`\n${quote.source}${EXCERPT_MARK}`)) problems.push(`quote ${quote.passageId} excerpt is not marked`);
  const highlight = styledText(quote.spans, 'strong')[0];
  if (highlight !== undefined && !shown.quoteText.includes(highlight.slice(0, HIGHLIGHT_KEPT_CHARS))) {
    problems.push(`quote ${quote.passageId} excerpt lost its highlighted sentence`);
  }
  return problems;
}

function answerPage(quotes: QuoteBlock[], extra: { offset: number; truncated: boolean; more: boolean }): AnswerPage {
  return {
    question: 'What was agreed?',
    truncated: extra.truncated,
    level: 'confident',
    answered: true,
    confidence: 0.9,
    topics: [],
    offset: extra.offset,
    quotes,
    nextOffset: extra.more ? extra.offset + quotes.length : null,
  };
}

describe('answer rendering (fuzz)', () => {
  it(`renders 1–10 hostile quotes as valid messages without losing or altering any quote (${ANSWER_RUNS} runs)`, () => {
    let excerpts = 0;
    let splits = 0;
    fc.assert(
      fc.property(
        fc.array(hit, { minLength: 1, maxLength: 10 }),
        fc.record({ offset: fc.nat(60), truncated: fc.boolean(), more: fc.boolean() }),
        (hits, extra) => {
          const numbers = numbersFor(hits);
          const quotes = hits.map((h, i) => quoteOf(h, numbers, extra.offset + i + 1));
          const wellFormed = hits.every((h) => isWellFormed(h.text) && isWellFormed(h.title) && isWellFormed(h.source));
          const messages = renderBlocks(composeAnswer(answerPage(quotes, extra), en));
          const shown = shownQuotes(messages);
          const problems = messages.flatMap((m, i) => messageProblems(m, wellFormed).map((p) => `message ${i}: ${p}`));
          if (shown.length !== quotes.length) problems.push(`${shown.length} blockquotes for ${quotes.length} quotes`);
          quotes.forEach((quote, i) => problems.push(...quoteProblems(quote, shown[i])));
          expect(problems).toEqual([]);
          excerpts += shown.filter((q, i) => q.quoteText !== spansText(quotes[i]!.spans)).length;
          if (messages.length > 1) splits += 1;
        },
      ),
      fuzzRuns(3101, ANSWER_RUNS),
    );
    expect(excerpts).toBeGreaterThan(ANSWER_RUNS / 10);
    expect(splits).toBeGreaterThan(ANSWER_RUNS / 10);
  });

  it(`renders the context view of a hostile passage as valid messages that keep the passage (${CONTEXT_RUNS} runs)`, () => {
    const context: fc.Arbitrary<PassageContext> = fc
      .tuple(nastyText(30), passageText, nastyText(30), fc.nat(50_000), sourcePath, anyText(10), passageId)
      .map(([before, passage, after, start, source, title, id]) => {
        const windowText = `${before}\n\n${passage}\n\n${after}`;
        const focusStart = start + before.length + 2;
        return {
          passageId: id,
          source,
          title,
          date: null,
          url: 'https://example.org/context',
          page: 7,
          endPage: 8,
          paragraph: 3,
          start,
          end: start + windowText.length,
          text: windowText,
          focus: [focusStart, focusStart + passage.length] as [number, number],
        };
      });
    fc.assert(
      fc.property(context, (ctx) => {
        const numbers = numbersFor([{ source: ctx.source } as SearchHit]);
        const blocks = composeContext(ctx, numbers, en);
        const quote = blocks.find((b): b is QuoteBlock => b.kind === 'quote');
        const messages = renderBlocks(blocks);
        const shown = shownQuotes(messages);
        const wellFormed = isWellFormed(ctx.text) && isWellFormed(ctx.title) && isWellFormed(ctx.source);
        const problems = messages.flatMap((m) => messageProblems(m, wellFormed));
        if (quote === undefined) problems.push('no quote block');
        else problems.push(...quoteProblems(quote, shown[0]));
        expect(problems).toEqual([]);
      }),
      fuzzRuns(3102, CONTEXT_RUNS),
    );
  });

  it(`keeps HTML and Markdown metacharacters raw (no escaping) (${ANSWER_RUNS / 5} runs)`, () => {
    const meta = fc.constantFrom('<b>', '</b>', '&amp;', '&lt;', '*', '_', '[', ']', '(', ')', '~', '`', '\\');
    fc.assert(
      fc.property(fc.array(fc.oneof(meta, word.map((w) => ` ${w} `)), { minLength: 1, maxLength: 60 }), (parts) => {
        const passage = `Grain ${parts.join('')} report.`;
        const h: SearchHit = {
          passageId: 'abcdef012345',
          source: '003_weekly.txt',
          title: `Budget ${parts.join('')}`,
          date: null,
          url: null,
          page: null,
          endPage: null,
          heading: null,
          comment: false,
          part: 1,
          parts: 1,
          paragraph: 2,
          start: 0,
          end: passage.length,
          text: passage,
          score: 1,
          highlights: [[0, passage.length]],
        };
        const [message, ...rest] = renderBlocks(composeAnswer(answerPage([quoteOf(h, numbersFor([h]), 1)], { offset: 0, truncated: false, more: false }), en));
        expect(rest).toEqual([]);
        expect(message?.text.startsWith(`${passage}\n1. Report 003 · `)).toBe(true);
        expect(message?.entities.map((e) => e.type)).toEqual(['blockquote', 'bold', 'italic']);
      }),
      fuzzRuns(3103, ANSWER_RUNS / 5),
    );
  });
});

describe('inline results (fuzz)', () => {
  it(`renders any hit as a valid inline article (${INLINE_RUNS} runs)`, () => {
    fc.assert(
      fc.property(hit, fc.nat(49), (h, index) => {
        const quote = quoteOf(h, numbersFor([h]), 1);
        const result = renderInlineArticle(`${index}:${quote.passageId}`.slice(0, 64), quote, quote.title);
        const wellFormed = isWellFormed(h.text) && isWellFormed(h.title) && isWellFormed(h.source) && isWellFormed(h.passageId);
        const problems = inlineArticleProblems(result, wellFormed);
        const content = result.input_message_content;
        const full = spansText(quote.spans);
        const fits = full.length + quote.source.length + EXCERPT_MARK.length + 1 <= 4096;
        if ('message_text' in content && fits && content.message_text !== `${full}\n${quote.source}`) {
          problems.push('inline message does not quote the whole passage with its source line');
        }
        expect(problems).toEqual([]);
      }),
      fuzzRuns(3201, INLINE_RUNS),
    );
  });

  it(`renders notices with hostile bodies as valid inline articles (${NOTICE_RUNS} runs)`, () => {
    const body = fc.array(
      fc.array(fc.record({ text: anyText(30), bold: fc.boolean() }), { minLength: 1, maxLength: 4 }).map((parts) =>
        text(...parts.map((p): Span => (p.bold ? { text: p.text, style: 'strong' } : { text: p.text }))),
      ),
      { maxLength: 4 },
    );
    const title = fc.tuple(word, anyText(10)).map(([w, rest]) => `${w} ${rest}`);
    fc.assert(
      fc.property(fc.constantFrom('help', 'not-found'), title, body, (id, t, blocks) => {
        const withText = [text('Type a question about the reports.'), ...blocks];
        const result = renderInlineNotice(id, t, withText);
        const wellFormed = isWellFormed(t) && blocks.every((b) => isWellFormed(spansText(b.spans)));
        expect(inlineArticleProblems(result, wellFormed)).toEqual([]);
      }),
      fuzzRuns(3202, NOTICE_RUNS),
    );
  });
});

describe('cutSpans and clip (fuzz)', () => {
  const spans = fc.array(
    fc.record({ text: fc.oneof(anyText(20), longWord(100, 3000)), style: fc.constantFrom<SpanStyle | undefined>(undefined, 'strong', 'emphasis', 'code') }),
    { maxLength: 8 },
  );

  it(`cuts spans to a verbatim window within the limit that keeps surrogate pairs whole (${CUT_RUNS} runs)`, () => {
    fc.assert(
      fc.property(spans, fc.integer({ min: 1, max: 5000 }), (raw, maxChars) => {
        const input: Span[] = raw.map((s) => (s.style === undefined ? { text: s.text } : { text: s.text, style: s.style }));
        const full = spansText(input);
        const { spans: out, cut } = cutSpans(input, maxChars);
        const shown = spansText(out);
        const problems: string[] = [];
        if (cut !== full.length > maxChars) problems.push(`cut=${cut} for ${full.length} > ${maxChars}`);
        if (!cut && (shown !== full || out.length !== input.length)) problems.push('uncut spans changed');
        if (shown.length > maxChars) problems.push(`${shown.length} chars > ${maxChars}`);
        if (!full.includes(shown)) problems.push('window is not a verbatim slice');
        if (isWellFormed(full) && !isWellFormed(shown)) problems.push('window splits a surrogate pair');
        if (cut && out.some((s) => s.text.length === 0)) problems.push('empty span in a cut window');
        expect(problems).toEqual([]);
      }),
      fuzzRuns(3301, CUT_RUNS),
    );
  });

  it(`clips any text to at most max characters, on whole code points, as a prefix plus an ellipsis (${CLIP_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText(40), longWord(50, 500)), fc.integer({ min: 2, max: 300 }), (value, max) => {
        const flat = value.replace(/\s+/g, ' ').trim();
        const out = clip(value, max);
        const body = out.endsWith('…') && out !== flat ? out.slice(0, -1) : out;
        expect({
          tooLong: out.length > max,
          wellFormed: !isWellFormed(value) || isWellFormed(out),
          prefix: flat.startsWith(body),
          empty: flat.length > 0 && out.length === 0,
        }).toEqual({ tooLong: false, wellFormed: true, prefix: true, empty: false });
      }),
      fuzzRuns(3302, CLIP_RUNS),
    );
  });
});

describe('callback data (fuzz)', () => {
  it(`answer keyboards carry only valid callback_data that decodes to the button's action (${KEYBOARD_RUNS} runs)`, () => {
    const quote = anyPassageId.map((id): QuoteBlock => ({ kind: 'quote', spans: [{ text: 'x' }], source: 's', title: 't', passageId: id }));
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 12 }), fc.integer({ min: -5, max: 2000 }), fc.option(fc.integer({ min: -5, max: 2000 })), (quotes, offset, next) => {
        const page: AnswerPage = { question: 'q', truncated: false, level: 'confident', answered: true, confidence: 1, topics: [], offset, quotes, nextOffset: next };
        const keyboard = answerKeyboard(page, en);
        const buttons = keyboard?.inline_keyboard.flat() ?? [];
        for (const button of buttons) {
          expect(button.text.length).toBeGreaterThan(0);
          const data = 'callback_data' in button ? button.callback_data : undefined;
          expect(data).toBeDefined();
          expectValidCallbackData(data!);
          const action = decodeCallback(data);
          expect(action).not.toBeNull();
          if (action?.kind === 'context') expect(quotes.some((q) => q.passageId === action.passageId)).toBe(true);
          if (action?.kind === 'more') expect(action.offset).toBe(next);
        }
        for (const row of keyboard?.inline_keyboard ?? []) expect(row.length).toBeGreaterThan(0);
      }),
      fuzzRuns(3401, KEYBOARD_RUNS),
    );
  });

  it(`decodes any string without throwing into actions it can encode again (${CALLBACK_RUNS} runs)`, () => {
    const data = fc.oneof(
      anyText(6),
      fc.tuple(fc.constantFrom('more:', 'ctx:', 'more', 'ctx', ':', ''), fc.oneof(anyText(3), fc.stringMatching(/^-?\d{0,6}$/), anyPassageId)).map(
        ([head, tail]) => head + tail,
      ),
    );
    fc.assert(
      fc.property(data, (value) => {
        const action = decodeCallback(value);
        if (action !== null) {
          const encoded = encodeCallback(action);
          expect(encoded).not.toBeNull();
          expect(decodeCallback(encoded!)).toEqual(action);
        }
      }),
      fuzzRuns(3402, CALLBACK_RUNS / 2),
    );
    const action: fc.Arbitrary<CallbackAction> = fc.oneof(
      fc.integer({ min: -10, max: 5000 }).map((offset): CallbackAction => ({ kind: 'more', offset })),
      anyPassageId.map((id): CallbackAction => ({ kind: 'context', passageId: id })),
    );
    fc.assert(
      fc.property(action, (a) => {
        const encoded = encodeCallback(a);
        if (encoded !== null) {
          expectValidCallbackData(encoded);
          expect(decodeCallback(encoded)).toEqual(a);
        }
      }),
      fuzzRuns(3403, CALLBACK_RUNS / 2),
    );
  });
});

describe('mixed reply blocks (fuzz)', () => {
  it(`splits any mix of frame text and quotes into valid messages in order (${MIXED_RUNS} runs)`, () => {
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.array(fc.record({ text: anyText(20), bold: fc.boolean() }), { minLength: 1, maxLength: 3 }).map((parts) =>
        text(...parts.map((p): Span => (p.bold ? { text: p.text, style: 'strong' } : { text: p.text }))),
      ),
      hit.map((h) => quoteOf(h, numbersFor([h]), 1)),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), (blocks) => {
        const messages = renderBlocks(blocks);
        const wellFormed = blocks.every((b) => isWellFormed(spansText(b.spans)) && (b.kind === 'text' || isWellFormed(b.source)));
        const quotes = blocks.filter((b): b is QuoteBlock => b.kind === 'quote');
        const shown = shownQuotes(messages);
        const problems = messages.flatMap((m) => messageProblems(m, wellFormed));
        quotes.forEach((q, i) => problems.push(...quoteProblems(q, shown[i])));
        const nonBlankText = blocks.filter((b) => b.kind === 'text' && spansText(b.spans).trim().length > 0).length;
        if (messages.length > quotes.length + nonBlankText) problems.push(`${messages.length} messages for ${blocks.length} blocks`);
        expect(problems).toEqual([]);
      }),
      fuzzRuns(3501, MIXED_RUNS),
    );
  });
});
