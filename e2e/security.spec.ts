// The scam warning where the user sees it: the first screen of "Help someone who has invited you",
// and the consent prompt on the requester's screen — replaced there by the administrator's own text
// when policy sets one (UseCustomMessages + ViewMessage).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './harness/fixtures';
import { connectHelper, createInvitation } from './harness/flows';
import { invokeFromPage } from './harness/page-tools';

const SCAM = 'Real support staff will never call you out of the blue';
const CUSTOM = 'Contoso IT: accept only if you called the help desk on 555-0100 first.';

test('the first screen of "Help someone who has invited you" warns about scams', async ({ launchApp }) => {
  const app = await launchApp({ role: 'any' });
  await app.page.getByTestId('way-help').click();
  await expect(app.page.locator('.app')).toHaveAttribute('data-route', 'help');
  const warning = app.page.getByTestId('scam-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Only help people you know who asked you for help');
  // Shown before anything else is asked: no invitation opened yet.
  await expect(app.page.getByTestId('invitation-file-input')).toBeAttached();
});

test("the consent prompt shows the administrator's text instead of the scam warning, and the warning once the text is withdrawn", async ({ launchApp }) => {
  const policy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-policy-')), 'policy.json');
  const write = (settings: Record<string, unknown>) => fs.writeFileSync(policy, JSON.stringify({ version: 1, settings }));
  write({ useCustomMessages: true, viewMessage: CUSTOM });
  const requester = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: policy } });
  const helper = await launchApp({ role: 'helper' });

  const first = await createInvitation(requester);
  await connectHelper(helper, first.file, first.password);
  const dialog = requester.page.getByTestId('consent-dialog');
  await expect(dialog).toHaveAttribute('data-kind', 'view');
  await expect(dialog).toContainText(CUSTOM);
  await expect(dialog).not.toContainText(SCAM);
  await requester.page.getByTestId('consent-no').click();
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'ended');
  await expect(requester.page.getByTestId('session')).toHaveAttribute('data-state', 'ended');

  // The administrator withdraws the custom text (policy applies live): the scam warning is back.
  write({ useCustomMessages: false, viewMessage: CUSTOM });
  await expect
    .poll(async () => ((await invokeFromPage(requester.page, 'settings.get', {})) as { settings: Record<string, { value: unknown }> }).settings.useCustomMessages?.value, { timeout: 15_000 })
    .toBe(false);
  await requester.page.getByTestId('dismiss-session').click();
  await helper.page.getByTestId('dismiss-session').click();
  await requester.page.getByTestId('way-invite').click();
  const second = await createInvitation(requester);
  await helper.page.getByTestId('way-help').click();
  await connectHelper(helper, second.file, second.password);
  await expect(dialog).toHaveAttribute('data-kind', 'view');
  await expect(dialog).toContainText(SCAM);
  await expect(dialog).not.toContainText(CUSTOM);
});
