/**
 * A per-word cache in front of transformers.js's WordPiece encoder. WordPiece encodes each word on
 * its own, and for a word outside the vocabulary it tries every substring (quadratic in the word's
 * length, with an array join each time): remembering the pieces of each word gives the same tokens
 * at a fraction of the cost when a corpus repeats its names and numbers.
 */

/** The part of a transformers.js tokenizer model this cache wraps. */
export interface WordPieceModel {
  encode(tokens: string[]): string[];
}

/** Distinct words remembered before the cache starts over: bounds its memory at a few MB. */
const MAX_WORDS = 200_000;

/** Wraps `model.encode` (in place) with a per-word cache; the tokens it returns are unchanged. */
export function cacheWordPieces(model: WordPieceModel): void {
  const encode = model.encode.bind(model);
  const pieces = new Map<string, string[]>();
  model.encode = (tokens: string[]): string[] => {
    const out: string[] = [];
    for (const token of tokens) {
      let p = pieces.get(token);
      if (p === undefined) {
        p = encode([token]);
        if (pieces.size >= MAX_WORDS) pieces.clear();
        pieces.set(token, p);
      }
      for (const piece of p) out.push(piece);
    }
    return out;
  };
}

/** The WordPiece model of a transformers.js tokenizer, or null when it uses another algorithm. */
export function wordPieceModelOf(tokenizer: unknown): WordPieceModel | null {
  const model = (tokenizer as { model?: unknown } | null)?.model as (WordPieceModel & { constructor?: { name?: string } }) | undefined;
  return model && typeof model.encode === 'function' && model.constructor?.name === 'WordPieceTokenizer' ? model : null;
}
