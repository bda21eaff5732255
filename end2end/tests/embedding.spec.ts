import { expect, test } from '@playwright/test';
import * as fs from 'fs';

// The same addresses as playwright.config.ts: the portal (127.0.0.1) frames fleetdesk (localhost),
// another site; a third origin tries to frame it too.
const port = Number(process.env.FLEETDESK_E2E_PORT ?? 3100);
const fleetdesk = `http://localhost:${port + 1}`;
const portal = `http://127.0.0.1:${port + 2}`;
const other = `http://127.0.0.1:${port + 3}`;

test('a portal frames fleetdesk: launch, navigate by message, resize, act, download, log out; another origin gets nothing', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${portal}/`);
  await page.getByTestId('launch').click();

  // The launch URL starts the session inside the frame and lands on the page the portal asked for,
  // in the compact layout (the portal has its own top bar).
  const frame = page.frameLocator('#fleetdesk');
  await expect(frame.getByTestId('console')).toBeVisible();
  await expect(frame.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(frame.locator('header.topbar')).toHaveCount(0);
  await expect(page.getByTestId('route')).toHaveText('/finance');

  // fleetdesk tells its height; the host resizes the frame to it.
  const frameHeight = () => page.locator('#fleetdesk').evaluate((e) => e.getBoundingClientRect().height);
  await expect.poll(frameHeight).toBeGreaterThan(400);

  // The host navigates it by message.
  await page.getByTestId('nav-path').fill('/fleet/tags');
  await page.getByTestId('navigate').click();
  await expect(page.getByTestId('route')).toHaveText('/fleet/tags');
  await expect(frame.getByTestId('new-tag')).toBeVisible();

  // An action works inside the frame (the session cookie is partitioned under the portal's site).
  const name = `portal-${Date.now() % 100000}`;
  await frame.getByTestId('new-tag').fill(name);
  await frame.getByTestId('create-tag').click();
  await expect(frame.getByTestId('tag-row').filter({ hasText: name })).toBeVisible();

  // A confirmation works inside the frame: the tag is deleted after its dialog.
  await frame.getByTestId('tag-row').filter({ hasText: name }).getByTestId('delete-tag').click();
  await frame.getByTestId('confirm-ok').click();
  await expect(frame.getByTestId('tag-row').filter({ hasText: name })).toHaveCount(0);

  // A download works inside the frame.
  await page.getByTestId('nav-path').fill('/finance/bills');
  await page.getByTestId('navigate').click();
  await expect(frame.getByTestId('statement-csv')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), frame.getByTestId('statement-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^statement-\d{4}-\d{2}\.csv$/);
  expect(fs.readFileSync((await download.path())!, 'utf8')).toMatch(/^account,bill_cycle,/);

  // Logging out from the host ends the session: the frame shows the sign-in page, and the old
  // session no longer opens any page.
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('status')).toHaveText('signed out');
  await expect(frame.getByTestId('password-form')).toBeVisible();
  const inner = page.frames().find((f) => f.url().startsWith(fleetdesk))!;
  await inner.goto(`${fleetdesk}/finance`);
  await expect.poll(() => inner.url()).toContain('/login');
  await expect(frame.getByTestId('console')).toHaveCount(0);

  // The ordinary sign-in form works inside the frame too (a person's own identity, full layout).
  await frame.getByTestId('demo-finance').click();
  await expect(frame.getByTestId('console')).toBeVisible();
  await expect(frame.locator('header.topbar')).toHaveCount(1);
  await expect(frame.getByTestId('read-only-note')).toHaveCount(0);

  // A third origin cannot frame fleetdesk at all: the browser renders nothing of it. (Messages
  // from origins other than the portal are ignored: components/embed.rs's unit test.)
  await page.goto(`${other}/`);
  await expect(page.locator('body[data-framed="loaded"]')).toHaveCount(1);
  const blocked = page.frames().find((f) => f !== page.mainFrame());
  expect(blocked).toBeDefined();
  expect(blocked!.url()).not.toContain(fleetdesk.replace('http://', ''));
  await expect(page.frameLocator('#fleetdesk').locator('form, main, [data-testid]')).toHaveCount(0);
});

test('a read-only launch shows the pages and offers no change', async ({ page }) => {
  await page.goto(`${portal}/`);
  await page.getByTestId('launch-read-only').click();
  const frame = page.frameLocator('#fleetdesk');
  await expect(frame.getByTestId('read-only-note')).toBeVisible();
  await page.getByTestId('nav-path').fill('/fleet/tags');
  await page.getByTestId('navigate').click();
  await expect(page.getByTestId('route')).toHaveText('/fleet/tags');
  await expect(frame.getByTestId('tags')).toBeVisible();
  await expect(frame.getByTestId('create-tag')).toHaveCount(0);
});
