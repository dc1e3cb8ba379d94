/**
 * Each format's reader on generated files: the text, the metadata, PDF pages, and the clear message
 * for every kind of bad file. Then readReports over a folder mixing all of them.
 */
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportFileError } from '../../../src/errors';
import { extractReport, MAX_REPORT_BYTES } from '../../../src/ingest/formats';
import { pageAt } from '../../../src/ingest/pages';
import { readReports } from '../../../src/ingest/read-reports';
import { MIXED, writeMixedReports } from '../../helpers/mixed-reports';
import {
  HTML_BOILERPLATE,
  makeDocx,
  makeEncryptedPdf,
  makeHtml,
  makeHtmlWithoutArticle,
  makePdf,
  makeScannedPdf,
  makeZipBombDocx,
} from '../../helpers/report-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

async function reasonFor(bytes: Buffer, name: string): Promise<string> {
  try {
    await extractReport(bytes, name);
  } catch (err) {
    expect(err).toBeInstanceOf(ReportFileError);
    return (err as Error).message;
  }
  throw new Error(`${name} was read though it should be refused`);
}

describe('PDF reader', () => {
  it('reads the text of every page, rejoins wrapped lines into paragraphs and records where pages start', async () => {
    const para = (n: number) => `Paragraph ${n} says that the brigade rotated its companies on the ${n}th day, after long fighting in the forest belts, and that supplies came through at night only.`;
    const bytes = await makePdf({ title: 'Brigade diary', author: 'Press officer', created: new Date('2024-08-20T10:00:00Z'), pages: [[para(1), para(2)], [para(3)], [para(4)]] });
    const report = await extractReport(bytes, 'diary.pdf');
    expect(report.format).toBe('pdf');
    expect(report.text.split('\n').filter((l) => l !== '')).toEqual([para(1), para(2), para(3), para(4)]);
    expect(report.pageStarts).toHaveLength(3);
    expect(pageAt(report.pageStarts, report.text.indexOf(para(2)))).toBe(1);
    expect(pageAt(report.pageStarts, report.text.indexOf(para(3)))).toBe(2);
    expect(pageAt(report.pageStarts, report.text.indexOf(para(4)))).toBe(3);
    expect(report.meta).toEqual({ title: 'Brigade diary', date: '2024-08-20', url: null, author: 'Press officer' });
  });

  it('ignores placeholder titles that PDF producers write', async () => {
    const report = await extractReport(await makePdf({ title: 'Microsoft Word - draft3.docx', pages: [['Some text about the front line today.']] }), 'x.pdf');
    expect(report.meta.title).toBeNull();
  });

  it('refuses an encrypted PDF, saying it needs a password', async () => {
    expect(await reasonFor(await makeEncryptedPdf(), 'secret.pdf')).toMatch(/^encrypted PDF \(it needs a password\)/);
  });

  it('refuses a PDF with no text layer: scanned pages, no text: OCR is not supported', async () => {
    expect(await reasonFor(await makeScannedPdf(), 'scan.pdf')).toBe('scanned pages, no text: OCR is not supported');
  });

  it('refuses a corrupt PDF', async () => {
    expect(await reasonFor(Buffer.from('%PDF-1.7\nthis is not really a pdf at all\n%%EOF'), 'broken.pdf')).toMatch(/^corrupt PDF|^unreadable PDF/);
  });
});

describe('HTML reader', () => {
  const article = [
    'Air raid sirens sounded across Kharkiv for most of the night as the air force tracked aircraft near Belgorod, the regional administration said in its morning update.',
    'Russian aircraft dropped 31 guided aerial bombs on the Kharkiv suburbs overnight, damaging houses, a school and a power line in three villages north of the city.',
    'Repair crews restored power to the Saltivka district by noon, the city council reported, and schools moved lessons online for the rest of the week.',
  ];
  const page = makeHtml({ title: 'Glide bombs hit Kharkiv again', date: '2024-08-22', url: 'https://news.example.org/kharkiv', paragraphs: article });

  it('keeps the article as one line per paragraph and drops navigation, menus, banners, comments and footers', async () => {
    const report = await extractReport(page, 'page.html');
    expect(report.format).toBe('html');
    for (const p of article) expect(report.text.split('\n')).toContain(p);
    for (const junk of HTML_BOILERPLATE) expect(report.text).not.toContain(junk);
    expect(report.text).not.toContain('analytics');
  });

  it('reads title, date, canonical link and author from the page head', async () => {
    const report = await extractReport(page, 'page.htm');
    expect(report.meta).toEqual({ title: 'Glide bombs hit Kharkiv again', date: '2024-08-22', url: 'https://news.example.org/kharkiv', author: 'Olena K.' });
  });

  it('refuses a page without an article', async () => {
    expect(await reasonFor(makeHtmlWithoutArticle(), 'menu.html')).toMatch(/^no article found in the page/);
  });
});

describe('DOCX reader', () => {
  it('reads the paragraphs and the core properties', async () => {
    const bytes = await makeDocx({
      title: 'Odesa port operations',
      creator: 'Port press office',
      created: '2024-08-15T09:00:00Z',
      paragraphs: ['# Weekly bulletin', 'The grain terminals loaded 9 bulk carriers.', 'Insurers kept premiums unchanged.'],
    });
    const report = await extractReport(bytes, 'port.docx');
    expect(report.format).toBe('docx');
    expect(report.text).toBe('Weekly bulletin\n\nThe grain terminals loaded 9 bulk carriers.\n\nInsurers kept premiums unchanged.');
    expect(report.meta).toEqual({ title: 'Odesa port operations', date: '2024-08-15', url: null, author: 'Port press office' });
  });

  it('refuses a corrupt DOCX and a zip that is not a Word document', async () => {
    const docx = await makeDocx({ paragraphs: ['Some text.'] });
    expect(await reasonFor(docx.subarray(0, Math.floor(docx.length / 2)), 'half.docx')).toMatch(/^corrupt file \(not a valid zip archive/);
    expect(await reasonFor(Buffer.from('this is plain text, not a zip archive'), 'fake.docx')).toMatch(/^corrupt file \(not a valid zip archive/);
    const { buildZip } = await import('../../helpers/report-fixtures');
    expect(await reasonFor(buildZip([{ name: 'notes.txt', data: Buffer.from('hello') }]), 'other.docx')).toMatch(/^not a Word document/);
  });

  it('refuses a zip bomb, whether its headers tell the truth or lie about the size', async () => {
    expect(await reasonFor(await makeZipBombDocx(210), 'bomb.docx')).toMatch(/unpacks to more than 200 MB: refused as a possible zip bomb/);
    expect(await reasonFor(await makeZipBombDocx(210, true), 'liar.docx')).toMatch(/unpacks to more than 200 MB: refused as a possible zip bomb/);
  });
});

describe('Markdown reader', () => {
  it('reads YAML front matter as metadata and indexes only the body', async () => {
    const md = '---\ntitle: Drone strikes on Sumy oblast\ndate: 2024-08-18\nurl: https://example.org/sumy\nauthors: [Sumy desk, Olena K.]\n---\n# Sumy overnight\n\nBody text.\n';
    const report = await extractReport(Buffer.from(md), 'sumy.md');
    expect(report.text).toBe('# Sumy overnight\n\nBody text.\n');
    expect(report.meta).toEqual({ title: 'Drone strikes on Sumy oblast', date: '2024-08-18', url: 'https://example.org/sumy', author: 'Sumy desk, Olena K.' });
  });

  it('never runs JavaScript front matter', async () => {
    const md = '---js\n{ title: (() => { globalThis.pwned = true; return "x"; })() }\n---\nBody.\n';
    expect(await reasonFor(Buffer.from(md), 'evil.md')).toMatch(/^front matter could not be read/);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('reads Markdown without front matter as before', async () => {
    const report = await extractReport(Buffer.from('# Weekly roundup\nFirst report.'), 'a.md');
    expect(report).toMatchObject({ format: 'markdown', text: '# Weekly roundup\nFirst report.', meta: { title: null, date: null } });
  });
});

describe('unsupported and oversized files', () => {
  it('names an unsupported type', async () => {
    expect(await reasonFor(Buffer.from('a,b\n1,2\n'), 'table.csv')).toBe('unsupported type (.csv); reports can be PDF, DOCX, HTML, Markdown or text files');
  });

  it('refuses a file over the size limit without reading it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'good.txt'), 'A good report about the front line, with enough words to index.');
    await writeFile(path.join(dir, 'huge.pdf'), '');
    await truncate(path.join(dir, 'huge.pdf'), MAX_REPORT_BYTES + 1);
    const { reports, skipped } = await readReports(dir);
    expect(reports.map((r) => r.path)).toEqual(['good.txt']);
    expect(skipped).toEqual([{ path: 'huge.pdf', reason: 'over the size limit (20.0 MB; at most 20.0 MB)', sourceHash: expect.any(String) }]);
  });
});

describe('readReports over a mixed folder', () => {
  it('reads every format with its metadata; the sidecar wins; bad files are skipped with reasons; the rest index', async () => {
    const dir = await tempDir('mixed-');
    await writeMixedReports(dir);
    await mkdir(path.join(dir, 'bad'));
    await writeFile(path.join(dir, 'bad', 'secret.pdf'), await makeEncryptedPdf());
    await writeFile(path.join(dir, 'bad', 'scan.pdf'), await makeScannedPdf());
    await writeFile(path.join(dir, 'bad', 'broken.docx'), Buffer.from('PK but not really'));
    await writeFile(path.join(dir, 'bad', 'menu.html'), makeHtmlWithoutArticle());
    await writeFile(path.join(dir, 'bad', 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await writeFile(path.join(dir, 'orphan.txt.meta.json'), '{"title": "Nobody"}');

    const { reports, skipped, warnings } = await readReports(dir);
    expect(reports.map((r) => r.path).sort()).toEqual(Object.values(MIXED).map((m) => m.file).sort());
    for (const expected of Object.values(MIXED)) {
      const report = reports.find((r) => r.path === expected.file)!;
      expect({ title: report.title, date: report.date, url: report.url }).toEqual({ title: expected.title, date: expected.date, url: expected.url });
      expect(report.text).toContain(expected.fact);
    }
    expect(reports.find((r) => r.path === MIXED.pdf.file)?.pageStarts).toHaveLength(2);
    expect(reports.find((r) => r.path === MIXED.text.file)?.label).toBe('007');
    expect(Object.fromEntries(skipped.map((s) => [s.path, s.reason]))).toEqual({
      'bad/broken.docx': expect.stringMatching(/^corrupt file \(not a valid zip archive/),
      'bad/menu.html': expect.stringMatching(/^no article found/),
      'bad/photo.jpg': expect.stringMatching(/^unsupported type \(\.jpg\)/),
      'bad/scan.pdf': 'scanned pages, no text: OCR is not supported',
      'bad/secret.pdf': expect.stringMatching(/^encrypted PDF/),
    });
    expect(warnings).toEqual([{ path: 'orphan.txt.meta.json', reason: 'sidecar without a report file of that name, ignored' }]);
  });

  it('reads the same report present in two formats once, keeping the copy with more metadata', async () => {
    const dir = await tempDir('twins-');
    const paragraphs = [
      'Ship traffic through the Black Sea corridor stayed steady despite mine warnings near Snake Island, the navy said on Friday.',
      'The grain terminals in Chornomorsk loaded nine bulk carriers with wheat and corn this week, the port authority reported.',
    ];
    await writeFile(path.join(dir, 'port.md'), paragraphs.join('\n\n'));
    await writeFile(path.join(dir, 'port.docx'), await makeDocx({ title: 'Odesa port operations', created: '2024-08-15T09:00:00Z', paragraphs }));
    const { reports, skipped } = await readReports(dir);
    expect(reports.map((r) => r.path)).toEqual(['port.docx']);
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([['port.md', 'same report as port.docx (kept that copy)']]);
  });

  it('applies a sidecar over the file\'s own metadata and reports its bad fields', async () => {
    const dir = await tempDir('sidecar-');
    await writeFile(path.join(dir, 'a.md'), '---\ntitle: From front matter\ndate: 2024-01-01\n---\nText of the report about the front line.\n');
    await writeFile(path.join(dir, 'a.md.meta.json'), JSON.stringify({ title: 'From the sidecar', date: 'not a date', url: 'ftp://x' }));
    await writeFile(path.join(dir, 'b.txt'), 'Dateline: Kyiv, 20 August 2024\n\nThe report text follows here.\n');
    await writeFile(path.join(dir, 'b.txt.meta.json'), '{ not json');
    const { reports, warnings } = await readReports(dir);
    expect(reports.map((r) => [r.path, r.title, r.date, r.url])).toEqual([
      ['a.md', 'From the sidecar', '2024-01-01', null],
      ['b.txt', 'Dateline: Kyiv, 20 August 2024', '2024-08-20', null],
    ]);
    expect(warnings.map((w) => `${w.path}: ${w.reason}`)).toEqual([
      'a.md.meta.json: "date" is not a full date (use YYYY-MM-DD), ignored',
      'a.md.meta.json: "url" is not an http(s) link, ignored',
      'b.txt.meta.json: not valid JSON, ignored',
    ]);
    expect(await readFile(path.join(dir, 'b.txt'), 'utf8')).toContain('Dateline');
  });
});
