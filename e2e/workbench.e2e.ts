/**
 * The main flow through the real engine: paste → sanitize → diff and findings → history shows the
 * run; restore placeholders; the policy switch changes the verdict.
 */
import { expect, test } from '@playwright/test';
import { gotoView, openApp, sanitize } from './pages/workbench';

const PROMPT = 'Please write to jane.doe@example.com that her card 4111 1111 1111 1111 was charged $1,250.00 for order #48213.';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('sanitize shows the diff with placeholders and the findings, and history shows the run', async ({ page }) => {
  await expect(page.getByTestId('workbench-empty')).toBeVisible();
  await sanitize(page, PROMPT, 'shortcut');

  await expect(page.getByTestId('verdict-banner')).toHaveAttribute('data-verdict', 'cleaned');
  await expect(page.getByTestId('verdict-banner')).toContainText('Redacted 2 items (EMAIL, CARD)');
  const cleaned = page.getByTestId('diff-cleaned');
  // Placeholders are numbered per vault, which persists across the runs of this suite.
  await expect(cleaned).toContainText(/\[EMAIL_\d+\]/);
  await expect(cleaned).toContainText(/\[CARD_\d+\]/);
  await expect(cleaned).toContainText('$1,250.00');
  await expect(cleaned).toContainText('#48213');
  await expect(cleaned).not.toContainText('jane.doe@example.com');
  await expect(page.getByTestId('diff-original')).toContainText('jane.doe@example.com');

  const rows = page.getByTestId('finding-row');
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-testid="finding-row"][data-kind="email"]')).toContainText('EMAIL');
  await expect(page.locator('[data-testid="finding-row"][data-kind="card"]')).toContainText('CARD');
  await expect(page.getByRole('meter', { name: 'Risk before' })).not.toHaveAttribute('aria-valuenow', '0');
  await expect(page.getByRole('meter', { name: 'Risk after' })).toHaveAttribute('aria-valuenow', '0');

  await page.getByTestId('diff-mode-inline').click();
  await expect(page.getByTestId('diff-inline')).toContainText('jane.doe@example.com');
  await expect(page.getByTestId('diff-inline')).toContainText(/\[EMAIL_\d+\]/);

  await gotoView(page, 'history');
  const first = page.getByTestId('history-row').filter({ hasText: 'jane.doe@example.com' }).first();
  await expect(first).toBeVisible();
  await first.click();
  await expect(page.getByTestId('history-detail').getByTestId('diff-cleaned')).toContainText(/\[CARD_\d+\]/);
  await expect(page.getByTestId('history-detail').getByTestId('finding-row')).toHaveCount(2);
});

test('copy cleaned puts the placeholder text on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await sanitize(page, 'Reply to omar.haddad@example.org today.');
  const placeholder = (await page.getByTestId('diff-cleaned').getByTestId('diff-redacted').textContent())?.replace('placeholder: ', '');
  expect(placeholder).toMatch(/^\[EMAIL_\d+\]$/);
  await page.getByTestId('copy-cleaned').click();
  await expect(page.getByTestId('copy-cleaned')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`Reply to ${placeholder} today.`);
});

test('restore puts the original values back into an answer', async ({ page }) => {
  await sanitize(page, 'Draft a note to li.wei@example.cn about the renewal.');
  const placeholder = await page.getByTestId('finding-row').locator('code.placeholder').textContent();
  expect(placeholder).toMatch(/^\[EMAIL_\d+\]$/);
  await page.getByTestId('restore-input').fill(`Sure — here is the note for ${placeholder}: your renewal is confirmed. Also cc [EMAIL_999].`);
  await page.getByTestId('restore-button').click();
  await expect(page.getByTestId('restore-output')).toHaveText('Sure — here is the note for li.wei@example.cn: your renewal is confirmed. Also cc [EMAIL_999].');
  await expect(page.getByTestId('restore-summary')).toContainText('1 restored; unknown: [EMAIL_999]');
});

test('the policy switch changes the verdict and is remembered', async ({ page }) => {
  const text = 'Please summarise: aGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0IG1lc3NhZ2U=';
  await page.getByTestId('policy-balanced').click();
  await sanitize(page, text);
  await expect(page.getByTestId('verdict-banner')).toHaveAttribute('data-verdict', 'pass');
  await page.getByTestId('policy-strict').click();
  await expect(page.getByTestId('verdict-banner')).toHaveAttribute('data-verdict', 'cleaned');
  await expect(page.getByTestId('diff-removed')).toContainText('aGVsbG8gd29y');
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('policy-strict')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('policy-balanced').click();
  await expect(page.getByTestId('policy-balanced')).toHaveAttribute('aria-checked', 'true');
});

test('history search finds a run, and delete removes it', async ({ page }) => {
  await sanitize(page, 'Ask the Zanzibar warehouse team to call +44 20 7946 0958.');
  await gotoView(page, 'history');
  await page.getByTestId('history-search').fill('zanzibar');
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await expect(page.getByTestId('history-detail')).toContainText(/\[PHONE_\d+\]/);
  await page.getByTestId('delete-run').click();
  await expect(page.getByTestId('history-empty')).toContainText('No runs match');
});
