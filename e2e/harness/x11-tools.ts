import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import x11, { type XClient } from 'x11';

const run = promisify(execFile);

/** The pointer position on an X display, from xdotool. */
export async function pointerOn(display: string): Promise<{ x: number; y: number }> {
  const { stdout } = await run('xdotool', ['getmouselocation', '--shell'], { env: { ...process.env, DISPLAY: display } });
  const x = Number(/X=(\d+)/.exec(stdout)?.[1]);
  const y = Number(/Y=(\d+)/.exec(stdout)?.[1]);
  return { x, y };
}

/** Types one key on an X display (xdotool, through XTEST: to the app it is "another program"). */
export async function pressKeyOn(display: string, key: string): Promise<void> {
  await run('xdotool', ['key', key], { env: { ...process.env, DISPLAY: display } });
}

/**
 * Opens a small window of another X client on the display and gives it the keyboard focus, as
 * when the requester works in another program. close() removes it.
 */
export async function focusOtherWindow(display: string): Promise<{ close(): Promise<void> }> {
  const client = await new Promise<XClient>((resolve, reject) => {
    const c = x11.createClient({ display }, (err) => (err ? reject(err) : resolve(c)));
    c.on('error', reject);
  });
  const scr = client.display.screen[0]!;
  const wid = client.AllocID();
  client.CreateWindow(wid, scr.root, 0, 0, 200, 100, 0, 0, 0, 0, { eventMask: x11.eventMask.KeyPress!, backgroundPixel: scr.white_pixel });
  client.MapWindow(wid);
  await client.sync();
  client.SetInputFocus(wid, 1);
  await client.sync();
  return {
    close: () =>
      new Promise<void>((resolve) => {
        client.removeAllListeners('error');
        client.on('error', () => undefined);
        client.close(() => resolve());
      }),
  };
}

/** Moves the X pointer of a display (as the requester's own mouse would). */
export async function movePointer(display: string, x: number, y: number): Promise<void> {
  await run('xdotool', ['mousemove', String(x), String(y)], { env: { ...process.env, DISPLAY: display } });
}

/**
 * Where the page's viewport starts on the screen (the browser's own bars are above it). Found by
 * moving the real X pointer and reading screenX − clientX from the page's mousemove. The listener
 * is in place before the first move, and the pointer keeps moving until the page saw one: a move
 * made before the listener existed (or to where the pointer already was) fires nothing.
 */
export async function viewportOrigin(page: Page, display: string, timeoutMs = 10_000): Promise<{ x: number; y: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __raOrigin?: { x: number; y: number } };
    delete w.__raOrigin;
    window.addEventListener('mousemove', (e) => (w.__raOrigin = { x: e.screenX - e.clientX, y: e.screenY - e.clientY }), { once: true });
  });
  const end = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < end; i++) {
    await movePointer(display, 300 + (i % 2) * 10, 300 + (i % 2) * 10);
    const seen = await page.evaluate(() => (window as unknown as { __raOrigin?: { x: number; y: number } }).__raOrigin ?? null);
    if (seen) return seen;
  }
  throw new Error(`the page saw no pointer move on ${display} within ${timeoutMs} ms`);
}
