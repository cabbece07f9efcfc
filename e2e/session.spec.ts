import { test, expect } from './harness/fixtures';
import { answerConsent, connectHelper, createInvitation, startViewing, videoPixel, waitForVideo } from './harness/flows';
import { near, paintRoot } from './harness/page-tools';

test('invitation → password → consent → the helper sees the requester screen', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  await paintRoot(requester.display.name, '#3366cc');
  await paintRoot(helper.display.name, '#00ff00');

  const { file, password } = await createInvitation(requester);
  expect(password).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
  await connectHelper(helper, file, password);

  // Nothing is shared before Yes: the helper waits, the requester is asked.
  await expect(helper.page.getByTestId('waiting-card')).toBeVisible();
  await expect(requester.page.getByTestId('consent-dialog')).toContainText('wants to connect to your computer');
  await expect(requester.page.getByTestId('consent-dialog')).toContainText('never call you out of the blue');
  await answerConsent(requester.page, 'view', 'yes');

  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
  await expect(requester.page.getByTestId('requester-bar-text')).toContainText('is viewing your screen');
  await waitForVideo(helper);
  // Display A's colour (not B's) is in the helper's video, away from the requester's own window.
  await expect.poll(async () => near(await videoPixel(helper, 1200, 760), [0x33, 0x66, 0xcc], 24), { timeout: 15_000 }).toBe(true);
});

test('declining the view prompt ends the session for both, with a clear message', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  const { file, password } = await createInvitation(requester);
  await connectHelper(helper, file, password);
  await answerConsent(requester.page, 'view', 'no');
  await expect(helper.page.getByTestId('ended-reason')).toContainText('declined to share their screen');
  await expect(requester.page.getByTestId('ended-reason')).toContainText('You declined');
});

test('a wrong password is refused with attempts left, and the right one still works', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  const { file, password } = await createInvitation(requester);
  await connectHelper(helper, file, 'wrong-password-1');
  await expect(helper.page.getByTestId('connect-error')).toHaveAttribute('data-code', 'wrong-password');
  await helper.page.getByTestId('connect-password').fill(password);
  await helper.page.getByTestId('connect').click();
  await answerConsent(requester.page, 'view', 'yes');
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
});

test('startViewing helper works end to end', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });
  await startViewing(requester, helper);
});
