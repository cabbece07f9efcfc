import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './harness/fixtures';
import { answerConsent, videoPixel, waitForVideo } from './harness/flows';
import { near, paintRoot } from './harness/page-tools';
import type { AppInstance } from './harness/fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** A helper profile with its identity created by the CLI, as a help desk would: `identity show --json`. */
function helperProfile(): { dir: string; fingerprint: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-helper-'));
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'bin/remote-assist.mjs'), 'identity', 'show', '--json'], { cwd: repoRoot, env: { ...process.env, REMOTE_ASSIST_PROFILE: dir } });
  return { dir, fingerprint: (JSON.parse(out.toString('utf8')) as { fingerprint: string }).fingerprint };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The administrator's policy for the requester's computer: offers on, on `port`, for the listed helpers. */
function offerPolicy(port: number, helpers: { name: string; fingerprint: string }[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-offer-policy-')), 'policy.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { allowOffers: true, offerListenerPort: port, offerHelpers: helpers } }));
  return file;
}

/** In the helper's page: Start → "Offer help to someone" → type the computer and port → Connect. */
async function offerHelp(helper: AppInstance, host: string, port: number): Promise<void> {
  const page = helper.page;
  await page.getByRole('button', { name: 'Back to the start screen' }).click();
  await page.getByTestId('way-offer').click();
  await page.getByTestId('offer-host').fill(host);
  await page.getByTestId('offer-port').fill(String(port));
  await page.getByTestId('offer-connect').click();
}

test('a listed helper offers help by address; the user accepts; the helper sees the screen', async ({ launchApp }) => {
  const h = helperProfile();
  const port = await freePort();
  const requester = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: offerPolicy(port, [{ name: 'Helen from IT', fingerprint: h.fingerprint }]) } });
  const helper = await launchApp({ role: 'helper', profileDir: h.dir });
  await paintRoot(requester.display.name, '#3366cc');

  await offerHelp(helper, '127.0.0.1', port);
  // The helper's page shows the same helper ID the CLI printed.
  await expect(helper.page.getByTestId('helper-fingerprint')).toHaveText(h.fingerprint);
  const dialog = requester.page.getByTestId('consent-dialog');
  await expect(dialog).toContainText('Helen from IT is offering to help you');
  await expect(dialog).toContainText(`from the help desk, helper ID ${h.fingerprint}`);
  await expect(helper.page.getByTestId('waiting-card')).toBeVisible();
  await answerConsent(requester.page, 'view', 'yes');

  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
  await waitForVideo(helper);
  await expect.poll(async () => near(await videoPixel(helper, 1200, 760), [0x33, 0x66, 0xcc], 24), { timeout: 15_000 }).toBe(true);
});

test('an unlisted helper is told it is not allowed, and the user is never asked', async ({ launchApp }) => {
  const listed = helperProfile();
  const stranger = helperProfile();
  const port = await freePort();
  const requester = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: offerPolicy(port, [{ name: 'Helen from IT', fingerprint: listed.fingerprint }]) } });
  const helper = await launchApp({ role: 'helper', profileDir: stranger.dir });

  await offerHelp(helper, '127.0.0.1', port);
  const error = helper.page.getByTestId('offer-error');
  await expect(error).toHaveAttribute('data-reason', 'not-allowed');
  await expect(error).toContainText(`You are not allowed to offer help to this computer. Ask its administrator to add your helper ID (${stranger.fingerprint}).`);
  // The refusal came after the allow-list check, which precedes anything shown to the user.
  await expect(requester.page.getByTestId('consent-dialog')).toHaveCount(0);
  await expect(requester.page.locator('.app')).not.toHaveAttribute('data-route', 'session');
});

test('offers turned off: the helper gets a clear message naming the port', async ({ launchApp }) => {
  const h = helperProfile();
  const port = await freePort();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-offer-policy-')), 'policy.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { allowOffers: false, offerListenerPort: port, offerHelpers: [{ name: 'Helen', fingerprint: h.fingerprint }] } }));
  await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: file } });
  const helper = await launchApp({ role: 'helper', profileDir: h.dir });
  await offerHelp(helper, '127.0.0.1', port);
  await expect(helper.page.getByTestId('offer-error')).toHaveAttribute('data-reason', 'unreachable');
  await expect(helper.page.getByTestId('offer-error')).toContainText(`Could not reach 127.0.0.1 on port ${port}.`);
  await expect(helper.page.getByTestId('offer-error')).toContainText(`a firewall may block port ${port}`);
});
