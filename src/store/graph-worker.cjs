/**
 * Worker thread of graph-builder.ts: inserts rows of a shared vector buffer into an hnswlib graph
 * as the build announces them, in row order, then measures the calibration probes and writes the
 * graph file. Plain CommonJS so that it loads the same under node, tsx and vitest.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const hnswlib = require(workerData.hnswlibPath);

const { dims, count, m, efConstruction, efSearch, seed, buffer } = workerData;
const vectors = new Float32Array(buffer);
const graph = new hnswlib.HierarchicalNSW('cosine', dims);
graph.initIndex(Math.max(1, count), m, efConstruction, seed);
const reportEvery = Math.max(1, Math.floor(count / 100));
let added = 0;

function addUpTo(upTo) {
  while (added < upTo) {
    graph.addPoint(Array.from(vectors.subarray(added * dims, (added + 1) * dims)), added);
    added++;
    if (added % reportEvery === 0) parentPort.postMessage({ type: 'added', added });
  }
}

function finish(probes, file) {
  addUpTo(count);
  parentPort.postMessage({ type: 'added', added });
  graph.setEf(efSearch);
  const tops = probes.map((p) => 1 - (graph.searchKnn(Array.from(p), 1).distances[0] ?? 1));
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
