import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './harness/fixtures';
import { answerConsent, startViewing } from './harness/flows';

function randomFile(name: string, bytes: number): { file: string; sha256: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-files-'));
  const file = path.join(dir, name);
  const data = crypto.randomBytes(bytes);
  fs.writeFileSync(file, data);
  return { file, sha256: crypto.createHash('sha256').update(data).digest('hex') };
}

const sha256Of = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('chat both ways, with an unread badge and odd text shown as text', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  await startViewing(requester, helper);

  await helper.page.getByTestId('chat-input').fill('Hi! Can you open the settings?');
  await helper.page.getByTestId('chat-input').press('Enter');
  await expect(requester.page.getByTestId('chat-entry').last()).toContainText('Hi! Can you open the settings?');

  const odd = '<b>not bold</b> مرحبا 👩🏽‍💻 \u202Eevil';
  await requester.page.getByTestId('chat-input').fill(odd);
  await requester.page.getByTestId('chat-send').click();
  const last = helper.page.getByTestId('chat-entry').last();
  await expect(last).toContainText('<b>not bold</b>');
  await expect(last.locator('b')).toHaveCount(0);

  // Closed panel: messages count as unread until it is opened again.
  await requester.page.getByTestId('chat-toggle').click();
  await helper.page.getByTestId('chat-input').fill('one');
  await helper.page.getByTestId('chat-input').press('Enter');
  await helper.page.getByTestId('chat-input').fill('two');
  await helper.page.getByTestId('chat-input').press('Enter');
  await expect(requester.page.getByTestId('chat-unread')).toHaveText('2');
  await requester.page.getByTestId('chat-toggle').click();
  await expect(requester.page.getByTestId('chat-unread')).toHaveCount(0);
});

test('files: helper → requester accepted and verified; declined leaves nothing; requester → helper', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  await startViewing(requester, helper);
  const downloads = path.join(requester.host.profileDir, 'Downloads');

  const a = randomFile('report final.pdf', 3 * 1024 * 1024 + 17);
  await helper.page.getByTestId('files-input').setInputFiles(a.file);
  await expect(requester.page.getByTestId('consent-dialog')).toContainText('wants to send you report final.pdf');
  await answerConsent(requester.page, 'file', 'yes');
  await expect(helper.page.getByTestId('transfer').first()).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
  await expect(requester.page.getByTestId('transfer').first()).toHaveAttribute('data-state', 'completed');
  const saved = path.join(downloads, 'report final.pdf');
  expect(fs.existsSync(saved)).toBe(true);
  expect(sha256Of(saved)).toBe(a.sha256);

  const b = randomFile('unwanted.exe', 200_000);
  await helper.page.getByTestId('files-input').setInputFiles(b.file);
  await answerConsent(requester.page, 'file', 'no');
  await expect(helper.page.locator('[data-testid="transfer"][data-state="declined"]')).toHaveCount(1);
  expect(fs.readdirSync(downloads).filter((n) => n.startsWith('unwanted'))).toEqual([]);

  const c = randomFile('screenshot.png', 500_000);
  await requester.page.getByTestId('files-input').setInputFiles(c.file);
  await answerConsent(helper.page, 'file', 'yes');
  await expect(requester.page.locator('[data-testid="transfer"][data-direction="send"]')).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
  const got = path.join(helper.host.profileDir, 'Downloads', 'screenshot.png');
  expect(sha256Of(got)).toBe(c.sha256);
  if (process.env.RA_SCREENSHOTS) await requester.page.screenshot({ path: 'docs/screenshots/requester-files.png' });
});
