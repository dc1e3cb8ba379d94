/**
 * Finds where a report's reader-comment thread begins: blog pages saved as text end in comments
 * ("HinTN" / "Thank you, Adam." / "@Jay: You're welcome."), which quote poorly as answers.
 */

/** Lines looked at after a candidate name line for more signs of a thread. */
const WINDOW_LINES = 20;
/** Name-like lines (and strong signs) needed in the window to call it a thread. */
const MIN_THREAD_SIGNS = 3;

const HANDLE_LINE = /^@[\p{L}\p{N}_][^\n]{0,40}:/u;
const SAYS_LINE = /\bsays:\s*$/i;
const REPLY_LINE = /^(reply|report comment|log in to reply|\d+ (comments?|replies))$/i;
const TIMESTAMP_LINE = /^(\p{L}+ \d{1,2}, \d{4}|\d{1,2} \p{L}+ \d{4})( at)? \d{1,2}:\d{2}\s*([ap]\.?m\.?)?$/iu;

/** A commenter's name on its own line: 1–4 words, short, not a sentence, not a "Heading:". */
function isNameLine(line: string): boolean {
  if (line.length > 40 || /[.!?:;,"“”]$/u.test(line)) return false;
  const words = line.split(/\s+/).filter(Boolean);
  return words.length >= 1 && words.length <= 4;
}

function isStrongSign(line: string): boolean {
  return HANDLE_LINE.test(line) || SAYS_LINE.test(line) || REPLY_LINE.test(line) || TIMESTAMP_LINE.test(line);
}

/**
 * Offset where the comment thread starts, or null when the report has none. A thread needs name-like
 * lines followed by text, at least one strong sign (an @handle reply, "says:", "Reply", a timestamp,
 * or a name that comments twice), and it runs to the end of the report.
 */
export function commentThreadStart(text: string): number | null {
  const lines: Array<{ start: number; text: string }> = [];
  let pos = 0;
  for (const raw of text.split('\n')) {
    const trimmed = raw.trim();
    if (trimmed) lines.push({ start: pos + raw.indexOf(trimmed), text: trimmed });
    pos += raw.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const next = lines[i + 1];
    if (!line || !next || !(isNameLine(line.text) || isStrongSign(line.text))) continue;
    const window = lines.slice(i, i + WINDOW_LINES).map((l) => l.text);
    const names = window.filter((l, j) => isNameLine(l) && (window[j + 1]?.split(/\s+/).length ?? 0) >= 2);
    const strong = window.some(isStrongSign) || new Set(names).size < names.length;
    if (strong && names.length + window.filter(isStrongSign).length >= MIN_THREAD_SIGNS && isNameLine(line.text)) return line.start;
  }
  return null;
}

/** Lines this long or longer count when matching text before the thread to text inside it. */
const MIN_REPEATED_LINE_CHARS = 40;

/**
 * Ranges of the report that are reader comments: the thread itself, plus earlier lines that the
 * thread repeats word for word (pages often show a comment twice, once without its author's name).
 */
export function commentRanges(text: string): Array<[number, number]> {
  const start = commentThreadStart(text);
  if (start === null) return [];
  const thread = new Set(
    text
      .slice(start)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length >= MIN_REPEATED_LINE_CHARS),
  );
  const ranges: Array<[number, number]> = [];
  let pos = 0;
  for (const raw of text.slice(0, start).split('\n')) {
    const trimmed = raw.trim();
    if (trimmed.length >= MIN_REPEATED_LINE_CHARS && thread.has(trimmed)) ranges.push([pos, pos + raw.length]);
    pos += raw.length + 1;
  }
  ranges.push([start, text.length]);
  return ranges;
}
