/**
 * Optional allow-lists. When both lists are empty everyone may use the bot; otherwise an update is
 * allowed when its user is listed (or an admin) or its chat is listed. Inline queries have no chat
 * and are checked by user id. Refused users get one polite message in private chats; groups are
 * ignored silently.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context';

export interface AccessLists {
  allowedUserIds: ReadonlySet<number>;
  allowedChatIds: ReadonlySet<number>;
  adminUserIds: ReadonlySet<number>;
}

// Bounds memory for the "already refused" set; forgetting only means one more polite refusal.
const MAX_REMEMBERED_REFUSALS = 10_000;

/** True when an allow-list restricts who may use the bot. */
export function isRestricted(lists: AccessLists): boolean {
  return lists.allowedUserIds.size > 0 || lists.allowedChatIds.size > 0;
}

/** Pure access decision. */
export function isAllowed(lists: AccessLists, userId: number | undefined, chatId: number | undefined): boolean {
  if (!isRestricted(lists)) return true;
  if (userId !== undefined && (lists.adminUserIds.has(userId) || lists.allowedUserIds.has(userId))) return true;
  return chatId !== undefined && lists.allowedChatIds.has(chatId);
}

export function accessGuard(lists: AccessLists): MiddlewareFn<BotContext> {
  const refused = new Set<number>();
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    const chatId = ctx.inlineQuery ? undefined : ctx.chat?.id;
    if (isAllowed(lists, userId, chatId)) return next();
    ctx.log.info('access refused');
    if (ctx.inlineQuery) {
      await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    } else if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: ctx.t('access-refused') });
    } else if (ctx.chat?.type === 'private' && userId !== undefined && !refused.has(userId)) {
      if (refused.size >= MAX_REMEMBERED_REFUSALS) refused.clear();
      refused.add(userId);
      await ctx.reply(ctx.t('access-refused'));
    }
  };
}
