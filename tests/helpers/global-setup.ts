import { ensureOfflineModel } from '../../src/embed/offline-model.js';
import { MODEL_CACHE_DIR } from './offline-embedder.js';

/** Builds the offline model once per machine before any test worker starts. */
export default async function setup(): Promise<void> {
  await ensureOfflineModel(MODEL_CACHE_DIR);
}
