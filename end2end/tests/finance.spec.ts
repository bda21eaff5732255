import { expect, Page, test } from '@playwright/test';
import * as fs from 'fs';

async function signInAsFinance(page: Page) {
  await page.goto('/login');
  await page.getByTestId('demo-finance').click();
  await expect(page).toHaveURL(/\/$/);
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await page.locator('body[data-hydrated]').waitFor();
}

/** Last month's bill cycle as BSS defines it (UTC+8). */
function lastCycle(): string {
  const cn = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(cn.getUTCFullYear(), cn.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `¥1,234.56` as fen. */
function fen(text: string): number {
  const clean = text.replace(/[¥,\s]/g, '');
  const negative = clean.startsWith('-');
  const [whole, frac = '00'] = clean.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

test('a finance user renews two resources expiring within 30 days, sees the order and the audit, and downloads last month\'s statement', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsFinance(page);

  // Find what expires within 30 days.
  await open(page, '/finance/renewals');
  await page.getByTestId('renewal-days').selectOption('30');
  await page.getByTestId('renewal-filter').click();
  await expect(page).toHaveURL(/days=30/);
  const rows = page.getByTestId('resource-row');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThan(2);

  // Pick two that BSS will renew: quote pairs until none is refused.
  const candidates: number[] = [];
  for (let i = 0; i < count; i++) {
    if (!(await rows.nth(i).textContent())!.includes('promo-')) candidates.push(i);
  }
  let renewed: string[] = [];
  for (let a = 0; a + 1 < candidates.length && renewed.length === 0; a += 2) {
    const pair = [candidates[a], candidates[a + 1]];
    for (const i of pair) await rows.nth(i).getByTestId('select-resource').check();
    await page.getByTestId('quote').click();
    await expect(page.getByTestId('quote-result')).toBeVisible();
    if ((await page.getByTestId('quote-refused').count()) === 0) {
      renewed = await Promise.all(pair.map((i) => rows.nth(i).getAttribute('data-id').then((v) => v!)));
    } else {
      for (const i of pair) await rows.nth(i).getByTestId('select-resource').uncheck();
    }
  }
  expect(renewed).toHaveLength(2);
  expect(fen((await page.getByTestId('quote-total').textContent())!)).toBeGreaterThan(0);

  await page.getByTestId('renew').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('2');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('renew-done')).toBeVisible();
  const order = (await page.getByTestId('renew-order').first().textContent())!.trim();
  expect(order.length).toBeGreaterThan(5);
  await expect(page.getByTestId('finance-audit-row').first()).toContainText('bss.renew');

  // The new order, paid, and the audit entries naming it.
  await page.getByTestId('renew-order').first().click();
  await expect(page.getByTestId('order-id')).toHaveText(order);
  await expect(page.getByTestId('order-status-text')).toHaveText('Completed');
  const audit = page.getByTestId('finance-audit-row').first();
  await expect(audit).toContainText('bss.renew');
  await expect(audit).toContainText('Succeeded');
  await expect(audit).toContainText(order);
  for (const id of renewed) await expect(audit).toContainText(id);

  // Last month's statement, downloaded as CSV: its total is the page's total.
  const cycle = lastCycle();
  await open(page, `/finance/bills?cycle=${cycle}`);
  const shown = fen((await page.getByTestId('statement-consumed').textContent())!);
  expect(shown).toBeGreaterThan(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-csv').click()]);
  expect(download.suggestedFilename()).toBe(`statement-${cycle}.csv`);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
  const header = csv[0].split(',');
  const total = csv[csv.length - 1].split(',');
  expect(total[2]).toBe('TOTAL');
  expect(fen(total[header.indexOf('consumed_amount')])).toBe(shown);
  const lines = csv.slice(1, -1).map((l) => l.split(','));
  expect(lines.length).toBeGreaterThan(0);
});

test('a fleet-only identity is told why the finance pages are empty, and sees no figures', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('demo-fleet').click();
  await expect(page).toHaveURL(/\/$/);
  await open(page, '/finance');
  await expect(page.getByTestId('lacks-rights')).toContainText('BSS');
  await expect(page.getByTestId('balances')).toHaveCount(0);
});
