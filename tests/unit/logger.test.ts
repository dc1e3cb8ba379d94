import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';

const TOKEN = '123456789:AAtest-token_for_the_fake_bot_api_0000';

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('scrubs the token from messages, fields, URLs and errors, and redacts token fields', () => {
    const out = capture();
    const log = createLogger({ level: 'info', secrets: [TOKEN], destination: out.stream });
    log.info(`calling https://api.telegram.org/bot${TOKEN}/getMe`);
    log.info({ url: `https://api.telegram.org/bot${TOKEN}/sendMessage`, token: 'anything', nested: { botToken: TOKEN } }, 'request');
    log.error({ err: new Error(`fetch failed for https://api.telegram.org/bot${TOKEN}/getUpdates`) }, 'failed');
    log.warn({ other: '987654:AAanother-token-shaped-secret-value-000' }, 'token-shaped');
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('AAanother-token-shaped-secret-value-000');
    const [first, second, third] = out.lines();
    expect(first!.msg).toBe('calling https://api.telegram.org/bot[redacted]/getMe');
    expect(second).toMatchObject({ url: 'https://api.telegram.org/bot[redacted]/sendMessage', token: '[redacted]', nested: { botToken: '[redacted]' } });
    expect(third).toMatchObject({ err: { type: 'Error', message: 'fetch failed for https://api.telegram.org/bot[redacted]/getUpdates' } });
  });

  it('respects the level', () => {
    const out = capture();
    const log = createLogger({ level: 'warn', destination: out.stream });
    log.info('hidden');
    log.warn('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});

describe('humanLine', () => {
  it('renders a JSON log line for a person', async () => {
    const { humanLine } = await import('../../src/logger');
    const line = humanLine(JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 1, 12, 0, 1), msg: 'Building the index\nnow', passages: 5 }));
    expect(line).toBe('12:00:01 WARN Building the index\n  now passages=5\n');
    expect(humanLine('not json')).toBe('not json');
  });
});
