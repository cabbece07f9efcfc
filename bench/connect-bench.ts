// Connect time: the helper presses Connect (password typed) → the first decoded video frame is
// presented in the helper's page. The requester's page answers the consent prompt the instant it
// appears (an init script clicks Yes), so the figure is the machines' time, split into phases:
// Connect → prompt shown (ticket unsealing, TCP, CPace, session setup), prompt → answered, and
// answered → first frame (getDisplayMedia, WebRTC signalling over the link, ICE, DTLS, first decode).
import { expect } from '@playwright/test';
import { createInvitation } from '../e2e/harness/flows';
import type { ConsentState, ProbeState } from './page-scripts';
import type { BenchApp, Rig } from './rig';

/** One connect, in ms. */
export interface ConnectSample {
  totalMs: number;
  toPromptMs: number;
  promptToAnswerMs: number;
  answerToFrameMs: number;
  firstFrameSize: [number, number] | null;
}

type G = { __bench: ProbeState; __consent: ConsentState };

/** Reloads both pages onto their start screens (the previous session has ended). */
async function freshPages(rig: Rig): Promise<void> {
  const reload = async (app: BenchApp) => {
    await app.page.reload();
    await expect(app.page.getByTestId('status-bar')).toHaveAttribute('data-connection', 'connected', { timeout: 20_000 });
  };
  await Promise.all([reload(rig.requester), reload(rig.helper)]);
}

/**
 * Runs one full connect and leaves the session in `viewing`. `timeoutMs` bounds the wait for the
 * first frame (a stuck run fails the round instead of hanging the bench).
 */
export async function connectOnce(rig: Rig, timeoutMs = 30_000): Promise<ConnectSample> {
  await freshPages(rig);
  const { file, password } = await createInvitation(rig.requester);
  // As the harness's connectHelper, short of pressing Connect: the clock starts at the press.
  const help = rig.helper.page;
  await help.locator('.app[data-route="help"]').waitFor();
  await help.getByTestId('invitation-file-input').setInputFiles(file);
  await help.getByTestId('connect-password').fill(password);
  await expect(help.getByTestId('connect')).toBeEnabled({ timeout: 15_000 });
  await rig.helper.page.evaluate(() => {
    const b = (globalThis as unknown as G).__bench;
    b.firstFrameAt = null;
    b.connectAt = performance.timeOrigin + performance.now();
    (document.querySelector('[data-testid="connect"]') as HTMLButtonElement).click();
  });
  await rig.helper.page.waitForFunction(() => (globalThis as unknown as G).__bench.firstFrameAt !== null, null, { timeout: timeoutMs, polling: 10 });
  const probe = await rig.helper.page.evaluate(() => {
    const b = (globalThis as unknown as G).__bench;
    return { connectAt: b.connectAt!, firstFrameAt: b.firstFrameAt!, size: b.firstFrameSize };
  });
  const consent = await rig.requester.page.evaluate(() => {
    const c = (globalThis as unknown as G).__consent;
    return { shown: c.shown.filter((s) => s.kind === 'view').at(-1)?.t ?? NaN, answered: c.answered.filter((s) => s.kind === 'view').at(-1)?.t ?? NaN };
  });
  await expect(rig.helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing', { timeout: 15_000 });
  return {
    totalMs: probe.firstFrameAt - probe.connectAt,
    toPromptMs: consent.shown - probe.connectAt,
    promptToAnswerMs: consent.answered - consent.shown,
    answerToFrameMs: probe.firstFrameAt - consent.answered,
    firstFrameSize: probe.size,
  };
}

/** Ends the running session from the helper's side and waits until both pages show it ended. */
export async function endSession(rig: Rig): Promise<void> {
  await rig.helper.page.getByTestId('end-session').click();
  await expect(rig.helper.page.getByTestId('session')).toHaveAttribute('data-state', 'ended', { timeout: 15_000 });
  await expect(rig.requester.page.getByTestId('session')).toHaveAttribute('data-state', 'ended', { timeout: 15_000 });
}
