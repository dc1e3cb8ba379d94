import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, splitSentences } from '../../../src/ingest/sentences';
import { anyText, nastyText } from '../../helpers/fuzz';

/** The word pattern countWords must always agree with. */
const referenceCount = (t: string): number => (t.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? []).length;

const texts = (t: string) => splitSentences(t).map((s) => t.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits at sentence ends and keeps exact offsets', () => {
    const t = 'Russia fired missiles. Kyiv was hit! Was anyone hurt? Yes.';
    expect(texts(t)).toEqual(['Russia fired missiles.', 'Kyiv was hit!', 'Was anyone hurt?', 'Yes.']);
  });

  it('does not split after abbreviations, initials or dotted acronyms', () => {
    const t = 'The U.S. President met Mr. Smith on Feb. 28 in Washington. J. R. Tolkien was not there.';
    expect(texts(t)).toEqual(['The U.S. President met Mr. Smith on Feb. 28 in Washington.', 'J. R. Tolkien was not there.']);
  });

  it('keeps closing quotes with their sentence and ends sentences at line breaks', () => {
    const t = '“We will stand by Ukraine,” he said. “In particular we will help.”\nNext line without stop';
    expect(texts(t)).toEqual(['“We will stand by Ukraine,” he said.', '“In particular we will help.”', 'Next line without stop']);
  });

  it('does not split before a lower-case continuation', () => {
    expect(texts('It cost 1.5 billion. and more came later.')).toEqual(['It cost 1.5 billion. and more came later.']);
  });

  it('respects a from/to window', () => {
    const t = 'Ignore me. Take this one. And this. Not this.';
    const from = t.indexOf('Take');
    const to = t.indexOf(' Not');
    expect(splitSentences(t, from, to).map((s) => t.slice(s.start, s.end))).toEqual(['Take this one.', 'And this.']);
  });

  it('counts words', () => {
    expect(countWords('Zelensky’s remarks came a day after 28 March.')).toBe(8);
    expect(countWords('  ')).toBe(0);
  });

  it('counts as the word pattern does, on the seed reports and on hostile text', async () => {
    for (const name of (await readdir('seeds')).filter((f) => f.endsWith('.txt'))) {
      for (const line of (await readFile(path.join('seeds', name), 'utf8')).split('\n')) expect(countWords(line)).toBe(referenceCount(line));
    }
    for (const t of ["don't", "'quoted'", 'rock’n’roll', "it's9", 'a’', '’b', "x''y", 'ab12’cd’ef 3’s']) expect(countWords(t)).toBe(referenceCount(t));
    fc.assert(
      fc.property(fc.oneof(nastyText(20, false), anyText(20), fc.stringMatching(/^[a-z0-9 '’.\u2019\u201c-]{0,60}$/)), (t) => {
        expect(countWords(t)).toBe(referenceCount(t));
      }),
      { numRuns: 1000, seed: 12 },
    );
  });
});
