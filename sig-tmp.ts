import { createEmbedder } from './src/embed/embedder';
import { loadIndex } from './src/store/load-index';
import { createSearcher } from './src/search/searcher';
const e = await createEmbedder({ model: 'offline', cacheDir: '.cache/models' });
const s = createSearcher({ index: await loadIndex('/tmp/ix'), embedder: e });
for (const q of process.argv.slice(2)) { const r = await s.search(q, { k: 1 }); console.log(r.answer, JSON.stringify(r.signals), q, '|', r.hits[0]?.text.slice(0, 60)); }
