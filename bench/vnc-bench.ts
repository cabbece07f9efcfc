// The peer: x11vnc sharing the same requester display, measured with the same timestamp pattern
// through our RFB client (raw encoding, one incremental request always outstanding) — the best a
// VNC viewer can do on loopback. Run once with x11vnc's defaults and once tuned (`-wait 1
// -defer 1`: poll the screen every 1 ms and send changes after 1 ms instead of 20 + 20 ms).
import net from 'node:net';
import { spawn } from 'node:child_process';
import { connectViewer } from './rfb-client';
import { startSampling, type ResourceUse } from './proc-sampler';
import type { PatternState } from './page-scripts';
import type { Rig } from './rig';

/** One measuring window of x11vnc. */
export interface VncSample {
  mode: PatternState['mode'];
  fps: number;
  latencies: number[];
  mbps: number;
  undecodable: number;
  /** x11vnc's own CPU and memory during the window. */
  server: ResourceUse;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs x11vnc on the requester's display and measures each pattern mode for its window (ms). */
export async function measureVnc(rig: Rig, tuned: boolean, windows: { mode: PatternState['mode']; ms: number }[], warmMs: number): Promise<VncSample[]> {
  const port = await freePort();
  const args = ['-display', rig.requester.display.name, '-rfbport', String(port), '-localhost', '-nopw', '-forever', '-shared', ...(tuned ? ['-wait', '1', '-defer', '1'] : [])];
  const proc = spawn('x11vnc', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  try {
    // x11vnc prints PORT=N once it accepts clients.
    const end = Date.now() + 15_000;
    while (!/PORT=\d+/.test(out)) {
      if (proc.exitCode !== null || Date.now() > end) throw new Error(`x11vnc did not start:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const viewer = await connectViewer(port);
    const samples: VncSample[] = [];
    try {
      for (const { mode, ms } of windows) {
        await rig.setPattern(mode);
        await new Promise((r) => setTimeout(r, warmMs));
        viewer.record();
        const stop = startSampling(() => [proc.pid!]);
        await new Promise((r) => setTimeout(r, ms));
        const server = stop();
        const r = viewer.stop();
        samples.push({ mode, fps: r.frames.length / r.seconds, latencies: r.frames.map((f) => f.latencyMs), mbps: r.bytes / 1e6 / r.seconds, undecodable: r.undecodable, server });
      }
    } finally {
      viewer.close();
    }
    return samples;
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      // x11vnc's SIGTERM handler sometimes deadlocks (seen here: stuck in a futex after a clean
      // measurement), so a bench round must not wait on it for ever.
      const stuck = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await gone;
      clearTimeout(stuck);
    }
  }
}
