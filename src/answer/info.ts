/** Neutral blocks for the report list and index details, shared by /sources, /about and the console. */
import type { IndexStats, Searcher } from '../search/types';
import { reportNumbers } from './answer';
import { strong, text, type Block } from './document';
import { shortTitle } from './source-label';

/** One block per report so long lists split cleanly across messages. */
export function sourcesBlocks(live: Searcher): Block[] {
  const searcher = live.snapshot();
  const reports = searcher.reports();
  if (reports.length === 0) return [text('No reports are indexed yet.')];
  const numbers = reportNumbers(searcher);
  const noun = reports.length === 1 ? 'report' : 'reports';
  return [
    text(strong(`${reports.length} indexed ${noun}:`)),
    ...reports.map((r) =>
      text(`Report ${numbers.numberOf(r.source)} · ${shortTitle(r.title)} · ${r.passages} ${r.passages === 1 ? 'passage' : 'passages'}`),
    ),
  ];
}

/** Index statistics; `withPaths` adds the index folder (admins, console). */
export function aboutBlocks(stats: IndexStats, withPaths: boolean): Block[] {
  const model = stats.offlineModel ? `${stats.modelId} (built-in offline model)` : stats.modelId;
  const lines = [
    `Reports: ${stats.reports}`,
    `Passages: ${stats.passages}`,
    `Embedding model: ${model}, ${stats.dims} dimensions`,
    `Index built: ${stats.builtAt}`,
    `Build: ${stats.buildId}`,
  ];
  if (withPaths) lines.push(`Index folder: ${stats.indexDir}`);
  return [text(strong('About this index')), text(lines.join('\n'))];
}
