import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';

const run = promisify(execFile);

/** Paints the X root window of `display` a solid colour (visible wherever no window covers it). */
export async function paintRoot(display: string, colour: string): Promise<void> {
  await run('xsetroot', ['-display', display, '-solid', colour]);
}

/** Calls a contract method from inside the page, through the page's own client. */
export function invokeFromPage(page: Page, method: string, params: unknown): Promise<unknown> {
  return page.evaluate(
    ([m, p]) => (window as unknown as { __remoteAssistStore: { getState(): { client: { invoke(m: string, p: unknown): Promise<unknown> } } } }).__remoteAssistStore.getState().client.invoke(m as string, p),
    [method, params] as const,
  );
}

/** Captures the page's display with getDisplayMedia and returns the RGB of one pixel. */
export async function capturePixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    async ([px, py]) => {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { width: 1280, height: 800, frameRate: 30 } });
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      await video.play();
      // Wait for a frame that is really painted (the first may be blank).
      for (let i = 0; i < 50 && video.videoWidth === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200)));
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d context');
      g.drawImage(video, 0, 0);
      const d = g.getImageData(px as number, py as number, 1, 1).data;
      for (const t of stream.getTracks()) t.stop();
      return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0] as [number, number, number];
    },
    [x, y] as const,
  );
}

/** True when two colours are within `tol` on every channel (video and scaling blur a little). */
export function near(a: readonly number[], b: readonly number[], tol = 12): boolean {
  return a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tol);
}
