import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';

const run = promisify(execFile);

/** The pointer position on an X display, from xdotool. */
export async function pointerOn(display: string): Promise<{ x: number; y: number }> {
  const { stdout } = await run('xdotool', ['getmouselocation', '--shell'], { env: { ...process.env, DISPLAY: display } });
  const x = Number(/X=(\d+)/.exec(stdout)?.[1]);
  const y = Number(/Y=(\d+)/.exec(stdout)?.[1]);
  return { x, y };
}

/** Moves the X pointer of a display (as the requester's own mouse would). */
export async function movePointer(display: string, x: number, y: number): Promise<void> {
  await run('xdotool', ['mousemove', String(x), String(y)], { env: { ...process.env, DISPLAY: display } });
}

/**
 * Where the page's viewport starts on the screen (the browser's own bars are above it). Found by
 * moving the real X pointer and reading screenX − clientX from the page's mousemove.
 */
export async function viewportOrigin(page: Page, display: string): Promise<{ x: number; y: number }> {
  const seen = page.evaluate(
    () =>
      new Promise<{ x: number; y: number }>((resolve) => {
        window.addEventListener('mousemove', (e) => resolve({ x: e.screenX - e.clientX, y: e.screenY - e.clientY }), { once: true });
      }),
  );
  await movePointer(display, 300, 300);
  await movePointer(display, 310, 310);
  return seen;
}
