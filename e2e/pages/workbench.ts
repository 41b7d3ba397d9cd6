/**
 * Page object for the app through the local HTTP host: open with the token, wait for readiness,
 * and the few actions the specs share.
 */
import { expect, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

export async function openApp(page: Page): Promise<void> {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('start-error')).toHaveCount(0);
}

export async function gotoView(page: Page, view: 'workbench' | 'batch' | 'history' | 'settings'): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-view', view);
}

export async function sanitize(page: Page, text: string, via: 'button' | 'shortcut' = 'button'): Promise<void> {
  await gotoView(page, 'workbench');
  await page.getByTestId('prompt-input').fill(text);
  if (via === 'button') await page.getByTestId('sanitize-button').click();
  else {
    await page.getByTestId('prompt-input').press('Control+Enter');
  }
  await expect(page.getByTestId('verdict-banner')).toBeVisible();
  await expect(page.getByTestId('sanitize-button')).toHaveText(/Sanitize/);
}
