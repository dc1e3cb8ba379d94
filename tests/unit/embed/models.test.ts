import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_MODEL, isOfflineModel, resolveModel } from '../../../src/embed/models.js';
import { OFFLINE_MODEL_ID } from '../../../src/embed/offline-model.js';

const BGE_INSTRUCTION = 'Represent this sentence for searching relevant passages: ';

describe('resolveModel', () => {
  it('uses CLS pooling and the query instruction for the default BGE model', () => {
    expect(DEFAULT_HUB_MODEL).toBe('Xenova/bge-small-en-v1.5');
    expect(resolveModel(DEFAULT_HUB_MODEL)).toMatchObject({
      id: DEFAULT_HUB_MODEL,
      pooling: 'cls',
      pipelinePooling: 'cls',
      queryPrefix: BGE_INSTRUCTION,
      passagePrefix: '',
      offline: false,
      quantized: true,
    });
    expect(resolveModel('Xenova/bge-large-en-v1.5').pooling).toBe('cls');
  });

  it('uses mean pooling with query/passage prefixes for the e5 family', () => {
    for (const id of ['Xenova/e5-small-v2', 'Xenova/multilingual-e5-small', 'someone/custom-e5-model']) {
      expect(resolveModel(id)).toMatchObject({ pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ' });
    }
  });

  it('uses mean pooling without prefixes for MiniLM, GTE and unknown models', () => {
    for (const id of ['Xenova/all-MiniLM-L6-v2', 'Xenova/gte-small', 'someone/unknown-model']) {
      expect(resolveModel(id)).toMatchObject({ id, pooling: 'mean', queryPrefix: '', passagePrefix: '', offline: false });
    }
  });

  it('guesses CLS pooling for unknown BGE-like ids', () => {
    expect(resolveModel('someone/bge-finetuned')).toMatchObject({ pooling: 'cls', queryPrefix: BGE_INSTRUCTION });
  });

  it('does not mistake names that merely contain "e5" for the e5 family', () => {
    expect(resolveModel('someone/model-de5ign').queryPrefix).toBe('');
  });

  it('accepts the alias "offline" and the full offline id', () => {
    for (const name of ['offline', OFFLINE_MODEL_ID, ' offline ']) {
      expect(isOfflineModel(name)).toBe(true);
      expect(resolveModel(name)).toMatchObject({
        id: OFFLINE_MODEL_ID,
        pooling: 'mean',
        queryPrefix: '',
        passagePrefix: '',
        offline: true,
        quantized: false,
      });
    }
    expect(isOfflineModel('Xenova/offline-thing')).toBe(false);
  });
});
