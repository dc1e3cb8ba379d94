import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReports, type ReadReportsResult } from '../../../src/ingest/read-reports';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex, type BuildSummary } from '../../../src/store/build-index';
import { loadIndex, type LoadedIndex } from '../../../src/store/load-index';
import { isWellFormed } from '../../helpers/fuzz';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

const PARAGRAPH =
  'The grain corridor reopened in August after weeks of talks. Ships carried wheat and maize from Odesa to ports in Turkey, ' +
  'and officials said the route would stay open through the winter if the insurance guarantees held.';

/** A distinct paragraph per file, so corpus-wide duplicate removal keeps each file's passage. */
const TOPICS: Record<string, string> = {
  Sanctions: 'The sanctions package targets banks, shipping firms and oil traders that helped move restricted goods through third countries.',
  Energy: 'Energy workers restored power to most districts within two days, although repair crews still lack transformers and cable.',
  'Air defense': 'Air defense units intercepted most of the drones overnight; debris damaged several houses on the outskirts.',
  Reconstruction: 'Reconstruction of the bridge will take a year, the mayor estimated, because steel deliveries keep slipping.',
};

function paragraph(topic: string): string {
  return `${TOPICS[topic] ?? topic} Officials promised an update next week.`;
}

const FIVE_MB = 5 * 1024 * 1024;

/** A 5 MB report: a heading, a long run of repeated paragraphs and one distinct closing paragraph. */
function bigReport(): string {
  const unit = `${PARAGRAPH}\n\n`;
  const body = unit.repeat(Math.ceil(FIVE_MB / unit.length));
  return `# Five megabyte report\n\n${body}The final paragraph is different: it reports that the air defense systems promised at the summit finally arrived in Kyiv.\n`;
}

/** Odd files, by relative path; `null` marks files that must be skipped, with the reason they must give. */
const ODD_FILES: Array<{ rel: string; bytes: Buffer; skip: RegExp | null }> = [
  { rel: 'crlf.txt', bytes: Buffer.from(`Windows line endings\r\n\r\n${paragraph('Sanctions')}\r\n\r\nSecond paragraph about sanctions.\r\n`, 'utf8'), skip: null },
  { rel: 'old-mac.txt', bytes: Buffer.from(`Classic Mac endings\r\r${paragraph('Energy')}\r`, 'utf8'), skip: null },
  { rel: 'bom.md', bytes: Buffer.from(`\uFEFF# Weekly roundup\n\n${paragraph('Air defense')}\n`, 'utf8'), skip: null },
  {
    rel: 'cp1252.txt',
    bytes: Buffer.concat([
      Buffer.from('Budget notes from the ministry\r\n\r\n', 'latin1'),
      Buffer.from([0x93]),
      Buffer.from('The grain budget is ', 'latin1'),
      Buffer.from([0x80]),
      Buffer.from('5 million', 'latin1'),
      Buffer.from([0x94]),
      Buffer.from(', the minister said ', 'latin1'),
      Buffer.from([0x96]),
      Buffer.from(' caf\xe9 owners and farmers welcomed the decision about the grain exports budget this week.\r\n', 'latin1'),
    ]),
    skip: null,
  },
  { rel: 'big.txt', bytes: Buffer.from(bigReport(), 'utf8'), skip: null },
  { rel: 'symbols-only.txt', bytes: Buffer.from('🚀🚀🚀 ★★★\n\n<b>&amp;</b> *_[]()~`\n', 'utf8'), skip: null },
  { rel: 'nested/deep/rtl.md', bytes: Buffer.from(`# تقرير أسبوعي\n\nשלום עולם. ${paragraph('Reconstruction')} مرحبا بالعالم 👨‍👩‍👧‍👦\n`, 'utf8'), skip: null },
  { rel: 'empty.txt', bytes: Buffer.alloc(0), skip: /empty/ },
  { rel: 'blank.md', bytes: Buffer.from(' \r\n\t\r\n\uFEFF', 'utf8'), skip: /empty/ },
  { rel: 'bom-only.txt', bytes: Buffer.from([0xef, 0xbb, 0xbf]), skip: /empty/ },
  { rel: 'binary.txt', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), skip: /binary/ },
  { rel: 'control.txt', bytes: Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 3 === 0 ? 0x41 : 1 + (i % 7)))), skip: /binary/ },
  { rel: 'utf16.txt', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A report saved as UTF-16.', 'utf16le')]), skip: /binary/ },
];

const READABLE = ODD_FILES.filter((f) => f.skip === null).map((f) => f.rel).sort();
/** picture.png is written besides ODD_FILES: a file of an unsupported type, named with its reason. */
const SKIPPED = [...ODD_FILES.filter((f) => f.skip !== null).map((f) => f.rel), 'picture.png'].sort();

async function writeOddFolder(): Promise<string> {
  const dir = await tempDir('odd-reports-');
  for (const { rel, bytes } of ODD_FILES) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), bytes);
  }
  await writeFile(path.join(dir, 'picture.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]));
  await writeFile(path.join(dir, '.hidden.txt'), 'A hidden file is not a report.');
  return dir;
}

describe('readReports on odd files', () => {
  let read: ReadReportsResult;

  beforeAll(async () => {
    read = await readReports(await writeOddFolder());
  });

  it('reads every usable file and skips the rest, each with a reason naming the file', () => {
    expect(read.reports.map((r) => r.path)).toEqual(READABLE);
    expect(read.skipped.map((s) => s.path).sort()).toEqual(SKIPPED);
    for (const { rel, skip } of ODD_FILES) {
      if (skip === null) continue;
      expect(read.skipped.find((s) => s.path === rel)?.reason).toMatch(skip);
    }
    expect(read.skipped.find((s) => s.path === 'picture.png')?.reason).toMatch(/^unsupported type \(\.png\)/);
  });

  it('normalises line endings and drops the BOM', () => {
    for (const report of read.reports) {
      expect(report.text.includes('\r')).toBe(false);
      expect(report.text.charCodeAt(0)).not.toBe(0xfeff);
      expect(isWellFormed(report.text)).toBe(true);
    }
    const byPath = new Map(read.reports.map((r) => [r.path, r]));
    expect(byPath.get('crlf.txt')?.text).toBe(`Windows line endings\n\n${paragraph('Sanctions')}\n\nSecond paragraph about sanctions.\n`);
    expect(byPath.get('old-mac.txt')?.text).toBe(`Classic Mac endings\n\n${paragraph('Energy')}\n`);
    expect(byPath.get('bom.md')?.title).toBe('Weekly roundup');
  });

  it('decodes Windows-1252 bytes (curly quotes, euro sign, en dash, accents)', () => {
    const report = read.reports.find((r) => r.path === 'cp1252.txt');
    expect(report?.text).toContain('“The grain budget is €5 million”, the minister said – café owners');
    expect(report?.title).toBe('Budget notes from the ministry');
  });

  it('reads a 5 MB report whole', () => {
    const report = read.reports.find((r) => r.path === 'big.txt');
    expect(report?.text.length).toBeGreaterThan(FIVE_MB);
    expect(report?.title).toBe('Five megabyte report');
  });

  it('titles hostile reports without breaking surrogate pairs', () => {
    for (const report of read.reports) {
      expect(report.title.trim().length).toBeGreaterThan(0);
      expect(isWellFormed(report.title)).toBe(true);
    }
    expect(read.reports.find((r) => r.path === 'nested/deep/rtl.md')?.title).toBe('تقرير أسبوعي');
  });
});

describe('buildIndex over odd files', () => {
  let summary: BuildSummary;
  let index: LoadedIndex;

  beforeAll(async () => {
    const reportsDir = await writeOddFolder();
    const indexDir = await tempDir('odd-index-');
    const embedder = await getOfflineEmbedder();
    summary = await buildIndex({ reportsDir, indexDir, embedder });
    index = await loadIndex(indexDir);
  });

  it('succeeds, indexing the usable reports and listing the skipped files', () => {
    expect(summary.reports).toBe(READABLE.length);
    expect(summary.skipped.map((s) => s.path).sort()).toEqual(SKIPPED);
    expect(index.reports.toArray().map((r) => r.path)).toEqual(READABLE);
    expect(summary.passages).toBe(index.passages.length);
    expect(summary.duplicatesRemoved).toBeGreaterThan(1000);
  });

  it('stores verbatim passages from every report that has quotable text', () => {
    const reportsByPath = new Map(index.reports.toArray().map((r) => [r.path, r]));
    for (const p of index.passages) expect(reportsByPath.get(p.source)?.text.slice(p.start, p.end)).toBe(p.text);
    const sources = new Set(index.passages.toArray().map((p) => p.source));
    // Every readable report gets a passage: one of short lines only (symbols-only.txt) is kept whole.
    expect([...sources].sort()).toEqual(['big.txt', 'bom.md', 'cp1252.txt', 'crlf.txt', 'nested/deep/rtl.md', 'old-mac.txt', 'symbols-only.txt']);
    expect(index.passages.toArray().find((p) => p.source === 'symbols-only.txt')?.text).toBe(reportsByPath.get('symbols-only.txt')?.text.trim());
    const big = index.passages.toArray().filter((p) => p.source === 'big.txt');
    expect(big.length).toBeLessThanOrEqual(3);
    for (const p of big) expect(p.text.split(PARAGRAPH).length - 1).toBeLessThanOrEqual(1);
  });

  it('answers from the odd reports', async () => {
    const searcher = createSearcher({ index, embedder: await getOfflineEmbedder() });
    const euro = await searcher.search('grain budget 5 million', { k: 5, mode: 'lexical' });
    expect(euro.hits.some((h) => h.source === 'cp1252.txt' && h.text.includes('€5 million'))).toBe(true);
    const tail = await searcher.search('air defense systems arrived in Kyiv', { k: 3 });
    expect(tail.hits[0]?.source).toBe('big.txt');
    expect(tail.hits[0]?.text).toContain('finally arrived in Kyiv');
  });
});
