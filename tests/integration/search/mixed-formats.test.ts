/**
 * A folder with one report in each format builds into one index. A question answered from each
 * report shows the right title, date, page or ¶ and link, in `npm run ask -- --json` and in the
 * bot's source line; HTML boilerplate never appears in a quote.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearcher } from '../../../src/search/searcher';
import type { Searcher } from '../../../src/search/types';
import { buildIndex, type BuildSummary } from '../../../src/store/build-index';
import { loadIndex, type LoadedIndex } from '../../../src/store/load-index';
import { createHarness } from '../../helpers/bot-harness';
import { MIXED, type MixedReport, writeMixedReports } from '../../helpers/mixed-reports';
import { getOfflineEmbedder, MODEL_CACHE_DIR } from '../../helpers/offline-embedder';
import { HTML_BOILERPLATE, makeScannedPdf } from '../../helpers/report-fixtures';
import { PROJECT_ROOT } from '../../helpers/seed-index';
import { textMessage, user } from '../../helpers/updates';

const REPORTS = Object.values(MIXED);

function expectedSourceLine(r: MixedReport, label: string): string {
  return `Report ${label} · ${r.title} · ${r.shownDate} · ${r.page === null ? `¶${r.paragraph}` : `p. ${r.page}`}`;
}

function askJson(indexDir: string, questions: string[]): Promise<Array<Record<string, any>>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [path.join(PROJECT_ROOT, 'scripts/ask.ts'), '--index', indexDir, '--json', '--k', '3'],
      { cwd: PROJECT_ROOT, env: { ...process.env, MODEL_CACHE_DIR }, timeout: 90_000 },
      (err, stdout) => (err ? reject(err) : resolve(stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>))),
    );
    child.stdin?.end(`${questions.join('\n')}\n`);
  });
}

describe('an index over a folder with one report in each format', () => {
  let indexDir: string;
  let summary: BuildSummary;
  let index: LoadedIndex;
  let searcher: Searcher;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mixed-formats-'));
    const reportsDir = path.join(root, 'reports');
    await mkdir(reportsDir);
    await writeMixedReports(reportsDir);
    await writeFile(path.join(reportsDir, 'scan.pdf'), await makeScannedPdf());
    indexDir = path.join(root, 'index');
    const embedder = await getOfflineEmbedder();
    summary = await buildIndex({ reportsDir, indexDir, embedder });
    index = await loadIndex(indexDir);
    searcher = createSearcher({ index, embedder });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('indexes every format and lists the bad file with its reason', () => {
    expect(summary.reports).toBe(REPORTS.length);
    expect(summary.skipped).toEqual([{ path: 'scan.pdf', reason: 'scanned pages, no text: OCR is not supported' }]);
    expect(new Set(index.passages.toArray().map((p) => p.source))).toEqual(new Set(REPORTS.map((r) => r.file)));
    expect(index.manifest.corpus.reports.map((r) => r.format).sort()).toEqual(['docx', 'html', 'markdown', 'pdf', 'text']);
  });

  it('answers each question from its report with title, date, link and page in ask --json', async () => {
    const answers = await askJson(indexDir, REPORTS.map((r) => r.question));
    expect(answers).toHaveLength(REPORTS.length);
    REPORTS.forEach((r, i) => {
      const answer = answers[i]!;
      expect(answer.answered, r.question).toBe(true);
      const hit = answer.hits[0];
      expect(hit, r.question).toMatchObject({ source: r.file, title: r.title, date: r.date, url: r.url, page: r.page });
      expect(hit.text).toContain(r.fact);
      const stored = index.reports.toArray().find((s) => s.path === r.file)!;
      expect(stored.text.slice(hit.start, hit.end)).toBe(hit.text);
    });
  }, 120_000);

  it("shows the title, date, page or ¶ in the bot's source line, the title linked to the original", async () => {
    const labels = new Map(searcher.reports().map((s) => [s.source, s.label]));
    const h = createHarness(searcher);
    for (const r of REPORTS) {
      const calls = await h.send(textMessage(r.question, { from: user(501) }));
      const payload = calls.find((c) => c.method === 'sendMessage')!.payload;
      const text: string = payload.text;
      const line = expectedSourceLine(r, labels.get(r.file)!);
      const firstQuote = payload.entities.find((e: { type: string }) => e.type === 'blockquote' || e.type === 'expandable_blockquote');
      expect(text.slice(firstQuote.offset, firstQuote.offset + firstQuote.length)).toContain(r.fact);
      expect(text.slice(firstQuote.offset + firstQuote.length + 1).split('\n')[0]).toBe(`1. ${line}`);
      const links = payload.entities.filter((e: { type: string }) => e.type === 'text_link');
      if (r.url === null) expect(links.filter((e: { url: string }) => e.url === r.url)).toEqual([]);
      else {
        const link = links.find((e: { url: string }) => e.url === r.url);
        expect(link, `${r.file} title link`).toBeDefined();
        expect(text.slice(link.offset, link.offset + link.length)).toBe(r.title);
        expect(link.offset).toBeGreaterThan(firstQuote.offset + firstQuote.length);
      }
      for (const junk of HTML_BOILERPLATE) expect(text).not.toContain(junk);
    }
  });

  it('never quotes HTML boilerplate: no passage of the web page holds navigation, menus, comments or footers', () => {
    const html = index.reports.toArray().find((r) => r.path === MIXED.html.file)!;
    for (const junk of HTML_BOILERPLATE) expect(html.text).not.toContain(junk);
    for (const p of index.passages) for (const junk of HTML_BOILERPLATE) expect(p.text).not.toContain(junk);
  });
});
