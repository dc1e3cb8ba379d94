export type Pooling = 'cls' | 'mean';

/** What identifies an embedding model; recorded in the index manifest. */
export interface ModelInfo {
  /** The model id as transformers.js loads it, e.g. `Xenova/bge-small-en-v1.5` or `offline/glove-sif-100d`. */
  id: string;
  dims: number;
  pooling: Pooling;
  /** sha256 prefix over the model's weights and tokenizer, so a changed model is detected. */
  fingerprint: string;
  /** True for the project's own static word-vector model. */
  offline: boolean;
}

/** Turns text into L2-normalised vectors with one model. */
export interface Embedder {
  readonly info: ModelInfo;
  embedQuery(text: string): Promise<Float32Array>;
  /** Embeds passages in batches; `onProgress(done, total)` is called after each batch. */
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
}
