/**
 * End-to-end tests: Debian's chromium drives the real renderer and the real engine through the
 * local HTTP host (`node out/main/serve.js`). Build first (`npx electron-vite build`; .ci/run does);
 * the web server below builds nothing. A fixed port and test token, and a fresh data folder per run.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

export const E2E_PORT = Number(process.env.DIFFGUARD_E2E_PORT ?? 4319);
export const E2E_TOKEN = 'e2e-test-token-not-secret-0123456789';
const dataDir = join(tmpdir(), `diffguard-e2e-${E2E_PORT}`);
const rmData = `node -e "require('fs').rmSync(process.argv[1],{recursive:true,force:true})" ${JSON.stringify(dataDir)}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results/playwright',
  reporter: [['list']],
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1360, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `${rmData} && node out/main/serve.js --port ${E2E_PORT} --token ${E2E_TOKEN} --data-dir ${JSON.stringify(dataDir)} --no-models`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    // A short pause after each batch chunk, so the batch specs can pause and cancel a job mid-way.
    env: { DIFFGUARD_BATCH_CHUNK_DELAY_MS: '100' },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
