/**
 * @file The renderer's Content-Security-Policy, built in one place for both hosts (Electron sets
 * it as a response header, the HTTP host sends it with every static file; index.html carries the
 * same policy as a meta tag). Nothing may load from the network: scripts, styles, fonts and
 * connections are limited to the app's own origin.
 */

/** Options for {@link buildCsp}. */
export type CspOptions = {
  /** Extra origins the page may `fetch` (only the HTTP transport, which is same-origin anyway). */
  connectSrc?: string[];
};

/** Builds the CSP header value. */
export function buildCsp(options: CspOptions = {}): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(options.connectSrc ?? [])]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** Security headers sent with every response of the renderer. */
export function securityHeaders(csp = buildCsp()): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}
