import { describe, expect, it } from 'vitest';
import { countWords, splitSentences } from '../../../src/ingest/sentences';

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
});
