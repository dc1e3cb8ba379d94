import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * On-disk layout of an index folder:
 *   current            symlink to builds/<id>: the live index, swapped atomically by rename(2)
 *   builds/<id>/       complete, validated builds
 *   builds/.tmp-<id>/  a build in progress (removed if a build dies)
 *   .build.lock        held while a build runs
 */
export const CURRENT_LINK = 'current';
export const BUILDS_DIR = 'builds';
export const LOCK_FILE = '.build.lock';
const TMP_PREFIX = '.tmp-';
/** Builds kept besides the live one, so a reader that resolved the previous link can finish. */
const KEEP_PREVIOUS_BUILDS = 1;

export const FILES = {
  manifest: 'manifest.json',
  /** Report metadata without texts (one JSON entry per report). */
  reports: 'reports.json',
  /** Every report's text, UTF-8, one after another. */
  texts: 'texts.utf8',
  /** Passage columns: report, offsets, paragraph, heading, ids (column-file.ts). */
  passages: 'passages.bin',
  /** BM25 postings, block maxima, lengths and vocabulary (column-file.ts). */
  bm25: 'bm25.bin',
  vectors: 'vectors.f32',
  hnsw: 'vectors.hnsw',
  /** Corpus words and their English ranks (column-file.ts). */
  terms: 'terms.bin',
  termVectors: 'terms.f32',
  /** The corpus's latent semantic model (latent-file.ts); empty when the corpus is too small for one. */
  latent: 'latent.bin',
} as const;

/** The graph files of a build with `shards` graph shards: one `vectors.hnsw`, or `vectors.<i>.hnsw` per shard. */
export function graphFiles(shards: number): string[] {
  if (shards === 1) return [FILES.hnsw];
  return Array.from({ length: shards }, (_, i) => FILES.hnsw.replace(/\.hnsw$/, `.${i}.hnsw`));
}

export function newBuildId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export function tempBuildDir(indexDir: string, buildId: string): string {
  return path.join(indexDir, BUILDS_DIR, `${TMP_PREFIX}${buildId}`);
}

export function finalBuildDir(indexDir: string, buildId: string): string {
  return path.join(indexDir, BUILDS_DIR, buildId);
}

/** The folder holding the live index files, or null if there is none. A folder that itself holds a manifest is used as is. */
export async function resolveLiveDir(indexDir: string): Promise<string | null> {
  if (existsSync(path.join(indexDir, FILES.manifest))) return indexDir;
  const link = path.join(indexDir, CURRENT_LINK);
  try {
    const target = await readlink(link);
    return path.resolve(indexDir, target);
  } catch {
    return null;
  }
}

/** Points `current` at builds/<id> atomically: a reader sees either the old or the new build, never neither. */
export async function publishBuild(indexDir: string, buildId: string): Promise<void> {
  const tmpLink = path.join(indexDir, `${CURRENT_LINK}${TMP_PREFIX}${buildId}`);
  await rm(tmpLink, { force: true });
  await symlink(path.join(BUILDS_DIR, buildId), tmpLink);
  await rename(tmpLink, path.join(indexDir, CURRENT_LINK));
}

/** Removes temp folders of dead builds and old builds beyond the one kept for in-flight readers. Call with the lock held. */
export async function cleanBuilds(indexDir: string): Promise<void> {
  const buildsDir = path.join(indexDir, BUILDS_DIR);
  const live = await resolveLiveDir(indexDir);
  let entries: string[];
  try {
    entries = await readdir(buildsDir);
  } catch {
    return;
  }
  for (const name of await readdir(indexDir)) {
    if (name.startsWith(`${CURRENT_LINK}${TMP_PREFIX}`)) await rm(path.join(indexDir, name), { force: true });
  }
  const finished = entries.filter((e) => !e.startsWith(TMP_PREFIX)).sort();
  const old = finished.filter((e) => path.join(buildsDir, e) !== live);
  const keep = new Set(old.slice(-KEEP_PREVIOUS_BUILDS));
  for (const name of entries) {
    const full = path.join(buildsDir, name);
    if (full === live || keep.has(name)) continue;
    await rm(full, { recursive: true, force: true });
  }
}
