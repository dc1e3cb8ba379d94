/** Proper names a corpus mentions most widely, for hints about what the reports cover. */
import { isStopword } from '../text/tokens';

/** Capitalised words inside a sentence (not its first word): names of people, places and things. */
const INNER_NAME = /(?<=[\p{L}\p{N},;:)’'"”] )\p{Lu}[\p{L}\p{M}’'-]{2,}/gu;

/** The `count` names found in the most passages (ties: more mentions, then alphabetical). */
export function frequentNames(texts: Iterable<string>, count: number): string[] {
  const passagesWith = new Map<string, number>();
  const mentions = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const m of text.matchAll(INNER_NAME)) {
      const name = m[0].replace(/[’'-]+$/u, '').replace(/[’']s$/u, '');
      if (isStopword(name.toLowerCase())) continue;
      mentions.set(name, (mentions.get(name) ?? 0) + 1);
      seen.add(name);
    }
    for (const name of seen) passagesWith.set(name, (passagesWith.get(name) ?? 0) + 1);
  }
  return [...passagesWith]
    .sort((a, b) => b[1] - a[1] || (mentions.get(b[0]) ?? 0) - (mentions.get(a[0]) ?? 0) || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([name]) => name);
}
