/**
 * Screenshots of each main view in light and dark theme, saved under test-results/screenshots/
 * for visual review.
 */
import { expect, test } from '@playwright/test';
import { gotoView, openApp, sanitize } from './pages/workbench';
import { writeTicketsCsv } from './pages/batch-csv';

const PROMPT =
  'Hi, please draft a polite reminder to our customer Dana Whitfield (dana.whitfield@example.com, +1 415 555 0132) that invoice #48213 for $1,250.00 is overdue. She paid last time with card 4111 1111 1111 1111.';

for (const scheme of ['light', 'dark'] as const) {
  test(`main views in ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page);
    await gotoView(page, 'workbench');
    await page.screenshot({ path: `test-results/screenshots/workbench-empty-${scheme}.png`, fullPage: true });

    await sanitize(page, PROMPT);
    await expect(page.getByTestId('finding-row').first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/workbench-result-${scheme}.png`, fullPage: true });

    await page.getByTestId('diff-mode-inline').click();
    const email = await page.locator('[data-testid="finding-row"][data-kind="email"] code.placeholder').textContent();
    const phone = await page.locator('[data-testid="finding-row"][data-kind="phone"] code.placeholder').textContent();
    await page.getByTestId('restore-input').fill(`Done: I emailed ${email} and called ${phone}.`);
    await page.getByTestId('restore-button').click();
    await expect(page.getByTestId('restore-output')).toContainText('dana.whitfield@example.com');
    await page.screenshot({ path: `test-results/screenshots/workbench-inline-restore-${scheme}.png`, fullPage: true });

    await gotoView(page, 'history');
    await page.getByTestId('history-row').first().click();
    await expect(page.getByTestId('history-detail').getByTestId('verdict-banner')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/history-${scheme}.png`, fullPage: true });

    await gotoView(page, 'batch');
    await page.screenshot({ path: `test-results/screenshots/batch-empty-${scheme}.png`, fullPage: true });
    await page.getByTestId('batch-file-input').setInputFiles(writeTicketsCsv(60, `tickets-${scheme}.csv`));
    await expect(page.getByTestId('batch-preview')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/batch-preview-${scheme}.png`, fullPage: true });
    await page.getByTestId('batch-start').click();
    await expect(page.getByTestId('batch-summary')).toBeVisible({ timeout: 20_000 });
    await page.getByTestId('flagged-row').first().click();
    await expect(page.getByTestId('flagged-detail')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/batch-summary-${scheme}.png`, fullPage: true });

    await gotoView(page, 'settings');
    await expect(page.getByTestId('engine-facts')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/settings-${scheme}.png`, fullPage: true });

    await gotoView(page, 'workbench');
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/shortcuts-${scheme}.png` });
  });
}
