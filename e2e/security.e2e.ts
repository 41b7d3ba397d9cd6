/**
 * Security of the browser host: no request leaves 127.0.0.1, the API refuses calls without the
 * token, the CSP header is strict, and a foreign Host header is refused.
 */
import { expect, test } from '@playwright/test';
import { E2E_PORT, E2E_TOKEN } from '../playwright.config';
import { gotoView, openApp, sanitize } from './pages/workbench';

test('the app makes no request outside 127.0.0.1', async ({ page }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await openApp(page);
  await sanitize(page, 'Send the invoice to maria.rossi@example.it');
  await gotoView(page, 'history');
  await expect(page.getByTestId('history-row').first()).toBeVisible();
  expect(urls.length).toBeGreaterThan(3);
  for (const url of urls) expect(new URL(url).host).toBe(`127.0.0.1:${E2E_PORT}`);
});

test('the API answers 401 without the token and 200 with it', async ({ request }) => {
  const none = await request.post('/api/invoke/engine:info', { data: {} });
  expect(none.status()).toBe(401);
  expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  const wrong = await request.post('/api/invoke/engine:info', { data: {}, headers: { Authorization: 'Bearer not-the-token' } });
  expect(wrong.status()).toBe(401);
  const ok = await request.post('/api/invoke/engine:info', { data: {}, headers: { Authorization: `Bearer ${E2E_TOKEN}` } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ ok: true, value: { host: { kind: 'http' } } });
});

test('pages carry the strict CSP and a foreign Host is refused', async ({ request }) => {
  const page = await request.get('/');
  const csp = page.headers()['content-security-policy'];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  const rebinding = await request.post('/api/invoke/engine:info', { data: {}, headers: { Authorization: `Bearer ${E2E_TOKEN}`, Host: `attacker.example:${E2E_PORT}` } });
  expect(rebinding.status()).toBe(403);
});

test('without a token the page explains how to get one', async ({ page, context }) => {
  await context.clearCookies();
  await page.goto('/');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('start-error')).toContainText('#token=');
});
