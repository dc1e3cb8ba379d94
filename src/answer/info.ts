/** Neutral blocks for the report list and index details, shared by /sources, /about and the console. */
import type { Translate } from '../i18n/words';
import type { IndexStats, ReportSummary, Searcher } from '../search/types';
import { quoteOf, reportNumbers } from './answer';
import { link, strong, text, type Block } from './document';
import { formatDate, shortTitle } from './source-label';

/** Passages /latest shows from the newest report. */
export const LATEST_PASSAGES = 3;

/** Reports newest first; undated ones last, in path order. */
export function newestFirst(reports: readonly ReportSummary[]): ReportSummary[] {
  return [...reports].sort((a, b) => {
    if (a.date !== b.date) {
      if (a.date === null) return 1;
      if (b.date === null) return -1;
      return a.date < b.date ? 1 : -1;
    }
    return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
  });
}

/** One block per report, newest first, so long lists split cleanly across messages. */
export function sourcesBlocks(live: Searcher, t: Translate): Block[] {
  const searcher = live.snapshot();
  const reports = newestFirst(searcher.reports());
  if (reports.length === 0) return [text(t('sources-none'))];
  return [
    text(strong(t('sources-header', { count: reports.length }))),
    ...reports.map((r) =>
      text(
        `${t('sources-report', { number: r.label })} · `,
        link(shortTitle(r.title), r.url),
        ` · ${r.date === null ? t('sources-no-date') : formatDate(r.date)} · ${r.source} · ${t('sources-passages', { passages: r.passages })}`,
      ),
    ),
  ];
}

/** /latest: the newest dated report's title and date, then its most informative passages. */
export function latestBlocks(live: Searcher, t: Translate): Block[] {
  const searcher = live.snapshot();
  const newest = newestFirst(searcher.reports())[0];
  if (newest === undefined) return [text(t('sources-none'))];
  if (newest.date === null) return [text(t('latest-no-dates')), text(t('latest-dates-hint'))];
  const numbers = reportNumbers(searcher);
  const hits = searcher.keyPassages(newest.source, LATEST_PASSAGES);
  return [
    text(strong(t('latest-title')), ' ', link(shortTitle(newest.title), newest.url), ` · ${formatDate(newest.date)} · ${t('sources-report', { number: newest.label })}`),
    ...hits.map((hit, i) => quoteOf(hit, numbers, i + 1)),
  ];
}

/** Index statistics; `withPaths` adds the index and reports folders (admins, console). */
export function aboutBlocks(stats: IndexStats, withPaths: boolean, t: Translate): Block[] {
  const model = stats.offlineModel ? t('about-model-offline', { model: stats.modelId }) : stats.modelId;
  const lines = [
    t('about-body', { reports: stats.reports, passages: stats.passages, model, dims: stats.dims, builtAt: stats.builtAt, buildId: stats.buildId }),
  ];
  if (withPaths) {
    lines.push(t('about-index-folder', { dir: stats.indexDir }), t('about-reports-folder', { dir: stats.reportsDir }));
    lines.push(t(stats.profileFitted ? 'about-profile-fitted' : 'about-profile-unfitted', { profile: stats.searchProfile, model: stats.modelId }));
  }
  return [text(strong(t('about-title'))), text(lines.join('\n'))];
}
