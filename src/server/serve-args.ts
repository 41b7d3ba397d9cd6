/**
 * @file Command-line parsing for `npm run serve` (kept apart from the entry so it can be tested).
 */

export const USAGE = `Usage: node out/main/serve.js [--port N] [--data-dir PATH] [--token TOKEN] [--static-dir PATH]
                           [--no-history] [--privacy] [--no-models]

Serves the DiffGuard workbench on http://127.0.0.1 with a random bearer token (printed in the URL).`;

export type ServeArgs = {
  port: number;
  dataDir: string | null;
  token: string | null;
  staticDir: string | null;
  history: boolean | undefined;
  privacy: boolean | undefined;
  useModels: boolean | undefined;
  help: boolean;
};

/** Parses the serve command line; throws an Error with a readable message on bad usage. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const out: ServeArgs = { port: 0, dataDir: null, token: null, staticDir: null, history: undefined, privacy: undefined, useModels: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error('--port must be an integer 0..65535');
        out.port = p;
        break;
      }
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--token': {
        const t = value();
        if (t.length < 16 || !/^[A-Za-z0-9_-]+$/.test(t)) throw new Error('--token must be at least 16 characters of [A-Za-z0-9_-]');
        out.token = t;
        break;
      }
      case '--static-dir':
        out.staticDir = value();
        break;
      case '--no-history':
        out.history = false;
        break;
      case '--privacy':
        out.privacy = true;
        break;
      case '--no-models':
        out.useModels = false;
        break;
      case '-h':
      case '--help':
        out.help = true;
        break;
      default:
        throw new Error(`Unknown option ${a}`);
    }
  }
  return out;
}
