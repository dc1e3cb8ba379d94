import { describe, expect, it } from 'vitest';
import { cacheWordPieces, wordPieceModelOf } from '../../../src/embed/wordpiece-cache';

class WordPieceTokenizer {
  calls = 0;
  encode(tokens: string[]): string[] {
    this.calls++;
    return tokens.flatMap((t) => (t.length > 4 ? [t.slice(0, 4), `##${t.slice(4)}`] : [t]));
  }
}

describe('cacheWordPieces', () => {
  it('returns the tokens the encoder returns, encoding each distinct word once', () => {
    const plain = new WordPieceTokenizer();
    const cached = new WordPieceTokenizer();
    cacheWordPieces(cached);
    const texts = [['the', 'bakhmut', 'front'], ['bakhmut', 'the', 'himars'], [], ['front', 'front']];
    for (const words of texts) expect(cached.encode(words)).toEqual(plain.encode(words));
    expect(cached.calls).toBe(4);
  });

  it('finds the WordPiece model of a tokenizer and nothing else', () => {
    expect(wordPieceModelOf({ model: new WordPieceTokenizer() })).not.toBeNull();
    expect(wordPieceModelOf({ model: { encode: () => [] } })).toBeNull();
    expect(wordPieceModelOf(null)).toBeNull();
  });
});
