import { describe, expect, it } from 'vitest';
import { checkZip } from '../../../src/ingest/zip-guard';
import { buildZip } from '../../helpers/report-fixtures';

const SMALL = { maxUncompressedBytes: 1024 * 1024, maxEntries: 10 };

describe('checkZip', () => {
  it('accepts an archive within the limits and returns its unpacked size', () => {
    const zip = buildZip([
      { name: 'a.xml', data: Buffer.from('<a>hello</a>') },
      { name: 'b.bin', data: Buffer.alloc(1000) },
    ]);
    expect(checkZip(zip, SMALL)).toBe(12 + 1000);
  });

  it('refuses an archive that unpacks beyond the cap, even when its headers understate the size', () => {
    const honest = buildZip([{ name: 'zeros', data: Buffer.alloc(2 * 1024 * 1024) }]);
    const lying = buildZip([{ name: 'zeros', data: Buffer.alloc(2 * 1024 * 1024), declaredSize: 10 }]);
    expect(() => checkZip(honest, SMALL)).toThrow(/unpacks to more than 1 MB: refused as a possible zip bomb/);
    expect(() => checkZip(lying, SMALL)).toThrow(/unpacks to more than 1 MB: refused as a possible zip bomb/);
  });

  it('refuses too many entries and broken archives', () => {
    const many = buildZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    expect(() => checkZip(many, SMALL)).toThrow(/11 entries/);
    expect(() => checkZip(Buffer.from('not a zip at all, just some words here'), SMALL)).toThrow(/not a valid zip archive/);
    const zip = buildZip([{ name: 'a', data: Buffer.from('hello world') }]);
    expect(() => checkZip(zip.subarray(10), SMALL)).toThrow(/not a valid zip archive/);
  });
});
