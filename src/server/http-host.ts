/**
 * @file The local HTTP host: the same IPC contract as Electron's preload, over HTTP on 127.0.0.1,
 * plus the built renderer as static files. It exists so the real renderer and the real engine can
 * be driven from a browser (end-to-end tests, machines without a desktop session).
 *
 * Security model: bound to the loopback interface only; a random bearer token guards every API
 * call (static files are public, they hold no data); the Host header must name the loopback
 * address and our port (a DNS-rebinding guard); request bodies are capped; the strict CSP is sent
 * with every page. Only node:http, no framework.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ERROR_CODES, isInvokeChannel, type Result } from '../shared/ipc';
import { buildCsp, securityHeaders } from './csp';
import { dispatch, type Handlers } from './handlers';

/** Default request body limit: 8 MB (a 5 MB prompt encoded as JSON fits). */
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

export type HttpHostOptions = {
  handlers: Handlers;
  /** Folder of the built renderer (out/renderer). Omit to serve the API only. */
  staticDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Bearer token; a random one is generated when omitted. */
  token?: string;
  bodyLimit?: number;
  /**
   * Raw file uploads (`POST /api/upload?name=<file name>`, body = the file's bytes, streamed to
   * disk by the callee). Omit to refuse uploads.
   */
  upload?: (name: string, body: IncomingMessage) => Promise<unknown>;
};

export type HttpHost = {
  /** http://127.0.0.1:<port>/ */
  origin: string;
  port: number;
  token: string;
  /** The URL to open, with the token in the fragment (never sent to the server in requests). */
  url: string;
  server: Server;
  close(): Promise<void>;
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Generates a bearer token: 32 random bytes, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Starts the host on 127.0.0.1. Resolves once it is listening. */
export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const token = options.token ?? generateToken();
  const tokenBuf = Buffer.from(token);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null;
  const csp = buildCsp();
  const headers = securityHeaders(csp);
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, fail(ERROR_CODES.internal, err instanceof Error ? err.message : 'Internal error'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-store');

    if (!isAllowedHost(req.headers.host, port)) {
      sendJson(res, 403, fail(ERROR_CODES.forbidden, 'Host header not allowed (only 127.0.0.1 / localhost).'));
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');

    if (url.pathname.startsWith('/api/')) {
      if (!hasToken(req.headers.authorization, tokenBuf)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        sendJson(res, 401, fail(ERROR_CODES.unauthorized, 'Missing or wrong bearer token.'));
        req.resume();
        return;
      }
      if (url.pathname === '/api/upload') {
        if (req.method !== 'POST' || !options.upload) {
          sendJson(res, options.upload ? 405 : 404, fail(ERROR_CODES.notFound, 'Uploads are not accepted here.'));
          req.resume();
          return;
        }
        const name = (url.searchParams.get('name') ?? 'upload.csv').slice(0, 255);
        try {
          const value = await options.upload(name, req);
          sendJson(res, 200, { ok: true, value });
        } catch (err) {
          const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : ERROR_CODES.internal;
          sendJson(res, code === ERROR_CODES.tooLarge ? 413 : 500, fail(code, err instanceof Error ? err.message : 'Upload failed'), true);
        }
        return;
      }
      const m = /^\/api\/invoke\/([^/]+)$/.exec(url.pathname);
      if (!m) {
        sendJson(res, 404, fail(ERROR_CODES.notFound, `No API route ${url.pathname}`));
        req.resume();
        return;
      }
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        sendJson(res, 405, fail('method_not_allowed', 'Use POST.'));
        req.resume();
        return;
      }
      const channel = decodeURIComponent(m[1]);
      if (!isInvokeChannel(channel)) {
        sendJson(res, 404, fail(ERROR_CODES.unknownChannel, `Unknown channel "${channel}".`));
        req.resume();
        return;
      }
      const ctype = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(ctype)) {
        sendJson(res, 415, fail(ERROR_CODES.invalidInput, 'Content-Type must be application/json.'));
        req.resume();
        return;
      }
      const body = await readBody(req, bodyLimit);
      if (body === 'too_large') {
        sendJson(res, 413, fail(ERROR_CODES.tooLarge, `Request body over ${Math.round(bodyLimit / 1024 / 1024)} MB.`), true);
        return;
      }
      let payload: unknown;
      try {
        payload = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        sendJson(res, 400, fail(ERROR_CODES.invalidInput, 'Body is not valid JSON.'));
        return;
      }
      const result = await dispatch(options.handlers, channel, payload);
      sendJson(res, !result.ok && result.error.code === ERROR_CODES.invalidInput ? 400 : 200, result);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'Method not allowed');
      req.resume();
      return;
    }
    if (!staticRoot) {
      sendText(res, 404, 'Not found');
      return;
    }
    await serveStatic(staticRoot, url.pathname, req, res);
  }

  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', ko);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    token,
    url: `${origin}/#token=${encodeURIComponent(token)}`,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** DNS-rebinding guard: the Host header must be the loopback address (or localhost) with our port. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  return allowed.includes(host.toLowerCase());
}

function hasToken(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, closeConnection = false): void {
  const data = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(data));
  if (closeConnection) res.setHeader('Connection', 'close');
  res.end(data);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve('too_large');
  }
  return new Promise((ok, ko) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        ok('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) ok(Buffer.concat(chunks));
    });
    req.on('error', ko);
  });
}

async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    sendText(res, 400, 'Bad path');
    return;
  }
  if (rel.includes('\0')) {
    sendText(res, 400, 'Bad path');
    return;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root + sep)) {
    sendText(res, 403, 'Forbidden');
    return;
  }
  let target = file;
  try {
    const s = await stat(target);
    if (s.isDirectory()) target = join(target, 'index.html');
  } catch {
    // Unknown paths without an extension are client routes: serve the app shell.
    if (extname(rel) === '') target = join(root, 'index.html');
    else {
      sendText(res, 404, 'Not found');
      return;
    }
  }
  let data: Buffer;
  try {
    data = await readFile(target);
  } catch {
    sendText(res, 404, 'Not found');
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', data.length);
  if (req.method === 'HEAD') res.end();
  else res.end(data);
}
