// One screen round on a fresh rig: connect N times, measure our video (full-screen and small
// motion) with the requester's resource use, input latency, then — with our session ended — the
// Xvfb paint floor and x11vnc (default and tuned) on the same display and pattern.
import fs from 'node:fs';
import path from 'node:path';
import { connectOnce, endSession, type ConnectSample } from './connect-bench';
import { measureInput, takeControl, type InputSample } from './input-bench';
import { pidsWithArg, startSampling, withDescendants, type ResourceUse } from './proc-sampler';
import { startRig, type Rig } from './rig';
import { measureVideo, type VideoSample } from './video-bench';
import { measureVnc, type VncSample } from './vnc-bench';
import { openXvfbProbe, type XvfbSample } from './xvfb-probe';

/** What a round measures and for how long. */
export interface RoundPlan {
  connects: number;
  inputEvents: number;
  videoMs: number;
  smallMs: number;
  warmMs: number;
  xvfbMs: number;
  vnc: boolean;
  /** Write a CPU profile of the requester's host to this folder. */
  profileDir: string | null;
}

/** Machine load around a phase: other engineers' work on the same two cores skews figures. */
export interface Load {
  loadavg1: number;
  /** % of all cores busy (any process) during the phase, from /proc/stat. */
  machineBusyPercent: number;
}

/** Everything one round measured; a failed phase leaves its error and no numbers. */
export interface RoundResult {
  round: number;
  connects: ConnectSample[];
  video: { full: VideoSample | null; small: VideoSample | null };
  requesterUse: ResourceUse | null;
  patternUse: ResourceUse | null;
  input: InputSample | null;
  xvfb: { full: XvfbSample | null; small: XvfbSample | null };
  vncDefault: VncSample[];
  vncTuned: VncSample[];
  load: Record<string, Load>;
  errors: string[];
}

/** The first lines of an error (Playwright's name the locator and the value on lines 2–4). */
function brief(e: unknown): string {
  return ((e as Error).message ?? String(e))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 4)
    .join(' | ');
}

function cpuTotals(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Runs `fn`, recording the machine's load while it ran under `name`. */
async function withLoad<T>(loads: Record<string, Load>, name: string, fn: () => Promise<T>): Promise<T> {
  const a = cpuTotals();
  try {
    return await fn();
  } finally {
    const b = cpuTotals();
    loads[name] = { loadavg1: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]), machineBusyPercent: ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100 };
  }
}

/** Runs one round; `log` gets a line per phase. */
export async function runRound(round: number, plan: RoundPlan, workDir: string, log: (line: string) => void): Promise<RoundResult> {
  const r: RoundResult = { round, connects: [], video: { full: null, small: null }, requesterUse: null, patternUse: null, input: null, xvfb: { full: null, small: null }, vncDefault: [], vncTuned: [], load: {}, errors: [] };
  const attempt = async (phase: string, fn: () => Promise<void>) => {
    try {
      await withLoad(r.load, phase, fn);
    } catch (e) {
      const msg = `${phase}: ${brief(e)}`;
      r.errors.push(msg);
      log(`  ! ${msg}`);
    }
  };
  if (plan.profileDir) fs.mkdirSync(plan.profileDir, { recursive: true });
  const rig: Rig = await startRig({
    workDir,
    round,
    // Node refuses --cpu-prof in NODE_OPTIONS; a preload runs the inspector's profiler instead.
    ...(plan.profileDir
      ? { requesterEnv: { NODE_OPTIONS: `--import=${path.join(import.meta.dirname, 'cpu-profile-preload.mjs')}`, RA_BENCH_PROFILE_DIR: path.resolve(plan.profileDir) } }
      : {}),
  });
  try {
    await attempt('connect', async () => {
      // A failed connect is recorded and retried (twice per round at most): one flake must not
      // cost the round its video and input figures.
      let failures = 0;
      while (r.connects.length < plan.connects) {
        try {
          r.connects.push(await connectOnce(rig));
          if (r.connects.length < plan.connects) await endSession(rig);
        } catch (e) {
          if (++failures > 2) throw e;
          r.errors.push(`connect ${r.connects.length + 1} failed and was retried: ${brief(e)}`);
          log(`  ! connect ${r.connects.length + 1} failed, retrying: ${brief(e)}`);
          await endSession(rig).catch(() => undefined);
        }
      }
      log(`  connect ×${r.connects.length}: ${r.connects.map((c) => Math.round(c.totalMs)).join(' ')} ms`);
    });
    if (r.connects.length === plan.connects) {
      const ours = () => withDescendants([rig.requester.host.proc.pid!, ...pidsWithArg(`--ra-bench=${rig.requester.chromium.marker}`)]);
      const pattern = () => withDescendants(pidsWithArg(`--ra-bench=${rig.pattern.marker}`));
      await attempt('video', async () => {
        const full = await measureVideo(rig, 'full', plan.warmMs, plan.videoMs, () => {
          const a = startSampling(ours);
          const b = startSampling(pattern);
          return () => ({ ours: a(), pattern: b() });
        });
        r.video.full = full.sample;
        r.requesterUse = full.during.ours;
        r.patternUse = full.during.pattern;
        r.video.small = (await measureVideo(rig, 'small', 1000, plan.smallMs, () => () => null)).sample;
        log(`  video: full ${r.video.full.fps.toFixed(1)} fps, small ${r.video.small.fps.toFixed(1)} fps; requester CPU ${r.requesterUse.cpuPercent.toFixed(0)} %`);
      });
      await attempt('input', async () => {
        await takeControl(rig);
        r.input = await measureInput(rig, plan.inputEvents);
        log(`  input: ${r.input.latencies.length} of ${r.input.sent} moves seen`);
      });
      await attempt('end', () => endSession(rig));
    }
    await attempt('xvfb', async () => {
      const probe = await openXvfbProbe(rig.requester.display.name);
      try {
        await rig.setPattern('full');
        r.xvfb.full = await probe.sample(plan.xvfbMs);
        await rig.setPattern('small');
        r.xvfb.small = await probe.sample(Math.round(plan.xvfbMs / 2));
      } finally {
        probe.close();
      }
      log(`  xvfb floor: full ${r.xvfb.full.fps.toFixed(1)} fps`);
    });
    if (plan.vnc) {
      const vncWindows = [
        { mode: 'full' as const, ms: plan.videoMs },
        { mode: 'small' as const, ms: plan.smallMs },
      ];
      await attempt('x11vnc default', async () => {
        r.vncDefault = await measureVnc(rig, false, vncWindows, plan.warmMs);
        log(`  x11vnc default: ${r.vncDefault.map((s) => `${s.mode} ${s.fps.toFixed(1)} fps`).join(', ')}`);
      });
      await attempt('x11vnc tuned', async () => {
        r.vncTuned = await measureVnc(rig, true, vncWindows, plan.warmMs);
        log(`  x11vnc tuned: ${r.vncTuned.map((s) => `${s.mode} ${s.fps.toFixed(1)} fps`).join(', ')}`);
      });
    }
  } finally {
    await rig.stop();
  }
  return r;
}
