/** Renders neutral blocks as plain text for the console (ANSI bold on a terminal, **bold** otherwise). */
import type { Block, Span } from '../answer/document';

export interface TextStyle {
  /** Use ANSI escapes (terminals) instead of plain markers. */
  ansi: boolean;
}

const ANSI_BOLD = '\u001b[1m';
const ANSI_ITALIC = '\u001b[3m';
const ANSI_DIM = '\u001b[2m';
const ANSI_RESET = '\u001b[0m';

export function renderText(blocks: readonly Block[], style: TextStyle): string {
  return blocks
    .map((block) => {
      if (block.kind === 'text') return spansToText(block.spans, style);
      const quote = spansToText(block.spans, style)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
      // A terminal cannot hide a link behind the title, so the URL follows the source line.
      const line = block.sourceLink === undefined ? block.source : `${block.source} <${block.sourceLink.url}>`;
      const source = style.ansi ? `${ANSI_DIM}— ${line}${ANSI_RESET}` : `— ${line}`;
      return `${quote}\n${source}`;
    })
    .join('\n\n');
}

function spansToText(spans: readonly Span[], style: TextStyle): string {
  return spans
    .map((span) => {
      if (span.url !== undefined) return `${spansToText([{ ...span, url: undefined }], style)} <${span.url}>`;
      if (span.style === 'strong') return style.ansi ? `${ANSI_BOLD}${span.text}${ANSI_RESET}` : `**${span.text}**`;
      if (span.style === 'emphasis' && style.ansi) return `${ANSI_ITALIC}${span.text}${ANSI_RESET}`;
      return span.text;
    })
    .join('');
}
