// Turns per-round measurements into figures (pooled median/p95 + per-round min–max and spread)
// and checks them against the targets. Pure: the unit test feeds it numbers.
import { distribution, percentile, repeated, type Repeated } from './stats';

/** One figure as the table and results.json show it. */
export interface Figure {
  key: string;
  label: string;
  unit: string;
  /** Median over all samples of all rounds (for per-round values: the median of the rounds). */
  median: number;
  /** p95 over all samples (null for figures that are one value per round). */
  p95: number | null;
  /** Samples behind the median. */
  n: number;
  /** The figure per round (its median within the round), their range and spread. */
  rounds: Repeated;
}

/** A figure from raw samples grouped by round (e.g. every connect time, per round). */
export function sampledFigure(key: string, label: string, unit: string, perRound: readonly (readonly number[])[]): Figure {
  const all = perRound.flat();
  const d = distribution(all);
  return { key, label, unit, median: d.median, p95: percentile(all, 0.95), n: d.n, rounds: repeated(perRound.map((xs) => distribution(xs).median)) };
}

/** A figure that is one value per round (a rate, a throughput). */
export function roundFigure(key: string, label: string, unit: string, perRound: readonly number[]): Figure {
  const r = repeated(perRound);
  return { key, label, unit, median: r.median, p95: null, n: perRound.filter(Number.isFinite).length, rounds: r };
}

/** A target: PASS, MISS, or not measured. */
export interface TargetResult {
  name: string;
  /** What was measured against what, in words and numbers. */
  detail: string;
  verdict: 'PASS' | 'MISS' | 'N/A';
}

/** `value` compared with `limit` ('max': must be ≤, 'min': must be ≥); N/A when either is not a number. */
export function check(name: string, value: number, limit: number, kind: 'max' | 'min', detail: string): TargetResult {
  if (!Number.isFinite(value) || !Number.isFinite(limit)) return { name, detail, verdict: 'N/A' };
  const ok = kind === 'max' ? value <= limit : value >= limit;
  return { name, detail, verdict: ok ? 'PASS' : 'MISS' };
}

/** `a / b`, NaN when b is 0 or not a number. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}
