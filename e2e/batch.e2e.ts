/**
 * Batch cleaning through the real host: a real CSV is uploaded (file picker and drag-and-drop),
 * previewed with the guessed column, processed with live progress, paused, resumed and cancelled;
 * a finished job shows its summary and flagged rows, and its CSV export re-reads with every input
 * column, the result columns and formula cells protected.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { gotoView, openApp } from './pages/workbench';
import { ticketText, writeTicketsCsv } from './pages/batch-csv';

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await gotoView(page, 'batch');
});

async function choose(page: Page, path: string): Promise<void> {
  await page.getByTestId('batch-file-input').setInputFiles(path);
  await expect(page.getByTestId('batch-preview')).toBeVisible();
}

const done = async (page: Page): Promise<number> => Number(await page.getByTestId('batch-done').getAttribute('data-done'));

test('a CSV is previewed with the text column guessed, and a finished job shows summary, flagged rows and exports', async ({ page }) => {
  await choose(page, writeTicketsCsv(120));
  const preview = page.getByTestId('batch-preview');
  await expect(preview.locator('th')).toHaveText(['ticket_id', 'customer', 'channel', 'message']);
  await expect(preview.locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('batch-column')).toHaveValue('3');
  await expect(page.getByTestId('batch-column').locator('option:checked')).toContainText('guessed');
  await expect(preview.locator('tbody tr').nth(2)).toContainText('paper jam');

  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(page.getByTestId('batch-done')).toHaveText('120 / 120');
  await expect(page.getByRole('progressbar', { name: 'Rows processed' })).toHaveAttribute('aria-valuenow', '120');

  const summary = page.getByTestId('batch-summary');
  await expect(summary).toBeVisible();
  const count = async (v: string): Promise<number> => Number(await page.getByTestId(`count-${v}`).getAttribute('data-count'));
  expect((await count('pass')) + (await count('cleaned')) + (await count('blocked')) + (await count('error'))).toBe(120);
  // Every row carrying an e-mail or a card is cleaned.
  const personal = Array.from({ length: 120 }, (_, i) => ticketText(i)).filter((t) => t.includes('@') || t.includes('4111')).length;
  expect(personal).toBe(35);
  expect(await count('cleaned')).toBeGreaterThanOrEqual(personal);
  await expect(page.getByTestId('category-counts')).toContainText('Personal data');
  await expect(page.getByTestId('top-kinds')).toContainText('email');
  await expect(page.getByRole('img', { name: /Risk histogram of 120 rows/ })).toBeVisible();

  const flagged = page.getByTestId('flagged-row');
  await expect(flagged.first()).toBeVisible();
  await flagged.filter({ hasText: '#1 ' }).first().click();
  const detail = page.getByTestId('flagged-detail');
  await expect(detail.getByTestId('diff-cleaned')).toContainText(/\[EMAIL_\d+\]/);
  await expect(detail.getByTestId('diff-original')).toContainText('maria.0@example.org');

  // CSV export: every input column plus the result columns; formula cells protected by default.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toBe('tickets-cleaned.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  const records = parse(csv, { columns: true }) as Record<string, string>[];
  expect(Object.keys(records[0]!)).toEqual(['ticket_id', 'customer', 'channel', 'message', 'cleaned', 'verdict', 'risk_before', 'risk_after', 'semantic', 'categories', 'findings', 'elapsed_ms', 'error']);
  expect(records).toHaveLength(120);
  expect(records.map((r) => r.ticket_id)).toEqual(Array.from({ length: 120 }, (_, i) => String(1000 + i)));
  expect(records[4]!.message).toBe(`'${ticketText(4)}`);
  expect(records[2]!.message).toBe(ticketText(2));
  expect(records[0]!.cleaned).toMatch(/\[EMAIL_\d+\]/);
  expect(records[0]!.cleaned).not.toContain('@example.org');

  // Protection off and a BOM: the formula comes back raw, the file starts with U+FEFF.
  await page.getByTestId('export-protect').uncheck();
  await page.getByTestId('export-bom').check();
  const [raw] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const rawText = readFileSync((await raw.path())!, 'utf8');
  expect(rawText.charCodeAt(0)).toBe(0xfeff);
  const rawRecords = parse(rawText.slice(1), { columns: true }) as Record<string, string>[];
  expect(rawRecords[4]!.message).toBe(ticketText(4));

  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
  const html = readFileSync((await report.path())!, 'utf8');
  expect(html).toContain('DiffGuard review report');
  expect(html).toContain('maria.0@example.org');
  expect(html).not.toContain('Ticket 1: the app crashes');
});

test('progress, pause, resume and cancel of a running job', async ({ page }) => {
  await choose(page, writeTicketsCsv(3000, 'big-tickets.csv'));
  await page.getByTestId('batch-start').click();
  const progress = page.getByTestId('batch-progress');
  await expect(progress).toHaveAttribute('data-state', 'running');
  await expect.poll(() => done(page), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('batch-done')).toContainText('/ 3,000');
  await expect(page.getByTestId('batch-rate')).toHaveText(/^\d[\d,]*$/);
  await expect(page.getByTestId('batch-eta')).toHaveText(/\d+ (s|min)/);

  await page.getByTestId('batch-pause').click();
  await expect(progress).toHaveAttribute('data-state', 'paused');
  const atPause = await done(page);
  expect(atPause).toBeLessThan(3000);
  await page.waitForTimeout(400);
  expect(await done(page)).toBe(atPause);
  // A paused job already shows what it found so far.
  await expect(page.getByTestId('batch-summary')).toBeVisible();
  expect(Number(await page.getByTestId('count-pass').getAttribute('data-count'))).toBeLessThanOrEqual(atPause);

  await page.getByTestId('batch-resume').click();
  await expect(progress).toHaveAttribute('data-state', 'running');
  await expect.poll(() => done(page), { timeout: 10_000 }).toBeGreaterThan(atPause);

  await page.getByTestId('batch-cancel').click();
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
  const atCancel = await done(page);
  expect(atCancel).toBeLessThan(3000);
  await expect(page.getByTestId('batch-resume')).toHaveCount(0);
  const summary = page.getByTestId('batch-summary');
  await expect(summary).toContainText(`${atCancel.toLocaleString('en-US')} rows`);

  // The job is listed with its state, and reopening it shows the same numbers.
  await page.getByTestId('batch-back').click();
  const item = page.getByTestId('batch-job-item').filter({ hasText: 'big-tickets.csv' }).first();
  await expect(item).toHaveAttribute('data-state', 'cancelled');
  await item.click();
  await expect(page.getByTestId('batch-done')).toHaveText(`${atCancel.toLocaleString('en-US')} / 3,000`);
});

test('a CSV dropped anywhere on the batch view is previewed', async ({ page }) => {
  const content = readFileSync(writeTicketsCsv(8, 'dropped.csv'), 'utf8');
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  }, content);
  const target = page.getByTestId('batch-jobs');
  await target.dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByTestId('batch-page')).toHaveClass(/dragging/);
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('batch-preview')).toContainText('dropped.csv');
  await expect(page.getByTestId('batch-page')).not.toHaveClass(/dragging/);
});

test('a file that is not a CSV is refused with a clear message', async ({ page }) => {
  await page.getByTestId('batch-file-input').setInputFiles({ name: 'photo.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]) });
  await expect(page.getByTestId('batch-error')).toBeVisible();
  await expect(page.getByTestId('batch-preview')).toHaveCount(0);
});
