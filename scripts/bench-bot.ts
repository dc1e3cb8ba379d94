/**
 * Load benchmark for the Telegram bot (not a test): simulated users send a burst of questions
 * through the fake Bot API (in a worker thread, like a remote server), which injects some 429
 * (retry_after 1) and 500 responses; the real bot
 * (createBot + @grammyjs/runner) answers them. Checks that every question is answered exactly once
 * and in per-chat order, and reports throughput and latency (update delivered → answer received).
 *
 *   npx tsx scripts/bench-bot.ts            # real searcher, offline model, index of seeds/
 *   npx tsx scripts/bench-bot.ts --fake     # in-memory fake searcher (bot overhead only)
 *   npx tsx scripts/bench-bot.ts --rate-limit-fraction 0.02 --server-error-fraction 0.005 --concurrency 200
 *   npx tsx scripts/bench-bot.ts --fairness   # other users' p99 with and without a 600-message flood from one chat
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createBot } from '../src/bot/create-bot';
import { DEFAULT_CONCURRENCY, startPolling } from '../src/bot/run-polling';
import { describeError } from '../src/errors';
import { createLogger } from '../src/logger';
import type { Searcher } from '../src/search/types';
import { Worker } from 'node:worker_threads';
import type { FaultOptions } from '../tests/helpers/fake-bot-api';
import { TEST_TOKEN } from '../tests/helpers/updates';
import type { WorkerMessage, WorkerPlan, WorkerStats } from './bench-bot-worker';

export interface BotLoadBenchOptions {
  users?: number;
  messagesPerUser?: number;
  /** Fraction of sendMessage/sendChatAction calls answered with 429 retry_after 1 (default 1%). */
  rateLimitFraction?: number;
  /** Fraction answered with 500 (default 0.25%); auto-retry backs off 3 s before retrying these. */
  serverErrorFraction?: number;
  /** Runner concurrency (default: the bot's own). */
  concurrency?: number;
  resultsPerPage?: number;
  /** Give up waiting for answers after this long. */
  timeoutMs?: number;
  seed?: number;
  questions?: string[];
  /** Messages one unthrottled chat sends ahead of everyone else; not counted in the latencies. */
  floodMessages?: number;
  /** Latency from when a message was sent rather than when the bot fetched it. */
  fromSent?: boolean;
}

/** The worker's counts, with latencies summarised. */
export type BotLoadBenchResult = Omit<WorkerStats, 'latenciesMs'> & {
  users: number;
  throughputQps: number;
  latencyMs: { p50: number; p99: number; max: number };
  concurrency: number;
};

const DEFAULT_QUESTIONS = [
  'What did NATO promise about air defense?',
  'What happened in the Kursk region?',
  'How close are Russian forces to Pokrovsk?',
  'Will Ukraine sign the minerals deal with the US?',
  'What is the Peklo cruise missile?',
  'Which sanctions did the EU adopt?',
  'What did Zelensky say about the mineral deal?',
  'Is Ukraine close to a breakthrough near Robotyne?',
  'How many North Korean troops were wounded?',
  'Who was appointed commander of aviation?',
  'What happened to the HIMARS in Sumy oblast?',
  'What did Stoltenberg tell reporters?',
  'Who is winning the economic war?',
  'What did Putin say on the call-in show?',
  'Were residents of Pokrovsk told to evacuate?',
  'What is the weather on Mars?',
];


/** Runs the load benchmark against `searcher` and returns its measurements. */
export async function runBotLoadBench(searcher: Searcher, options: BotLoadBenchOptions = {}): Promise<BotLoadBenchResult> {
  const users = options.users ?? 200;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const faults: FaultOptions = {
    rateLimitFraction: options.rateLimitFraction ?? 0.01,
    serverErrorFraction: options.serverErrorFraction ?? 0.0025,
    retryAfterSeconds: 1,
    methods: ['sendMessage', 'sendChatAction'],
    seed: options.seed ?? 7,
  };
  // Workers do not inherit tsx's loader; register it before importing the TypeScript worker module.
  const workerUrl = new URL('./bench-bot-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { faults } });
  const messages: WorkerMessage[] = [];
  const waiters: Array<() => void> = [];
  worker.on('message', (msg: WorkerMessage) => {
    messages.push(msg);
    for (const wake of waiters.splice(0)) wake();
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const next = async <T extends WorkerMessage['type']>(type: T): Promise<Extract<WorkerMessage, { type: T }>> => {
    for (;;) {
      const found = messages.find((m) => m.type === type);
      if (found) return found as Extract<WorkerMessage, { type: T }>;
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), failed]);
    }
  };

  try {
    const { apiRoot } = await next('ready');
    const logger = createLogger({ level: 'silent' });
    const bot = createBot({
      token: TEST_TOKEN,
      apiRoot,
      searcher,
      logger,
      resultsPerPage: options.resultsPerPage ?? 3,
      rateLimit: 0,
      access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds: new Set() },
    });
    const polling = await startPolling(bot, { logger, pollTimeoutSeconds: 1, concurrency });
    let stats: WorkerStats;
    try {
      const plan: WorkerPlan = {
        users,
        messagesPerUser: options.messagesPerUser ?? 10,
        questions: options.questions ?? DEFAULT_QUESTIONS,
        timeoutMs: options.timeoutMs ?? 120_000,
        floodMessages: options.floodMessages ?? 0,
        fromSent: options.fromSent ?? false,
      };
      worker.postMessage({ type: 'run', plan });
      stats = (await next('result')).stats;
    } finally {
      await polling.stop();
    }
    worker.postMessage({ type: 'close' });
    await next('closed');
    const latencies = [...stats.latenciesMs].sort((a, b) => a - b);
    return {
      users,
      questions: stats.questions,
      answered: stats.answered,
      lost: stats.lost,
      duplicates: stats.duplicates,
      outOfOrder: stats.outOfOrder,
      seconds: round(stats.seconds, 2),
      throughputQps: stats.seconds > 0 ? Math.round(stats.answered / stats.seconds) : 0,
      latencyMs: { p50: round(percentile(latencies, 0.5), 1), p99: round(percentile(latencies, 0.99), 1), max: round(latencies.at(-1) ?? 0, 1) },
      retriesSeen: stats.retriesSeen,
      floodAnswered: stats.floodAnswered,
      concurrency,
    };
  } finally {
    await worker.terminate();
  }
}

export interface FairnessBenchResult {
  users: number;
  questionsPerUser: number;
  floodMessages: number;
  /** p99 of the other users' latency (sent → answered), without and with the flood. */
  othersP99MsWithoutFlood: number;
  othersP99MsWithFlood: number;
  /** With / without; the target is at most 2. */
  p99Ratio: number;
  othersP50MsWithoutFlood: number;
  othersP50MsWithFlood: number;
  floodAnswered: number;
  lost: number;
  outOfOrder: number;
}

/**
 * Fairness: other users' answer latency with and without one chat flooding the bot (sent first,
 * unthrottled as an admin or with RATE_LIMIT=0). Runs a small warm-up first so neither run pays
 * for it. No injected faults, so the difference is the flood's.
 */
export async function runFairnessBench(
  searcher: Searcher,
  options: { users?: number; messagesPerUser?: number; floodMessages?: number } = {},
): Promise<FairnessBenchResult> {
  const users = options.users ?? 100;
  const messagesPerUser = options.messagesPerUser ?? 3;
  const floodMessages = options.floodMessages ?? 600;
  const common = { users, messagesPerUser, rateLimitFraction: 0, serverErrorFraction: 0, fromSent: true };
  await runBotLoadBench(searcher, { ...common, users: 20 });
  const calm = await runBotLoadBench(searcher, common);
  const flooded = await runBotLoadBench(searcher, { ...common, floodMessages });
  return {
    users,
    questionsPerUser: messagesPerUser,
    floodMessages,
    othersP99MsWithoutFlood: calm.latencyMs.p99,
    othersP99MsWithFlood: flooded.latencyMs.p99,
    p99Ratio: round(flooded.latencyMs.p99 / Math.max(1, calm.latencyMs.p99), 2),
    othersP50MsWithoutFlood: calm.latencyMs.p50,
    othersP50MsWithFlood: flooded.latencyMs.p50,
    floodAnswered: flooded.floodAnswered,
    lost: calm.lost + flooded.lost,
    outOfOrder: calm.outOfOrder + flooded.outOfOrder,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fake: { type: 'boolean', default: false },
      fairness: { type: 'boolean', default: false },
      'rate-limit-fraction': { type: 'string' },
      'server-error-fraction': { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const numberOption = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  let searcher: Searcher;
  let cleanup = async (): Promise<void> => {};
  if (values.fake) {
    const { createFakeSearcher } = await import('../tests/helpers/fake-searcher');
    searcher = createFakeSearcher();
  } else {
    const { openSearcher } = await import('../src/app');
    const indexDir = await mkdtemp(path.join(tmpdir(), 'bench-bot-'));
    cleanup = () => rm(indexDir, { recursive: true, force: true });
    searcher = (
      await openSearcher({
        reportsDir: 'seeds',
        indexDir,
        model: 'offline',
        modelCacheDir: '.cache/models',
        rebuild: 'if-stale',
        onWarning: () => {},
      })
    ).searcher;
  }
  try {
    if (values.fairness) {
      const fairness = await runFairnessBench(searcher);
      process.stdout.write(`${JSON.stringify({ searcher: values.fake ? 'fake' : 'offline', ...fairness }, null, 2)}\n`);
      if (fairness.lost > 0 || fairness.outOfOrder > 0) process.exitCode = 1;
      return;
    }
    const result = await runBotLoadBench(searcher, {
      rateLimitFraction: numberOption(values['rate-limit-fraction']),
      serverErrorFraction: numberOption(values['server-error-fraction']),
      concurrency: numberOption(values.concurrency),
    });
    process.stdout.write(`${JSON.stringify({ searcher: values.fake ? 'fake' : 'offline', ...result }, null, 2)}\n`);
    if (result.lost > 0 || result.duplicates > 0 || result.outOfOrder > 0) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${describeError(err)}\n`);
    process.exitCode = 1;
  });
}
