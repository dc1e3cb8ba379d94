import fc from 'fast-check';
import type { MessageEntity } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { spansText, strong, text, type Block, type QuoteBlock, type Span } from '../../../src/answer/document';
import { highlightSpans } from '../../../src/answer/document';
import {
  cutSpans,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_ENTITIES,
  renderBlocks,
  renderInlineArticle,
  type TgMessage,
} from '../../../src/bot/format';

function quote(passage: string, highlights: Array<[number, number]> = [], source = 'Report 003 · Weekly roundup · ¶4'): QuoteBlock {
  return { kind: 'quote', spans: highlightSpans(passage, highlights), source, title: 'Weekly roundup', passageId: 'abcdef012345' };
}

function slice(message: TgMessage, entity: MessageEntity): string {
  return message.text.slice(entity.offset, entity.offset + entity.length);
}

/** Every invariant Telegram enforces on a text message. */
function expectValidMessage(message: TgMessage): void {
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  expect(message.entities.length).toBeLessThanOrEqual(MAX_MESSAGE_ENTITIES);
  for (const e of message.entities) {
    expect(e.length).toBeGreaterThan(0);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset + e.length).toBeLessThanOrEqual(message.text.length);
    // No entity edge may split a surrogate pair.
    const startCode = message.text.charCodeAt(e.offset);
    expect(startCode >= 0xdc00 && startCode <= 0xdfff).toBe(false);
    const endCode = message.text.charCodeAt(e.offset + e.length);
    expect(endCode >= 0xdc00 && endCode <= 0xdfff).toBe(false);
  }
}

describe('renderBlocks', () => {
  it('renders a quote as a blockquote of the verbatim passage, bold highlight and an italic source line', () => {
    const passage = 'Fighting raged. Ukraine still does not have the systems, officials said. More text.';
    const start = passage.indexOf('Ukraine');
    const end = passage.indexOf(' More');
    const [message, ...rest] = renderBlocks([quote(passage, [[start, end]])]);
    expect(rest).toEqual([]);
    expect(message).toEqual({
      text: `${passage}\nReport 003 · Weekly roundup · ¶4`,
      entities: [
        { type: 'blockquote', offset: 0, length: passage.length },
        { type: 'bold', offset: start, length: end - start },
        { type: 'italic', offset: passage.length + 1, length: 'Report 003 · Weekly roundup · ¶4'.length },
      ],
    });
    expect(slice(message!, message!.entities[1]!)).toBe('Ukraine still does not have the systems, officials said.');
  });

  it('keeps HTML, Markdown and emoji literally with UTF-16 offsets (no escaping, no parse mode)', () => {
    const passage = 'Budget is <b>€5m</b> & *up* _x_ [y](z) 📈🇺🇦 fast. Then 穀物 grew.';
    const hs = passage.indexOf('Then');
    const [message] = renderBlocks([quote(passage, [[hs, passage.length]], 'Report 002 · <i>T</i> & *S* 🚀 · ¶2')]);
    expect(message!.text.startsWith(passage)).toBe(true);
    expect(message!.text).toContain('Report 002 · <i>T</i> & *S* 🚀 · ¶2');
    const bold = message!.entities.find((e) => e.type === 'bold')!;
    expect(slice(message!, bold)).toBe('Then 穀物 grew.');
    expectValidMessage(message!);
  });

  it('trims whitespace around the passage and shifts highlights accordingly', () => {
    const passage = '  \n Alpha beta. Gamma delta.  \n';
    const g = passage.indexOf('Gamma');
    const [message] = renderBlocks([quote(passage, [[g, g + 'Gamma delta.'.length]])]);
    expect(message!.text.startsWith('Alpha beta. Gamma delta.\n')).toBe(true);
    expect(slice(message!, message!.entities[1]!)).toBe('Gamma delta.');
  });

  it('uses an expandable blockquote for long passages', () => {
    const long = 'Word '.repeat(150).trim();
    const [message] = renderBlocks([quote(long)]);
    expect(message!.entities[0]!.type).toBe('expandable_blockquote');
    const [short] = renderBlocks([quote('Short passage.')]);
    expect(short!.entities[0]!.type).toBe('blockquote');
  });

  it('joins blocks with a blank line and shifts entity offsets', () => {
    const blocks: Block[] = [text('Intro ', strong('bold')), quote('Quoted text.')];
    const [message] = renderBlocks(blocks);
    expect(message!.text).toBe('Intro bold\n\nQuoted text.\nReport 003 · Weekly roundup · ¶4');
    expect(message!.entities).toEqual([
      { type: 'bold', offset: 6, length: 4 },
      { type: 'blockquote', offset: 12, length: 12 },
      { type: 'italic', offset: 25, length: 32 },
    ]);
  });

  it('splits between quotes when the text limit is reached, never inside a quote', () => {
    const passages = Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(65 + i)}${' lorem ipsum'.repeat(120)}.`);
    const messages = renderBlocks(passages.map((p) => quote(p)));
    expect(messages.length).toBeGreaterThan(1);
    const all = messages.map((m) => m.text).join('\n\n');
    for (const p of passages) expect(all).toContain(p);
    for (const m of messages) {
      expectValidMessage(m);
      // Each message holds whole quotes only.
      const quotes = m.entities.filter((e) => e.type.endsWith('blockquote')).map((e) => slice(m, e));
      for (const q of quotes) expect(passages).toContain(q);
    }
  });

  it('splits when the entity limit would be exceeded', () => {
    const passage = Array.from({ length: 30 }, (_, i) => `S${i}.`).join(' ');
    const highlights: Array<[number, number]> = [];
    for (const m of passage.matchAll(/S\d+\./g)) highlights.push([m.index, m.index + m[0].length]);
    const messages = renderBlocks([quote(passage, highlights), quote(passage, highlights), quote(passage, highlights), quote(passage, highlights)]);
    expect(messages.length).toBe(2);
    for (const m of messages) expectValidMessage(m);
  });

  it('caps highlight entities of a single quote at the entity limit', () => {
    const passage = Array.from({ length: 300 }, (_, i) => `s${i}.`).join(' ');
    const highlights: Array<[number, number]> = [];
    for (const m of passage.matchAll(/s\d+\./g)) highlights.push([m.index, m.index + m[0].length]);
    const [message, ...rest] = renderBlocks([quote(passage, highlights)]);
    expect(rest).toEqual([]);
    expect(message!.entities.length).toBe(MAX_MESSAGE_ENTITIES);
    expect(message!.text.startsWith(passage)).toBe(true);
    expectValidMessage(message!);
  });

  it('cuts a single huge passage to one valid message around its highlight, marked as an excerpt', () => {
    const before = 'Lead sentence number one. '.repeat(400);
    const answer = 'The answering sentence is here.';
    const passage = `${before}${answer} ${'Trailing filler text. '.repeat(400)}`.trim();
    const s = passage.indexOf(answer);
    const messages = renderBlocks([quote(passage, [[s, s + answer.length]])]);
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    expectValidMessage(m);
    expect(m.text.endsWith('Report 003 · Weekly roundup · ¶4 · excerpt')).toBe(true);
    const bold = m.entities.find((e) => e.type === 'bold')!;
    expect(slice(m, bold)).toBe(answer);
    const quoted = slice(m, m.entities[0]!);
    expect(passage).toContain(quoted);
  });

  it('cuts a huge passage made of emoji without splitting surrogate pairs', () => {
    const passage = '😀'.repeat(5000);
    const [m] = renderBlocks([quote(passage, [[0, 2]])]);
    expectValidMessage(m!);
    expect(passage).toContain(slice(m!, m!.entities[0]!));
  });

  it('returns no messages for no blocks and skips empty text blocks', () => {
    expect(renderBlocks([])).toEqual([]);
    expect(renderBlocks([text('')])).toEqual([]);
  });

  it('holds every Bot API invariant for arbitrary passages, highlights and frames (property)', () => {
    const anyText = fc.string({ unit: 'grapheme', maxLength: 3000 });
    const block = fc.oneof(
      fc.record({ passage: anyText, ranges: fc.array(fc.tuple(fc.nat(3500), fc.nat(400)), { maxLength: 150 }) }).map(({ passage, ranges }) =>
        quote(passage, ranges.map(([s, l]) => [s, s + l] as [number, number])),
      ),
      fc.array(fc.record({ text: anyText, bold: fc.boolean() }), { maxLength: 5 }).map((parts) =>
        text(...parts.map((p): Span => (p.bold ? strong(p.text) : { text: p.text }))),
      ),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), (blocks) => {
        const messages = renderBlocks(blocks);
        for (const m of messages) expectValidMessage(m);
        // Every quote's text appears verbatim (whole, or as a contiguous excerpt).
        for (const m of messages) {
          for (const e of m.entities.filter((x) => x.type.endsWith('blockquote'))) {
            const inside = slice(m, e);
            expect(blocks.some((b) => b.kind === 'quote' && spansText(b.spans).includes(inside))).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('cutSpans', () => {
  it('returns spans unchanged when they fit', () => {
    const spans: Span[] = [{ text: 'a ' }, strong('b')];
    expect(cutSpans(spans, 10)).toEqual({ spans, cut: false });
  });

  it('keeps the first highlight inside the window and stays within the limit', () => {
    const spans: Span[] = [{ text: 'x '.repeat(500) }, strong('target'), { text: ' y'.repeat(500) }];
    const out = cutSpans(spans, 100);
    expect(out.cut).toBe(true);
    expect(spansText(out.spans).length).toBeLessThanOrEqual(100);
    expect(out.spans.find((s) => s.style === 'strong')?.text).toBe('target');
  });
});

describe('renderInlineArticle', () => {
  it('uses the report title, the highlighted sentence as description and the formatted quote as content', () => {
    const passage = 'First part. The answer & <b>more</b> 🚀. Last.';
    const s = passage.indexOf('The answer');
    const e = passage.indexOf(' Last.');
    const article = renderInlineArticle('0:abcdef012345', quote(passage, [[s, e]]), 'Weekly <roundup>');
    expect(article).toEqual({
      type: 'article',
      id: '0:abcdef012345',
      title: 'Weekly <roundup>',
      description: 'The answer & <b>more</b> 🚀.',
      input_message_content: {
        message_text: `${passage}\nReport 003 · Weekly roundup · ¶4`,
        entities: [
          { type: 'blockquote', offset: 0, length: passage.length },
          { type: 'bold', offset: s, length: e - s },
          { type: 'italic', offset: passage.length + 1, length: 32 },
        ],
        link_preview_options: { is_disabled: true },
      },
    });
  });
});
