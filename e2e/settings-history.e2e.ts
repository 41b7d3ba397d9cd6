/**
 * Settings and history through the real host: settings persist across a reload and change what
 * the engine does (deny-list, per-category action); privacy mode stores no text from the next run
 * on; history filters by verdict and category, opens a detail and deletes it.
 */
import { expect, test } from '@playwright/test';
import { gotoView, openApp, sanitize } from './pages/workbench';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('settings persist across a reload and change the verdict', async ({ page }) => {
  await gotoView(page, 'settings');
  await page.getByTestId('deny-list').fill('Project Falcon\nBlue Heron');
  await page.getByTestId('settings-preset').focus(); // blur saves the list
  await expect(page.getByTestId('settings-status')).toContainText('Deny-list saved');
  await page.getByTestId('action-pii').selectOption('remove');
  await expect(page.getByTestId('settings-status')).toContainText('Personal data action saved');
  await page.getByTestId('retention').selectOption('90');
  await expect(page.getByTestId('settings-status')).toContainText('Retention saved');
  await expect(page.getByTestId('data-dir')).toContainText('diffguard-e2e-');
  await expect(page.getByTestId('provider-in-use')).toContainText('deterministic layers only');
  await expect(page.getByTestId('semantic-in-use')).toHaveText('off'); // this host runs without models
  await expect(page.getByTestId('semantic-head')).toBeChecked();
  await page.getByTestId('semantic-head').uncheck();
  await expect(page.getByTestId('settings-status')).toContainText('Semantic harm head saved');

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('app')).toHaveAttribute('data-view', 'settings');
  await expect(page.getByTestId('semantic-head')).not.toBeChecked();
  await page.getByTestId('semantic-head').check();
  await expect(page.getByTestId('settings-status')).toContainText('Semantic harm head saved');
  await expect(page.getByTestId('deny-list')).toHaveValue('Project Falcon\nBlue Heron');
  await expect(page.getByTestId('action-pii')).toHaveValue('remove');
  await expect(page.getByTestId('retention')).toHaveValue('90');

  // The deny-list term is redacted, and e-mail addresses are now removed instead of redacted.
  await sanitize(page, 'Status of Project Falcon: ask tom.ricci@example.com for the budget.');
  await expect(page.getByTestId('verdict-banner')).toHaveAttribute('data-verdict', 'cleaned');
  await expect(page.getByTestId('diff-cleaned')).toContainText(/\[CUSTOM_\d+\]/);
  await expect(page.getByTestId('diff-cleaned')).not.toContainText('tom.ricci@example.com');
  await expect(page.locator('[data-testid="finding-row"][data-kind="email"]')).toContainText(/Removed/i);

  // Back to defaults so the other specs see the presets.
  await gotoView(page, 'settings');
  await page.getByTestId('action-pii').selectOption('');
  await page.getByTestId('deny-list').fill('');
  await page.getByTestId('settings-preset').focus();
  await expect(page.getByTestId('settings-status')).toContainText('Deny-list saved');
});

test('privacy mode stores no text from the next run on', async ({ page }) => {
  await gotoView(page, 'settings');
  await page.getByTestId('privacy-mode').check();
  await expect(page.getByTestId('settings-status')).toContainText('Privacy mode saved');
  await sanitize(page, 'Private: call Ingrid Olsen on +44 20 7946 0321 about the Kestrel merger.');
  await gotoView(page, 'history');
  const row = page.getByTestId('history-row').first();
  await expect(row).not.toContainText('Kestrel');
  await row.click();
  const detail = page.getByTestId('history-detail');
  await expect(detail).toContainText('not stored (privacy mode)');
  await expect(detail).not.toContainText('Kestrel');
  await expect(detail.getByTestId('finding-row').first()).toContainText('(not stored)');
  // Searching for the text finds nothing: it was never written.
  await page.getByTestId('history-search').fill('Kestrel');
  await expect(page.getByTestId('history-empty')).toBeVisible();

  await gotoView(page, 'settings');
  await page.getByTestId('privacy-mode').uncheck();
  await expect(page.getByTestId('settings-status')).toContainText('Privacy mode saved');
});

test('history filters by verdict and category, sorts, opens a detail and deletes it', async ({ page }) => {
  await sanitize(page, 'Plain question about the Osprey roadmap for version 4.2, no personal data.');
  await sanitize(page, 'Osprey contact: nadia.farah@example.net, key AKIAIOSFODNN7EXAMPLE.');
  await gotoView(page, 'history');
  await page.getByTestId('history-search').fill('osprey');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('filter-verdict').selectOption('pass');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-row')).toContainText('roadmap');
  await page.getByTestId('filter-verdict').selectOption('');
  await page.getByTestId('filter-category').selectOption('secret');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-row')).toContainText('nadia.farah@example.net');

  // Date range: today includes the runs, a range in the past excludes them.
  const today = new Date();
  const iso = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  await page.getByTestId('filter-from').fill(iso(today));
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('filter-from').fill('2020-01-01');
  await page.getByTestId('filter-to').fill('2020-12-31');
  await expect(page.getByTestId('history-empty')).toContainText('No runs match');
  await page.getByTestId('filter-clear').click();

  // Without a search, sorting by risk puts the secret-bearing run above the plain one.
  await page.getByTestId('history-sort').selectOption('risk');
  await page.getByTestId('filter-source').selectOption('workbench');
  const texts = await page.getByTestId('history-row').allTextContents();
  const secretAt = texts.findIndex((t) => t.includes('nadia.farah'));
  const plainAt = texts.findIndex((t) => t.includes('Osprey roadmap'));
  expect(secretAt).toBeGreaterThanOrEqual(0);
  expect(secretAt).toBeLessThan(plainAt);

  await page.getByTestId('history-row').nth(secretAt).click();
  await expect(page.getByTestId('history-detail').getByTestId('finding-row')).toHaveCount(2);
  await page.getByTestId('delete-run').click();
  await expect(page.getByTestId('history-row').filter({ hasText: 'nadia.farah' })).toHaveCount(0);
});

test('clearing the vault makes earlier placeholders unknown to restore', async ({ page }) => {
  await sanitize(page, 'Send the contract to hugo.berger@example.ch today.');
  const placeholder = await page.getByTestId('finding-row').locator('code.placeholder').textContent();
  await gotoView(page, 'settings');
  await page.getByTestId('clear-vault').click();
  await page.getByTestId('confirm-clear-vault').click();
  await expect(page.getByTestId('settings-status')).toContainText(/Vault cleared \(\d+ placeholders forgotten\)/);
  await gotoView(page, 'workbench');
  await page.getByTestId('restore-input').fill(`I wrote to ${placeholder}.`);
  await page.getByTestId('restore-button').click();
  await expect(page.getByTestId('restore-output')).toHaveText(`I wrote to ${placeholder}.`);
  await expect(page.getByTestId('restore-summary')).toContainText(`unknown: ${placeholder}`);
});
