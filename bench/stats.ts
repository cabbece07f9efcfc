// Summary statistics for the bench. Percentiles use the nearest-rank method: with few samples
// (10 connects) an interpolated p95 would report a value that was never measured.

/** The value at rank ⌈p·n⌉ of the sorted samples (nearest rank); NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  const xs = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const rank = Math.min(xs.length, Math.max(1, Math.ceil(p * xs.length)));
  return xs[rank - 1]!;
}

/** The median (mean of the two middle values for an even count); NaN for no samples. */
export function median(samples: readonly number[]): number {
  const xs = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/** One figure over its samples: count, median, p95, min and max. */
export interface Distribution {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Summarises samples into a Distribution. */
export function distribution(samples: readonly number[]): Distribution {
  const xs = samples.filter(Number.isFinite);
  return { n: xs.length, median: median(xs), p95: percentile(xs, 0.95), min: xs.length ? Math.min(...xs) : Number.NaN, max: xs.length ? Math.max(...xs) : Number.NaN };
}

/** A figure repeated over runs: the median of the per-run values, their range, and whether the spread is large. */
export interface Repeated {
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** (max − min) / median; above `SPREAD_LIMIT` the figure is flagged as noisy. */
  spread: number;
  noisy: boolean;
}

/** Spread above which a repeated figure is marked as unreliable (brief: 25 %). */
export const SPREAD_LIMIT = 0.25;

/** Combines the per-run values of one figure (NaN runs — nothing measured — are left out). */
export function repeated(runs: readonly number[]): Repeated {
  const xs = runs.filter(Number.isFinite);
  const med = median(xs);
  const min = xs.length ? Math.min(...xs) : Number.NaN;
  const max = xs.length ? Math.max(...xs) : Number.NaN;
  const spread = xs.length > 1 && med !== 0 ? (max - min) / Math.abs(med) : 0;
  return { runs: [...runs], median: med, min, max, spread, noisy: spread > SPREAD_LIMIT };
}

/** Rounds for display and JSON (NaN stays NaN, printed as "–"). */
export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
