/**
 * Updates that were taken from Telegram but not answered when the bot stopped. Telegram counts an
 * update as delivered once a later getUpdates call has moved past it, so these are kept in a file
 * and answered first on the next start.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Update } from 'grammy/types';

/** The updates saved by the last stop, oldest first; [] when there are none or the file is unreadable. */
export async function readPendingUpdates(file: string): Promise<{ updates: Update[]; problem: string | null }> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { updates: [], problem: code === 'ENOENT' ? null : `cannot read ${file} (${code ?? String(err)})` };
  }
  try {
    const value = JSON.parse(raw) as unknown;
    if (!Array.isArray(value)) throw new Error('not a list');
    const updates = value.filter((u): u is Update => typeof u === 'object' && u !== null && Number.isSafeInteger((u as Update).update_id));
    return { updates: updates.sort((a, b) => a.update_id - b.update_id), problem: null };
  } catch (err) {
    return { updates: [], problem: `${file} is not a list of updates (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** Saves `updates` (replacing any earlier file) so that a crash mid-write never leaves half a file. */
export async function writePendingUpdates(file: string, updates: readonly Update[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(updates));
  await rename(tmp, file);
}

export async function clearPendingUpdates(file: string): Promise<void> {
  await rm(file, { force: true });
}
