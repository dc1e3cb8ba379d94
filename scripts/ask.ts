/** npm run ask -- [--index DIR] [--k N] [--mode hybrid|dense|lexical] [--json] ["question"] */
import 'dotenv/config';
import { createInterface } from 'node:readline';
import { openExistingSearcher, openPgStore } from '../src/app';
import { composeAnswer, findAnswer, prepareQuestion } from '../src/answer/answer';
import { renderText } from '../src/console/render-text';
import { describeError } from '../src/errors';
import { englishWords } from '../src/i18n/words';
import type { SearchMode, SearchResult } from '../src/search/types';
import { exitQuietlyOnClosedStdout, fail, parseCli } from './cli-args';
import { modelCacheDirOf } from '../src/config';

const USAGE = 'Usage: npm run ask -- [--index DIR] [--k N] [--mode hybrid|dense|lexical] [--json] ["question"]';
const { values, positionals } = parseCli(
  {
    index: { type: 'string' },
    k: { type: 'string' },
    mode: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
  true,
);
exitQuietlyOnClosedStdout();
if (values.help) {
  process.stdout.write(`${USAGE}\nWithout a question, reads one question per line from stdin until EOF.\n`);
  process.exit(0);
}
const k = values.k === undefined ? 5 : Number(values.k);
if (!Number.isInteger(k) || k < 1 || k > 100) {
  process.stderr.write(`--k must be a whole number from 1 to 100, got "${values.k}".\n${USAGE}\n`);
  process.exit(2);
}
const mode = (values.mode ?? 'hybrid') as SearchMode;
if (!['hybrid', 'dense', 'lexical'].includes(mode)) {
  process.stderr.write(`--mode must be hybrid, dense or lexical, got "${values.mode}".\n${USAGE}\n`);
  process.exit(2);
}

function toJson(r: SearchResult): string {
  return JSON.stringify({
    question: r.question,
    answer: r.answer,
    answered: r.answered,
    hits: r.hits.map((h) => ({
      source: h.source,
      title: h.title,
      date: h.date,
      url: h.url,
      page: h.page,
      start: h.start,
      end: h.end,
      score: h.score,
      comment: h.comment,
      text: h.text,
      highlight: h.highlights,
    })),
  });
}

const EMPTY_QUESTION = 'The question is empty: type a question in words, e.g. npm run ask -- "What did NATO promise?"';
const question = positionals.join(' ').trim();
if (positionals.length > 0 && question === '') {
  if (values.json) process.stdout.write(`${JSON.stringify({ question: '', answered: false, hits: [], error: EMPTY_QUESTION })}\n`);
  else process.stderr.write(`${EMPTY_QUESTION}\n`);
  process.exit(2);
}

let opened;
const pg = openPgStore(process.env.DATABASE_URL);
try {
  const indexDir = values.index ?? process.env.INDEX_DIR ?? 'index';
  opened = await openExistingSearcher(indexDir, modelCacheDirOf(process.env), (m) => process.stderr.write(`${m}\n`), pg?.store);
} catch (err) {
  await pg?.client.close();
  fail(err);
}
const { searcher } = opened;

const ansi = Boolean(process.stdout.isTTY);

async function answer(question: string): Promise<void> {
  const prepared = prepareQuestion(question);
  if (prepared === null) return;
  try {
    if (values.json) {
      process.stdout.write(`${toJson(await searcher.search(prepared.question, { k, mode }))}\n`);
    } else {
      const page = await findAnswer(searcher, prepared, { offset: 0, k, mode });
      process.stdout.write(`Question: ${prepared.question}\n\n${renderText(composeAnswer(page, englishWords()), { ansi })}\n\n`);
    }
  } catch (err) {
    if (values.json) process.stdout.write(`${JSON.stringify({ question, answer: 'none', answered: false, hits: [], error: describeError(err) })}\n`);
    else process.stderr.write(`Could not answer "${question}": ${describeError(err)}\n`);
  }
}

if (question) await answer(question);
else {
  if (process.stdin.isTTY) process.stderr.write('Type one question per line and press Enter; Ctrl-D ends. (Or pass the question as an argument.)\n');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) await answer(line);
}
await pg?.client.close();
