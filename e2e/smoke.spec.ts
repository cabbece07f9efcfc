import { test, expect } from './harness/fixtures';
import { capturePixel, invokeFromPage, near, paintRoot } from './harness/page-tools';

test('both pages load, talk to their main, and the requester can capture its display', async ({ launchApp }) => {
  const requester = await launchApp({ role: 'requester' });
  const helper = await launchApp({ role: 'helper' });

  // Each page reached its own main and shows the screen its role opens with.
  await expect(requester.page.locator('.app')).toHaveAttribute('data-route', 'invite');
  await expect(helper.page.locator('.app')).toHaveAttribute('data-route', 'help');

  // A contract round-trip from each page, and a malformed one refused by main.
  for (const app of [requester, helper]) {
    await expect(invokeFromPage(app.page, 'app.ping', { nonce: 'e2e' })).resolves.toMatchObject({ nonce: 'e2e' });
    const bad = await invokeFromPage(app.page, 'app.ping', { nonce: 7 }).catch((e: Error) => e.message);
    expect(String(bad)).toMatch(/Invalid request for app.ping/);
  }

  // The requester's page captures display A: the pixels match the colour painted on it.
  await paintRoot(requester.display.name, '#ff0080');
  const pixel = await capturePixel(requester.page, 1200, 760);
  expect(near(pixel, [255, 0, 128]), `captured ${pixel.join(',')}`).toBe(true);
  // And it is display A, not B: paint B differently and capture again from A.
  await paintRoot(helper.display.name, '#00ff00');
  expect(near(await capturePixel(requester.page, 1200, 760), [255, 0, 128])).toBe(true);
});

test('the home screen offers the three ways in and navigates by keyboard', async ({ launchApp }) => {
  const app = await launchApp({ role: 'any' });
  const page = app.page;
  await expect(page.getByTestId('way-invite')).toContainText('Invite someone you trust to help you');
  await expect(page.getByTestId('way-help')).toContainText('Help someone who has invited you');
  await expect(page.getByTestId('way-offer')).toContainText('Offer help to someone');
  await page.getByTestId('way-offer').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'offer');
  await page.keyboard.press('Alt+Home');
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'home');
  await page.getByTestId('nav-settings').click();
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'settings');
});
