/**
 * @file Phone number detector. Candidates are found with one bounded regex, filtered by context
 * guards (prices, versions, dates, times, order/ticket numbers, ISBNs, card numbers), then
 * validated with libphonenumber-js (full metadata) against international format and a list of
 * default countries. A number that is only "possible" (right length, unassigned range) is kept
 * when it is unmistakably written as a phone number or a phone cue word is next to it.
 */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { isCardNumber } from './card';
import { after, before, detectionAt } from './util';

/** Countries tried, in order, for numbers written without an international prefix. */
export const DEFAULT_PHONE_COUNTRIES: readonly CountryCode[] = [
  'US', 'GB', 'DE', 'FR', 'IN', 'ES', 'IT', 'NL', 'CA', 'AU', 'BR', 'MX', 'CH', 'AT', 'BE', 'IE', 'PL', 'SE', 'PT', 'JP',
];

// '+' or '00', an optional "(area)", digit groups separated by single spaces, dots, dashes or
// slashes, and an optional extension. Quantifiers are bounded, so matching is linear.
const SEP = String.raw`(?:[ \u00a0]?[-./][ \u00a0]?|[ \u00a0]|\)[ \u00a0]?|[ \u00a0]?\()`;
const CANDIDATE_RE = new RegExp(
  String.raw`(?<![\w+#$€£¥@/.-])(?<!\d,)(?:\+[ ]?)?(?:\(\d{1,5}\)[ \u00a0]?)?\d{1,15}(?:${SEP}\d{1,12}){0,7}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?(?![\w@]|[.:/-]\d|,\d{3}(?!\d))`,
  'g',
);

const PHONE_CUE = /\b(?:phone|tel(?:ephone)?|mobile|mob|cell(?:phone)?|call(?:ed|ing)?|ring|dial|text(?: me)?|sms|whats ?app|signal|fax|hotline|contact|reach(?: me| him| her| us)?|number|no\.|nr\.?|telefon|handy|t[ée]l[ée]phone|portable|m[óo]vil|cellulare|telefono|celular|ph)\b[^\n\d]{0,30}$/i;
const NEGATIVE_CUE = /\b(?:order|invoice|inv|ticket|case|ref(?:erence)?|isbn(?:-1[03])?|ssn|social security|issn|sku|tracking|serial|part|model|build|version|ver|v|po|item|transaction|txn|confirmation|booking|receipt|policy|claim|patent|doi|cve|account|acct|routing|customer|member|employee|badge|id|pnr|batch|lot|page|pages|pp|chapter|section|room|flight|ean|upc|gtin|asin|rev|kb|error|code|pid|port|zip|postcode|postal code)\s*(?:number|no\.?|nr\.?|num|#|id)?\s*[#:=.]?\s*$/i;
const UNIT_AFTER = /^\s?(?:%|percent|kg|g\b|mg|lb|lbs|km|m\b|cm|mm|mi|miles|ft|in\b|gb|mb|kb|tb|ms|s\b|sec|min|hrs?|hours|days|years|yrs|usd|eur|gbp|inr|dollars|euros|units|items|pcs|people|users|rows|views|times|px|dpi|mah|w\b|kw|v\b|hz|mhz|ghz|°)/i;
const CURRENCY_BEFORE = /(?:[$€£¥₹]|usd|eur|gbp|inr|chf|rs\.?|price|cost|total|amount)\s?$/i;

const DATE_SHAPES = [
  /^\d{4}[-/. ]\d{1,2}[-/. ]\d{1,2}$/,
  /^\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}$/,
  /^\d{4}\s?[-/]\s?\d{2,4}$/, // year ranges, fiscal years
  /^\d{1,2}[/.-]\d{4}$/,
];

function isDateLike(c: string): boolean {
  return DATE_SHAPES.some((re) => re.test(c));
}

/** Shapes that are only ever written by people meaning a phone number. */
function isPhoneShaped(c: string): boolean {
  return (
    /^\+\d/.test(c) ||
    /^(?:\+\d{1,3}[ .-]?)?\(\d{2,5}\)[ .-]?\d/.test(c) ||
    /^\d{3}[-. ]\d{3}[-. ]\d{4}(?:\s?(?:x|ext\.?)\s?\d+)?$/.test(c) ||
    /^0\d{1,4}[ /-]\d{3,8}(?:[ -]\d{2,5}){0,2}$/.test(c) ||
    /^0\d(?:[ .-]\d{2}){4}$/.test(c)
  );
}

function isIsbnLike(digits: string): boolean {
  if (digits.length !== 13 || !/^97[89]/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 48;
}

/**
 * Whether a bare run of digits is written the way a national number of one of the main countries is
 * (US/CA 10 digits not starting with 1, or 1 + 10; GB/DE/FR with the trunk 0; Indian mobiles).
 * Unix timestamps and ids (which start with 1 or have no trunk prefix) fail this.
 */
function isBareNationalNumber(digits: string, country: string | undefined): boolean {
  switch (country) {
    case 'US':
    case 'CA':
      return /^(?:1)?[2-9]\d{9}$/.test(digits);
    case 'GB':
    case 'DE':
    case 'FR':
      return digits.startsWith('0');
    case 'IN':
      return /^[6-9]\d{9}$/.test(digits);
    default:
      return false;
  }
}

/** A hyphenated ISBN-10 (four groups, valid mod-11 check digit). */
function isIsbn10(c: string): boolean {
  if (!/^\d{1,5}-\d{1,7}-\d{1,7}-[\dX]$/.test(c)) return false;
  const d = c.replace(/-/g, '');
  if (d.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (d[i] === 'X' ? 10 : Number(d[i])) * (10 - i);
  return sum % 11 === 0;
}

type Parsed = { valid: boolean; number: PhoneNumber };

function parseCandidate(c: string): Parsed | null {
  const intl = c.startsWith('+') || c.startsWith('00');
  if (intl) {
    const p = parsePhoneNumberFromString(c.startsWith('00') ? `+${c.slice(2)}` : c);
    if (p) return { valid: p.isValid(), number: p };
    return null;
  }
  let possible: PhoneNumber | null = null;
  for (const country of DEFAULT_PHONE_COUNTRIES) {
    const p = parsePhoneNumberFromString(c, country);
    if (!p) continue;
    if (p.isValid()) return { valid: true, number: p };
    if (possible === null && p.isPossible()) possible = p;
  }
  return possible ? { valid: false, number: possible } : null;
}

/** Finds phone numbers in normalized text; returns spans and scores. */
export function findPhones(text: string): Array<{ start: number; end: number; score: number }> {
  const out: Array<{ start: number; end: number; score: number }> = [];
  for (const m of text.matchAll(CANDIDATE_RE)) {
    let cand = m[0];
    let start = m.index;
    // A leading "(" that the regex did not close belongs to the surrounding prose.
    if (cand.startsWith('(') && !/^\(\d{1,5}\)/.test(cand)) {
      cand = cand.slice(1);
      start++;
    }
    cand = cand.replace(/[ .\u00a0/(-]+$/, '');
    const end = start + cand.length;
    const core = cand.replace(/\s?(?:x|ext\.?|extension)\s?\d+$/i, '');
    const digits = core.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    const pre = before(text, start, 40);
    const post = after(text, end, 12);
    const cue = PHONE_CUE.test(pre);
    // An id-like word right before the number ("order 4155550132") means an id, unless the number is
    // written unmistakably as a phone ("customer (415) 867-5309", "member +44 20 7946 0958") and no
    // explicit id marker ("#", "no.", "number", "id") stands right before it.
    const strongShape = /^\+|^\(\d{2,5}\)\s?\d/.test(core);
    if (NEGATIVE_CUE.test(pre) && !(strongShape && !/(?:#|\bno\.?|\bnr\.?|\bnum(?:ber)?|\bid)\s*[:=.]?\s*$/i.test(pre))) continue;
    if (CURRENCY_BEFORE.test(pre) || UNIT_AFTER.test(post)) continue;
    if (/^\.\d|^,\d{1,3}(?!\d)/.test(post) || /[:]\s?$/.test(pre) && /^\d{1,2}$/.test(pre.slice(-3).trim())) continue;
    if (/^\d+\.\d+$/.test(core)) continue; // a decimal number
    // Arithmetic and scores ("72-68-70-69=279", "3 + 4 = 7"), and runs of single digits (an array
    // printed by a program: "0 7 3 4 5 7 5 0 3 4"), are not written by anyone meaning a phone.
    if (/[=<>+*×÷]\s?$/.test(pre) || /^\s?[=<>*×÷]/.test(post)) continue;
    if (!core.startsWith('+') && (core.match(/(?:^|\D)\d(?=\D|$)/g) ?? []).length >= 3) continue;
    if (isDateLike(core) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(core) || /^\d{1,2}\.\d{1,3}\.\d+/.test(core)) continue;
    if (isIsbnLike(digits) || isIsbn10(core)) continue;
    if (/^\d{3}-\d{2}-\d{4}$/.test(core)) continue; // the shape of a US SSN, not of a phone number
    if (!core.startsWith('+') && isCardNumber(digits)) continue; // a card; the card detector decides
    if (/^\d{1,3}(?:,\d{3})+$/.test(core)) continue;
    const parsed = parseCandidate(core);
    if (!parsed) continue;
    const shaped = isPhoneShaped(core);
    const separated = /[ .\-/()]/.test(core);
    if (parsed.valid) {
      // A bare run of digits (ids, timestamps) is a phone only with a cue, an international
      // prefix, or as a valid number of one of the main countries.
      if (!separated && !cue && !core.startsWith('+') && !isBareNationalNumber(digits, parsed.number.country)) continue;
      out.push({ start, end, score: cue || shaped ? 0.97 : 0.9 });
    } else if (shaped || (cue && separated)) {
      out.push({ start, end, score: cue ? 0.8 : 0.7 });
    }
  }
  return out;
}

/** Detects phone numbers (category pii, placeholder PHONE). */
export const phoneDetector: Detector = {
  name: 'phone',
  detect(n: NormalizedText): Detection[] {
    if (!/\d{2}/.test(n.text)) return [];
    return findPhones(n.text).map((p) =>
      detectionAt(n, p.start, p.end, { kind: 'phone', category: 'pii', score: p.score, placeholderType: 'PHONE', reason: 'Phone number' }),
    );
  },
};
