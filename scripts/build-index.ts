/** npm run build-index -- [--reports DIR] [--index DIR] [--model ID] */
import 'dotenv/config';
import { buildWithProgress, DEFAULT_REPORTS_DIR, openPgStore, resolveReportsDir } from '../src/app';
import { formatBuildSummary } from '../src/console/build-report';
import { createEmbedder } from '../src/embed/embedder';
import { englishRanks } from '../src/embed/english-ranks';
import { DEFAULT_HUB_MODEL } from '../src/embed/models';
import { createRedisClient } from '../src/store/redis-client';
import { fail, parseCli } from './cli-args';
import { modelCacheDirOf } from '../src/config';

const USAGE = 'Usage: npm run build-index -- [--reports DIR] [--index DIR] [--model ID]';
const { values } = parseCli(
  { reports: { type: 'string' }, index: { type: 'string' }, model: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  USAGE,
);
if (values.help) {
  process.stdout.write(`${USAGE}\nDefaults: --reports $REPORTS_DIR, else the folder the index was built from, else ${DEFAULT_REPORTS_DIR}; --index index --model $EMBEDDING_MODEL or ${DEFAULT_HUB_MODEL} (falls back to the offline model).\nWith DATABASE_URL set, the index is written to that PostgreSQL database instead of --index.\n`);
  process.exit(0);
}

const redis = process.env.REDIS_URL?.trim() ? createRedisClient(process.env.REDIS_URL.trim()) : null;
const pg = openPgStore(process.env.DATABASE_URL, redis);
try {
  const embedder = await createEmbedder({
    model: values.model ?? process.env.EMBEDDING_MODEL ?? DEFAULT_HUB_MODEL,
    cacheDir: modelCacheDirOf(process.env),
    onWarning: (m) => process.stderr.write(`Warning: ${m}\n`),
    onNotice: (m) => process.stderr.write(`${m}\n`),
  });
  const indexDir = values.index ?? process.env.INDEX_DIR ?? 'index';
  const configured = values.reports ?? (process.env.REPORTS_DIR?.trim() || null);
  const reports = await resolveReportsDir(configured, indexDir, values.reports === undefined ? 'REPORTS_DIR' : '--reports', pg?.store);
  if (reports.notice !== null) process.stderr.write(`${reports.notice}\n`);
  const summary = await buildWithProgress(
    { reportsDir: reports.dir, indexDir, embedder, englishRanks: await englishRanks(modelCacheDirOf(process.env)), store: pg?.store },
    process.stderr,
  );
  process.stdout.write(`${formatBuildSummary(summary)}\n`);
} catch (err) {
  await pg?.client.close();
  await redis?.close();
  fail(err);
}
await pg?.client.close();
await redis?.close();
