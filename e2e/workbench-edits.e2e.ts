/**
 * Workbench additions: findings highlighted in place in the editor, undo and re-apply of a single
 * edit (cleaned text and gauges follow), copy restored, and the keyboard shortcut overlay.
 */
import { expect, test } from '@playwright/test';
import { openApp, sanitize } from './pages/workbench';

const PROMPT = 'Forward the contract to priya.nair@example.com and charge card 4111 1111 1111 1111 for the $1,250.00 fee.';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('undo an edit puts the value back in the cleaned text and raises the risk after; re-apply removes it again', async ({ page }) => {
  await sanitize(page, PROMPT);
  const cleaned = page.getByTestId('diff-cleaned');
  await expect(cleaned).not.toContainText('priya.nair@example.com');
  const riskAfter = page.getByRole('meter', { name: 'Risk after' });
  await expect(riskAfter).toHaveAttribute('aria-valuenow', '0');

  const emailRow = page.locator('[data-testid="finding-row"][data-kind="email"]');
  await emailRow.getByTestId('finding-undo').click();
  await expect(emailRow).toHaveAttribute('data-undone', 'true');
  await expect(cleaned).toContainText('priya.nair@example.com');
  await expect(cleaned).toContainText(/\[CARD_\d+\]/);
  await expect(riskAfter).not.toHaveAttribute('aria-valuenow', '0');
  await expect(emailRow.getByTestId('finding-undo')).toHaveText('Re-apply');

  await emailRow.getByTestId('finding-undo').click();
  await expect(cleaned).not.toContainText('priya.nair@example.com');
  await expect(cleaned).toContainText(/\[EMAIL_\d+\]/);
  await expect(riskAfter).toHaveAttribute('aria-valuenow', '0');

  // Undo both: nothing is left changed, the verdict says so.
  await emailRow.getByTestId('finding-undo').click();
  await page.locator('[data-testid="finding-row"][data-kind="card"]').getByTestId('finding-undo').click();
  await expect(page.getByTestId('verdict-banner')).toHaveAttribute('data-verdict', 'pass');
  await expect(cleaned).toHaveText(PROMPT);
});

test('findings are highlighted in place with reason and score on hover, and vanish while editing', async ({ page }) => {
  await sanitize(page, PROMPT);
  const marks = page.getByTestId('input-highlight');
  await expect(marks).toHaveCount(2);
  await expect(marks.first()).toHaveText('priya.nair@example.com');
  await expect(marks.first()).toHaveAttribute('title', /E-?MAIL.*score \d+%/is);
  await expect(marks.first()).toHaveClass(/cat-pii/);
  await page.getByTestId('prompt-input').press('End');
  await page.getByTestId('prompt-input').pressSequentially(' Thanks');
  await expect(page.getByTestId('input-highlights')).toHaveCount(0);
});

test('copy restored puts the original values back on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await sanitize(page, PROMPT);
  await page.getByTestId('copy-restored').click();
  await expect(page.getByTestId('copy-restored')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(PROMPT);
});

test('? opens the shortcut overlay, Esc closes it, Alt+2 switches to the batch view', async ({ page }) => {
  await page.getByTestId('nav-workbench').focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Sanitize the prompt');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  // Typing a "?" in the prompt does not open it.
  await page.getByTestId('prompt-input').fill('');
  await page.getByTestId('prompt-input').pressSequentially('why?');
  await expect(help).toHaveCount(0);
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('app')).toHaveAttribute('data-view', 'batch');
});
