/**
 * @file Security policy of the desktop window, as pure functions plus thin installers:
 * which IPC senders are trusted, which renderer requests may leave (none but file:// and
 * devtools, plus the dev server in development), the CSP header, and the hardening of every
 * web contents (no navigation, no new windows, no webviews, no permissions but clipboard write).
 */
import type { Session, WebContents } from 'electron';
import { buildCsp } from '../server/csp';

/** Where the trusted renderer is loaded from. */
export type RendererOrigin = {
  /** Absolute file:// URL of the built index.html (production). */
  fileUrl?: string;
  /** Dev server origin, e.g. http://localhost:5173 (development only). */
  devOrigin?: string;
};

/** The frame that sent an IPC message, reduced to what the check needs. */
export type SenderFrame = { url: string; parent: unknown | null } | null | undefined;

/**
 * True when an IPC message comes from the app's own top-level page: the main frame (no parent),
 * loaded from the app's index.html (file://) or, in development, from the dev server's origin.
 */
export function isTrustedSender(frame: SenderFrame, expected: RendererOrigin): boolean {
  if (!frame || frame.parent) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (expected.fileUrl && url.protocol === 'file:') {
    const want = new URL(expected.fileUrl);
    return url.pathname === want.pathname;
  }
  if (expected.devOrigin && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return url.origin === new URL(expected.devOrigin).origin;
  }
  return false;
}

/** True when the renderer may load `rawUrl`: file:// and devtools only (and the dev server in development). */
export function isAllowedRequest(rawUrl: string, devOrigin?: string): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'file:' || url.protocol === 'devtools:' || url.protocol === 'data:') return true;
  if (devOrigin) {
    const dev = new URL(devOrigin);
    if ((url.protocol === 'http:' || url.protocol === 'ws:') && url.host === dev.host) return true;
  }
  return false;
}

/** The CSP the desktop window gets. In development Vite's HMR needs its own origin for scripts and sockets. */
export function desktopCsp(devOrigin?: string): string {
  if (!devOrigin) return buildCsp();
  const ws = devOrigin.replace(/^http/, 'ws');
  return buildCsp({ connectSrc: [devOrigin, ws] });
}

/** Installs the header and request policies on the window's session. */
export function installSessionSecurity(session: Session, devOrigin?: string): void {
  const csp = desktopCsp(devOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, devOrigin);
    if (!allowed) console.warn(`[diffguard] blocked a renderer request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  session.setPermissionCheckHandler((_wc, permission) => permission === 'clipboard-sanitized-write');
}

/** Denies navigation away from the app, new windows and webviews for one web contents. */
export function hardenWebContents(contents: WebContents, expected: RendererOrigin): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedSender({ url, parent: null }, expected)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
