/**
 * Worker thread of graph-builder.ts: inserts its shard's rows (shard, shard + shards, …) of a shared
 * vector buffer into an hnswlib graph, labelled by row, as the build announces them, in row order;
 * then measures the calibration probes' top-1 similarities and writes the graph file. Plain CommonJS so that it loads
 * the same under node, tsx and vitest.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const hnswlib = require(workerData.hnswlibPath);

const { dims, count, shard, shards, m, efConstruction, efSearch, seed, buffer } = workerData;
const vectors = new Float32Array(buffer);
const own = Math.max(0, Math.ceil((count - shard) / shards));
const graph = new hnswlib.HierarchicalNSW('cosine', dims);
graph.initIndex(Math.max(1, own), m, efConstruction, seed);
const reportEvery = Math.max(1, Math.floor(own / 100));
let added = 0;

/** Inserts this shard's rows below `upTo`. */
function addUpTo(upTo) {
  for (let row = shard + added * shards; row < upTo; row += shards) {
    graph.addPoint(Array.from(vectors.subarray(row * dims, (row + 1) * dims)), row);
    added++;
    if (added % reportEvery === 0) parentPort.postMessage({ type: 'added', added });
  }
}

function finish(probes, file) {
  addUpTo(count);
  parentPort.postMessage({ type: 'added', added });
  graph.setEf(efSearch);
  // An empty shard has no nearest vector: null, so that it does not count.
  const tops = own === 0 ? null : probes.map((p) => 1 - (graph.searchKnn(Array.from(p), 1).distances[0] ?? 1));
  if (file !== null) graph.writeIndexSync(file);
  parentPort.postMessage({ type: 'done', tops });
}

parentPort.on('message', (msg) => {
  try {
    if (msg.type === 'ready') addUpTo(msg.upTo);
    else if (msg.type === 'finish') finish(msg.probes, msg.file);
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
