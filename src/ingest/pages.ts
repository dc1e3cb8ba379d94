/** Page numbers of offsets in a paged report (PDF). */

/** The 1-based page holding `offset`, or null for a report without pages. */
export function pageAt(pageStarts: readonly number[] | null, offset: number): number | null {
  if (pageStarts === null || pageStarts.length === 0) return null;
  let lo = 0;
  let hi = pageStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((pageStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
