import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCallback, encodeCallback, MAX_CALLBACK_DATA_BYTES, type CallbackAction } from '../../../src/bot/callback-data';

describe('callback data', () => {
  it('encodes the two actions compactly', () => {
    expect(encodeCallback({ kind: 'more', offset: 3 })).toBe('more:3');
    expect(encodeCallback({ kind: 'context', passageId: '0123456789ab' })).toBe('ctx:0123456789ab');
  });

  it('round-trips every valid action within 64 bytes (property)', () => {
    const action = fc.oneof(
      fc.integer({ min: 1, max: 1000 }).map((offset): CallbackAction => ({ kind: 'more', offset })),
      fc.stringMatching(/^[0-9a-f]{12}$/).map((passageId): CallbackAction => ({ kind: 'context', passageId })),
    );
    fc.assert(
      fc.property(action, (a) => {
        const data = encodeCallback(a);
        expect(data).not.toBeNull();
        expect(Buffer.byteLength(data!, 'utf8')).toBeLessThanOrEqual(MAX_CALLBACK_DATA_BYTES);
        expect(decodeCallback(data!)).toEqual(a);
      }),
    );
  });

  it('refuses to encode what cannot be represented', () => {
    expect(encodeCallback({ kind: 'more', offset: 0 })).toBeNull();
    expect(encodeCallback({ kind: 'more', offset: 1.5 })).toBeNull();
    expect(encodeCallback({ kind: 'context', passageId: 'x'.repeat(61) })).toBeNull();
    expect(encodeCallback({ kind: 'context', passageId: 'has space' })).toBeNull();
  });

  it('treats unknown, old or forged data as expired (null)', () => {
    for (const data of [undefined, '', 'more', 'more:', 'more:0', 'more:-1', 'more:99999', 'more:1e3', 'ctx:', 'ctx:a b', 'page:2', 'v0|m|3']) {
      expect(decodeCallback(data)).toBeNull();
    }
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (data) => {
        const action = decodeCallback(data);
        if (action !== null) expect(encodeCallback(action)).toBe(data);
      }),
    );
  });
});
