import { expect, Page, test } from '@playwright/test';
import * as fs from 'fs';

/** Signs in as the sandbox's fleet manager (demo identity) and waits until the page is interactive. */
async function signInAsFleet(page: Page) {
  await page.goto('/login');
  await page.getByTestId('demo-fleet').click();
  await expect(page).toHaveURL(/\/$/);
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await page.locator('body[data-hydrated]').waitFor();
}

test('find a SIM card by ICCID, open it, stop it, and see its status and the audit log change', async ({ page }) => {
  await signInAsFleet(page);
  await open(page, '/fleet/sims?status=in-use');
  const iccid = (await page.getByTestId('sim-link').first().textContent())!.trim();
  expect(iccid).toMatch(/^\d{19,20}$/);

  await open(page, '/fleet/sims');
  await page.getByTestId('search').fill(iccid);
  await page.getByTestId('search-submit').click();
  await expect(page).toHaveURL(new RegExp(`q=${iccid}`));
  await expect(page.getByTestId('result-count')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('sim-row')).toHaveCount(1);
  await page.getByTestId('sim-link').click();

  await expect(page.getByTestId('sim-title')).toContainText(iccid);
  await expect(page.getByTestId('sim-status')).toContainText('In use');
  await expect(page.getByTestId('daily-chart')).toBeVisible();
  await page.getByTestId('action-kind').selectOption('stop');
  await page.getByTestId('action-review').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('no data, SMS or calls until it is resumed');
  await page.getByTestId('confirm-ok').click();

  await expect(page.getByTestId('action-result')).toContainText('Work order');
  await expect(page.getByTestId('sim-status')).toContainText('Stopped');
  await expect(page.getByTestId('history-row').first()).toContainText('sim.stop');
  await expect(page.getByTestId('history-row').first()).toContainText('Succeeded');

  await open(page, `/fleet/audit?target=${iccid}`);
  const row = page.getByTestId('audit-row').first();
  await expect(row).toContainText('sim.stop');
  await expect(row).toContainText(iccid);
  await expect(row.getByTestId('audit-outcome')).toHaveText('Succeeded');
});

test('a bulk speed limit on a filtered set runs with a preview and a progress bar to the end', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsFleet(page);
  await open(page, '/fleet/sims?status=stopped&size=10');
  const matching = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  expect(matching).toBeGreaterThan(10);

  await page.getByTestId('select-everything').check();
  await expect(page.getByTestId('selected-count')).toHaveText(String(matching));
  await page.getByTestId('action-kind').selectOption('speed_limit');
  await page.getByTestId('action-speed').selectOption('64');
  await page.getByTestId('action-review').click();

  await expect(page).toHaveURL(/\/fleet\/jobs\/\d+$/);
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('count-eligible')).toHaveText(String(matching));
  await expect(page.getByTestId('count-done')).toHaveText('0');
  await page.getByTestId('job-start').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(`${matching} SIM cards will change`);
  await page.getByTestId('confirm-ok').click();

  await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', /running|finished/);
  await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });
  await expect(page.getByTestId('count-done')).toHaveText(String(matching));
  await expect(page.getByTestId('count-failed')).toHaveText('0');
  await expect(page.locator('[data-testid=job-progress] progress')).toHaveAttribute('value', '100');
});

test('exporting a filtered view downloads every matching card as CSV', async ({ page }) => {
  await signInAsFleet(page);
  await open(page, '/fleet/sims?status=testable&size=10');
  const matching = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  expect(matching).toBeGreaterThan(10);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const file = await download.path();
  const lines = fs.readFileSync(file!, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toContain('sim_card_id,iccid');
  expect(lines.length - 1).toBe(matching);
  expect(lines.slice(1).every((l) => l.split(',')[5] === 'testable')).toBe(true);
  await expect(page.getByTestId('export-progress')).toHaveAttribute('value', '100', { timeout: 15_000 });
});
