/**
 * @file Identity and account number detector (passport, driver's licence, national ID, NHS / SIN /
 * tax numbers, medical record and patient numbers, employee / member / student / policy / customer
 * IDs, account numbers). A number is personal data only when a cue says what it is:
 * - a label right before it: "passport no. K81862702", "MRN: 00412345", "DNI 12345678Z",
 *   "codice fiscale RSSMRA85T10A562S", "charge on my card A2301672", "call me at 0612 44 93 10";
 * - a contact label right after it on its line: "710-67-5461 office", "H6071894 mobile";
 * - angle brackets after a name in a From:/To: header: "From: Dr. Russo <P69358612>".
 * The token is 5–34 characters of letters, digits and hyphens (single spaces inside grouped
 * numbers), with at least two digits (six after looser cues such as "card" or "transfer from").
 * Order, invoice, ticket and tracking numbers, versions and error codes have no cue and stay; a
 * number shaped like a card or an IBAN is left to the checksum validators (card.ts, iban.ts).
 * Reuses the analyzer's `other_pii` kind and the PII placeholder.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { IBAN_LENGTHS } from './iban';
import { detectionAt, digitCount, mergeOverlapping } from './util';

/** Labels that name an identity document or a personal identifier; at least two digits follow. */
const STRONG_LABELS = [
  // Identity documents.
  String.raw`passport(?:[ \t]*(?:no|nr|num|number|id|#))?`,
  String.raw`driver'?s?[ \t]+licen[cs]e(?:[ \t]*(?:no|nr|num|number|id|#))?`,
  String.raw`driving[ \t]+licen[cs]e(?:[ \t]*(?:no|nr|num|number|#))?`,
  String.raw`licen[cs]e[ \t]*(?:no|nr|num|number|#)`,
  String.raw`national[ \t]+(?:id(?:entity)?|insurance)(?:[ \t]+(?:card|number|no|nr))?`,
  String.raw`identity[ \t]+(?:card|document|number)(?:[ \t]+(?:number|no|nr))?`,
  String.raw`id[ \t]*(?:card|number|no|nr|#)(?:[ \t]+(?:number|no|nr))?`,
  String.raw`identification[ \t]+(?:number|no|nr|#)`,
  String.raw`personal[ \t]+(?:id|identity|identification)[ \t]+(?:number|no|code)`,
  String.raw`(?:social[ \t]+insurance|social[ \t]+security|nhs|health[ \t]+(?:card|insurance|service))[ \t]+(?:number|no|nr|#|id)`,
  String.raw`tax[ \t]+(?:id(?:entification)?|file|reference|code|payer[ \t]+id)(?:[ \t]+(?:number|no|nr))?`,
  String.raw`taxpayer[ \t]+(?:id|number)`,
  String.raw`(?:medical[ \t]+record|patient|hospital|health[ \t]+record|chart)[ \t]*(?:number|no|nr|id|#)`,
  String.raw`(?:employee|staff|personnel|payroll|member(?:ship)?|student|matriculation|customer|client|subscriber|insurance|insured|policy|benefits?|badge|voter|pension|beneficiary|loyalty)[ \t]*(?:number|no|nr|num|id|#|code)`,
  String.raw`(?:bank[ \t]+)?(?:account|acct|a\/c)[ \t]*(?:number|no|nr|num|#|id)`,
  String.raw`(?:bank|savings|checking|current)[ \t]+account`,
  String.raw`iban`,
  String.raw`(?:credit|debit|bank|payment)[ \t]+card(?:[ \t]*(?:number|no|nr|num|#))?`,
  String.raw`card[ \t]*(?:number|no|nr|num|#)`,
  // French, German, Spanish, Italian, Dutch, Portuguese.
  String.raw`num[ée]ro[ \t]+(?:de[ \t]+)?(?:passeport|s[ée]curit[ée][ \t]+sociale|fiscal|d'identit[ée]|client|de[ \t]+compte)`,
  String.raw`passeport`,
  String.raw`carte[ \t]+(?:d'identit[ée]|vitale)`,
  String.raw`reisepass(?:nummer)?`,
  String.raw`personalausweis(?:nummer)?`,
  String.raw`ausweis(?:nummer)?`,
  String.raw`steuer[ \t-]*(?:id|identifikationsnummer|nummer)`,
  String.raw`sozialversicherungsnummer`,
  String.raw`versichertennummer`,
  String.raw`kontonummer`,
  String.raw`f[üu]hrerschein(?:nummer)?`,
  String.raw`(?:n[úu]mero[ \t]+de[ \t]+)?pasaporte`,
  String.raw`(?:n[úu]mero[ \t]+de[ \t]+)?(?:la[ \t]+)?seguridad[ \t]+social`,
  String.raw`codice[ \t]+fiscale`,
  String.raw`(?:numero[ \t]+(?:di[ \t]+|del[ \t]+)?)?passaporto`,
  String.raw`carta[ \t]+d'identit[àa]`,
  String.raw`tessera[ \t]+sanitaria`,
  String.raw`burgerservicenummer`,
  String.raw`paspoortnummer`,
  String.raw`n[úu]mero[ \t]+de[ \t]+(?:identifica[çc][ãa]o|contribuinte)`,
];

/** Upper-case abbreviations, case-sensitive ("SIN", not "sin(x)"); "DL" needs a number word after it. */
const ACRONYM_LABELS = String.raw`NHS|NIN|NINO|SIN|TIN|ITIN|MRN|DNI|NIE|NIF|CURP|CPF|BSN|PPSN|PESEL|SSN|(?:DL|ID)[ \t]*(?:no|No|NO|nr|#|number)|NI[ \t]+(?:number|no)`;

/** Looser cues: a card or account in passing, money moved between accounts, a contact field; six digits needed. */
const WEAK_LABELS = [
  String.raw`card`,
  String.raw`account`,
  String.raw`transfer(?:red|ring|s)?[ \t]+(?:money[ \t]+)?(?:from|to|into)(?:[ \t]+(?:my|the|account))?`,
];
/** Contact fields: what follows is personal data, but a phone-shaped number is the phone detector's. */
const CONTACT_LABELS = [
  String.raw`(?:e-?mail|phone|mobile|cell|telephone|tel|fax|whatsapp|contact)(?:[ \t]+(?:number|no|address))?`,
  String.raw`(?:call|reach|text|phone|contact|ring)[ \t]+(?:me|us|him|her|them)[ \t]+(?:at|on)`,
];

/** What may stand between a label and the number: ":", "#", "is" (es, est, ist, è), "no.", "?", "=", "|", a line break after a colon. */
const SEP = String.raw`(?:[ \t]*(?:[:#=?|]|-|–|\(|\bis\b|\bwas\b|\breads\b|\bes\b|\best\b|\bist\b|\blautet\b|è|é|n[º°o]\.|no\.|nr\.|num\.|\bnumber\b)[ \t]*\n?[ \t]*|[ \t]+){1,4}`;

/** A number: letters, digits and hyphens / slashes, then more digit-led groups after single spaces. */
const TOKEN = String.raw`\+?[A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){0,33}(?:[ ](?=[0-9])[0-9A-Za-z]{1,8}(?:-[0-9A-Za-z]{1,8})*){0,7}`;

const LABEL_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?<strong>${STRONG_LABELS.join('|')})|(?<weak>${WEAK_LABELS.join('|')})|(?<contact>${CONTACT_LABELS.join('|')}))(?![\p{L}])${SEP}(?<tok>${TOKEN})`,
  'giu',
);
const ACRONYM_RE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${ACRONYM_LABELS})(?![\p{L}])${SEP}(?<tok>${TOKEN})`, 'gu');
/** "710-67-5461 office", "H6071894 mobile": a contact label right after the number, ending its line. */
const TRAILING_RE = new RegExp(
  String.raw`(?:^|(?<=[\s,;:(|])|(?<=\\[nt]))(?<tok>${TOKEN})[ \t]+\(?(?:office|fax|mobile|cell|home|work|direct|tel|phone|landline|whatsapp)\)?[ \t]*(?=$|\n|\\n|[,;|])`,
  'gmu',
);
/** "From: Dr. Russo <P69358612>": a number in angle brackets after a name in a mail header. */
const HEADER_RE = new RegExp(String.raw`^[ \t]*(?:from|to|cc|bcc|reply-to|sender)[ \t]*:[^\n<>]{1,80}<[ \t]*(?<tok>${TOKEN})[ \t]*>`, 'gimu');

/** Dates, times, amounts and versions are not identifiers. */
const NOT_ID = /^(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}|v?\d+(?:\.\d+)+|\d{1,3}(?:,\d{3})+|(?:19|20)\d{2}(?:[-/](?:19|20)?\d{2})?)$/i;

type Span = [number, number];

/**
 * Whether a compact token has the exact shape of a payment card (13–19 digits) or of an IBAN
 * (country code, check digits, registered length). Those shapes belong to the card and IBAN
 * validators: a number that fails their checksum is a look-alike and stays.
 */
function looksLikeCardOrIban(compact: string): boolean {
  if (/^\d{13,19}$/.test(compact)) return true;
  const cc = /^([A-Z]{2})\d{2}[A-Z0-9]+$/.exec(compact.toUpperCase());
  return cc !== null && IBAN_LENGTHS[cc[1]!] === compact.length;
}

/** Trims a token to the identifier: no trailing hyphen or slash, no trailing lower-case word group. */
function trimToken(tok: string): string {
  let t = tok.replace(/[-/]+$/, '');
  // A trailing group of letters only after a space is a word, not part of the number ("12345678 to").
  t = t.replace(/(?: [A-Za-z]+)+$/, '');
  return t;
}

/** A number written like a phone number: digits, spaces, "+", "-", brackets and dots only. */
const PHONE_SHAPED = /^\+?[\d (). -]+$/;

function accept(text: string, start: number, raw: string, minDigits: number, out: Span[], contact = false): void {
  const tok = trimToken(raw);
  if (contact && PHONE_SHAPED.test(tok)) return;
  const end = start + tok.length;
  const compact = tok.replace(/[ \-/]/g, '');
  if (compact.length < 5 || compact.length > 34) return;
  if (digitCount(compact) < minDigits) return;
  if (NOT_ID.test(tok)) return;
  if (looksLikeCardOrIban(compact)) return;
  // Part of an e-mail address, a URL, a file name or a decimal number.
  if (/^(?:@|\.[A-Za-z0-9]|,\d|[A-Za-z0-9])/.test(text.slice(end, end + 2))) return;
  if (/[@.]$/.test(text.slice(Math.max(0, start - 1), start)) && !/\bno\.$|\bnr\.$/i.test(text.slice(Math.max(0, start - 4), start))) return;
  // A word with a digit or two inside ("Win10", "mp3player") is not an identifier after a loose cue.
  if (minDigits < 6 && /^[A-Za-z]{4,}\d{1,2}$/.test(compact)) return;
  out.push([start, end]);
}

/** Finds cued identity and account numbers in normalized text, as [start, end) spans. */
export function findIdNumbers(text: string): Span[] {
  if (digitCount(text) < 2) return [];
  const out: Span[] = [];
  for (const m of text.matchAll(LABEL_RE)) {
    const tok = m.groups!.tok!;
    accept(text, m.index + m[0].length - tok.length, tok, m.groups!.strong !== undefined ? 2 : 6, out, m.groups!.contact !== undefined);
  }
  for (const m of text.matchAll(ACRONYM_RE)) {
    const tok = m.groups!.tok!;
    accept(text, m.index + m[0].length - tok.length, tok, 2, out);
  }
  for (const m of text.matchAll(TRAILING_RE)) {
    const tok = m.groups!.tok!;
    accept(text, m.index + m[0].indexOf(tok), tok, 6, out, true);
  }
  for (const m of text.matchAll(HEADER_RE)) {
    const tok = m.groups!.tok!;
    accept(text, m.index + m[0].lastIndexOf(tok), tok, 6, out);
  }
  return mergeOverlapping(out);
}

/** Detects cued identity and account numbers (category pii, kind other_pii, placeholder PII). */
export const idNumberDetector: Detector = {
  name: 'id_number',
  detect(n: NormalizedText): Detection[] {
    return findIdNumbers(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'other_pii', category: 'pii', score: 0.85, placeholderType: 'PII', reason: 'Identity or account number' }),
    );
  },
};
