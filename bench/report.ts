// The printed table: one line per figure with its median, p95, per-round range and a mark when
// the rounds disagree by more than 25 % (such a figure says more about the machine than the code).
import type { Figure } from './figures';
import type { Summary } from './summary';

const fmt = (x: number | null, unit = '') => {
  if (x === null || !Number.isFinite(x)) return '–';
  const digits = Math.abs(x) >= 100 ? 0 : 1;
  return `${x.toFixed(digits)}${unit}`;
};

function row(f: Figure): string {
  const range = f.rounds.runs.filter(Number.isFinite).length > 1 ? `${fmt(f.rounds.min)}–${fmt(f.rounds.max)}` : '';
  const noisy = f.rounds.noisy ? ` ⚠ spread ${(f.rounds.spread * 100).toFixed(0)} %` : '';
  return `${f.label.padEnd(58)} ${fmt(f.median).padStart(8)} ${fmt(f.p95).padStart(8)}  ${f.unit.padEnd(7)} ${range.padEnd(13)} n=${f.n}${noisy}`;
}

/** The whole report as text. */
export function formatReport(s: Summary, header: string[]): string {
  const lines = [...header, ''];
  lines.push(`${'figure'.padEnd(58)} ${'median'.padStart(8)} ${'p95'.padStart(8)}  ${'unit'.padEnd(7)} ${'rounds'.padEnd(13)} samples`);
  lines.push('-'.repeat(120));
  let group = '';
  // Figures of phases that did not run (--no-vnc, --no-screen …) are left out, not printed as dashes.
  for (const f of s.figures.filter((x) => x.n > 0)) {
    const g = f.key.split('.')[0]!;
    if (g !== group && group) lines.push('');
    group = g;
    lines.push(row(f));
  }
  lines.push('', 'Ratios (ours / theirs; for latency lower is better, for rates higher is better)');
  for (const [k, v] of Object.entries(s.ratios).filter(([, x]) => Number.isFinite(x))) lines.push(`  ${k.padEnd(40)} ${fmt(v)}`);
  lines.push('', 'Targets');
  for (const t of s.targets) lines.push(`  ${t.verdict.padEnd(5)} ${t.name.padEnd(58)} ${t.detail}`);
  if (s.notes.length) lines.push('', 'Notes', ...s.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}
