/**
 * @file `npm run serve` (built to out/main/serve.js): opens the engine with the user's data
 * folder, starts the local HTTP host on 127.0.0.1 and prints the URL to open, token included.
 * Options: --port N, --token T (tests), --data-dir PATH, --static-dir PATH, --no-history,
 * --privacy, --no-models. Stops cleanly on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../core';
import { openAppHost } from './app-host';
import { startHttpHost } from './http-host';
import { parseServeArgs, USAGE, type ServeArgs } from './serve-args';

/** Largest CSV accepted by upload (issue 5: 100 MB files must work). */
const UPLOAD_LIMIT = 512 * 1024 * 1024;

async function main(): Promise<void> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const dataDir = args.dataDir ?? defaultDataDir();
  const staticDir = args.staticDir ?? join(__dirname, '..', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`No built renderer in ${staticDir}. Run \`npx electron-vite build\` first.`);
    process.exit(2);
  }
  const app = await openAppHost({ dataDir, kind: 'http', history: args.history, privacyMode: args.privacy, useModels: args.useModels });
  const host = await startHttpHost({
    handlers: app.handlers,
    staticDir,
    port: args.port,
    token: args.token ?? undefined,
    upload: (name, body) => app.batch.saveStream(name, body, UPLOAD_LIMIT),
  });
  console.log(`DiffGuard is serving on ${host.origin} (data: ${dataDir})`);
  console.log(`Open: ${host.url}`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: shutting down`);
    Promise.allSettled([host.close(), app.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('diffguard serve failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
