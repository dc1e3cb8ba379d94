/** /about: index statistics, embedding model and build time. Admins also see the index folder. */
import { Composer } from 'grammy';
import { aboutBlocks } from '../../answer/info';
import type { Searcher } from '../../search/types';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

export function aboutFeature(searcher: Searcher, adminUserIds: ReadonlySet<number>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('about', async (ctx) => {
    const isAdmin = ctx.from !== undefined && adminUserIds.has(ctx.from.id);
    await replyBlocks(ctx, aboutBlocks(searcher.stats(), isAdmin, ctx.t));
  });
  return composer;
}
