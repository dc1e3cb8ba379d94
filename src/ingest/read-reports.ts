import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ReportFileError, ReportsError } from '../errors';
import { createDuplicateFilter, textSimilarity } from './dedupe';
import { extractReport, isReportFile, REPORT_EXTENSIONS, sizeProblem, typeProblem } from './formats';
import { dateInText, mergeMeta, NO_META, parseSidecar, SIDECAR_SUFFIX } from './metadata';
import { assignLabels } from './report-label';
import type { Report, ReportMeta } from './types';
import { deriveTitle } from './title';

/** A file that was not indexed (or a sidecar that was ignored), and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** A skipped report file with the fingerprint that tells whether it changed since. */
export interface SkippedReport extends SkippedFile {
  sourceHash: string;
}

export interface ReadReportsResult {
  reports: Report[];
  skipped: SkippedReport[];
  /** Problems that did not stop a report from being indexed (bad sidecar fields, orphan sidecars). */
  warnings: SkippedFile[];
}

/** The same report in two formats: word 3-shingle overlap at which two files count as one report. */
const SAME_REPORT_SIMILARITY = 0.9;
/** Skipped files named in the "no reports" error; the rest would bury the hint. */
const MAX_REASONS_IN_ERROR = 5;
const FOLDER_HINT = `Pass --reports DIR or set REPORTS_DIR to a folder of reports (${REPORT_EXTENSIONS.join(', ')}).`;

interface SourceFile {
  full: string;
  /** Relative to the reports folder, forward slashes. */
  rel: string;
  /** The sidecar's full path when one exists. */
  sidecar: string | null;
}

function relative(dir: string, full: string): string {
  return path.relative(dir, full).split(path.sep).join('/');
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

function isSidecar(name: string): boolean {
  return name.toLowerCase().endsWith(SIDECAR_SUFFIX);
}

/** Every non-hidden file under `dir` (sorted by relative path) with its sidecar, and sidecars that describe no file. */
async function listSources(dir: string): Promise<{ files: SourceFile[]; orphans: string[] }> {
  const all: string[] = [];
  await walk(dir, all);
  const sidecars = new Set(all.filter(isSidecar));
  const files = all
    .filter((full) => !isSidecar(full))
    .map((full) => ({ full, rel: relative(dir, full), sidecar: sidecars.has(full + SIDECAR_SUFFIX) ? full + SIDECAR_SUFFIX : null }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const described = new Set(files.map((f) => f.sidecar));
  const orphans = [...sidecars].filter((s) => !described.has(s)).map((s) => relative(dir, s)).sort();
  return { files, orphans };
}

/** sha256 of a report file (its bytes, or only its size when it is not read) and its sidecar's bytes. */
function fingerprint(content: Buffer | number, sidecar: Buffer | null): string {
  const hash = createHash('sha256');
  if (typeof content === 'number') hash.update(`size:${content}`);
  else hash.update(content);
  hash.update('\n');
  if (sidecar) hash.update(sidecar);
  return hash.digest('hex');
}

async function folderExists(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (cause) {
    throw new ReportsError('REPORTS_NOT_FOUND', `Reports folder not found: ${dir}`, { cause, hint: FOLDER_HINT });
  }
  if (!info.isDirectory()) throw new ReportsError('REPORTS_NOT_FOUND', `Reports path is not a folder: ${dir}`, { hint: FOLDER_HINT });
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/** A file's bytes when it is a report file of a readable size, else its size (not worth reading). */
async function contentOf(file: SourceFile): Promise<Buffer | number> {
  const { size } = await stat(file.full);
  return isReportFile(file.rel) && sizeProblem(size) === null ? readFile(file.full) : size;
}

/** The sidecar's bytes, or null when there is none or it cannot be read. */
async function sidecarBytes(file: SourceFile): Promise<Buffer | null> {
  return file.sidecar === null ? null : readFile(file.sidecar).catch(() => null);
}

/**
 * Fingerprints of every file in the reports folder (relative path → source hash), as
 * `readReports` records them: comparing them with an index tells whether it is out of date
 * without extracting any text.
 */
export async function scanReportSources(dir: string): Promise<Map<string, string>> {
  await folderExists(dir);
  const { files } = await listSources(dir);
  const out = new Map<string, string>();
  for (const file of files) {
    const sidecar = await sidecarBytes(file);
    try {
      out.set(file.rel, fingerprint(await contentOf(file), sidecar));
    } catch (err) {
      out.set(file.rel, `unreadable:${errorCode(err)}`);
    }
  }
  return out;
}

interface Candidate {
  report: Omit<Report, 'label'>;
  /** Number of metadata fields known: the richer copy of a report in two formats is kept. */
  richness: number;
}

/** Drops all but one copy of a report present in several formats, keeping the copy with the most metadata. */
function dropSameReports(candidates: Candidate[], skipped: SkippedReport[]): Candidate[] {
  const ordered = [...candidates].sort((a, b) => b.richness - a.richness || (a.report.path < b.report.path ? -1 : 1));
  const filter = createDuplicateFilter(SAME_REPORT_SIMILARITY);
  const kept: Candidate[] = [];
  for (const c of ordered) {
    if (filter.isDuplicate(c.report.text)) {
      const twin = kept.find((k) => textSimilarity(k.report.text, c.report.text) >= SAME_REPORT_SIMILARITY) ?? kept[0];
      skipped.push({ path: c.report.path, reason: `same report as ${twin?.report.path ?? 'another file'} (kept that copy)`, sourceHash: c.report.sourceHash });
      continue;
    }
    kept.push(c);
  }
  return kept;
}

/**
 * Reads every report under `dir` (recursive, sorted by relative path): PDF, DOCX, HTML, Markdown
 * and text, each with its metadata, overridden by a `<file>.meta.json` sidecar. Files that cannot be
 * used (unsupported, too large, encrypted, scanned, corrupt, empty…) are skipped with a reason; the
 * others are still read. The same report in two formats is read once.
 */
export async function readReports(dir: string): Promise<ReadReportsResult> {
  await folderExists(dir);
  const { files, orphans } = await listSources(dir);
  const skipped: SkippedReport[] = [];
  const warnings: SkippedFile[] = orphans.map((o) => ({ path: o, reason: 'sidecar without a report file of that name, ignored' }));
  const candidates: Candidate[] = [];

  for (const file of files) {
    let sidecarMeta: ReportMeta = NO_META;
    const sidecar = await sidecarBytes(file);
    if (file.sidecar !== null) {
      const sidecarRel = relative(dir, file.sidecar);
      try {
        if (sidecar === null) throw new ReportFileError('unreadable, ignored');
        const parsed = parseSidecar(sidecar);
        sidecarMeta = parsed.meta;
        for (const problem of parsed.problems) warnings.push({ path: sidecarRel, reason: problem });
      } catch (err) {
        if (!(err instanceof ReportFileError)) throw err;
        warnings.push({ path: sidecarRel, reason: err.message });
      }
    }
    let content: Buffer | number;
    try {
      content = await contentOf(file);
    } catch (err) {
      skipped.push({ path: file.rel, reason: `unreadable (${errorCode(err)})`, sourceHash: `unreadable:${errorCode(err)}` });
      continue;
    }
    const sourceHash = fingerprint(content, sidecar);
    try {
      if (typeof content === 'number') throw new ReportFileError(typeProblem(file.rel) ?? sizeProblem(content) ?? 'not read');
      const extracted = await extractReport(content, file.rel);
      const meta = mergeMeta(sidecarMeta, extracted.meta);
      const date = meta.date ?? dateInText(extracted.text);
      const richness = [meta.title, date, meta.url, meta.author].filter((v) => v !== null).length;
      candidates.push({
        richness,
        report: {
          path: file.rel,
          format: extracted.format,
          text: extracted.text,
          hash: hashText(extracted.text),
          sourceHash,
          title: meta.title ?? deriveTitle(extracted.text, file.rel),
          date,
          url: meta.url,
          author: meta.author,
          pageStarts: extracted.pageStarts,
        },
      });
    } catch (err) {
      if (!(err instanceof ReportFileError)) throw err;
      skipped.push({ path: file.rel, reason: err.message, sourceHash });
    }
  }

  const kept = dropSameReports(candidates, skipped);
  const labels = assignLabels(kept.map((c) => c.report.path));
  const reports: Report[] = kept
    .map((c) => ({ ...c.report, label: labels.get(c.report.path) ?? c.report.path }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (reports.length === 0) {
    const detail = files.length === 0 ? 'it has no report files' : 'none of its files could be used';
    const reasons = skipped.slice(0, MAX_REASONS_IN_ERROR).map((s) => `\n  ${s.path}: ${s.reason}`).join('');
    throw new ReportsError('REPORTS_EMPTY', `No reports to index in ${dir}: ${detail}.${reasons}`, {
      hint: `Add reports (${REPORT_EXTENSIONS.join(', ')}) to the folder, or pass --reports DIR.`,
    });
  }
  return { reports, skipped, warnings };
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
