import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/text/tokens.js';
import { syntheticParagraphs } from '../../../scripts/synthetic-corpus.js';
import { anyText, nastyText } from '../../helpers/fuzz.js';

/** The normalising tokenizer without the plain-text shortcut: what tokenize must always equal. */
const reference = (text: string): string[] =>
  text.replace(/\p{Cf}+/gu, '').normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

describe('tokenize', () => {
  it('splits, lower-cases and strips accents and format characters', () => {
    expect(tokenize('Zelenskyy’s “Café” — ﬁne\u200Bline ½ ΟΔΟΣ')).toEqual(['zelenskyy', 's', 'cafe', 'fineline', '1', '2', 'οδος']);
    expect(tokenize('Plain ASCII: 12 drones, 3-4 hits…')).toEqual(['plain', 'ascii', '12', 'drones', '3', '4', 'hits']);
  });

  it('equals the full normalisation on the seed reports and synthetic passages', async () => {
    const texts: string[] = [];
    for (const name of (await readdir('seeds')).filter((f) => f.endsWith('.txt'))) texts.push(...(await readFile(path.join('seeds', name), 'utf8')).split('\n'));
    texts.push(...(await syntheticParagraphs(500)));
    for (const text of texts) expect(tokenize(text)).toEqual(reference(text));
  });

  it('equals the full normalisation on hostile text', () => {
    fc.assert(
      fc.property(fc.oneof(nastyText(20, false), anyText(20), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        expect(tokenize(text)).toEqual(reference(text));
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});
