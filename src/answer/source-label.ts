/**
 * Human source lines for quotes: "Report 003 · Weekly roundup · ¶4". The report number comes from
 * the file name's leading digits, else from the report's 1-based position in `reports()`.
 */
import type { ReportSummary } from '../search/types';
import { clip } from '../text/clip';

const SEPARATOR = ' · ';
// Titles are the reports' first lines; long ones would crowd the source line on a phone screen.
const MAX_TITLE_CHARS = 80;

/** Maps report sources to their display numbers; build once per `reports()` list. */
export class ReportNumbers {
  private readonly numbers = new Map<string, string>();

  constructor(reports: readonly ReportSummary[]) {
    const width = Math.max(3, String(reports.length).length);
    reports.forEach((report, index) => {
      this.numbers.set(report.source, leadingDigits(report.source) ?? String(index + 1).padStart(width, '0'));
    });
  }

  /** The display number of `source`; unknown sources fall back to their own leading digits or "?". */
  numberOf(source: string): string {
    return this.numbers.get(source) ?? leadingDigits(source) ?? '?';
  }

  /**
   * "Report 003 · Title · ¶4"; "¶4, part 2" when a long paragraph was cut into several passages, and
   * "· reader comment" for a passage from a comment thread.
   */
  label(source: string, title: string, paragraph: number, where: { part?: number; parts?: number; comment?: boolean } = {}): string {
    const place = (where.parts ?? 1) > 1 ? `¶${paragraph}, part ${where.part ?? 1}` : `¶${paragraph}`;
    const pieces = [`Report ${this.numberOf(source)}`, shortTitle(title), place];
    if (where.comment) pieces.push('reader comment');
    return pieces.join(SEPARATOR);
  }
}

function leadingDigits(source: string): string | null {
  const base = source.split('/').pop() ?? source;
  const match = /^\d+/.exec(base);
  return match ? match[0] : null;
}

/** Collapses whitespace and cuts long titles at a word boundary with an ellipsis. */
export function shortTitle(title: string, max = MAX_TITLE_CHARS): string {
  return clip(title, max);
}
