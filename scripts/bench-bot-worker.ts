/**
 * The fake Bot API side of scripts/bench-bot.ts, run in a worker thread so that the simulated
 * Telegram server does not compete with the bot for the main thread. It queues the simulated
 * users' messages, watches the answers arrive and computes the statistics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FakeBotApi, type FaultOptions, type RecordedCall } from '../tests/helpers/fake-bot-api';
import { privateChat, textMessage, user } from '../tests/helpers/updates';

export interface WorkerPlan {
  users: number;
  messagesPerUser: number;
  questions: string[];
  timeoutMs: number;
  /** Messages one extra chat sends before everyone else's (a flood); 0 for none. Not counted in the stats. */
  floodMessages?: number;
  /** Measure latency from when a message was sent (queued at the fake API) instead of when the bot fetched it. */
  fromSent?: boolean;
}

export interface WorkerStats {
  questions: number;
  answered: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  seconds: number;
  latenciesMs: number[];
  retriesSeen: { rateLimited: number; serverErrors: number };
  /** Flood messages answered (when the plan has a flood). */
  floodAnswered: number;
}

export type WorkerMessage = { type: 'ready'; apiRoot: string } | { type: 'result'; stats: WorkerStats } | { type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('bench-bot-worker must run in a worker thread');

const api = await FakeBotApi.start({ maxPollMs: 200, faults: (workerData as { faults: FaultOptions }).faults });
port.postMessage({ type: 'ready', apiRoot: api.apiRoot } satisfies WorkerMessage);

port.on('message', (msg: { type: 'run'; plan: WorkerPlan } | { type: 'close' }) => {
  if (msg.type === 'run') {
    run(msg.plan).then((stats) => port.postMessage({ type: 'result', stats } satisfies WorkerMessage));
  } else {
    void api.close().then(() => {
      port.postMessage({ type: 'closed' } satisfies WorkerMessage);
      port.close();
    });
  }
});

async function run(plan: WorkerPlan): Promise<WorkerStats> {
  const answers = new Map<number, RecordedCall[]>();
  let lastAnswerAt = 0;
  let done: () => void = () => {};
  const allAnswered = new Promise<void>((resolve) => (done = resolve));
  let total = Infinity;
  api.onCall((call) => {
    if (call.method !== 'sendMessage' || call.outcome !== 'ok') return;
    const id = call.payload.reply_parameters?.message_id as number | undefined;
    if (id === undefined) return;
    const parts = answers.get(id);
    if (parts) parts.push(call);
    else answers.set(id, [call]);
    lastAnswerAt = Math.max(lastAnswerAt, call.at);
    if (answers.size >= total) done();
  });

  const FLOOD_CHAT = 9_999;
  const flood = Array.from({ length: plan.floodMessages ?? 0 }, (_, i) =>
    textMessage(plan.questions[i % plan.questions.length]!, { from: user(FLOOD_CHAT), chat: privateChat(FLOOD_CHAT) }),
  );
  // Interleave users so every getUpdates batch mixes many chats, as real traffic does.
  const updates = [];
  for (let m = 0; m < plan.messagesPerUser; m++) {
    for (let u = 0; u < plan.users; u++) {
      const id = 10_000 + u;
      updates.push(textMessage(plan.questions[(u + m) % plan.questions.length]!, { from: user(id), chat: privateChat(id) }));
    }
  }
  const sentAt = performance.now();
  const floodQueued = flood.length > 0 ? api.enqueue(...flood) : [];
  const queued = api.enqueue(...updates);
  total = queued.length + floodQueued.length;
  const timer = setTimeout(done, plan.timeoutMs);
  await allAnswered;
  clearTimeout(timer);

  let duplicates = 0;
  for (const parts of answers.values()) duplicates += parts.length - new Set(parts.map((p) => p.payload.text as string)).size;
  let outOfOrder = 0;
  const lastByChat = new Map<number, number>();
  for (const call of api.okCalls('sendMessage')) {
    const chat = call.payload.chat_id as number;
    const id = call.payload.reply_parameters?.message_id as number;
    if (id < (lastByChat.get(chat) ?? -1)) outOfOrder += 1;
    lastByChat.set(chat, Math.max(id, lastByChat.get(chat) ?? -1));
  }
  const latenciesMs: number[] = [];
  let firstDelivery = Infinity;
  let answered = 0;
  for (const u of queued) {
    const delivered = api.deliveredAt.get(u.update_id);
    const parts = answers.get(u.message!.message_id);
    if (delivered === undefined || parts === undefined) continue;
    answered += 1;
    latenciesMs.push(parts[parts.length - 1]!.at - (plan.fromSent ? sentAt : delivered));
    firstDelivery = Math.min(firstDelivery, delivered);
  }
  const floodAnswered = floodQueued.filter((u) => answers.has(u.message!.message_id)).length;
  return {
    questions: queued.length,
    answered,
    floodAnswered,
    lost: queued.length - answered + (floodQueued.length - floodAnswered),
    duplicates,
    outOfOrder,
    seconds: answered > 0 ? (lastAnswerAt - firstDelivery) / 1000 : 0,
    latenciesMs,
    retriesSeen: {
      rateLimited: api.calls.filter((c) => c.outcome === 'rate-limited').length,
      serverErrors: api.calls.filter((c) => c.outcome === 'server-error').length,
    },
  };
}
