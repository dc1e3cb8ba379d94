/**
 * Saved web pages (.html): the article only, found by Mozilla's Readability over a linkedom DOM
 * (navigation, menus, footers and comment widgets dropped), as one line per block; metadata from
 * <title>, Open Graph / article: tags, JSON-LD and <link rel=canonical>.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { ReportFileError } from '../errors';
import { authorField, cleanField, httpUrl, isoDate, mergeMeta } from './metadata';
import { decodeTextFile } from './read-text';
import { countWords } from './sentences';
import type { ExtractedReport, ReportMeta } from './types';

/** Fewer words than this is a page without an article (a menu, a cookie wall, a script-built page). */
const MIN_ARTICLE_WORDS = 25;
/** Page furniture removed before Readability looks for the article. */
const BOILERPLATE = [
  'script', 'style', 'noscript', 'template', 'iframe', 'form', 'nav', 'aside', 'footer', 'dialog', 'menu',
  'body > header', '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]',
  '[role="menu"]', '[role="menubar"]', '[role="dialog"]', '[aria-hidden="true"]',
].join(',');
const BLOCK_TAGS = new Set([
  'address', 'article', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
]);
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'img', 'svg', 'video', 'audio', 'button', 'input', 'select']);
/** JSON-LD types that describe the page's article. */
const ARTICLE_TYPE = /Article|Posting|Report|WebPage/;

interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  tagName?: string;
}

interface DomDocument {
  title: string;
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; remove(): void }>;
}

function attr(doc: DomDocument, selector: string, name = 'content'): string | null {
  return doc.querySelector(selector)?.getAttribute(name) ?? null;
}

/** The first JSON-LD object describing an article (top level, in an array, or in @graph). */
function jsonLdArticle(doc: DomDocument): Record<string, unknown> | null {
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    let data: unknown;
    try {
      data = JSON.parse(scripts[i]?.textContent ?? '');
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    while (queue.length > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (typeof item === 'object' && item !== null) {
        const record = item as Record<string, unknown>;
        if (Array.isArray(record['@graph'])) queue.push(...record['@graph']);
        const type = record['@type'];
        if (ARTICLE_TYPE.test(Array.isArray(type) ? type.join(' ') : String(type ?? ''))) return record;
      }
    }
  }
  return null;
}

function pageMeta(doc: DomDocument): { meta: ReportMeta; documentTitle: string | null } {
  const ld = jsonLdArticle(doc);
  const ldUrl = ld?.mainEntityOfPage;
  const meta = mergeMeta(
    {
      title: cleanField(attr(doc, 'meta[property="og:title"]')),
      date: isoDate(attr(doc, 'meta[property="article:published_time"]')),
      url: httpUrl(attr(doc, 'link[rel="canonical"]', 'href')),
      author: authorField(attr(doc, 'meta[name="author"]')),
    },
    {
      title: cleanField(ld?.headline),
      date: isoDate(ld?.datePublished),
      url: httpUrl(ld?.url) ?? httpUrl(typeof ldUrl === 'object' && ldUrl !== null ? (ldUrl as Record<string, unknown>)['@id'] : ldUrl),
      author: authorField(ld?.author),
    },
    {
      title: cleanField(attr(doc, 'meta[name="twitter:title"]')),
      date: isoDate(attr(doc, 'meta[name="date"]') ?? attr(doc, 'meta[name="dc.date"]') ?? attr(doc, 'meta[itemprop="datePublished"]')),
      url: httpUrl(attr(doc, 'meta[property="og:url"]')),
      author: null,
    },
  );
  return { meta, documentTitle: cleanField(doc.title) };
}

/** The article's text: one line per block, headings as `#` lines and list items as `- ` lines. */
function blocksText(root: DomNode): string {
  const lines: string[] = [];
  let inline = '';
  const flush = (prefix = ''): void => {
    const line = inline.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(prefix + line);
    inline = '';
  };
  const walk = (node: DomNode): void => {
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i];
      if (child === undefined) continue;
      if (child.nodeType === 3) {
        inline += child.textContent ?? '';
        continue;
      }
      if (child.nodeType !== 1) continue;
      const tag = (child.tagName ?? '').toLowerCase();
      if (SKIPPED_TAGS.has(tag)) continue;
      if (tag === 'br') {
        flush();
        continue;
      }
      if (!BLOCK_TAGS.has(tag)) {
        walk(child);
        continue;
      }
      flush();
      walk(child);
      const heading = /^h([1-6])$/.exec(tag);
      flush(heading ? `${'#'.repeat(Number(heading[1]))} ` : tag === 'li' ? '- ' : '');
    }
  };
  walk(root);
  flush();
  return lines.join('\n\n');
}

/** Reads a saved web page: its article text and the page's metadata. */
export async function readHtml(bytes: Buffer): Promise<ExtractedReport> {
  const html = decodeTextFile(bytes);
  const { document } = parseHTML(html);
  const doc = document as unknown as DomDocument;
  const { meta, documentTitle } = pageMeta(doc);
  const furniture = doc.querySelectorAll(BOILERPLATE);
  for (let i = furniture.length - 1; i >= 0; i--) furniture[i]?.remove();

  let article: { content: string | null | undefined; title: string | null | undefined; byline: string | null | undefined } | null;
  try {
    article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  } catch (cause) {
    throw new ReportFileError('the page could not be parsed as HTML', { cause });
  }
  const body = article?.content ? blocksText(parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body as unknown as DomNode) : '';
  if (countWords(body) < MIN_ARTICLE_WORDS) {
    throw new ReportFileError('no article found in the page (only navigation or too little text; pages built by JavaScript must be saved after loading)');
  }
  return {
    format: 'html',
    text: body,
    meta: mergeMeta(meta, { title: cleanField(article?.title) ?? documentTitle, author: authorField(article?.byline) }),
    pageStarts: null,
  };
}
