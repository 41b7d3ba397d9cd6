/**
 * @file US Social Security number detector. NNN-NN-NNNN is accepted when the area (not 000, 666 or
 * 900–999), group (not 00) and serial (not 0000) are valid; the same digits separated by spaces or
 * written as a bare 9-digit run need an SSN cue word just before them.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { before, detectionAt } from './util';

const DASHED_RE = /(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w]|-\d)/g;
const SPACED_OR_BARE_RE = /(?<![\w-])(\d{3})( ?)(\d{2})\2(\d{4})(?![\w-])/g;
const SSN_CUE = /(?:\bssn|\bss#|social security|soc\.? ?sec\.?|\bsocial\b|\bsin\b|taxpayer id|\btin\b|\bw-?2\b)[^\n]{0,30}$/i;
const NEGATIVE_CUE = /(?:order|invoice|ticket|case|ref(?:erence)?|tracking|serial|part|model|sku|isbn|phone|tel|fax|call|mobile|account|routing|zip)\s*(?:number|no\.?|#)?\s*[#:=]?\s*$/i;

/** Whether area, group and serial form a valid SSN (per SSA rules since 2011). */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  // Well-known invalid examples printed on sample cards and in documentation.
  if (`${area}${group}${serial}` === '078051120' || `${area}${group}${serial}` === '219099999') return false;
  return true;
}

/** Finds SSNs in normalized text, as [start, end) spans. */
export function findSsns(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(DASHED_RE)) {
    if (!isValidSsn(m[1], m[2], m[3])) continue;
    const pre = before(text, m.index, 30);
    if (NEGATIVE_CUE.test(pre) && !SSN_CUE.test(pre)) continue;
    out.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(SPACED_OR_BARE_RE)) {
    if (!isValidSsn(m[1], m[3], m[4])) continue;
    if (!SSN_CUE.test(before(text, m.index, 40))) continue;
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** Detects US SSNs (category pii, placeholder SSN). */
export const ssnDetector: Detector = {
  name: 'ssn',
  detect(n: NormalizedText): Detection[] {
    return findSsns(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'ssn', category: 'pii', score: 0.95, placeholderType: 'SSN', reason: 'US Social Security number' }),
    );
  },
};
