/**
 * Report labels ("Report 003"): stable ids derived from a report's path alone, so adding or
 * removing another file never renumbers a report.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Longer file names are cut (in code points, never inside a character); the label names a report, it need not spell out the whole file name. */
const MAX_STEM_CHARS = 32;

/**
 * The label of one path: the file name's leading number when it has one ("003_9a57….txt" → "003"),
 * else the file name without its extension; files in sub-folders keep the folder ("east/003").
 */
export function reportLabel(relPath: string): string {
  const base = path.posix.basename(relPath);
  const stem = base.slice(0, base.length - path.posix.extname(base).length) || base;
  const number = /^(\d+)(?:[_\s]|$)/.exec(stem);
  const core = number ? (number[1] ?? stem) : Array.from(stem.replace(/\s+/g, '-')).slice(0, MAX_STEM_CHARS).join('');
  const dir = path.posix.dirname(relPath);
  return dir === '.' ? core : `${dir}/${core}`;
}

/** A short hash of a path: tells apart reports whose labels would be equal, and keys report buttons. */
export function pathKey(relPath: string, length = 10): string {
  return createHash('sha256').update(relPath).digest('hex').slice(0, length);
}

/** Labels for a set of paths; paths whose labels collide get their path's short hash appended. */
export function assignLabels(paths: readonly string[]): Map<string, string> {
  const byLabel = new Map<string, string[]>();
  for (const p of paths) {
    const label = reportLabel(p);
    byLabel.set(label, [...(byLabel.get(label) ?? []), p]);
  }
  const labels = new Map<string, string>();
  for (const [label, owners] of byLabel) {
    for (const p of owners) labels.set(p, owners.length === 1 ? label : `${label}~${pathKey(p, 4)}`);
  }
  return labels;
}
