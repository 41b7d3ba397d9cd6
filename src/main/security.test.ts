/**
 * The desktop security policy as pure functions: trusted IPC senders, allowed renderer requests,
 * and the CSP string.
 */
import { describe, expect, it } from 'vitest';
import { desktopCsp, isAllowedRequest, isTrustedSender } from './security';

const prod = { fileUrl: 'file:///opt/DiffGuard/resources/app.asar/out/renderer/index.html' };
const dev = { devOrigin: 'http://localhost:5173' };

describe('isTrustedSender', () => {
  it('trusts the main frame of the app page', () => {
    expect(isTrustedSender({ url: 'file:///opt/DiffGuard/resources/app.asar/out/renderer/index.html#/history', parent: null }, prod)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, dev)).toBe(true);
  });
  it('refuses subframes, other files, other origins and missing frames', () => {
    expect(isTrustedSender({ url: prod.fileUrl, parent: {} }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'file:///home/user/Downloads/evil.html', parent: null }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'file:///anything/index.html', parent: null }, dev)).toBe(false);
    expect(isTrustedSender(null, prod)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, prod)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it('allows local files and devtools only', () => {
    expect(isAllowedRequest('file:///opt/DiffGuard/out/renderer/assets/index.js')).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    for (const url of ['https://fonts.googleapis.com/css2?family=Inter', 'http://127.0.0.1:8080/', 'wss://example.com/socket', 'ftp://x/y', 'garbage']) {
      expect(isAllowedRequest(url)).toBe(false);
    }
  });
  it('allows the dev server and its HMR socket in development only', () => {
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev.devOrigin)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', dev.devOrigin)).toBe(true);
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx')).toBe(false);
    expect(isAllowedRequest('https://cdn.example.com/x.js', dev.devOrigin)).toBe(false);
  });
});

describe('desktopCsp', () => {
  it('is strict in production', () => {
    const csp = desktopCsp();
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(csp).not.toContain('unsafe');
  });
  it('adds only the dev server origin in development', () => {
    expect(desktopCsp('http://localhost:5173')).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
  });
});
