/**
 * Human source lines for quotes: "Report 003 · Weekly roundup · 20 Aug 2024 · p. 4" (¶N outside
 * PDFs). The report label is a stable id from the file path; the title links to the original when
 * its URL is known.
 */
import { reportLabel } from '../ingest/report-label';
import type { ReportSummary, SearchHit } from '../search/types';
import { clip } from '../text/clip';
import type { SourceLink } from './document';

const SEPARATOR = ' · ';
// Titles are the reports' first lines; long ones would crowd the source line on a phone screen.
const MAX_TITLE_CHARS = 80;
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** What a source line is made of: a hit's or a context's report fields; a page, when known, replaces the ¶. */
export type SourceRef = Pick<SearchHit, 'source' | 'title' | 'date' | 'url' | 'page' | 'endPage' | 'paragraph'> &
  Partial<Pick<SearchHit, 'part' | 'parts' | 'comment'>>;

export interface SourceLine {
  text: string;
  link: SourceLink | null;
}

/** "20 Aug 2024" for an ISO date. */
export function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : DATE_FORMAT.format(date);
}

/** Maps report sources to their labels; build once per `reports()` list. */
export class ReportNumbers {
  private readonly labels = new Map<string, string>();

  constructor(reports: readonly ReportSummary[]) {
    for (const report of reports) this.labels.set(report.source, report.label);
  }

  /** The label of `source` ("003"); an unknown source gets the label its path would have. */
  numberOf(source: string): string {
    return this.labels.get(source) ?? reportLabel(source);
  }

  /**
   * "Report 003 · Title · 20 Aug 2024 · p. 4" ("pp. 4–5" across a page break; "¶4, part 2" when a long
   * paragraph was cut; "· reader comment" for a comment thread), with the title's range when it links to the original.
   */
  label(ref: SourceRef): SourceLine {
    const head = `Report ${this.numberOf(ref.source)}${SEPARATOR}`;
    const title = shortTitle(ref.title);
    const paragraph = (ref.parts ?? 1) > 1 ? `¶${ref.paragraph}, part ${ref.part ?? 1}` : `¶${ref.paragraph}`;
    const place =
      ref.page === null ? paragraph : ref.endPage !== null && ref.endPage > ref.page ? `pp. ${ref.page}–${ref.endPage}` : `p. ${ref.page}`;
    const tail = [ref.date === null ? null : formatDate(ref.date), place, ref.comment === true ? 'reader comment' : null]
      .filter((part): part is string => part !== null)
      .map((part) => SEPARATOR + part)
      .join('');
    return {
      text: head + title + tail,
      link: ref.url === null || title === '' ? null : { offset: head.length, length: title.length, url: ref.url },
    };
  }
}

/** Collapses whitespace and cuts long titles at a word boundary with an ellipsis. */
export function shortTitle(title: string, max = MAX_TITLE_CHARS): string {
  return clip(title, max);
}
