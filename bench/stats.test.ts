import { describe, expect, it } from 'vitest';
import { distribution, median, percentile, repeated } from './stats';
import { parseProcStat, readKb } from './proc-sampler';
import { check, sampledFigure } from './figures';

describe('stats', () => {
  it('uses nearest-rank percentiles, so p95 of 10 samples is the largest', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 0.95)).toBe(10);
    expect(percentile(xs, 0.5)).toBe(5);
    expect(median(xs)).toBe(5.5);
    expect(distribution([])).toMatchObject({ n: 0 });
    expect(Number.isNaN(median([Number.NaN]))).toBe(true);
  });

  it('flags a repeated figure whose rounds spread more than 25 % of their median', () => {
    expect(repeated([100, 110, 120])).toMatchObject({ median: 110, min: 100, max: 120, noisy: false });
    expect(repeated([100, 140, 90]).noisy).toBe(true);
    expect(repeated([50, Number.NaN]).median).toBe(50);
  });

  it('pools samples for median/p95 and keeps each round’s median for the range', () => {
    const f = sampledFigure('k', 'label', 'ms', [
      [10, 20, 30],
      [40, 50, 60],
    ]);
    expect(f).toMatchObject({ median: 35, p95: 60, n: 6 });
    expect(f.rounds.runs).toEqual([20, 50]);
  });

  it('says N/A rather than PASS when a figure was not measured', () => {
    expect(check('t', Number.NaN, 10, 'max', '').verdict).toBe('N/A');
    expect(check('t', 9, 10, 'max', '').verdict).toBe('PASS');
    expect(check('t', 9, 10, 'min', '').verdict).toBe('MISS');
  });
});

describe('proc parsing', () => {
  it('reads ppid and CPU ticks even when the command name has spaces and parentheses', () => {
    const line = '4242 (Chrome_Child (x) y) S 4000 4242 4000 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 9 0 123 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, comm: 'Chrome_Child (x) y', ppid: 4000, ticks: 287, childTicks: 0 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('reads kB fields from /proc status files', () => {
    expect(readKb('Name:\tnode\nVmRSS:\t  123456 kB\n', 'VmRSS')).toBe(123456);
    expect(readKb('Pss:  77 kB\n', 'Pss')).toBe(77);
    expect(readKb('', 'VmRSS')).toBe(0);
  });
});
