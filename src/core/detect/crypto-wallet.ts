/**
 * @file Cryptocurrency wallet address detector: Bitcoin legacy/P2SH (base58check, checksum
 * verified), Bitcoin SegWit/Taproot (bech32/bech32m, checksum verified) and Ethereum (0x + 40 hex).
 * Addresses whose checksum fails (typos, generated test data) are still reported with a lower score
 * when their shape is unmistakable: a wallet cue word nearby, or a random-looking base58 string of
 * address length, or a full-length lower-case bech32 string.
 */
import { createHash } from 'node:crypto';
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { before, detectionAt, shannonEntropy } from './util';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const LEGACY_RE = /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const BECH32_RE = /(?<![A-Za-z0-9])(?:bc1|tb1)[02-9ac-hj-np-z]{8,87}(?![A-Za-z0-9])/gi;
const ETH_RE = /(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![A-Za-z0-9])/g;
const WALLET_CUE = /(?:btc|bitcoin|wallet|address|addr|send|pay|receive|deposit|withdraw|crypto|satoshi|sats|eth|ethereum|ether|metamask|erc-?20|usdt|usdc|token|coin|tip)/i;

function base58Decode(s: string): Uint8Array | null {
  const bytes: number[] = [0];
  for (const ch of s) {
    const v = BASE58.indexOf(ch);
    if (v < 0) return null;
    let carry = v;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i] * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const ch of s) {
    if (ch !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

/** Base58Check validation of a Bitcoin legacy (1…) or P2SH (3…) address. */
export function isValidBase58Address(s: string): boolean {
  const raw = base58Decode(s);
  if (!raw || raw.length !== 25) return false;
  const payload = raw.subarray(0, 21);
  const sum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  return sum[0] === raw[21] && sum[1] === raw[22] && sum[2] === raw[23] && sum[3] === raw[24];
}

function bech32Polymod(values: number[]): number {
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i];
  }
  return chk >>> 0;
}

/** Bech32 / bech32m checksum validation of a SegWit address (bc1…, tb1…). */
export function isValidBech32Address(s: string): boolean {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return false;
  const lower = s.toLowerCase();
  const pos = lower.lastIndexOf('1');
  const hrp = lower.slice(0, pos);
  const data: number[] = [];
  for (const ch of lower.slice(pos + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
  const pm = bech32Polymod([...expanded, ...data]);
  return pm === 1 || pm === 0x2bc830a3;
}

type Hit = { start: number; end: number; score: number; kind: string };

/** Finds wallet addresses in normalized text. */
export function findWallets(text: string): Hit[] {
  const out: Hit[] = [];
  const cue = (i: number): boolean => WALLET_CUE.test(before(text, i, 60));
  for (const m of text.matchAll(LEGACY_RE)) {
    if (isValidBase58Address(m[0])) out.push({ start: m.index, end: m.index + m[0].length, score: 0.98, kind: 'btc_address' });
    else if (/[A-Z]/.test(m[0]) && /[a-z]/.test(m[0]) && (cue(m.index) || shannonEntropy(m[0]) >= 4)) {
      out.push({ start: m.index, end: m.index + m[0].length, score: cue(m.index) ? 0.75 : 0.6, kind: 'btc_address' });
    }
  }
  for (const m of text.matchAll(BECH32_RE)) {
    if (isValidBech32Address(m[0])) out.push({ start: m.index, end: m.index + m[0].length, score: 0.98, kind: 'btc_address' });
    else if (m[0] === m[0].toLowerCase() && (m[0].length === 42 || m[0].length === 62 || (cue(m.index) && m[0].length >= 26))) {
      out.push({ start: m.index, end: m.index + m[0].length, score: cue(m.index) ? 0.75 : 0.65, kind: 'btc_address' });
    }
  }
  for (const m of text.matchAll(ETH_RE)) {
    out.push({ start: m.index, end: m.index + m[0].length, score: cue(m.index) ? 0.95 : 0.8, kind: 'eth_address' });
  }
  return out;
}

/** Detects crypto wallet addresses (category pii, placeholder CRYPTO). */
export const cryptoWalletDetector: Detector = {
  name: 'crypto_wallet',
  detect(n: NormalizedText): Detection[] {
    return findWallets(n.text).map((h) =>
      detectionAt(n, h.start, h.end, { kind: h.kind, category: 'pii', score: h.score, placeholderType: 'CRYPTO', reason: 'Cryptocurrency wallet address' }),
    );
  },
};
