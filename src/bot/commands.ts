/** The command menu registered with setMyCommands at start-up. */
import type { BotCommand } from 'grammy/types';

export const BOT_COMMANDS: BotCommand[] = [
  { command: 'ask', description: 'Ask a question about the reports' },
  { command: 'help', description: 'How to ask, in private, in groups and inline' },
  { command: 'sources', description: 'List the indexed reports' },
  { command: 'about', description: 'Index statistics and model' },
];
