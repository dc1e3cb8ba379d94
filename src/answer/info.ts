/** Neutral blocks for the report list and index details, shared by /sources, /about and the console. */
import type { Translate } from '../i18n/words';
import type { IndexStats, Searcher } from '../search/types';
import { reportNumbers } from './answer';
import { strong, text, type Block } from './document';
import { shortTitle } from './source-label';

/** One block per report so long lists split cleanly across messages. */
export function sourcesBlocks(live: Searcher, t: Translate): Block[] {
  const searcher = live.snapshot();
  const reports = searcher.reports();
  if (reports.length === 0) return [text(t('sources-none'))];
  const numbers = reportNumbers(searcher);
  return [
    text(strong(t('sources-header', { count: reports.length }))),
    ...reports.map((r) => text(t('sources-line', { number: numbers.numberOf(r.source), title: shortTitle(r.title), passages: r.passages }))),
  ];
}

/** Index statistics; `withPaths` adds the index folder (admins, console). */
export function aboutBlocks(stats: IndexStats, withPaths: boolean, t: Translate): Block[] {
  const model = stats.offlineModel ? t('about-model-offline', { model: stats.modelId }) : stats.modelId;
  const lines = [
    t('about-body', { reports: stats.reports, passages: stats.passages, model, dims: stats.dims, builtAt: stats.builtAt, buildId: stats.buildId }),
  ];
  if (withPaths) lines.push(t('about-index-folder', { dir: stats.indexDir }));
  return [text(strong(t('about-title'))), text(lines.join('\n'))];
}
