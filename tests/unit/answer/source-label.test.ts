import { describe, expect, it } from 'vitest';
import { formatDate, ReportNumbers } from '../../../src/answer/source-label';

const numbers = new ReportNumbers([
  { source: 'isw/2024-08-20.pdf', label: 'isw/2024-08-20', title: 'ISW', date: '2024-08-20', url: null, format: 'pdf', passages: 3 },
]);
const ref = { source: 'isw/2024-08-20.pdf', title: 'Pokrovsk axis assessment', date: '2024-08-20', url: 'https://example.org/isw', page: 4, endPage: 4, paragraph: 9 };

describe('source lines', () => {
  it('read "Report label · Title · date · p. N", the title linked to the original', () => {
    const line = numbers.label(ref);
    expect(line.text).toBe('Report isw/2024-08-20 · Pokrovsk axis assessment · 20 Aug 2024 · p. 4');
    expect(line.text.slice(line.link!.offset, line.link!.offset + line.link!.length)).toBe('Pokrovsk axis assessment');
    expect(line.link!.url).toBe('https://example.org/isw');
  });

  it('name both pages of a passage that runs over a page break, and ¶N outside PDFs; no date or link when unknown', () => {
    expect(numbers.label({ ...ref, endPage: 5 }).text).toBe('Report isw/2024-08-20 · Pokrovsk axis assessment · 20 Aug 2024 · pp. 4–5');
    const plain = numbers.label({ ...ref, source: '003_x.txt', date: null, url: null, page: null, endPage: null });
    expect(plain).toEqual({ text: 'Report 003 · Pokrovsk axis assessment · ¶9', link: null });
  });

  it('format dates as day, short month and year', () => {
    expect(formatDate('2024-08-20')).toBe('20 Aug 2024');
    expect(formatDate('1999-12-31')).toBe('31 Dec 1999');
  });
});
