import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuildQueue } from '../../../src/bot/build-queue';
import { changeAndRebuild } from '../../../src/bot/report-change';
import { placeReport, removeReportFile, safeReportName, stageReport } from '../../../src/ingest/report-files';
import { createLogger } from '../../../src/logger';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();
const silent = createLogger({ level: 'silent' });
const visible = async (dir: string) => (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
const summary = { buildId: 'b', reports: 1, passages: 1, duplicatesRemoved: 0, reused: 0, embedded: 1, removed: 0, seconds: 0, skipped: [] };

describe('safeReportName', () => {
  it('keeps a plain name and cleans paths, odd characters, hidden names and sidecar look-alikes', () => {
    expect(safeReportName('ISW update 20 Aug (final).PDF')).toBe('ISW update 20 Aug (final).pdf');
    expect(safeReportName('../../etc/passwd')).toBe('passwd');
    expect(safeReportName('..\\..\\evil<script>.html')).toBe('evil_script_.html');
    expect(safeReportName('.hidden.md')).toBe('hidden.md');
    expect(safeReportName('003.txt.meta.json')).toBe('003.txt.json');
    expect(safeReportName(undefined, 'application/pdf', 'upload-abc')).toBe('upload-abc.pdf');
    expect(safeReportName('Звіт 12.docx')).toBe('Звіт 12.docx');
  });
});

describe('reports-folder changes', () => {
  it('never overwrites without being asked, and can undo a replacement', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'old');
    await expect(placeReport(await stageReport(dir, 'a.txt', Buffer.from('new')), false)).rejects.toThrow('a report with this name was added meanwhile');
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('old');
    const change = await placeReport(await stageReport(dir, 'a.txt', Buffer.from('new')), true);
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('new');
    await change.undo();
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('old');
  });

  it('removes a report with its sidecar and can put both back; refuses paths outside the folder', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'text');
    await writeFile(path.join(dir, 'a.txt.meta.json'), '{}');
    const change = await removeReportFile(dir, 'a.txt');
    expect(await visible(dir)).toEqual([]);
    await change.undo();
    expect(await visible(dir)).toEqual(['a.txt', 'a.txt.meta.json']);
    await expect(removeReportFile(dir, '../outside.txt')).rejects.toThrow('not a file in the reports folder');
  });

  it('undoes the change when the rebuild fails or refuses it, and keeps it when the rebuild succeeds', async () => {
    const dir = await tempDir();
    const queue = createBuildQueue();
    const failing = await changeAndRebuild(
      { queue, reindex: async () => Promise.reject(new Error('disk full')) },
      async () => placeReport(await stageReport(dir, 'a.txt', Buffer.from('new')), false),
      () => {},
      () => null,
      silent,
    );
    expect(failing).toEqual({ ok: false, reason: 'disk full' });
    expect(await visible(dir)).toEqual([]);

    let rebuilds = 0;
    const refused = await changeAndRebuild(
      { queue, reindex: async () => (rebuilds++, { ...summary, skipped: [{ path: 'a.txt', reason: 'same report as b.txt (kept that copy)' }] }) },
      async () => placeReport(await stageReport(dir, 'a.txt', Buffer.from('new')), false),
      () => {},
      (s) => s.skipped.find((f) => f.path === 'a.txt')?.reason ?? null,
      silent,
    );
    expect(refused).toEqual({ ok: false, reason: 'same report as b.txt (kept that copy)' });
    expect(rebuilds).toBe(2);
    expect(await visible(dir)).toEqual([]);

    const kept = await changeAndRebuild(
      { queue, reindex: async () => summary },
      async () => placeReport(await stageReport(dir, 'a.txt', Buffer.from('new')), false),
      () => {},
      () => null,
      silent,
    );
    expect(kept.ok).toBe(true);
    expect(await visible(dir)).toEqual(['a.txt']);
    expect(await readdir(path.join(dir, '.uploads'))).toEqual([]);
  });
});
