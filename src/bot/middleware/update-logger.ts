/** Gives every update its own child logger and logs how long it took. */
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../logger';
import type { BotContext } from '../context';

export function updateLogger(root: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.log = root.child({ update_id: ctx.update.update_id, chat_id: ctx.chat?.id, user_id: ctx.from?.id });
    const started = performance.now();
    await next();
    ctx.log.debug({ ms: Math.round(performance.now() - started) }, 'update handled');
  };
}
