import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors';
import { decodeReport } from '../../../src/ingest/read-text';
import { readReports } from '../../../src/ingest/read-reports';
import { deriveTitle } from '../../../src/ingest/title';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

describe('readReports', () => {
  it('reads .txt and .md recursively in sorted order and names files of unsupported types', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'b.txt'), 'Second report text here.');
    await writeFile(path.join(dir, 'a.md'), '# Weekly roundup\nFirst report.');
    await writeFile(path.join(dir, 'sub', 'c.txt'), 'Nested report text.');
    await writeFile(path.join(dir, 'notes.json'), '{}');
    const { reports, skipped } = await readReports(dir);
    expect(reports.map((r) => r.path)).toEqual(['a.md', 'b.txt', 'sub/c.txt']);
    expect(reports[0]?.title).toBe('Weekly roundup');
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([['notes.json', expect.stringMatching(/^unsupported type \(\.json\)/)]]);
  });

  it('skips binary, empty and unreadable files with a reason, and keeps the rest', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'good.txt'), 'A good report about the front.');
    await writeFile(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    await writeFile(path.join(dir, 'empty.txt'), '  \n');
    await writeFile(path.join(dir, 'locked.txt'), 'secret');
    await chmod(path.join(dir, 'locked.txt'), 0o000);
    const { reports, skipped } = await readReports(dir);
    expect(reports.map((r) => r.path)).toEqual(process.getuid?.() === 0 ? ['good.txt', 'locked.txt'] : ['good.txt']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(reasons['binary.txt']).toMatch(/binary/);
    expect(reasons['empty.txt']).toMatch(/empty/);
    if (process.getuid?.() !== 0) expect(reasons['locked.txt']).toMatch(/unreadable/);
  });

  it('fails clearly on an empty or missing folder', async () => {
    const dir = await tempDir();
    await expect(readReports(dir)).rejects.toMatchObject({ code: 'REPORTS_EMPTY' });
    await expect(readReports(path.join(dir, 'nope'))).rejects.toBeInstanceOf(AppError);
    await expect(readReports(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'REPORTS_NOT_FOUND' });
  });
});

describe('decodeReport', () => {
  it('removes a BOM and normalises CRLF', () => {
    expect(decodeReport(Buffer.from('\uFEFFline one\r\nline two\rthree', 'utf8'))).toBe('line one\nline two\nthree');
  });

  it('falls back to Windows-1252 for invalid UTF-8', () => {
    expect(decodeReport(Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0x80]))).toBe('“Hi” €');
  });
});

describe('deriveTitle', () => {
  it('uses the first meaningful line, cut to its first sentence', () => {
    expect(deriveTitle('Menu\n\nWeekly roundup. Ukraine resists. Days 1-5\n\nBody', '003.txt')).toBe('Weekly roundup');
    expect(deriveTitle('Key developments\n- item', 'x.txt')).toBe('Key developments');
  });

  it('shortens long titles and falls back to the file name', () => {
    const long = deriveTitle(`${'word '.repeat(40)}end`, 'x.txt');
    expect(long.length).toBeLessThanOrEqual(71);
    expect(long.endsWith('…')).toBe(true);
    expect(deriveTitle('Menu\n!!!', 'reports/004_abc.txt')).toBe('004_abc');
  });
});
