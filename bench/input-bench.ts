// Input latency: the helper's pointer moves over the video (a real mousemove in the helper's page)
// → the injected pointer arrives on the requester's screen (a mousemove in the pattern page, which
// covers that screen). Each move goes to a distinct spot, so the two event logs pair up by
// position; the moves are paced ~40 ms apart so one does not queue behind the previous one.
import { expect } from '@playwright/test';
import type { PatternState, ProbeState } from './page-scripts';
import type { Rig } from './rig';

/** One input run. */
export interface InputSample {
  latencies: number[];
  sent: number;
  /** Moves never seen on the requester's screen within 1 s. */
  missed: number;
}

/** Asks for control from the helper's page; the requester's page answers Yes by itself. */
export async function takeControl(rig: Rig): Promise<void> {
  await rig.helper.page.getByTestId('request-control').click();
  await expect(rig.helper.page.getByTestId('session')).toHaveAttribute('data-state', 'controlling', { timeout: 15_000 });
}

/** Sends `count` pointer moves and pairs them with what the requester's screen saw. */
export async function measureInput(rig: Rig, count: number, screen = { width: 1280, height: 800 }): Promise<InputSample> {
  await rig.setPattern('idle');
  const page = rig.helper.page;
  const box = await page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => {
    // The picture inside the letterboxed <video> (as the viewer's own video-geometry computes it).
    const r = v.getBoundingClientRect();
    const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
    const w = v.videoWidth * scale;
    const h = v.videoHeight * scale;
    return { left: r.left + (r.width - w) / 2, top: r.top + (r.height - h) / 2, width: w, height: h };
  });
  await page.evaluate(() => void ((globalThis as unknown as { __bench: ProbeState }).__bench.moves = []));
  await rig.pattern.page.evaluate(() => void ((globalThis as unknown as { __pattern: PatternState }).__pattern.moves = []));
  for (let i = 0; i < count; i++) {
    // A walk over a 20×10 grid: consecutive targets are ≥ 50 screen px apart.
    const nx = 0.1 + 0.04 * (i % 20);
    const ny = 0.1 + 0.08 * (Math.floor(i / 20) % 10);
    await page.mouse.move(box.left + nx * box.width, box.top + ny * box.height);
    await new Promise((r) => setTimeout(r, 30 + Math.random() * 20));
  }
  await new Promise((r) => setTimeout(r, 500));
  const sent = await page.evaluate(() => (globalThis as unknown as { __bench: ProbeState }).__bench.moves);
  const seen = await rig.pattern.page.evaluate(() => (globalThis as unknown as { __pattern: PatternState }).__pattern.moves);
  const latencies: number[] = [];
  let missed = 0;
  let from = 0;
  for (const m of sent) {
    const ex = ((m.x - box.left) / box.width) * screen.width;
    const ey = ((m.y - box.top) / box.height) * screen.height;
    const j = seen.findIndex((s, k) => k >= from && s.t >= m.t && s.t - m.t < 1000 && Math.abs(s.x - ex) <= 3 && Math.abs(s.y - ey) <= 3);
    if (j < 0) {
      missed++;
      continue;
    }
    latencies.push(seen[j]!.t - m.t);
    from = j + 1;
  }
  return { latencies, sent: sent.length, missed };
}
