/**
 * Runs the real bot (createBot) without a network: updates go straight to bot.handleUpdate and an
 * API transformer records every outgoing call and returns plausible results.
 */
import type { Update } from 'grammy/types';
import { createBot, type BotDeps } from '../../src/bot/create-bot';
import { createLogger } from '../../src/logger';
import type { Searcher } from '../../src/search/types';
import { BOT_INFO, TEST_TOKEN } from './updates';

export interface OutgoingCall {
  method: string;
  payload: Record<string, any>;
}

export interface Harness {
  calls: OutgoingCall[];
  /** Feeds one update and returns the calls it caused. */
  send(update: Update): Promise<OutgoingCall[]>;
  bot: ReturnType<typeof createBot>;
}

export function createHarness(searcher: Searcher, overrides: Partial<BotDeps> = {}): Harness {
  const bot = createBot({
    token: TEST_TOKEN,
    searcher,
    logger: createLogger({ level: 'silent' }),
    resultsPerPage: 3,
    rateLimit: 0,
    access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds: new Set() },
    botInfo: BOT_INFO,
    retry: false,
    ...overrides,
  });
  const calls: OutgoingCall[] = [];
  let nextMessageId = 9000;
  bot.api.config.use(async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, any>;
    calls.push({ method, payload: p });
    let result: unknown = true;
    if (method === 'sendMessage') {
      result = {
        message_id: nextMessageId++,
        date: 1_700_000_000,
        chat: { id: p.chat_id, type: p.chat_id > 0 ? 'private' : 'supergroup' },
        text: p.text,
      };
    }
    return { ok: true, result } as any;
  });
  return {
    calls,
    bot,
    async send(update) {
      const before = calls.length;
      await bot.handleUpdate(update);
      return calls.slice(before);
    },
  };
}
