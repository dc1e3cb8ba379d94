/**
 * Small report files of every supported format, generated in the test (pdf-lib, docx, a zip writer
 * on node:zlib) so no binary fixture is checked in. Each has known text and metadata to assert on.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';
import { PDFDocument, PDFHexString, rgb, StandardFonts } from 'pdf-lib';

export interface PdfSpec {
  /** Paragraphs per page (ASCII: the standard PDF fonts cover WinAnsi only). */
  pages: string[][];
  title?: string;
  author?: string;
  created?: Date;
}

const PDF_FONT_SIZE = 11;
const PDF_LINE = 14;
const PDF_PARAGRAPH_GAP = 12;
const PDF_WRAP_CHARS = 90;

function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A text PDF: each paragraph wrapped over several lines, a wider gap between paragraphs. */
export async function makePdf(spec: PdfSpec): Promise<Buffer> {
  const doc = await PDFDocument.create();
  if (spec.title !== undefined) doc.setTitle(spec.title);
  if (spec.author !== undefined) doc.setAuthor(spec.author);
  doc.setCreationDate(spec.created ?? new Date('2020-01-01T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const paragraphs of spec.pages) {
    const page = doc.addPage([595, 842]);
    let y = 790;
    for (const paragraph of paragraphs) {
      for (const line of wrap(paragraph, PDF_WRAP_CHARS)) {
        page.drawText(line, { x: 50, y, size: PDF_FONT_SIZE, font });
        y -= PDF_LINE;
      }
      y -= PDF_PARAGRAPH_GAP;
    }
  }
  return Buffer.from(await doc.save());
}

/** A PDF whose pages carry only pictures (rectangles): what a scan without OCR looks like. */
export async function makeScannedPdf(pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawRectangle({ x: 40, y: 40, width: 500, height: 700, color: rgb(0.8, 0.8, 0.8) });
  return Buffer.from(await doc.save());
}

/** A PDF protected by a user password (standard security handler, RC4 40-bit): it cannot be opened without it. */
export async function makeEncryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Classified report text.', { x: 50, y: 700, size: 12, font });
  const ctx = doc.context;
  // O and U do not match the empty password, so a reader must ask for one.
  ctx.trailerInfo.Encrypt = ctx.register(
    ctx.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44, O: PDFHexString.of('ab'.repeat(32)), U: PDFHexString.of('cd'.repeat(32)) }),
  );
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of('01'.repeat(16)), PDFHexString.of('01'.repeat(16))]);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export interface DocxSpec {
  title?: string;
  creator?: string;
  created?: string;
  /** Lines starting with "# " become headings. */
  paragraphs: string[];
}

/** A DOCX written by the `docx` package, with its core properties set (created date patched in). */
export async function makeDocx(spec: DocxSpec): Promise<Buffer> {
  const doc = new Document({
    ...(spec.title === undefined ? {} : { title: spec.title }),
    ...(spec.creator === undefined ? {} : { creator: spec.creator }),
    sections: [
      {
        children: spec.paragraphs.map((p) =>
          p.startsWith('# ') ? new Paragraph({ text: p.slice(2), heading: HeadingLevel.HEADING_1 }) : new Paragraph(p),
        ),
      },
    ],
  });
  const bytes = await Packer.toBuffer(doc);
  if (spec.created === undefined) return bytes;
  const zip = await JSZip.loadAsync(bytes);
  const core = (await zip.file('docProps/core.xml')!.async('string')).replace(
    /(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/,
    `$1${spec.created}$2`,
  );
  zip.file('docProps/core.xml', core);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Size written in the headers instead of the real one (a lying zip bomb). */
  declaredSize?: number;
}

/** A deflated zip archive built by hand, so headers can be made to lie. */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = deflateRawSync(entry.data, { level: 9 });
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A DOCX that also carries `inflatedMb` MB of zeros (a few hundred KB packed), optionally declared as 1 KB. */
export async function makeZipBombDocx(inflatedMb: number, lying = false): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await makeDocx({ paragraphs: ['A harmless looking document that hides a bomb.'] }));
  const entries: ZipEntry[] = [];
  for (const name of Object.keys(zip.files)) {
    const file = zip.files[name]!;
    if (!file.dir) entries.push({ name, data: await file.async('nodebuffer') });
  }
  entries.push({ name: 'word/media/zeros.bin', data: Buffer.alloc(inflatedMb * 1024 * 1024), ...(lying ? { declaredSize: 1024 } : {}) });
  return buildZip(entries);
}

export interface HtmlSpec {
  title: string;
  date: string;
  url: string;
  paragraphs: string[];
}

/** Navigation, menus, a cookie banner, a comment section and a footer around an article. */
export const HTML_BOILERPLATE = [
  'Home World Politics Subscribe',
  'Sign in to your account menu',
  'Trending now: celebrity gossip roundup',
  'This first comment says the whole article is fake news',
  'Copyright 2024 Front Line News. All rights reserved. Privacy policy.',
  'We use cookies to improve your experience',
];

/** A saved news page: the article with Open Graph, article:published_time, JSON-LD and canonical link, amid boilerplate. */
export function makeHtml(spec: HtmlSpec): Buffer {
  const [nav, menu, trending, comment, footer, cookies] = HTML_BOILERPLATE;
  const html = `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>${spec.title} | Front Line News</title>
<meta property="og:title" content="${spec.title}">
<meta property="article:published_time" content="${spec.date}T08:30:00+03:00">
<link rel="canonical" href="${spec.url}">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"${spec.title}","datePublished":"${spec.date}","author":{"@type":"Person","name":"Olena K."}}</script>
<script>window.analytics = { track() {} };</script>
<style>.menu { display: flex }</style>
</head><body>
<header><nav class="site-nav"><ul><li><a href="/">${nav}</a></li></ul></nav></header>
<div class="menu" role="menu"><a href="/login">${menu}</a></div>
<div class="cookie-banner" role="dialog">${cookies}</div>
<main>
<article>
<h1>${spec.title}</h1>
${spec.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</article>
<aside class="sidebar"><h3>Trending</h3><p>${trending}</p></aside>
<section id="comments" class="comments"><h3>Comments</h3><div class="comment"><p>${comment}</p></div></section>
</main>
<footer><p>${footer}</p></footer>
</body></html>`;
  return Buffer.from(html, 'utf8');
}

/** A page that is all furniture: navigation, a menu and a footer, no article. */
export function makeHtmlWithoutArticle(): Buffer {
  return Buffer.from(
    '<!doctype html><html><head><title>Front Line News</title></head><body>' +
      '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/about">About us</a></nav>' +
      '<div id="app"></div><footer>Copyright 2024 Front Line News</footer></body></html>',
    'utf8',
  );
}
