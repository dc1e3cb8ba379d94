import { describe, expect, it } from 'vitest';
import { assignLabels, reportLabel } from '../../../src/ingest/report-label';

describe('report labels', () => {
  it('come from the path: the leading number, else the file name, with the folder', () => {
    expect(reportLabel('003_9a57778b51dc72a5.txt')).toBe('003');
    expect(reportLabel('007.txt')).toBe('007');
    expect(reportLabel('2024-08-20-isw.pdf')).toBe('2024-08-20-isw');
    expect(reportLabel('isw pokrovsk update.html')).toBe('isw-pokrovsk-update');
    expect(reportLabel('east/003_x.md')).toBe('east/003');
  });

  it('do not change when files are added or removed', () => {
    const before = assignLabels(['b.txt', 'c.pdf', '010_x.txt']);
    const after = assignLabels(['a.txt', '000_first.md', 'b.txt', 'c.pdf', '010_x.txt', 'z.docx']);
    for (const [path, label] of before) expect(after.get(path)).toBe(label);
  });

  it('tell apart files whose labels would collide', () => {
    const labels = assignLabels(['003_a.txt', '003_b.pdf', '004.txt']);
    expect(new Set(labels.values()).size).toBe(3);
    expect(labels.get('004.txt')).toBe('004');
    expect(labels.get('003_a.txt')).toMatch(/^003~[0-9a-f]{4}$/);
  });
});
