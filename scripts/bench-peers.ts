/**
 * The `peers` section of `npm run bench`: our BM25 index beside MiniSearch and Orama (default
 * options), and exact brute-force dense search beside our hnsw graph, each engine in its own process
 * (scripts/bench-peers-worker.ts), on synthetic passages and on Cranfield/MED.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

type Row = Record<string, unknown> & { lexical?: Record<string, number | null>; indexRssMb?: number; buildSeconds?: number };

function runEngine(engine: string, corpus: string, irDir: string): Promise<Row> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench-peers-worker.ts', engine, corpus, irDir], { maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`peers bench ${engine} on ${corpus} failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as Row);
    });
  });
}

const ratio = (a: unknown, b: unknown): number | null => (typeof a === 'number' && typeof b === 'number' && b > 0 ? Number((a / b).toFixed(3)) : null);

/** Ours divided by the peer: below 1 is better for time and memory, above 1 is better for nDCG. */
function versus(ours: Row, peer: Row): Record<string, number | null> {
  return {
    buildSeconds: ratio(ours.buildSeconds, peer.buildSeconds),
    indexRssMb: ratio(ours.indexRssMb, peer.indexRssMb),
    lexicalP50Ms: ratio(ours.lexical?.p50Ms, peer.lexical?.p50Ms),
    lexicalP99Ms: ratio(ours.lexical?.p99Ms, peer.lexical?.p99Ms),
    ndcg10: ratio(ours.lexical?.ndcg10, peer.lexical?.ndcg10),
  };
}

async function corpusSection(corpus: string, irDir: string, withSearcher: boolean): Promise<Record<string, unknown>> {
  const ours = await runEngine('ours', corpus, irDir);
  const minisearch = await runEngine('minisearch', corpus, irDir);
  const orama = await runEngine('orama', corpus, irDir);
  const dense = await runEngine('dense', corpus, irDir);
  const out: Record<string, unknown> = { ours, minisearch, orama, dense, oursVsMinisearch: versus(ours, minisearch), oursVsOrama: versus(ours, orama) };
  if (withSearcher) out.oursSearcher = await runEngine('ours-search', corpus, irDir);
  return out;
}

/** Runs every engine on `passages` synthetic passages and, when present under irDir, Cranfield and MED. */
export async function runPeersBench(passages: number, irDir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    note: 'ours = our BM25 index alone (stemmed content words, weight 1); oursSearcher = the whole searcher (lexical and hybrid). indexRssMb is RSS after building minus RSS with the corpus loaded. Ratios are ours / peer.',
  };
  out[`synthetic${passages}`] = await corpusSection(`synthetic:${passages}`, irDir, false);
  for (const name of ['cranfield', 'med']) {
    if (existsSync(path.join(irDir, name, 'docs.jsonl'))) out[name] = await corpusSection(name, irDir, true);
  }
  return out;
}
