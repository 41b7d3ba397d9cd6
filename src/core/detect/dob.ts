/**
 * @file Date-of-birth detector. A date is a date of birth only when a birth cue stands right before
 * it ("born", "DOB", "date of birth", "birthday", "b.", "né(e) le", "geboren am", "fecha de
 * nacimiento", "nato il", "data di nascita", …) or right after it ("(DOB)", "(born)"). Dates without
 * such a cue (meetings, releases, invoices) are left alone. Formats: 03/04/1985, 1985-04-03,
 * 03.04.1985, 3 April 1985, April 3rd, 1985, the 3rd of April 1985, 3. April 1985, 3 de abril de 1985,
 * 3 avril 1985, 3 aprile 1985 (month names in English, German, French, Spanish, Italian, Dutch,
 * Portuguese), and a day and month without a year after "birthday" or "born on".
 * Reuses the analyzer's `date_of_birth` kind and the DOB placeholder.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { detectionAt } from './util';

const MONTH_NAMES: Array<[string, number]> = [];
const MONTH_WORDS = [
  // English, German, French, Spanish, Italian, Dutch, Portuguese (accents optional where people drop them).
  ['january jan janvier januar jänner enero gennaio januari janeiro', 1],
  ['february feb february februar fevrier février febrero febbraio februari fevereiro', 2],
  ['march mar märz maerz mars marzo maart março marco', 3],
  ['april apr avril abril aprile', 4],
  ['may mai mayo maggio mei maio', 5],
  ['june jun juni juin junio giugno junho', 6],
  ['july jul juli juillet julio luglio julho', 7],
  ['august aug aout août agosto augustus', 8],
  ['september sep sept septembre septiembre setiembre settembre setembro', 9],
  ['october oct oktober octobre octubre ottobre outubro okt', 10],
  ['november nov novembre noviembre novembro', 11],
  ['december dec dezember décembre decembre diciembre dicembre dezembro dez', 12],
] as const;
for (const [names, m] of MONTH_WORDS) for (const n of names.split(' ')) MONTH_NAMES.push([n, m]);
const MONTH_OF = new Map(MONTH_NAMES);
const MONTH = `(?:${[...new Set(MONTH_NAMES.map(([n]) => n))].sort((a, b) => b.length - a.length).join('|')})\\.?`;
const DAY = String.raw`(?:3[01]|[12]\d|0?[1-9])(?!\d)`;
const ORD = String.raw`(?:st|nd|rd|th|er|º|°|\.)?`;
const YEAR = String.raw`(?:\d{4}|'\d{2}|\d{2})`;

/** Date expressions; named groups let the validator read day, month and year. */
const DATE_RE = new RegExp(
  [
    // 1985-04-03, 1985/4/3, 1985.04.03
    String.raw`(?<iy>(?:19|20)\d{2})[-/.](?<im>0?[1-9]|1[0-2])[-/.](?<id>${DAY})`,
    // 03/04/1985, 3-4-85, 03.04.1985 (day/month order ambiguous; both must be valid)
    String.raw`(?<na>\d{1,2})(?<sep>[-/.])(?<nb>\d{1,2})\k<sep>(?<ny>\d{4}|\d{2})`,
    // 3 April 1985, 3rd of April, 1985, 3. April 1985, 3 de abril de 1985, the 3rd of April 1985
    String.raw`(?<dd>${DAY})${ORD}\s?(?:of\s|de\s)?(?<dm>${MONTH})(?:,?\s(?:de\s|del\s)?(?<dy>${YEAR}))?`,
    // April 3rd, 1985 / Apr 3 1985 / April 3
    String.raw`(?<mm>${MONTH})\s(?:the\s)?(?<md>${DAY})${ORD}(?:,?\s(?<my>${YEAR}))?`,
  ].join('|'),
  'giu',
);

/** Birth cues that end right before the date (lower-cased text; up to ~25 filler characters between). */
const CUE_BEFORE = new RegExp(
  String.raw`(?:\bborn\b|\bdob\b|\bd\.o\.b\.?|date of birth|birth ?date|\bbirthday\b|\bb\.|\bn[ée]e?(?=[\s:(])|date de naissance|\bgeboren\b|\bgeb\.|geburtsdatum|geburtstag|fecha de nacimiento|\bnacid[oa]\b|\bnato\b|\bnata\b|data di nascita|data de nascimento|\bgeboortedatum\b|\bgeboren op\b|\bdate naiss)` +
    String.raw`[^\n.;!?]{0,25}?(?:\s|:|\(|\b)$`,
  'i',
);
/** A cue right after the date: "1985-04-03 (DOB)", "12/5/1990 — her birthday". */
const CUE_AFTER = /^\s*(?:\(|,|-|–|—)?\s*(?:dob|d\.o\.b|date of birth|birthday|born|geburtsdatum|date de naissance|fecha de nacimiento)\b/i;
/** Words between the cue and the date that show the date is about something else. */
const BREAK_BEFORE = /\b(?:since|until|till|from|member|joined|hired|started|married|died|deceased|passed|appointment|meeting|due|expires?|expiry|issued|valid|registered|moved|visit(?:ed)?|admitted|discharged|signed|paid|ordered|shipped)\b[^]*$/i;

const THIS_YEAR = new Date().getFullYear();

function fullYear(y: string): number {
  const t = y.replace("'", '');
  if (t.length === 4) return Number(t);
  const n = Number(t);
  return n + (n <= THIS_YEAR % 100 ? 2000 : 1900);
}

function validDay(d: number, m: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Whether a matched date is a plausible calendar date of birth (year 1900..this year). */
function plausible(g: Record<string, string | undefined>): { ok: boolean; hasYear: boolean } {
  const yearOk = (y: string | undefined) => y === undefined || (fullYear(y) >= 1900 && fullYear(y) <= THIS_YEAR);
  if (g.iy) return { ok: validDay(Number(g.id), Number(g.im)) && yearOk(g.iy), hasYear: true };
  if (g.na) {
    const a = Number(g.na);
    const b = Number(g.nb);
    return { ok: (validDay(a, b) || validDay(b, a)) && yearOk(g.ny), hasYear: true };
  }
  if (g.dm) {
    const m = MONTH_OF.get(g.dm.toLowerCase().replace(/\.$/, ''));
    return { ok: m !== undefined && validDay(Number(g.dd), m) && yearOk(g.dy), hasYear: g.dy !== undefined };
  }
  if (g.mm) {
    const m = MONTH_OF.get(g.mm.toLowerCase().replace(/\.$/, ''));
    return { ok: m !== undefined && validDay(Number(g.md), m) && yearOk(g.my), hasYear: g.my !== undefined };
  }
  return { ok: false, hasYear: false };
}

/** Finds dates of birth in normalized text, as [start, end) spans of the date expression. */
export function findDatesOfBirth(text: string): Array<[number, number]> {
  if (!/\d/.test(text)) return [];
  const lower = text.toLowerCase();
  if (!/born|dob|d\.o\.b|birth|\bb\.|n[ée]e?\s|naiss|geb|nacid|nacimiento|nato|nata|nascita|nascimento|geboorte/.test(lower)) return [];
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(DATE_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    // Not part of a longer number, version or code.
    if (/[\p{L}\p{N}]$|\d[/.-]$/u.test(text.slice(Math.max(0, start - 2), start))) continue;
    if (/^[\p{L}\p{N}]|^[/.-]\d/u.test(text.slice(end, end + 2))) continue;
    const { ok, hasYear } = plausible(m.groups ?? {});
    if (!ok) continue;
    const pre = lower.slice(Math.max(0, start - 48), start);
    const cueBefore = CUE_BEFORE.exec(pre);
    const cued = (cueBefore !== null && !BREAK_BEFORE.test(pre.slice(cueBefore.index + 2))) || CUE_AFTER.test(text.slice(end, end + 24));
    if (!cued) continue;
    // A day and month without a year only after an explicit birthday / born-on cue.
    if (!hasYear && !/(?:birthday|born on|born|geburtstag|anniversaire|cumpleaños|compleanno)[^\n.;!?]{0,12}$/.test(pre)) continue;
    out.push([start, end]);
  }
  return out;
}

/** Detects dates of birth (category pii, kind date_of_birth, placeholder DOB). */
export const dobDetector: Detector = {
  name: 'date_of_birth',
  detect(n: NormalizedText): Detection[] {
    return findDatesOfBirth(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'date_of_birth', category: 'pii', score: 0.9, placeholderType: 'DOB', reason: 'Date of birth' }),
    );
  },
};
