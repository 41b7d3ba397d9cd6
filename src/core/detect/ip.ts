/**
 * @file IP address detector. IPv4: four octets 0–255 without leading zeros, not in a version or
 * section-number context ("v1.2.3.4", "version 10.0.0.1", "section 1.2.3.4"), excluding the
 * unspecified, broadcast, loopback and netmask addresses and the factory-default router addresses
 * (192.168.0.1, 192.168.1.1 …: printed on the label of millions of home routers, they name no one's
 * network); other private addresses are still detected (they describe a person's network). IPv6: validated by node:net, at least three groups written out.
 */
import { isIPv6 } from 'node:net';
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { before, detectionAt } from './util';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?:/(?:3[0-2]|[12]?\\d))?(?![\\w]|\\.\\d)`, 'g');
const IPV6_RE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%[A-Za-z0-9]{1,16})?(?![\w:.])/g;
const VERSION_CUE = /(?:\bv|\bver\.?|version|release|rel\.?|build|firmware|fw|patch|update(?:d)? to|upgrade(?:d)? to|bump(?:ed)? to|tag|section|§|chapter|clause|article|step|rule|figure|fig\.|table|para(?:graph)?|oid|sdk|api level)\s*[:=]?\s*$/i;
const NOT_PERSONAL = new Set([
  '0.0.0.0',
  '255.255.255.255',
  '127.0.0.1',
  // Factory-default gateway addresses of home routers and modems (vendors' manuals).
  '192.168.0.1',
  '192.168.1.1',
  '192.168.0.254',
  '192.168.1.254',
  '192.168.2.1',
  '192.168.8.1',
  '192.168.10.1',
  '192.168.100.1',
  '192.168.178.1',
  '10.0.0.1',
  '10.0.0.138',
  '10.0.1.1',
  '10.1.1.1',
]);

/** Finds IPv4 and IPv6 addresses in normalized text, as [start, end) spans. */
export function findIps(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(IPV4_RE)) {
    const addr = m[0].split('/')[0];
    if (NOT_PERSONAL.has(addr) || /^255\.(?:255|254|252|248|240|224|192|128|0)\./.test(addr)) continue;
    if (VERSION_CUE.test(before(text, m.index, 24))) continue;
    out.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(IPV6_RE)) {
    const cand = m[0];
    const addr = cand.split('%')[0];
    if (!isIPv6(addr)) continue;
    const groups = addr.split(':').filter((g) => g.length > 0);
    if (groups.length < 3) continue; // "::1", "fe80::1", times, "a::b"
    if (!addr.includes('::') && groups.length < 8 && !addr.includes('.')) continue;
    out.push([m.index, m.index + cand.length]);
  }
  return out;
}

/** Detects IP addresses (category pii, placeholder IP). */
export const ipDetector: Detector = {
  name: 'ip',
  detect(n: NormalizedText): Detection[] {
    return findIps(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: n.text.slice(s, e).includes(':') ? 'ipv6' : 'ipv4', category: 'pii', score: 0.9, placeholderType: 'IP', reason: 'IP address' }),
    );
  },
};
