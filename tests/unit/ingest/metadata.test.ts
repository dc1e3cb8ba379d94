import { describe, expect, it } from 'vitest';
import { ReportFileError } from '../../../src/errors';
import { dateInText, httpUrl, isoDate, mergeMeta, parseSidecar } from '../../../src/ingest/metadata';

describe('isoDate', () => {
  it('reads the calendar day of ISO dates, timestamps, PDF dates, YAML dates and written dates', () => {
    expect(isoDate('2024-08-20')).toBe('2024-08-20');
    expect(isoDate('2024-08-20T23:30:00-05:00')).toBe('2024-08-20');
    expect(isoDate("D:20240820120000+02'00'")).toBe('2024-08-20');
    expect(isoDate(new Date('2024-08-20T00:00:00Z'))).toBe('2024-08-20');
    expect(isoDate('20 August 2024')).toBe('2024-08-20');
    expect(isoDate('Aug 20, 2024, 5:45 pm ET')).toBe('2024-08-20');
  });

  it('refuses partial, impossible and placeholder dates', () => {
    expect(isoDate('March 28')).toBeNull();
    expect(isoDate('2024-02-30')).toBeNull();
    expect(isoDate('1600-01-01')).toBeNull();
    expect(isoDate('')).toBeNull();
    expect(isoDate(42)).toBeNull();
    expect(isoDate(new Date('nonsense'))).toBeNull();
  });
});

describe('dateInText', () => {
  it('finds a full date in the first lines', () => {
    expect(dateInText('Weekly roundup\nPublished 20 August 2024 by the desk\n\nText.')).toBe('2024-08-20');
  });

  it('ignores relative phrases, dates without a year and dates far down the text', () => {
    expect(dateInText('Zelensky said on March 28 that a day after the talks, in the week ahead, nothing changed.')).toBeNull();
    const late = `${'Line of text without dates.\n'.repeat(10)}20 August 2024`;
    expect(dateInText(late)).toBeNull();
  });
});

describe('metadata values', () => {
  it('keeps only http(s) links', () => {
    expect(httpUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(httpUrl('javascript:alert(1)')).toBeNull();
    expect(httpUrl('ftp://example.org')).toBeNull();
    expect(httpUrl('not a url')).toBeNull();
  });

  it('merges field by field, the first known value winning', () => {
    expect(mergeMeta({ title: 'Sidecar', date: null }, { title: 'File', date: '2024-01-01', url: 'https://x.org/' }, null)).toEqual({
      title: 'Sidecar',
      date: '2024-01-01',
      url: 'https://x.org/',
      author: null,
    });
  });
});

describe('parseSidecar', () => {
  it('reads title, date, url and author', () => {
    const sidecar = parseSidecar(Buffer.from('\uFEFF{"title": "T", "date": "2024-08-20", "url": "https://example.org/r", "author": ["A", {"name": "B"}]}'));
    expect(sidecar).toEqual({ meta: { title: 'T', date: '2024-08-20', url: 'https://example.org/r', author: 'A, B' }, problems: [] });
  });

  it('keeps the good fields of a sidecar with bad ones and names the bad ones', () => {
    const sidecar = parseSidecar(Buffer.from('{"title": "T", "date": "soon", "url": "file:///etc/passwd"}'));
    expect(sidecar.meta).toEqual({ title: 'T', date: null, url: null, author: null });
    expect(sidecar.problems).toHaveLength(2);
  });

  it('refuses what is not a JSON object', () => {
    expect(() => parseSidecar(Buffer.from('[1, 2]'))).toThrow(ReportFileError);
    expect(() => parseSidecar(Buffer.from('{ nope'))).toThrow('not valid JSON, ignored');
  });
});
