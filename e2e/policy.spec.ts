import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './harness/fixtures';
import { createInvitation } from './harness/flows';
import { invokeFromPage } from './harness/page-tools';

function policyFile(settings: Record<string, unknown>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-policy-')), 'policy.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, settings }));
  return file;
}

test('a policy disabling invitations: the wizard says so and main refuses the call', async ({ launchApp }) => {
  const file = policyFile({ allowInvitations: false });
  const app = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: file } });
  await expect(app.page.getByTestId('invitations-disabled')).toContainText('Your administrator has turned off invitations on this computer');
  await expect(app.page.getByTestId('create-invitation')).toHaveCount(0);
  // The page cannot get round it: main refuses the contract call itself.
  const err = await invokeFromPage(app.page, 'invitation.create', { password: 'correct horse battery' }).catch((e: Error) => e.message);
  expect(String(err)).toContain('Your administrator has turned off invitations');
  // Remote settings shows the lock.
  await app.page.getByRole('button', { name: 'Back to the start screen' }).click();
  await app.page.getByTestId('nav-settings').click();
  await expect(app.page.getByTestId('setting-allowInvitations')).toHaveAttribute('data-locked', 'true');
  await expect(app.page.getByTestId('setting-allowInvitations')).toContainText('Set by your administrator');
});

test('a live policy change closes the open invitation', async ({ launchApp }) => {
  const file = policyFile({ allowInvitations: true });
  const app = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: file } });
  await createInvitation(app);
  fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { allowInvitations: false } }));
  await expect(app.page.getByTestId('invitation-waiting')).toHaveAttribute('data-state', 'cancelled', { timeout: 15_000 });
  await expect(app.page.getByTestId('invitation-last-event')).toContainText('administrator turned off invitations');
  await expect(app.page.getByTestId('invitations-disabled')).toBeVisible();
});

test('a malformed policy file restricts everything and says why', async ({ launchApp }) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-policy-')), 'policy.json');
  fs.writeFileSync(file, '{ "version": 1, "settings": { "allowInvitations": tru } }');
  const app = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: file } });
  await expect(app.page.getByTestId('invitations-disabled')).toBeVisible();
  await app.page.getByRole('button', { name: 'Back to the start screen' }).click();
  await app.page.getByTestId('nav-settings').click();
  await expect(app.page.getByTestId('policy-error')).toContainText('could not be read');
});

test('user settings: turning invitations off in Remote settings is saved and applied', async ({ launchApp }) => {
  const app = await launchApp({ role: 'any' });
  await app.page.getByTestId('nav-settings').click();
  await app.page.locator('#setting-allowInvitations').uncheck();
  await app.page.getByTestId('save-settings').click();
  await expect(app.page.getByText('Saved.')).toBeVisible();
  const saved = JSON.parse(fs.readFileSync(path.join(app.host.profileDir, 'config', 'settings.json'), 'utf8'));
  expect(JSON.stringify(saved)).toContain('"allowInvitations":false');
  await app.page.getByRole('button', { name: 'Back to the start screen' }).click();
  await app.page.getByTestId('way-invite').click();
  await expect(app.page.getByTestId('invitations-disabled')).toContainText('turned off in Remote settings');
});

test('Remote settings: an unsaved edit survives a live policy change, unless the policy now locks it', async ({ launchApp }) => {
  const file = policyFile({});
  const app = await launchApp({ role: 'any', env: { REMOTE_ASSIST_POLICY_FILE: file } });
  await app.page.getByTestId('nav-settings').click();
  await app.page.locator('#setting-allowInvitations').uncheck();
  await app.page.locator('#setting-allowFileTransfer').uncheck();
  // The administrator locks file transfer (on); the page reloads its settings.
  fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { allowFileTransfer: true } }));
  await expect(app.page.getByTestId('setting-allowFileTransfer')).toHaveAttribute('data-locked', 'true', { timeout: 15_000 });
  await expect(app.page.locator('#setting-allowFileTransfer')).toBeChecked();
  await expect(app.page.locator('#setting-allowInvitations')).not.toBeChecked();
  await expect(app.page.getByTestId('save-settings')).toBeEnabled();
  await app.page.getByTestId('save-settings').click();
  await expect(app.page.getByText('Saved.')).toBeVisible();
  await expect(app.page.getByTestId('save-settings')).toBeDisabled();
});
