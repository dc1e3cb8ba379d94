/**
 * Changes to the reports folder made from outside the file system (admins in Telegram): safe file
 * names, staging an upload, placing it atomically without ever overwriting silently, removing a
 * report, and undoing any of these when the rebuild that follows fails.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ReportFileError } from '../errors';
import { SIDECAR_SUFFIX } from './metadata';

/** Hidden (never read as reports) folder inside the reports folder: same file system, so renames are atomic. */
export const STAGING_DIR = '.uploads';
/** Longer names are cut (in code points); a file name is for people, not for storing the title. */
const MAX_NAME_CHARS = 80;
/** Staged files older than this belong to uploads nobody confirmed; they are removed. */
const STALE_STAGED_MS = 24 * 60 * 60 * 1000;

const EXTENSION_OF_MIME: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'text/html': '.html',
  'text/markdown': '.md',
  'text/plain': '.txt',
};

/**
 * A file name that is safe to create in the reports folder: no folders, no leading dot, only
 * letters, digits, spaces and `._()-`, a lower-case extension (from the MIME type when the name has none).
 */
export function safeReportName(original: string | undefined, mimeType?: string, fallbackStem = 'report'): string {
  const base = (original ?? '').split(/[\\/]/).pop() ?? '';
  let ext = path.extname(base).toLowerCase().replace(/[^a-z0-9.]/g, '');
  let stem = base.slice(0, base.length - path.extname(base).length);
  if (ext === '' || ext === '.') {
    ext = EXTENSION_OF_MIME[mimeType ?? ''] ?? '';
    stem = base;
  }
  const cleaned = stem
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^[\s._-]+/, '')
    .replace(/[\s.]+$/, '');
  const short = Array.from(cleaned).slice(0, MAX_NAME_CHARS).join('').trim();
  const name = `${short === '' ? fallbackStem : short}${ext}`;
  return name.toLowerCase().endsWith(SIDECAR_SUFFIX) ? `${name.slice(0, -SIDECAR_SUFFIX.length)}.json` : name;
}

/** A file waiting in the staging folder to be placed under `name`. */
export interface StagedReport {
  reportsDir: string;
  /** File name in the reports folder. */
  name: string;
  /** Full path of the staged copy. */
  file: string;
}

/** A change to the reports folder that can still be undone. */
export interface FolderChange {
  /** Puts the folder back as it was. */
  undo(): Promise<void>;
  /** Makes the change final (drops the backups). */
  commit(): Promise<void>;
}

async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function stagingDir(reportsDir: string): string {
  return path.join(reportsDir, STAGING_DIR);
}

/** Removes staged files and backups left behind by uploads that were never confirmed or by a crash. */
export async function cleanStaging(reportsDir: string, now = Date.now()): Promise<void> {
  const dir = stagingDir(reportsDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const full = path.join(dir, name);
    const info = await stat(full).catch(() => null);
    if (info !== null && now - info.mtimeMs > STALE_STAGED_MS) await rm(full, { force: true, recursive: true });
  }
}

/** Writes an upload into the staging folder (flushed to disk), ready to be placed. */
export async function stageReport(reportsDir: string, name: string, bytes: Uint8Array): Promise<StagedReport> {
  const dir = stagingDir(reportsDir);
  await mkdir(dir, { recursive: true });
  await cleanStaging(reportsDir);
  const file = path.join(dir, `${randomBytes(6).toString('hex')}-${name}`);
  await writeSynced(file, bytes);
  return { reportsDir, name, file };
}

/** True when the reports folder already has a file called `name`. */
export function reportExists(reportsDir: string, name: string): Promise<boolean> {
  return exists(path.join(reportsDir, name));
}

/** Drops a staged upload that will not be placed. */
export async function discardStaged(staged: StagedReport): Promise<void> {
  await rm(staged.file, { force: true });
}

/**
 * Moves a staged upload into the reports folder. Without `replace` it never overwrites: a file
 * of that name that appeared meanwhile makes it throw. With `replace` the old file is kept aside
 * until the change is committed, so `undo` can put it back.
 */
export async function placeReport(staged: StagedReport, replace: boolean): Promise<FolderChange> {
  const target = path.join(staged.reportsDir, staged.name);
  if (!replace) {
    try {
      // link(2) fails if the target exists: an atomic "create only".
      await link(staged.file, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ReportFileError('a report with this name was added meanwhile');
      throw err;
    }
    await unlink(staged.file);
    return { undo: () => rm(target, { force: true }), commit: async () => {} };
  }
  const backup = `${staged.file}.replaced`;
  const hadOld = await exists(target);
  if (hadOld) await rename(target, backup);
  await rename(staged.file, target);
  return {
    undo: async () => {
      if (hadOld) await rename(backup, target);
      else await rm(target, { force: true });
    },
    commit: () => rm(backup, { force: true }),
  };
}

/**
 * Takes a report (and its sidecar) out of the reports folder, keeping both aside until the change
 * is committed. `relPath` must name a file inside the folder.
 */
export async function removeReportFile(reportsDir: string, relPath: string): Promise<FolderChange> {
  const root = path.resolve(reportsDir);
  const target = path.resolve(root, relPath);
  if (!target.startsWith(root + path.sep)) throw new ReportFileError('not a file in the reports folder');
  const dir = stagingDir(reportsDir);
  await mkdir(dir, { recursive: true });
  const id = randomBytes(6).toString('hex');
  const moved: Array<[from: string, to: string]> = [];
  for (const [from, to] of [
    [target, path.join(dir, `${id}.removed`)],
    [target + SIDECAR_SUFFIX, path.join(dir, `${id}.removed${SIDECAR_SUFFIX}`)],
  ] as const) {
    if (from === target || (await exists(from))) {
      await rename(from, to);
      moved.push([from, to]);
    }
  }
  return {
    undo: async () => {
      for (const [from, to] of moved) await rename(to, from);
    },
    commit: async () => {
      for (const [, to] of moved) await rm(to, { force: true });
    },
  };
}
