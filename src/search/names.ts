/** Proper names a corpus mentions most widely, for hints about what the reports cover. */
import { isStopword } from '../text/tokens';

/** Capitalised words inside a sentence (not its first word): names of people, places and things. */
const INNER_NAME = /(?<=[\p{L}\p{N},;:)’'"”] )\p{Lu}[\p{L}\p{M}’'-]{2,}/gu;

/** Capitalised but not a topic: months and weekdays. */
const CALENDAR = new Set(
  'january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday'.split(' '),
);

/** What English adds to a place to name its people or things (Russi-an, Ukrain-ian, Israel-i, Chin-ese). */
const DEMONYM_ENDINGS = new Set(['n', 'an', 'ian', 'ean', 'ese', 'i']);

/** True when `longer` is a word formed on `base` ("Russian" on "Russia", "Ukrainian" on "Ukraine"). */
function formedOn(longer: string, base: string): boolean {
  const root = base.replace(/[aeiouy]$/u, '');
  return root.length >= 4 && longer.length > base.length && longer.startsWith(root) && DEMONYM_ENDINGS.has(longer.slice(root.length));
}

/**
 * The `count` names found in the most passages (ties: more mentions, then alphabetical), without
 * months and weekdays, and with a word formed on a name ("Russian") folded into the name ("Russia").
 */
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
  const ranked = [...passagesWith]
    .sort((a, b) => b[1] - a[1] || (mentions.get(b[0]) ?? 0) - (mentions.get(a[0]) ?? 0) || (a[0] < b[0] ? -1 : 1))
    .map(([name]) => name)
    .filter((name) => !CALENDAR.has(name.toLowerCase()));
  const chosen: string[] = [];
  for (const name of ranked) {
    if (chosen.length >= count) break;
    if (chosen.some((c) => formedOn(name, c))) continue;
    const derived = chosen.findIndex((c) => formedOn(c, name));
    if (derived >= 0) chosen[derived] = name;
    else chosen.push(name);
  }
  return chosen;
}
