/** Answers one question in the current chat: typing action beside the search, quoted reply with buttons. */
import { composeAnswer, findAnswer, prepareQuestion } from '../answer/answer';
import { text } from '../answer/document';
import type { Searcher } from '../search/types';
import { apiSignal } from './api-network';
import type { BotContext } from './context';
import { answerKeyboard } from './keyboards';
import { replyBlocks } from './send';

export interface AnswerDeps {
  searcher: Searcher;
  resultsPerPage: number;
}

// The typing indicator lasts 5 s on Telegram's side; a request still pending after this is pointless.
const TYPING_TIMEOUT_MS = 5000;

/** Searches `rawQuestion` from `offset` and replies to message `replyTo`, in the user's language. */
export async function answerQuestion(
  ctx: BotContext,
  deps: AnswerDeps,
  rawQuestion: string,
  replyTo: number,
  offset = 0,
): Promise<void> {
  const prepared = prepareQuestion(rawQuestion);
  if (prepared === null) {
    await replyBlocks(ctx, [text(ctx.t('answer-empty-question'))], { replyTo });
    return;
  }
  const started = performance.now();
  // Cosmetic and not awaited: a slow, hanging or failed chat action never delays or fails the answer.
  void ctx
    .replyWithChatAction('typing', undefined, apiSignal(AbortSignal.timeout(TYPING_TIMEOUT_MS)))
    .catch((err: unknown) => ctx.log.debug({ err }, 'typing action failed'));
  const page = await findAnswer(deps.searcher, prepared, { offset, k: deps.resultsPerPage });
  await replyBlocks(ctx, composeAnswer(page, ctx.t), { replyTo, keyboard: answerKeyboard(page, ctx.t) });
  ctx.log.debug(
    { answered: page.answered, confidence: page.confidence, hits: page.quotes.length, offset, ms: Math.round(performance.now() - started) },
    'question answered',
  );
}
