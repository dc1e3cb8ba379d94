/** Answers one question in the current chat: typing action, search, quoted reply with buttons. */
import { composeAnswer, findAnswer, prepareQuestion } from '../answer/answer';
import { text } from '../answer/document';
import type { Searcher } from '../search/types';
import type { BotContext } from './context';
import { answerKeyboard } from './keyboards';
import { replyBlocks } from './send';

export interface AnswerDeps {
  searcher: Searcher;
  resultsPerPage: number;
}

export const EMPTY_QUESTION_HINT = 'Please type your question after the command, e.g. /ask What was agreed about air defense?';

/** Searches `rawQuestion` from `offset` and replies to message `replyTo`. */
export async function answerQuestion(
  ctx: BotContext,
  deps: AnswerDeps,
  rawQuestion: string,
  replyTo: number,
  offset = 0,
): Promise<void> {
  const prepared = prepareQuestion(rawQuestion);
  if (prepared === null) {
    await replyBlocks(ctx, [text(EMPTY_QUESTION_HINT)], { replyTo });
    return;
  }
  const started = performance.now();
  // Cosmetic: a failed chat action must not fail the answer.
  const typing = ctx.replyWithChatAction('typing').catch((err: unknown) => ctx.log.debug({ err }, 'typing action failed'));
  const page = await findAnswer(deps.searcher, prepared, { offset, k: deps.resultsPerPage });
  await typing;
  await replyBlocks(ctx, composeAnswer(page), { replyTo, keyboard: answerKeyboard(page) });
  ctx.log.debug(
    { answered: page.answered, confidence: page.confidence, hits: page.quotes.length, offset, ms: Math.round(performance.now() - started) },
    'question answered',
  );
}
