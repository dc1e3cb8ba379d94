/** /sources: the indexed reports with their numbers, titles and passage counts. */
import { Composer } from 'grammy';
import { sourcesBlocks } from '../../answer/info';
import type { Searcher } from '../../search/types';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

export function sourcesFeature(searcher: Searcher): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('sources', async (ctx) => {
    await replyBlocks(ctx, sourcesBlocks(searcher, ctx.t));
  });
  return composer;
}
