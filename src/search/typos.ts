/**
 * Finds vocabulary terms within one edit (insertion, deletion, substitution or transposition)
 * of a word, with a deletion-neighbourhood index (SymSpell-style) so lookups avoid a vocabulary scan.
 */

/** Shorter terms have too many one-edit neighbours to correct safely. */
export const MIN_FUZZY_LENGTH = 4;

function deletions(term: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) out.push(term.slice(0, i) + term.slice(i + 1));
  return out;
}

/** Damerau-Levenshtein (optimal string alignment) distance, capped: returns 2 for anything above 1. */
export function editDistanceAtMostOne(a: string, b: string): 0 | 1 | 2 {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return 2;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return 1;
    if (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)) return 1;
    return 2;
  }
  const [short, long] = la < lb ? [a, b] : [b, a];
  return short.slice(i) === long.slice(i + 1) ? 1 : 2;
}

export interface TypoIndex {
  /** Vocabulary terms at edit distance exactly 1 from `word`. */
  neighbours(word: string): string[];
}

export function createTypoIndex(vocabulary: Iterable<string>): TypoIndex {
  const byKey = new Map<string, string[]>();
  const add = (key: string, term: string): void => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [term]);
    else if (list[list.length - 1] !== term) list.push(term);
  };
  for (const term of vocabulary) {
    if (term.length < MIN_FUZZY_LENGTH - 1) continue;
    add(term, term);
    for (const d of deletions(term)) add(d, term);
  }
  return {
    neighbours(word: string): string[] {
      if (word.length < MIN_FUZZY_LENGTH) return [];
      const found = new Set<string>();
      for (const key of [word, ...deletions(word)]) {
        for (const term of byKey.get(key) ?? []) {
          if (term !== word && editDistanceAtMostOne(word, term) === 1) found.add(term);
        }
      }
      return [...found];
    },
  };
}
