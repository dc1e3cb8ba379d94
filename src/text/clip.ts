/** Cutting text to a length, shared by titles, source lines, inline results and the question limit. */

/** True for the second half of a UTF-16 surrogate pair (cutting before it would split an emoji). */
export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Collapses whitespace and cuts `value` to at most `max` UTF-16 units including `marker`,
 * at a word boundary when one lies in the second half, never leaving half a surrogate pair.
 */
export function clipText(value: string, max: number, marker = '…'): { text: string; cut: boolean } {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, cut: false };
  let cut = flat.slice(0, max - marker.length);
  const space = cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space);
  if (isLowSurrogate(flat.charCodeAt(cut.length))) cut = cut.slice(0, -1);
  return { text: `${cut}${marker}`, cut: true };
}

/** clipText with an ellipsis, as a string. */
export function clip(value: string, max: number): string {
  return clipText(value, max).text;
}
