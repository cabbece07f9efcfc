// The desktop ways in, through the browser host: started with an invitation file (as a
// double-click does), with msra-style options, and "Send by e-mail" through the real xdg-email.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './harness/fixtures';
import { answerConsent } from './harness/flows';
import { createTicket } from '../src-main/invitation/ticket-codec';

/** A stand-in mail program for xdg-email's $MAILER: records the mailto: link it is given. */
function recordingMailer(): { mailer: string; link: () => URL | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-mailer-'));
  const out = path.join(dir, 'mailto.txt');
  const mailer = path.join(dir, 'mailer');
  fs.writeFileSync(mailer, `#!/bin/sh\nprintf '%s' "$1" > '${out}'\n`, { mode: 0o755 });
  return { mailer, link: () => (fs.existsSync(out) ? new URL(fs.readFileSync(out, 'utf8')) : null) };
}

test('invite with --invite --save, send by e-mail, then the helper starts with the file and connects', async ({ launchApp }) => {
  const saveAs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-save-')), 'for Bob "B".rainvite');
  const { mailer, link } = recordingMailer();
  const requester = await launchApp({ role: 'any', args: ['--invite', '--save', saveAs], env: { MAILER: mailer } });
  const page = requester.page;
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'invite');
  await expect(page.getByTestId('generated-password')).not.toHaveText('…');
  await page.getByTestId('create-invitation').click();
  await expect(page.getByTestId('saved-to')).toContainText(saveAs);
  expect(fs.existsSync(saveAs)).toBe(true);
  const password = (await page.getByTestId('invitation-password').textContent())!.trim();

  // "Send by e-mail": the real xdg-email hands the message to the mail program, file attached.
  await page.getByTestId('email-invitation').click();
  await expect(page.getByTestId('email-result')).toHaveAttribute('data-outcome', 'attached');
  await expect(page.getByTestId('email-result')).toContainText('Tell them the password separately');
  await expect.poll(link).not.toBeNull();
  const mail = link()!;
  expect(mail.searchParams.get('attach')).toBe(saveAs);
  expect(mail.searchParams.get('body')).toContain('for Bob "B".rainvite');
  expect(mail.toString()).not.toContain(password);
  expect(decodeURIComponent(mail.toString())).not.toContain(password);

  // The helper's app is started with the file, as a double-click does: the password step, with
  // who invited them, is the first thing shown.
  const helper = await launchApp({ role: 'any', args: [saveAs] });
  await expect(helper.page.locator('.app')).toHaveAttribute('data-route', 'help');
  await expect(helper.page.getByTestId('connect-form')).toBeVisible();
  await expect(helper.page.getByTestId('invitation-summary')).toContainText('for Bob "B".rainvite');
  await expect(helper.page.getByTestId('invitation-summary')).toContainText('valid until');
  await expect(helper.page.getByTestId('connect-password')).toBeFocused();
  await helper.page.getByTestId('connect-password').fill(password);
  await helper.page.getByTestId('connect').click();
  await answerConsent(requester.page, 'view', 'yes');
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
});

test('--open-file (over --role requester) and a remote-assist:// link land in the password step', async ({ launchApp }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-open-'));
  const { fileText } = await createTicket({
    password: 'correct horse battery',
    requester: { userName: 'Rita', computerName: 'RITA-LAPTOP' },
    allowControl: false,
    mode: 'encrypted',
    candidates: [{ host: '10.99.0.1', port: 9 }],
    lifetimeMinutes: 60,
    kdf: { N: 1024, r: 8, p: 1 },
  });
  const file = path.join(dir, `Rita's "urgent" invitation.rainvite`);
  fs.writeFileSync(file, fileText);

  const viaFlag = await launchApp({ role: 'requester', args: ['--open-file', file] });
  await expect(viaFlag.page.locator('.app')).toHaveAttribute('data-route', 'help');
  await expect(viaFlag.page.getByTestId('connect-form')).toContainText('Help Rita on RITA-LAPTOP');
  await expect(viaFlag.page.getByTestId('invitation-summary')).toContainText(`Rita's "urgent" invitation.rainvite`);
  await expect(viaFlag.page.getByTestId('invitation-summary')).toContainText('view only');

  const viaLink = await launchApp({ role: 'any', args: [`remote-assist://open?file=${encodeURIComponent(file)}`] });
  await expect(viaLink.page.getByTestId('connect-form')).toContainText('Help Rita on RITA-LAPTOP');
});
