import { describe, expect, it } from 'vitest';
import { createBm25Index } from '../../../src/search/bm25';
import { fuse } from '../../../src/search/fusion';
import { chooseHighlights, scoreSentences } from '../../../src/search/highlight';
import { analyzeQuery, coverage } from '../../../src/search/query';
import { contentTerms, stem } from '../../../src/text/tokens';
import { createTypoIndex, editDistanceAtMostOne } from '../../../src/search/typos';
import { splitSentences } from '../../../src/ingest/sentences';

describe('stem', () => {
  it('conflates inflections', () => {
    const forms = ['advance', 'advanced', 'advances', 'advancing'].map(stem);
    expect(new Set(forms).size).toBe(1);
    expect(stem('countries')).toBe(stem('country'));
    expect(stem('stopped')).toBe(stem('stop'));
    expect(stem('missiles')).toBe(stem('missile'));
  });

  it('leaves short words and numbers alone', () => {
    expect(stem('red')).toBe('red');
    expect(stem('2022')).toBe('2022');
  });

  it('drops stopwords and folds case and accents in content terms', () => {
    expect(contentTerms('What did Zelenskyy’s café say about the deal?')).toEqual(['zelenskyy', 'cafe', 'deal']);
  });
});

describe('typo tolerance', () => {
  it('measures one edit including transpositions', () => {
    expect(editDistanceAtMostOne('zelensky', 'zelenksy')).toBe(1);
    expect(editDistanceAtMostOne('russia', 'russiaj')).toBe(1);
    expect(editDistanceAtMostOne('advanc', 'aevanc')).toBe(1);
    expect(editDistanceAtMostOne('mineral', 'minreal')).toBe(1);
    expect(editDistanceAtMostOne('mineral', 'mnierla')).toBe(2);
    expect(editDistanceAtMostOne('same', 'same')).toBe(0);
  });

  it('finds vocabulary neighbours of longer words only', () => {
    const typos = createTypoIndex(['zelensky', 'mineral', 'deal', 'russia', 'war']);
    expect(typos.neighbours('zelenksy')).toEqual(['zelensky']);
    expect(typos.neighbours('minerals')).toEqual(['mineral']);
    expect(typos.neighbours('wat')).toEqual([]);
  });
});

describe('BM25 and query analysis', () => {
  const docs = [
    'Russia launched missiles at Kyiv overnight.',
    'Russiaj milbloggers say Ukraine aevanced towards Melitopol.',
    'The minerals deal between Ukraine and the United States was delayed.',
    'Weather was calm and the harvest went well.',
  ];
  const bm25 = createBm25Index(docs);
  const typos = createTypoIndex(bm25.surfaceForms().keys());

  it('ranks the matching document first', () => {
    const q = analyzeQuery('Who launched missiles at Kyiv?', bm25, typos);
    expect(bm25.search(q.terms, 3)[0]?.doc).toBe(0);
  });

  it('corrects user typos against the vocabulary', () => {
    const q = analyzeQuery('minreals deel with the Unted States', bm25, typos);
    expect(q.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['deal', 'unit']));
    expect(bm25.search(q.terms, 1)[0]?.doc).toBe(2);
  });

  it('matches misspellings in the corpus from a correct query', () => {
    const q = analyzeQuery('Where has Ukraine advanced?', bm25, typos);
    expect(bm25.search(q.terms, 1)[0]?.doc).toBe(1);
  });

  it('scores coverage as the IDF share of question words found', () => {
    const q = analyzeQuery('minerals deal football', bm25, typos);
    const c = coverage(q, (t) => bm25.contains(2, t));
    expect(c).toBeGreaterThan(0.3);
    expect(c).toBeLessThan(0.8);
    expect(coverage(q, (t) => bm25.contains(3, t))).toBe(0);
  });

  it('spells the question for the dense side with the report words its typos were corrected to', () => {
    // "minreals"/"deel"/"Unted" are corrected, "teh" is a small-word typo and dropped, framing words go, known words stay.
    expect(analyzeQuery('Please tell me: minreals deel with teh Unted States?', bm25, typos).spelled).toBe('tell me minerals deal with united states');
    expect(analyzeQuery('Who launched missiles at Kyiv?', bm25, typos).spelled).toBe('who launched missiles at kyiv');
    // A word the reports never use and no typo of theirs stays as written: the model may still know it.
    expect(analyzeQuery('football deal', bm25, typos).spelled).toBe('football deal');
  });

  it('reads a leading question number as framing, not as a number to look for', () => {
    const docs2 = [...docs, 'Five drones hit 5 districts of Kyiv.'];
    const bm = createBm25Index(docs2);
    const ty = createTypoIndex(bm.surfaceForms().keys());
    const plain = analyzeQuery('how many missiles at Kyiv?', bm, ty);
    for (const framed of ['Question 5: how many missiles at Kyiv?', 'q5: how many missiles at Kyiv?', '5) how many missiles at Kyiv?', '#5. how many missiles at Kyiv?']) {
      const q = analyzeQuery(framed, bm, ty);
      expect(q.terms, framed).toEqual(plain.terms);
      expect(q.spelled, framed).toBe(plain.spelled);
    }
    // A number that is part of the question stays.
    expect(analyzeQuery('5 districts Kyiv', bm, ty).terms.map((t) => t.term)).toContain('5');
  });

  it('scores a single document the same as search does', () => {
    const q = analyzeQuery('missiles Kyiv', bm25, typos);
    const top = bm25.search(q.terms, 1)[0];
    expect(top && bm25.scoreDoc(q.terms, top.doc)).toBeCloseTo(top?.score ?? -1, 10);
  });
});

describe('fusion', () => {
  it('combines normalised scores and ranks documents strong on both first', () => {
    const lexical = new Map([[1, 10], [2, 5], [3, 0]]);
    const dense = new Map([[1, 0.5], [2, 0.9], [3, 0.4]]);
    expect(fuse(lexical, dense, { kind: 'convex', alpha: 0.3 }).map((f) => f.doc)).toEqual([1, 2, 3]);
    expect(fuse(lexical, dense, { kind: 'convex', alpha: 0.9 })[0]?.doc).toBe(2);
  });

  it('supports reciprocal rank fusion', () => {
    const out = fuse(new Map([[1, 3], [2, 2]]), new Map([[2, 0.9], [3, 0.8]]), { kind: 'rrf', k: 60 });
    expect(out[0]?.doc).toBe(2);
  });
});

describe('highlight', () => {
  it('picks the sentence carrying the question words', () => {
    const text = 'The weather was calm. Russia fired five ballistic missiles at Kyiv. Nobody was hurt.';
    const bm25 = createBm25Index([text]);
    const q = analyzeQuery('How many ballistic missiles hit Kyiv?', bm25, createTypoIndex(bm25.surfaceForms().keys()));
    const sentences = splitSentences(text);
    const terms = sentences.map((s) => new Set(contentTerms(text.slice(s.start, s.end))));
    const picked = chooseHighlights(sentences, scoreSentences(terms, q));
    expect(picked.map(([s, e]) => text.slice(s, e))).toEqual(['Russia fired five ballistic missiles at Kyiv.']);
  });

  it('returns nothing when no sentence scores', () => {
    expect(chooseHighlights([{ start: 0, end: 3 }], [0])).toEqual([]);
  });
});
