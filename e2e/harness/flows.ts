import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { AppInstance } from './fixtures';

/** Creates an invitation in the requester's page; returns the downloaded file and the password. */
export async function createInvitation(requester: AppInstance, opts: { password?: string } = {}): Promise<{ file: string; password: string }> {
  const page = requester.page;
  await page.locator('.app[data-route="invite"]').waitFor();
  if (opts.password) {
    await page.getByTestId('use-own-password').check();
    await page.getByTestId('own-password').fill(opts.password);
  } else {
    await expect(page.getByTestId('generated-password')).not.toHaveText('…');
  }
  await page.getByTestId('create-invitation').click();
  await expect(page.getByTestId('invitation-waiting')).toHaveAttribute('data-state', 'open');
  const password = (await page.getByTestId('invitation-password').textContent())?.trim() ?? '';
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-invitation').click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-inv-')), download.suggestedFilename());
  await download.saveAs(file);
  return { file, password };
}

/** Opens the invitation file in the helper's page and connects with the password. */
export async function connectHelper(helper: AppInstance, file: string, password: string): Promise<void> {
  const page = helper.page;
  await page.locator('.app[data-route="help"]').waitFor();
  await page.getByTestId('invitation-file-input').setInputFiles(file);
  await page.getByTestId('connect-password').fill(password);
  await page.getByTestId('connect').click();
}

/** Answers the consent dialog shown on `page`. */
export async function answerConsent(page: Page, kind: 'view' | 'control' | 'file', answer: 'yes' | 'no'): Promise<void> {
  const dialog = page.getByTestId('consent-dialog');
  await expect(dialog).toHaveAttribute('data-kind', kind);
  await page.getByTestId(answer === 'yes' ? 'consent-yes' : 'consent-no').click();
  await expect(dialog).toHaveCount(0);
}

/** Runs the whole start: invitation, connect, consent to view. Both pages end up in `viewing`. */
export async function startViewing(requester: AppInstance, helper: AppInstance): Promise<void> {
  const { file, password } = await createInvitation(requester);
  await connectHelper(helper, file, password);
  await answerConsent(requester.page, 'view', 'yes');
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
  await expect(requester.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
}

/** From viewing: the helper asks for control and the requester grants it. */
export async function grantControl(requester: AppInstance, helper: AppInstance): Promise<void> {
  await helper.page.getByTestId('request-control').click();
  await answerConsent(requester.page, 'control', 'yes');
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'controlling');
}

/** Waits until the helper's video shows real frames. */
export async function waitForVideo(helper: AppInstance): Promise<void> {
  await expect
    .poll(() => helper.page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBeGreaterThan(0);
}

/** The RGB of the shared screen at (x, y) in screen pixels, as the helper's video shows it. */
export async function videoPixel(helper: AppInstance, x: number, y: number): Promise<[number, number, number]> {
  return helper.page.getByTestId('remote-video').evaluate(
    (v: HTMLVideoElement, [sx, sy]) => {
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      const g = c.getContext('2d')!;
      g.drawImage(v, 0, 0);
      // The video may be scaled down from the 1280×800 screen.
      const d = g.getImageData(Math.round((sx! * v.videoWidth) / 1280), Math.round((sy! * v.videoHeight) / 800), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [x, y],
  );
}

/** Moves the helper's mouse to screen point (x, y) of the shared 1280×800 display, over the video. */
export async function helperPointerTo(helper: AppInstance, x: number, y: number): Promise<void> {
  const box = await helper.page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => {
    const r = v.getBoundingClientRect();
    const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
    const w = v.videoWidth * scale;
    const h = v.videoHeight * scale;
    return { left: r.left + (r.width - w) / 2, top: r.top + (r.height - h) / 2, width: w, height: h };
  });
  await helper.page.mouse.move(box.left + (x / 1280) * box.width, box.top + (y / 800) * box.height);
}
