import type { SearchHit, SearchResult } from '../search/types';

/** "Report 003" from a file name that starts with digits, else the file name without extension. */
export function reportLabel(source: string): string {
  const base = source.split('/').pop() ?? source;
  const digits = /^(\d+)/.exec(base)?.[1];
  return digits ? `Report ${digits}` : base.replace(/\.[^.]+$/, '');
}

/** "Report 003 · Weekly roundup · ¶4". */
export function sourceLine(hit: Pick<SearchHit, 'source' | 'title' | 'paragraph'>): string {
  return `${reportLabel(hit.source)} · ${hit.title} · ¶${hit.paragraph}`;
}

const BOLD = '\x1b[1m';
const RESET = '\x1b[22m';

function quoteText(hit: SearchHit, ansi: boolean): string {
  let out = '';
  let pos = hit.start;
  for (const [s, e] of hit.highlights) {
    out += hit.text.slice(pos - hit.start, s - hit.start);
    const sentence = hit.text.slice(s - hit.start, e - hit.start);
    out += ansi ? `${BOLD}${sentence}${RESET}` : sentence;
    pos = e;
  }
  out += hit.text.slice(pos - hit.start);
  return out
    .split('\n')
    .map((line) => `  │ ${line}`)
    .join('\n');
}

/**
 * Renders a search result as terminal text: each verbatim quote with its source line. On a
 * terminal the answering sentence is bold; elsewhere it is repeated after "Answer:" so the quote stays verbatim.
 */
export function renderPlainAnswer(result: SearchResult, options: { ansi?: boolean; offset?: number } = {}): string {
  const ansi = options.ansi ?? false;
  const lines: string[] = [`Q: ${result.question}${result.truncated ? ' (question shortened for search)' : ''}`];
  if (!result.answered) {
    lines.push('Not found in the reports.');
    if (result.hits.length === 0) return lines.join('\n');
    lines.push('Closest passages, low confidence:');
  }
  result.hits.forEach((hit, i) => {
    lines.push('', `[${(options.offset ?? 0) + i + 1}] ${sourceLine(hit)}${hit.heading ? ` · ${hit.heading}` : ''}`, quoteText(hit, ansi));
    if (!ansi && hit.highlights.length > 0) {
      lines.push(`  Answer: ${hit.highlights.map(([s, e]) => hit.text.slice(s - hit.start, e - hit.start)).join(' … ')}`);
    }
  });
  return lines.join('\n');
}
