import path from 'node:path';
import { clipText } from '../text/clip';
import { countWords, splitSentences } from './sentences';

/** Titles longer than this are cut at a word boundary, so a source line stays on one line. */
const MAX_TITLE_CHARS = 70;

function shorten(text: string): string {
  const { text: cut, cut: wasCut } = clipText(text, MAX_TITLE_CHARS, '');
  return wasCut ? `${cut.replace(/[\s,;:–—-]+$/u, '')}…` : cut;
}

/**
 * A readable title for a report: its first meaningful line (at least two words; markdown
 * heading marks removed), cut to its first sentence and a sensible length. Falls back to the file name.
 */
export function deriveTitle(text: string, relPath: string): string {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*#+\s*/, '').replace(/^[-*•]\s+/, '').trim();
    if (countWords(line) < 2) continue;
    // Skip leading sentences without a word (". Report", "… Text"), which would leave an empty title.
    const first = splitSentences(line).find((s) => countWords(line.slice(s.start, s.end)) > 0);
    const sentence = first ? line.slice(first.start, first.end) : line;
    return shorten(sentence.replace(/[:.]$/, ''));
  }
  return path.basename(relPath, path.extname(relPath));
}
