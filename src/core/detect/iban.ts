/**
 * @file IBAN detector: country code, check digits and BBAN, with or without spaces, accepted only
 * when the length matches the country's registered IBAN length and the ISO 13616 mod-97 check passes.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { detectionAt } from './util';

/** IBAN length per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19,
  SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
  // Countries using IBAN-format numbers outside the SWIFT registry (national or partial adoption).
  AO: 25, BF: 28, BJ: 28, CF: 27, CG: 27, CI: 28, CM: 27, CV: 25, DZ: 26, GA: 27, GQ: 27, GW: 25, HN: 28, IR: 26,
  KM: 27, MA: 28, MG: 27, ML: 28, MZ: 25, NE: 28, SN: 28, TD: 27, TG: 28,
};

/** ISO 13616 mod-97 check of a compact upper-case IBAN. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

const CANDIDATE_RE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,32}/g;

/** Finds IBANs in normalized text, as [start, end) spans. */
export function findIbans(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(CANDIDATE_RE)) {
    const country = m[0].slice(0, 2);
    const len = IBAN_LENGTHS[country];
    if (len === undefined) continue;
    // Walk the candidate taking exactly `len` alphanumerics (single spaces allowed between).
    let compact = '';
    let i = 0;
    const cand = m[0];
    while (i < cand.length && compact.length < len) {
      if (cand[i] !== ' ') compact += cand[i];
      i++;
    }
    if (compact.length !== len) continue;
    const end = m.index + i;
    if (/[A-Za-z0-9]/.test(text[end] ?? '')) continue;
    if (!ibanChecksumValid(compact)) continue;
    out.push([m.index, end]);
  }
  return out;
}

/** Detects IBANs (category pii, placeholder IBAN). */
export const ibanDetector: Detector = {
  name: 'iban',
  detect(n: NormalizedText): Detection[] {
    return findIbans(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'iban', category: 'pii', score: 0.99, placeholderType: 'IBAN', reason: 'IBAN (mod-97 valid)' }),
    );
  },
};
