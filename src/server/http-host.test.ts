/**
 * The local HTTP host over real sockets: token, Host-header guard, routing, validation, body
 * limit, static files with the CSP, and the loopback binding.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from './handlers';
import { startHttpHost, type HttpHost } from './http-host';
import { openSettingsStore } from './settings-store';
import { fakeEngine, fakeHistory } from './test-fakes';

let host: HttpHost;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dg-http-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>DiffGuard</title><div id="root"></div>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  const handlers = createHandlers({ engine: fakeEngine(), history: fakeHistory(), settings: openSettingsStore(dir), kind: 'http', dataDir: dir, privacyMode: false });
  host = await startHttpHost({ handlers, staticDir, bodyLimit: 64 * 1024 });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((ok, ko) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', ko);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

const api = (channel: string, payload: unknown, token: string | null = host.token, extra: Record<string, string> = {}): Promise<Reply> =>
  call(`/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    body: JSON.stringify(payload),
  });

describe('local HTTP host', () => {
  it('listens on 127.0.0.1 only, on a random port, with a random token in the URL fragment', () => {
    const addr = host.server.address();
    expect(addr).toMatchObject({ address: '127.0.0.1' });
    expect(host.port).toBeGreaterThan(0);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
  });

  it('answers 401 without the token and with a wrong one', async () => {
    const none = await api('engine:sanitize', { text: 'hi' }, null);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await api('engine:sanitize', { text: 'hi' }, 'x'.repeat(43))).status).toBe(401);
  });

  it('runs a channel with the token', async () => {
    const r = await api('engine:sanitize', { text: 'Ping maria@example.com about the 3 pallets' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { verdict: 'cleaned', cleaned: 'Ping [EMAIL_1] about the 3 pallets' } });
  });

  it('answers 404 for an unknown channel, 400 for an invalid payload or bad JSON', async () => {
    expect((await api('shell:exec', { cmd: 'id' })).status).toBe(404);
    const bad = await api('engine:sanitize', { text: 7 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await call('/api/invoke/engine:sanitize', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: '{text:' });
    expect(notJson.status).toBe(400);
  });

  it('refuses a body over the limit with 413', async () => {
    const r = await api('engine:sanitize', { text: 'a'.repeat(70 * 1024) });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    const r = await api('engine:info', {}, host.token, { host: `evil.example:${host.port}` });
    expect(r.status).toBe(403);
    const page = await call('/', { headers: { host: 'attacker.test' } });
    expect(page.status).toBe(403);
  });

  it('serves the renderer with the strict CSP and correct types, and nothing outside its folder', async () => {
    const index = await call('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(index.headers['content-security-policy']).toContain("object-src 'none'");
    const js = await call('/assets/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await call('/../secret.txt')).body).not.toContain('do not serve');
    const encoded = await call('/%2e%2e/secret.txt');
    expect(encoded.status).toBe(404);
    expect(encoded.body).not.toContain('do not serve');
    expect((await call('/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).status).toBe(403);
    expect((await call('/assets/missing.js')).status).toBe(404);
  });

  it('requires POST for the API', async () => {
    const r = await call('/api/invoke/engine:info', { headers: { authorization: `Bearer ${host.token}` } });
    expect(r.status).toBe(405);
  });
});
