/**
 * @file E-mail address detector. Scans outward from each '@' with bounded loops instead of one
 * big regex, so the cost stays linear even on long runs of word characters.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { detectionAt } from './util';

const LOCAL_CHAR = /[\p{L}\p{N}._%+'-]/u;
const DOMAIN_CHAR = /[\p{L}\p{N}.-]/u;
/** Image/code file extensions that look like TLDs ("icon@2x.png", "pkg@latest.js"). */
const FILE_TLDS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'css', 'scss', 'py', 'rb', 'go', 'rs', 'java', 'json', 'yaml', 'yml', 'xml', 'html', 'md', 'txt', 'pdf', 'zip', 'gz', 'tar', 'exe', 'dll', 'so', 'lock', 'map']);

function isLocalChar(ch: string | undefined): boolean {
  return ch !== undefined && (ch.charCodeAt(0) < 0x80 ? /[A-Za-z0-9._%+'-]/.test(ch) : LOCAL_CHAR.test(ch));
}

function isDomainChar(ch: string | undefined): boolean {
  return ch !== undefined && (ch.charCodeAt(0) < 0x80 ? /[A-Za-z0-9.-]/.test(ch) : DOMAIN_CHAR.test(ch));
}

/** Finds e-mail addresses in `text` (normalized); returns normalized [start, end) spans. */
export function findEmails(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (at < lastEnd) continue;
    let s = at;
    while (s > 0 && at - s < 64 && isLocalChar(text[s - 1])) s--;
    while (s < at && /[.'-]/.test(text[s])) s++;
    if (s === at || text[at - 1] === '.') continue;
    let e = at + 1;
    while (e < text.length && e - at <= 253 && isDomainChar(text[e])) e++;
    while (e > at + 1 && /[.-]/.test(text[e - 1])) e--;
    const domain = text.slice(at + 1, e);
    const labels = domain.split('.');
    if (labels.length < 2 || labels.some((l) => l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-'))) continue;
    const tld = labels[labels.length - 1];
    if (!/^(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59}|\p{L}{2,24})$/iu.test(tld)) continue;
    if (FILE_TLDS.has(tld.toLowerCase())) continue;
    // "git@github.com:org/repo.git" is an SSH remote, not a person's address.
    if (text.slice(s, at) === 'git' && text[e] === ':') continue;
    spans.push([s, e]);
    lastEnd = e;
  }
  return spans;
}

/** Detects e-mail addresses (category pii, placeholder EMAIL). */
export const emailDetector: Detector = {
  name: 'email',
  detect(n: NormalizedText): Detection[] {
    return findEmails(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'email', category: 'pii', score: 0.99, placeholderType: 'EMAIL', reason: 'E-mail address' }),
    );
  },
};
