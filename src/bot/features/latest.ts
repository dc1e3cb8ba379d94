/** /latest: the newest report's title and date, and its three most informative passages. */
import { Composer } from 'grammy';
import { latestBlocks } from '../../answer/info';
import type { Searcher } from '../../search/types';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

export function latestFeature(searcher: Searcher): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('latest', async (ctx) => {
    await replyBlocks(ctx, latestBlocks(searcher, ctx.t));
  });
  return composer;
}
