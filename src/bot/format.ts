/**
 * The only module that knows Telegram message entities and limits. Turns neutral blocks into
 * `{ text, entities }` messages: no parse_mode, so no user or report text can break formatting.
 * Every message respects the Bot API limits (4096 UTF-16 units, 100 entities); long replies are split
 * at block boundaries and a single oversized quote is cut to a window around its highlight.
 */
import type { InlineQueryResultArticle, MessageEntity } from 'grammy/types';
import { spansText, type Block, type QuoteBlock, type Span, type SpanStyle } from '../answer/document';
import { clip, isLowSurrogate } from '../text/clip';

/** Bot API limit for message text, in UTF-16 code units (JS string length). */
export const MAX_MESSAGE_CHARS = 4096;
/** Bot API limit for entities per message. */
export const MAX_MESSAGE_ENTITIES = 100;
// Quotes longer than this collapse into an expandable blockquote so three of them fit a phone screen.
const EXPANDABLE_AFTER_CHARS = 500;
const EXPANDABLE_AFTER_LINES = 8;
// Inline result descriptions are shown on two lines; more text is hidden anyway.
const MAX_DESCRIPTION_CHARS = 200;
// Inline result titles beyond this are cut off by clients.
const MAX_INLINE_TITLE_CHARS = 100;
const BLOCK_SEPARATOR = '\n\n';
const EXCERPT_MARK = ' · excerpt';

/** One outgoing Telegram text message. */
export interface TgMessage {
  text: string;
  entities: MessageEntity[];
}

interface Limits {
  maxChars: number;
  maxEntities: number;
}

const DEFAULT_LIMITS: Limits = { maxChars: MAX_MESSAGE_CHARS, maxEntities: MAX_MESSAGE_ENTITIES };

const ENTITY_OF_STYLE: Record<SpanStyle, 'bold' | 'italic' | 'code'> = {
  strong: 'bold',
  emphasis: 'italic',
  code: 'code',
};

/**
 * Renders blocks into as few messages as the limits allow, splitting only between blocks
 * (an oversized block is cut to fit on its own). Returns [] for no blocks.
 */
export function renderBlocks(blocks: readonly Block[], limits: Partial<Limits> = {}): TgMessage[] {
  const lim: Limits = { ...DEFAULT_LIMITS, ...limits };
  const messages: TgMessage[] = [];
  let current: TgMessage | null = null;
  for (const block of blocks) {
    const piece = renderBlock(block, lim);
    // Telegram rejects a message whose text is only whitespace ("message text is empty").
    if (piece.text.trim().length === 0) continue;
    if (current !== null) {
      const joinedChars = current.text.length + BLOCK_SEPARATOR.length + piece.text.length;
      const joinedEntities = current.entities.length + piece.entities.length;
      if (joinedChars <= lim.maxChars && joinedEntities <= lim.maxEntities) {
        const shift = current.text.length + BLOCK_SEPARATOR.length;
        current.text += BLOCK_SEPARATOR + piece.text;
        for (const e of piece.entities) current.entities.push({ ...e, offset: e.offset + shift });
        continue;
      }
      messages.push(current);
    }
    current = { text: piece.text, entities: [...piece.entities] };
  }
  if (current !== null) messages.push(current);
  return messages;
}

/** One block as a standalone message piece that fits the limits. */
function renderBlock(block: Block, lim: Limits): TgMessage {
  if (block.kind === 'text') {
    const cut = cutSpans(block.spans, lim.maxChars);
    return spansMessage(capStyledSpans(cut.spans, lim.maxEntities));
  }
  return renderQuote(block, lim);
}

function renderQuote(block: QuoteBlock, lim: Limits): TgMessage {
  // Room for the blockquote, source-line and title-link entities.
  const frameEntities = block.sourceLink === undefined ? 2 : 3;
  const sourceRoom = block.source.length + EXCERPT_MARK.length + 1;
  const cut = cutSpans(block.spans, Math.max(1, lim.maxChars - sourceRoom));
  const spans = capStyledSpans(cut.spans, lim.maxEntities - frameEntities);
  const quote = spansMessage(spans);
  const quoteText = quote.text;
  const lines = quoteText.split('\n').length;
  const long = quoteText.length > EXPANDABLE_AFTER_CHARS || lines > EXPANDABLE_AFTER_LINES;
  const source = cut.cut ? block.source + EXCERPT_MARK : block.source;
  const entities: MessageEntity[] = [];
  if (quoteText.length > 0) {
    entities.push({ type: long ? 'expandable_blockquote' : 'blockquote', offset: 0, length: quoteText.length });
  }
  entities.push(...quote.entities);
  const textOut = quoteText.length > 0 ? `${quoteText}\n${source}` : source;
  const sourceAt = textOut.length - source.length;
  entities.push({ type: 'italic', offset: sourceAt, length: source.length });
  const link = block.sourceLink;
  if (link !== undefined && link.length > 0 && link.offset + link.length <= block.source.length) {
    entities.push({ type: 'text_link', offset: sourceAt + link.offset, length: link.length, url: link.url });
  }
  return { text: textOut, entities };
}

/** Entities a span turns into: its style and its link, when it has visible text. */
function entityCount(span: Span): number {
  if (span.text.trim().length === 0) return 0;
  return (span.style === undefined ? 0 : 1) + (span.url === undefined ? 0 : 1);
}

/** Concatenates spans into text with one entity per style and link of each non-blank span. */
function spansMessage(spans: readonly Span[]): TgMessage {
  let out = '';
  const entities: MessageEntity[] = [];
  for (const span of spans) {
    if (span.style !== undefined && span.text.trim().length > 0) {
      entities.push({ type: ENTITY_OF_STYLE[span.style], offset: out.length, length: span.text.length });
    }
    if (span.url !== undefined && span.text.trim().length > 0) {
      entities.push({ type: 'text_link', offset: out.length, length: span.text.length, url: span.url });
    }
    out += span.text;
  }
  return { text: out, entities };
}

/** Keeps the entities of spans while at most `max` in all; later spans lose style and link (text is kept). */
function capStyledSpans(spans: readonly Span[], max: number): Span[] {
  let used = 0;
  return spans.map((span) => {
    const count = entityCount(span);
    if (count === 0) return span;
    used += count;
    return used <= max ? span : { text: span.text };
  });
}

/**
 * Cuts spans to at most `maxChars` characters, keeping a window that starts a little before the
 * first styled span, preferring whitespace boundaries and never splitting a surrogate pair.
 */
export function cutSpans(spans: readonly Span[], maxChars: number): { spans: Span[]; cut: boolean } {
  const full = spansText(spans);
  if (full.length <= maxChars) return { spans: [...spans], cut: false };
  let firstStyled = 0;
  let at = 0;
  for (const span of spans) {
    if (span.style !== undefined) {
      firstStyled = at;
      break;
    }
    at += span.text.length;
  }
  // Lead-in before the highlight, as a share of the window, so the reader sees what precedes it.
  const leadIn = Math.floor(maxChars * 0.2);
  let start = Math.max(0, Math.min(firstStyled - leadIn, full.length - maxChars));
  let end = start + maxChars;
  // Look for a word boundary within this share of the window at each edge.
  const slack = Math.floor(maxChars * 0.15);
  if (start > 0) {
    const space = full.slice(start, start + slack).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  if (end < full.length) {
    const tail = full.slice(end - slack, end);
    const space = Math.max(tail.lastIndexOf(' '), tail.lastIndexOf('\n'));
    if (space >= 0) end = end - slack + space;
  }
  if (isLowSurrogate(full.charCodeAt(start))) start += 1;
  if (end < full.length && isLowSurrogate(full.charCodeAt(end))) end -= 1;
  const out: Span[] = [];
  let pos = 0;
  for (const span of spans) {
    const s = Math.max(start, pos);
    const e = Math.min(end, pos + span.text.length);
    if (e > s) out.push({ ...span, text: full.slice(s, e) });
    pos += span.text.length;
  }
  return { spans: trimSpans(out), cut: true };
}

function trimSpans(spans: Span[]): Span[] {
  const out = spans.map((s) => ({ ...s }));
  while (out.length > 0 && out[0]!.text.trimStart() === '') out.shift();
  while (out.length > 0 && out[out.length - 1]!.text.trimEnd() === '') out.pop();
  if (out.length > 0) {
    out[0]!.text = out[0]!.text.trimStart();
    const last = out[out.length - 1]!;
    last.text = last.text.trimEnd();
  }
  return out;
}

/**
 * One inline-mode result: title = report title, description = the highlighted sentence(s),
 * message = the formatted quote with its source line (entities, no parse_mode).
 */
export function renderInlineArticle(id: string, quote: QuoteBlock, title: string): InlineQueryResultArticle {
  const message = renderBlocks([quote])[0] ?? { text: quote.source, entities: [] };
  const highlighted = quote.spans.filter((s) => s.style === 'strong').map((s) => s.text);
  const description = clip(highlighted.length > 0 ? highlighted.join(' … ') : spansText(quote.spans), MAX_DESCRIPTION_CHARS);
  return {
    type: 'article',
    id,
    title: clip(title, MAX_INLINE_TITLE_CHARS) || 'Report',
    description,
    input_message_content: {
      message_text: message.text,
      ...(message.entities.length > 0 ? { entities: message.entities } : {}),
      link_preview_options: { is_disabled: true },
    },
  };
}

/** An inline result that carries only our own text (help, nothing found). */
export function renderInlineNotice(id: string, title: string, body: readonly Block[]): InlineQueryResultArticle {
  const message = renderBlocks(body)[0] ?? { text: title, entities: [] };
  return {
    type: 'article',
    id,
    title: clip(title, MAX_INLINE_TITLE_CHARS),
    description: clip(message.text, MAX_DESCRIPTION_CHARS),
    input_message_content: { message_text: message.text, ...(message.entities.length > 0 ? { entities: message.entities } : {}) },
  };
}
