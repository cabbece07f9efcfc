import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from './harness/fixtures';
import { answerConsent, grantControl, startViewing, waitForVideo } from './harness/flows';
import { eventTypes, logFiles, readLog } from './harness/logs';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '..', 'bin', 'remote-assist.mjs');

test('every flow leaves its events in both logs, and the Logs page shows and verifies them', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  await startViewing(requester, helper);
  await waitForVideo(helper);
  await grantControl(requester, helper);
  await requester.page.getByTestId('pause').click();
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'paused');
  await requester.page.getByTestId('resume').click();
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'controlling');
  await requester.page.keyboard.press('Escape');
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
  await helper.page.getByTestId('chat-input').fill('logged chat line');
  await helper.page.getByTestId('chat-input').press('Enter');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-audit-'));
  fs.writeFileSync(path.join(dir, 'notes.txt'), crypto.randomBytes(1000));
  await helper.page.getByTestId('files-input').setInputFiles(path.join(dir, 'notes.txt'));
  await answerConsent(requester.page, 'file', 'yes');
  await expect(helper.page.getByTestId('transfer').first()).toHaveAttribute('data-state', 'completed');
  await helper.page.getByTestId('end-session').click();
  await expect(requester.page.getByTestId('session')).toHaveAttribute('data-state', 'ended');

  const expected = ['invitation.created', 'connection.attempt', 'session.started', 'consent.asked', 'consent.granted', 'control.requested', 'control.granted', 'session.paused', 'session.resumed', 'control.revoked', 'chat.message', 'file.offered', 'file.accepted', 'file.completed', 'session.ended'];
  await expect.poll(() => [...eventTypes(requester.host.profileDir)].sort()).toEqual(expect.arrayContaining(expected));
  const helperTypes = eventTypes(helper.host.profileDir);
  for (const t of ['connection.attempt', 'session.started', 'consent.granted', 'control.requested', 'control.granted', 'control.revoked', 'chat.message', 'file.offered', 'file.completed', 'session.ended']) expect(helperTypes, t).toContain(t);

  const [log] = logFiles(requester.host.profileDir);
  const lines = readLog(log!);
  expect(lines.find((l) => l.event.type === 'control.revoked')?.event.by).toBe('esc');
  expect(lines.find((l) => l.event.type === 'chat.message')?.event.text).toBe('logged chat line');
  expect(lines.find((l) => l.event.type === 'file.completed')?.event.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect((await run(process.execPath, [cli, 'logs', 'verify', log!])).stdout).toMatch(/intact/i);

  // The ended session keeps its chat on screen and leads straight to the Logs page, which lists
  // the session and shows its timeline.
  await expect(requester.page.getByTestId('session-ended')).toBeVisible();
  await expect(requester.page.getByTestId('chat-input')).toBeDisabled();
  await expect(requester.page.locator('.chat-list')).toContainText('logged chat line');
  await requester.page.getByTestId('ended-open-logs').click();
  const row = requester.page.getByTestId('log-row').first();
  await expect(row).toContainText('You were helped');
  await row.getByRole('button').click();
  await expect(requester.page.getByTestId('log-event').first()).toBeVisible();
  await requester.page.getByTestId('log-type-filter').selectOption('chat.message');
  await expect(requester.page.getByTestId('log-event')).toHaveCount(1);
  await expect(requester.page.getByTestId('log-event')).toContainText('logged chat line');
  await requester.page.getByTestId('verify-log').click();
  await expect(requester.page.getByTestId('logs-message')).toContainText('Intact');
});

test('a crash mid-session leaves a readable log ending at the last event', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  await startViewing(requester, helper);
  await helper.page.getByTestId('chat-input').fill('last words');
  await helper.page.getByTestId('chat-input').press('Enter');
  await expect(requester.page.getByTestId('chat-entry').last()).toContainText('last words');
  await requester.host.kill();
  const [log] = logFiles(requester.host.profileDir);
  const lines = readLog(log!);
  expect(lines.at(-1)?.event).toMatchObject({ type: 'chat.message', text: 'last words' });
  expect((await run(process.execPath, [cli, 'logs', 'verify', log!])).stdout).toMatch(/intact/i);
  const list = await run(process.execPath, [cli, 'logs', 'list', '--json'], { env: { ...process.env, REMOTE_ASSIST_PROFILE: requester.host.profileDir } });
  expect(JSON.parse(list.stdout)[0]).toMatchObject({ outcome: 'incomplete' });
});

test('logging required by policy and the log folder unwritable: no invitation is created', async ({ launchApp }) => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-nolog-'));
  fs.writeFileSync(path.join(profileDir, 'Documents'), 'a file where the Documents folder should be');
  const policy = path.join(profileDir, 'policy.json');
  fs.writeFileSync(policy, JSON.stringify({ version: 1, settings: { loggingRequired: true } }));
  const app = await launchApp({ role: 'requester', profileDir, env: { REMOTE_ASSIST_POLICY_FILE: policy } });
  await expect(app.page.getByTestId('generated-password')).not.toHaveText('…');
  await app.page.getByTestId('create-invitation').click();
  await expect(app.page.getByTestId('invite-error')).toContainText('requires a log of every session');
  await expect(app.page.getByTestId('invitation-waiting')).toHaveCount(0);
});
