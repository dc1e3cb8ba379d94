/**
 * The corpus's latent semantic model on disk (src/embed/latent-semantic.ts): kept terms as a string
 * column and their rows as one float32 column (column-file.ts), or an empty file when the corpus
 * was too small to fit one.
 */
import type { StoredLatent } from '../embed/latent-semantic';
import { column, decodeColumns, decodeStrings, encodeColumnParts, encodeStrings } from './column-file';

/** Serialises a model, or "none" as an empty file. */
export function encodeLatentParts(latent: StoredLatent | null): Uint8Array[] {
  if (!latent) return [new Uint8Array(0)];
  const terms = encodeStrings(latent.terms);
  return encodeColumnParts({ dims: Uint32Array.of(latent.dims), termBytes: terms.bytes, termOffsets: terms.offsets, projection: latent.projection });
}

/** Reads what `encodeLatentParts` wrote; throws (plain Error) when it is inconsistent. */
export function decodeLatent(raw: Buffer): StoredLatent | null {
  if (raw.byteLength === 0) return null;
  const cols = decodeColumns(raw);
  const dims = column(cols, 'dims', 'u32')[0] ?? 0;
  const terms = decodeStrings({ bytes: column(cols, 'termBytes', 'u8'), offsets: column(cols, 'termOffsets', 'u32') });
  const projection = column(cols, 'projection', 'f32');
  if (dims < 1 || projection.length !== terms.length * dims) throw new Error(`latent rows hold ${projection.length} numbers for ${terms.length} terms of ${dims} dimensions`);
  return { dims, terms, projection };
}
