/**
 * @file Payment card detector: 13–19 digits, optionally grouped by single spaces or dashes,
 * accepted only when the Luhn checksum passes and the number starts with a known issuer prefix.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { before, detectionAt, luhnValid } from './util';

const CANDIDATE_RE = /(?<![\w./+-])(?<!\d,)(?:\d{13,19}|\d{2,6}(?:[ -]\d{1,7}){1,7})(?![\w]|[./-]\d|,\d{3}(?!\d))/g;
const NEGATIVE_CUE = /(?:order|invoice|tracking|isbn|ean|upc|gtin|imei|serial|iccid|account|acct|routing|transaction|txn|ref(?:erence)?)\s*(?:number|no\.?|#|id)?\s*[#:=]?\s*$/i;
const CARD_CUE = /(?:card|visa|mastercard|amex|discover|credit|debit|cc|pan|payment|pay|billing|checkout)\b/i;

/** Whether `digits` starts with a known issuer prefix and has a length that issuer uses. */
export function hasKnownIssuerPrefix(digits: string): boolean {
  const len = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4') return len === 13 || len === 16 || len === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return len === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) return len >= 16 && len <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39 || p3 === 309) return len >= 14 && len <= 19; // Diners
  if (p2 === 62 || p2 === 81) return len >= 16 && len <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return len >= 12 && len <= 19; // Maestro
  if (p4 >= 2200 && p4 <= 2204) return len === 16; // Mir
  return false;
}

/** Whether `digits` is a plausible card number: issuer prefix, length and Luhn. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && hasKnownIssuerPrefix(digits) && luhnValid(digits);
}

/** Finds card numbers in normalized text, as [start, end) spans. */
export function findCards(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(CANDIDATE_RE)) {
    const cand = m[0];
    const seps = cand.match(/[ -]/g);
    if (seps && new Set(seps).size > 1) continue; // mixed separators are not how cards are written
    // Groups; try the longest prefix of groups that forms a valid number ("4111 1111 1111 1111 2").
    const groups = cand.split(/[ -]/);
    let offset = 0;
    const ends: number[] = [];
    for (const g of groups) {
      offset += g.length;
      ends.push(offset);
      offset += 1;
    }
    for (let k = groups.length; k >= 1; k--) {
      const digits = groups.slice(0, k).join('');
      if (digits.length < 13 || digits.length > 19) continue;
      if (k > 1 && groups.slice(0, k).some((g) => g.length < 3 || g.length > 6)) continue;
      if (!isCardNumber(digits)) continue;
      const start = m.index;
      const pre = before(text, start, 30);
      if (NEGATIVE_CUE.test(pre) && !CARD_CUE.test(pre)) break;
      out.push([start, start + ends[k - 1]]);
      break;
    }
  }
  return out;
}

/** Detects payment card numbers (category pii, placeholder CARD). */
export const cardDetector: Detector = {
  name: 'card',
  detect(n: NormalizedText): Detection[] {
    return findCards(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'card', category: 'pii', score: 0.98, placeholderType: 'CARD', reason: 'Payment card number (Luhn valid)' }),
    );
  },
};
