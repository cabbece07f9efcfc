import { describe, expect, it } from 'vitest';
import { fileNameTimestamp, formatDuration, formatLocalDateTime, toIsoWithOffset } from './time-text';

describe('time-text', () => {
  it.each([
    [0, 'less than a minute'],
    [59_999, 'less than a minute'],
    [60_000, '1 minute'],
    [-42 * 60_000, '42 minutes'],
    [3600_000, '1 hour'],
    [(5 * 60 + 20) * 60_000, '5 hours 20 minutes'],
    [(9 * 60 + 1) * 60_000, '9 hours 1 minute'],
    [(12 * 60 + 30) * 60_000, '12 hours'],
    [30 * 3600_000, '30 hours'],
    [3 * 86_400_000 + 5000, '3 days'],
  ])('formatDuration(%i) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats local date-times and file-name stamps', () => {
    const d = new Date(2030, 0, 2, 3, 4, 5);
    expect(formatLocalDateTime(d)).toBe('2030-01-02 03:04');
    expect(fileNameTimestamp(d)).toBe('20300102-0304');
  });

  it('writes ISO 8601 with this machine\'s offset, naming the same instant', () => {
    const d = new Date(Date.UTC(2030, 6, 1, 12, 34, 56));
    const iso = toIsoWithOffset(d);
    expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(Date.parse(iso)).toBe(d.getTime());
  });
});
