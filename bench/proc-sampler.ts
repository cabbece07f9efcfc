// CPU and memory of a set of processes, from /proc. CPU is the change in utime+stime over a
// window (100 % = one core busy; this machine has two). Memory is RSS and PSS summed over the set:
// Chromium's processes share much of their memory, so the RSS sum over-counts and PSS (each
// shared page divided among its users) is the fairer total.
import fs from 'node:fs';

/** The fields of /proc/PID/stat the sampler uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
  /** cutime + cstime: children it has waited for (sshd's per-connection processes, scp's ssh). */
  childTicks: number;
}

/**
 * Parses /proc/PID/stat. The command name is in parentheses and may itself contain spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const childTicks = Number(rest[13]) + Number(rest[14]);
  const pid = Number(text.slice(0, open).trim());
  if (![pid, ppid, utime, stime, childTicks].every(Number.isFinite)) return null;
  return { pid, comm: text.slice(open + 1, close), ppid, ticks: utime + stime, childTicks };
}

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux this runs on. */
export const CLOCK_TICKS = 100;

/** CPU ms a process used, itself plus the children it waited for ('self' = this process). */
export function cpuMsWithChildren(pid: number | 'self'): number {
  const s = readStat(pid === 'self' ? process.pid : pid);
  return s ? ((s.ticks + s.childTicks) * 1000) / CLOCK_TICKS : Number.NaN;
}

function readStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The pids whose command line contains `needle`. */
export function pidsWithArg(needle: string): number[] {
  return allPids().filter((p) => cmdline(p).includes(needle));
}

/** `roots` and all their descendants. */
export function withDescendants(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const p of allPids()) {
    const s = readStat(p);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(p);
    children.set(s.ppid, list);
  }
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const p = stack.pop()!;
    if (out.has(p)) continue;
    out.add(p);
    stack.push(...(children.get(p) ?? []));
  }
  return [...out];
}

/** Reads a "Key:   N kB" line from a /proc status-style file, in kB (0 if absent). */
export function readKb(text: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

function memoryKb(pid: number): { rss: number; pss: number } {
  try {
    const rss = readKb(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
    let pss = rss;
    try {
      pss = readKb(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {
      // Older kernels have no smaps_rollup: fall back to RSS.
    }
    return { rss, pss };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** CPU and memory of a process group over one window. */
export interface ResourceUse {
  /** % of one core, averaged over the window. */
  cpuPercent: number;
  rssMb: number;
  pssMb: number;
  processes: number;
}

/**
 * Starts measuring the processes `pids()` returns (re-read at the end, so processes born during
 * the window count from their birth). Call the returned function to stop and get the figures.
 */
export function startSampling(pids: () => number[]): () => ResourceUse {
  const t0 = performance.now();
  const before = new Map<number, number>();
  for (const p of pids()) {
    const s = readStat(p);
    if (s) before.set(p, s.ticks);
  }
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    let ticks = 0;
    let rss = 0;
    let pss = 0;
    const now = pids();
    for (const p of now) {
      const s = readStat(p);
      if (!s) continue;
      ticks += s.ticks - (before.get(p) ?? 0);
      const m = memoryKb(p);
      rss += m.rss;
      pss += m.pss;
    }
    return { cpuPercent: (ticks / CLOCK_TICKS / seconds) * 100, rssMb: rss / 1024, pssMb: pss / 1024, processes: now.length };
  };
}
