import { expect, test } from '@playwright/test';
import { sandboxAccount } from './credentials';

const account = sandboxAccount();
const user = (name: string) => account.users.find((u) => u.name === name)!;

test('a fleet user signs in with a password, sees the fleet navigation, switches language, signs out', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('sandbox-mode')).toBeVisible();

  const form = page.getByTestId('password-form');
  await form.locator('input[name=account]').fill(account.account_name);
  await form.locator('input[name=user]').fill('fleet');
  await form.locator('input[name=password]').fill(user('fleet').password);
  await form.locator('button[type=submit]').click();

  await expect(page).toHaveURL(/\/$/);
  const identity = page.getByTestId('identity');
  await expect(identity).toContainText(account.account_name);
  await expect(identity).toContainText('fleet');
  const nav = page.getByRole('navigation', { name: 'main' });
  await expect(nav.getByRole('link', { name: 'SIM cards' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Bills' })).toHaveCount(0);

  // Client-side navigation after hydration, then the language switch (needs the WASM to be live).
  await nav.getByRole('link', { name: 'SIM cards' }).click();
  await expect(page).toHaveURL(/\/fleet\/sims$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('SIM cards');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('SIM 卡');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.reload();
  await expect(page.getByTestId('sign-out')).toHaveText('退出登录');

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/fleet/sims');
  await expect(page).toHaveURL(/\/login/);
});

test('a finance user sees finance pages only, and fleet pages explain the missing permission', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('demo-finance').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('identity')).toContainText('finance');
  const nav = page.getByRole('navigation', { name: 'main' });
  await expect(nav.getByRole('link', { name: 'Bills' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'SIM cards' })).toHaveCount(0);
  await page.goto('/fleet/sims');
  await expect(page.getByTestId('lacks-rights')).toContainText('lacks Global SIM Link permission');
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password is answered with a clear message', async ({ page }) => {
  await page.goto('/login');
  const form = page.getByTestId('password-form');
  await form.locator('input[name=account]').fill(account.account_name);
  await form.locator('input[name=user]').fill('fleet');
  await form.locator('input[name=password]').fill('not-the-password');
  await form.locator('button[type=submit]').click();
  await expect(page.getByTestId('sign-in-error')).toContainText('not accepted');
  await expect(page).toHaveURL(/\/login/);
});
