/**
 * @file Post-processing of the analyzer's personal-data spans. The byte-level model marks roughly
 * the right region but its boundaries are coarse (it downsamples ×4) and it sometimes marks a
 * function word ("My", "is", "at"). Before a span is redacted it is snapped to what a name, an
 * address or a date of birth looks like in the text: names to runs of capitalised words (scripts
 * without letter case are left as they are), dates of birth to the date expression they touch,
 * addresses to the numbers and capitalised words in them. Spans with nothing of that shape left
 * are dropped. Jailbreak and injection spans are not touched here (the rewriter refines those).
 */
import { plausibleModelName } from '../detect/person';
import { foldForAnalysis } from '../normalize/fold';
import type { Detection } from './types';

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = new RegExp(
  [
    String.raw`\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b`,
    String.raw`\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b`,
    String.raw`\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:${MONTHS})\.?,?\s+\d{2,4}\b`,
    String.raw`\b(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}\b`,
  ].join('|'),
  'giu',
);
/** Capitalised words that begin sentences or address people, never names on their own. */
const NOT_NAMES = new Set(['my', 'i', 'the', 'a', 'an', 'dear', 'hi', 'hello', 'hey', 'please', 'this', 'he', 'she', 'we', 'they', 'you', 'it', 'his', 'her', 'our', 'their', 'your', 'and', 'or', 'mr', 'mrs', 'ms', 'dr', 'thanks', 'regards', 'name', 'born', 'live', 'lives', 'street', 'from',
  // Verbs that open a request about someone: "Tell Sarah …", "Ask Omar …".
  'tell', 'ask', 'call', 'email', 'write', 'send', 'let', 'give', 'help', 'remind', 'invite', 'meet', 'show', 'text', 'contact', 'thank', 'wish', 'congratulate', 'introduce']);

type Tok = { start: number; end: number; text: string };

function tokens(text: string, start: number, end: number, pad = 0): Tok[] {
  const from = Math.max(0, start - pad);
  const to = Math.min(text.length, end + pad);
  const out: Tok[] = [];
  for (const m of text.slice(from, to).matchAll(WORD)) {
    let t = m[0];
    const s = from + (m.index ?? 0);
    while (t.length > 1 && /[.\-'’]$/.test(t)) t = t.slice(0, -1);
    if (t.length === 0) continue;
    out.push({ start: s, end: s + t.length, text: t });
  }
  return out;
}

const isCased = (w: string) => w.toLowerCase() !== w.toUpperCase();
const isCapitalised = (w: string) => /^\p{Lu}/u.test(w);

/** Snaps a person-name span to the capitalised words it overlaps (extended to whole words). */
function refineName(text: string, d: Detection): Detection | null {
  const toks = tokens(text, d.start, d.end, 24).filter((t) => t.end > d.start && t.start < d.end);
  if (toks.length === 0) return null;
  if (!toks.some((t) => isCased(t.text))) return d; // a script without case: keep the model's span
  let best: Tok[] = [];
  let run: Tok[] = [];
  for (const t of toks) {
    const between = run.length ? text.slice(run[run.length - 1]!.end, t.start) : '';
    const joins = run.length === 0 || /^[\s]{1,2}$|^\s?-\s?$/.test(between);
    if (isCapitalised(t.text) && !NOT_NAMES.has(t.text.toLowerCase()) && joins) run.push(t);
    else {
      if (run.length > best.length) best = run;
      run = isCapitalised(t.text) && !NOT_NAMES.has(t.text.toLowerCase()) ? [t] : [];
    }
  }
  if (run.length > best.length) best = run;
  if (best.length === 0) return null;
  return { ...d, start: best[0]!.start, end: best[best.length - 1]!.end };
}

/** Words that make a date a birth date (any language the data has), looked for near the date. */
const BIRTH_CUE = /\b(?:born|birth\w*|dob|d\.o\.b|bday|b-day|aged?|naissance|n[ée]e?|geboren|geburts\w*|nacimiento|nacid[oa]|nat[oa]|nascita)\b|生日|出生/iu;

/**
 * Expands a date-of-birth span to the date expression it touches; drops it when there is none, when
 * the date lies in the future, or when nothing around it says birth (a cue within ~80 characters, or
 * another personal-data span nearby, as in a record "Jane Roe, 12/03/1985, 42 Elm St"): an order
 * date or a historical date is not a date of birth.
 */
function refineDate(text: string, d: Detection, others: readonly Detection[]): Detection | null {
  const from = Math.max(0, d.start - 24);
  const to = Math.min(text.length, d.end + 24);
  for (const m of text.slice(from, to).matchAll(DATE)) {
    const s = from + (m.index ?? 0);
    const e = s + m[0].length;
    if (!(e > d.start && s < d.end)) continue;
    const year = /\b(1[89]\d\d|2\d\d\d)\b/.exec(m[0]);
    if (year && Number(year[1]) > new Date().getFullYear()) return null;
    const around = text.slice(Math.max(0, s - 80), Math.min(text.length, e + 40));
    const record = others.some((o) => o !== d && o.category === 'pii' && o.placeholderType !== 'DOB' && o.end > s - 100 && o.start < e + 100);
    return BIRTH_CUE.test(around) || record ? { ...d, start: s, end: e } : null;
  }
  return null;
}

/**
 * Extends an "other personal data" span (an ID, a licence or passport number …) to the whole token
 * it touches, trims what the model took in around the number (a word before or after it, "is",
 * "Torres", "create" on the next line, or the brackets and full stop around it) and drops it when
 * what is left cannot be an identifier: under 5 letters and digits, no digit at all, or a bare year.
 */
function refineOther(text: string, d: Detection): Detection | null {
  let s = d.start;
  let e = d.end;
  const tokenChar = /[\p{L}\p{N}\-/]/u;
  while (s > 0 && tokenChar.test(text[s - 1]!)) s--;
  while (e < text.length && tokenChar.test(text[e]!)) e++;
  [s, e] = trimIdentifier(text, s, e);
  const tok = text.slice(s, e);
  const alnum = tok.replace(/[^\p{L}\p{N}]/gu, '');
  if (alnum.length < 5 || !/\d/.test(alnum) || /^(?:1[89]|20)\d\d$/.test(alnum)) return null;
  if (calendarDate(dateAround(text, d.start, d.end)) || leetWordInLeetText(text, tok, s, e)) return null;
  // Arithmetic ("check my maths: 2+2=4, 7x8=54") is no identifier.
  if (ARITHMETIC.test(text.slice(d.start, d.end))) return null;
  return { ...d, start: s, end: e };
}

/**
 * Narrows [s, e) to the identifier in it: whitespace-separated pieces at either end that have no
 * digit and a lower-case letter are words, not parts of an ID ("AB 12 34 56 C" keeps its capitals);
 * then punctuation at the ends goes, except a leading "+" and brackets closed inside the span.
 */
function trimIdentifier(text: string, s: number, e: number): [number, number] {
  const word = (piece: string): boolean => !/\p{N}/u.test(piece) && /\p{Ll}/u.test(piece);
  for (;;) {
    const t = text.slice(s, e);
    const lead = /^\s*(\S+)\s+/u.exec(t);
    if (lead && word(lead[1]!)) {
      s += lead[0].length;
      continue;
    }
    const tail = /\s+(\S+)\s*$/u.exec(t);
    if (tail && word(tail[1]!)) {
      e -= tail[0].length;
      continue;
    }
    break;
  }
  for (;;) {
    const t = text.slice(s, e);
    const first = t[0];
    const last = t[t.length - 1];
    if (first !== undefined && /[^\p{L}\p{N}+]/u.test(first) && !(first === '(' && t.includes(')'))) s++;
    else if (last !== undefined && /[^\p{L}\p{N}]/u.test(last) && !(last === ')' && t.includes('('))) e--;
    else break;
  }
  return [s, e];
}

/** The run of digits and date separators around a span ("27.03.2018" when the model marked "03.2018"). */
function dateAround(text: string, start: number, end: number): string {
  let s = start;
  let e = end;
  while (s > 0 && /[\d./-]/.test(text[s - 1]!)) s--;
  while (e < text.length && /[\d./-]/.test(text[e]!)) e++;
  return text.slice(s, e).replace(/^[./-]+|[./-]+$/g, '');
}

const YEAR = String.raw`(?:1[5-9]|20)\d\d`;
const DMY = /^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})$/;
const YMD = new RegExp(String.raw`^${YEAR}([./-])(\d{1,2})\1(\d{1,2})$`);
const MONTH_YEAR = new RegExp(String.raw`^(\d{1,2})[./-]${YEAR}$`);
const YEAR_RANGE = new RegExp(String.raw`^${YEAR}\s*[-/–]\s*(?:\d\d|${YEAR})$`);

/**
 * A calendar date, a month and year or a range of years ("4/12/2021", "2015-11-07", "03.2018", "1970-1975",
 * "1935/36"): not "other personal data". A date of birth is the DOB type's, which needs a birth cue; as other
 * personal data the model's spans on dates were false positives ("How do I format a date like 4/12/2021 in
 * Python?").
 */
function calendarDate(t: string): boolean {
  const dm = DMY.exec(t);
  if (dm) {
    const a = Number(dm[1]);
    const b = Number(dm[3]);
    return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
  }
  const ymd = YMD.exec(t);
  if (ymd) return Number(ymd[2]) >= 1 && Number(ymd[2]) <= 12 && Number(ymd[3]) >= 1 && Number(ymd[3]) <= 31;
  const my = MONTH_YEAR.exec(t);
  if (my) return Number(my[1]) >= 1 && Number(my[1]) <= 12;
  return YEAR_RANGE.test(t);
}

/** Digits that stand for letters in leetspeak ("1" for i or l, "8" for b); 2 does not. */
const LEET_DIGITS = /[013456789]/;
/** A word of letters and leet digits with at least one of each ("m3s5a93", "Pl3453", "4m8a5s4dor"). */
const leetWord = (w: string): boolean => /\p{L}/u.test(w) && LEET_DIGITS.test(w) && /^[\p{L}013456789]+$/u.test(w);

/**
 * In a text written in leetspeak (three leet words or more around the span), a leet word the model marked as
 * other personal data is a word ("P1ease answ3r in d37411 … Pl3453 b3 specific"), not an identifier.
 */
function leetWordInLeetText(text: string, tok: string, start: number, end: number): boolean {
  if (!leetWord(tok)) return false;
  const around = `${text.slice(Math.max(0, start - 200), start)} ${text.slice(end, end + 200)}`.match(/[\p{L}\p{N}]+/gu) ?? [];
  return around.filter(leetWord).length >= 3;
}

/** Numbers joined by an equals sign or a multiplication or division sign: a sum, not an identifier. */
const ARITHMETIC = /\d\s*(?:=|[*×÷x]\s*\d+\s*=)\s*\d/u;

/** Trims an address span to start and end at a number or a capitalised word. */
function refineAddress(text: string, d: Detection): Detection | null {
  const toks = tokens(text, d.start, d.end).filter((t) => t.end > d.start && t.start < d.end);
  const strong = (t: Tok) => /\d/.test(t.text) || (isCapitalised(t.text) && !NOT_NAMES.has(t.text.toLowerCase())) || !isCased(t.text);
  let i = 0;
  let j = toks.length - 1;
  while (i <= j && !strong(toks[i]!)) i++;
  while (j >= i && !strong(toks[j]!)) j--;
  if (i > j) return null;
  const kept = toks.slice(i, j + 1);
  if (!kept.some((t) => /\d/.test(t.text)) && kept.length < 2) return null;
  return { ...d, start: kept[0]!.start, end: kept[kept.length - 1]!.end };
}

/** Refines the analyzer's personal-data spans against the original text. */
export function refinePiiSpans(text: string, spans: Detection[]): Detection[] {
  const out: Detection[] = [];
  for (const d of spans) {
    if (d.category !== 'pii') {
      out.push(d);
      continue;
    }
    const r =
      d.placeholderType === 'NAME'
        ? refineName(text, d)
        : d.placeholderType === 'DOB'
          ? refineDate(text, d, spans)
          : d.placeholderType === 'ADDRESS'
            ? refineAddress(text, d)
            : d.kind === 'other_pii'
              ? refineOther(text, d)
              : d;
    if (r && r.end > r.start) out.push(r);
  }
  // A street address has a number and a name at least ("42 Elm", "Apt 4B"): a lone token the model
  // marked ("200C" in "preheat the oven to 200C") is a quantity, not an address. Names left as names
  // (not joined into an address) must look like a person's name in personal context.
  return mergeAddresses(text, out).filter((d) => keepRefined(text, d));
}

/** The last check after joining: addresses must be address-shaped, names left as names must look like personal data. */
function keepRefined(text: string, d: Detection): boolean {
  if (d.category !== 'pii') return true;
  if (d.placeholderType === 'ADDRESS') return addressShaped(text, d);
  // A name has letters ("545" of an ID is not one); scripts without case keep the model's name span.
  if (d.placeholderType === 'NAME' && !/\p{L}/u.test(text.slice(d.start, d.end))) return false;
  if (d.placeholderType === 'NAME' && isCased(text.slice(d.start, d.end))) return plausibleModelName(text, d.start, d.end);
  return true;
}

/**
 * At least two words, one of them with two or more letters (scripts without case: any span), and a number
 * or a word that names a street, a building or a postal box: capitalised words alone ("HTML, CSS", "States
 * Congress", "Amazon Rainforest") are no address, nor is a time of day ("9 PM"). Every street address in
 * the training and validation data has one or the other (the obfuscated ones once folded).
 */
function addressShaped(text: string, d: Detection): boolean {
  const toks = tokens(text, d.start, d.end);
  if (toks.some((t) => !isCased(t.text) && /\p{L}/u.test(t.text))) return true;
  if (!(toks.length >= 2 && toks.some((t) => /\p{L}{2}/u.test(t.text)))) return false;
  const span = text.slice(d.start, d.end);
  if (TIME_OF_DAY.test(span.trim())) return false;
  const plain = foldForAnalysis(span).toLowerCase();
  if (ADDRESS_WORD.test(plain.replace(/(?<=\p{L})[^\p{L}\s]+(?=\p{L})/gu, ''))) return true;
  // A number makes an address only next to a capitalised word, the street's name ("42 Elm", "Rivoli 12"):
  // "the 1976 rock song 'Jailbreak'" holds a year and lower-case words.
  if (/\p{N}/u.test(span)) return toks.some((t, i) => /\p{N}/u.test(t.text) && [toks[i - 1], toks[i + 1]].some((n) => n !== undefined && isCapitalised(n.text)));
  // Obfuscated by stray spaces or marks inside words ("W alnut Bo ulev ard", "Elm R.oa*d"): the letters run
  // together, to the end of the last word (trimming stopped at its capital: "Elm R" of "Elm R.oa*d").
  const rest = /^[\p{L}.*'’-]*/u.exec(text.slice(d.end, d.end + 24))?.[0] ?? '';
  return ADDRESS_WORD_LETTERS.test(foldForAnalysis(span + rest).toLowerCase().replace(/[^\p{L}]+/gu, ''));
}

const TIME_OF_DAY = /^\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|o'?clock|h)$/i;
/** Street types, the suffix a house number's street name ends with (a few languages). */
const STREET_TYPES = String.raw`street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|square|sq|terrace|close|crescent|parkway|highway|hwy|strasse|straße|rue|via|calle`;
/** Words that make capitalised words an address: street types, more of them, flats, suites, postal boxes. */
const ADDRESS_WORD = new RegExp(
  String.raw`\b(?:${STREET_TYPES}|av|pkwy|circle|cir|trail|trl|plaza|alley|row|mews|gardens|grove|apartment|apt|suite|ste|unit|flat|floor|box|str|platz|weg|gasse|allee|chemin|quai|impasse|viale|piazza|corso|avenida|carrera|rua|straat|laan|gata|gatan|vej|vei|ulica|utca)\b`,
  'u',
);
/** The longer of those words, found inside letters run together. */
const ADDRESS_WORD_LETTERS = /(?:street|road|avenue|boulevard|lane|drive|court|place|square|terrace|close|crescent|parkway|highway|circle|trail|plaza|apartment|suite|strasse|straße|platz|gasse|allee|chemin|viale|piazza|corso|calle|avenida|straat)/u;

const STREET_SUFFIX = new RegExp(String.raw`^[\s,]*(?:${STREET_TYPES})\b\.?`, 'i');

/**
 * An address the model cut into pieces ("42" + "Elm" + "Springfield", some labelled as names) is
 * one address: PII spans separated only by spaces or commas are joined into one ADDRESS span when
 * one of them is an address, and a street suffix right after the number part is taken in.
 */
function mergeAddresses(text: string, spans: Detection[]): Detection[] {
  const pii = spans.filter((d) => d.category === 'pii' && (d.placeholderType === 'ADDRESS' || d.placeholderType === 'NAME')).sort((a, b) => a.start - b.start);
  const others = spans.filter((d) => !pii.includes(d));
  const groups: Detection[][] = [];
  for (const d of pii) {
    const g = groups[groups.length - 1];
    const last = g?.[g.length - 1];
    const gapText = last ? text.slice(last.end, d.start) : '';
    if (g && last && (d.start <= last.end || /^[\s,]*$/.test(gapText) || STREET_SUFFIX.test(gapText))) g.push(d);
    else groups.push([d]);
  }
  const merged: Detection[] = [];
  for (const g of groups) {
    if (g.length === 1 || !g.some((d) => d.placeholderType === 'ADDRESS')) {
      merged.push(...g);
      continue;
    }
    const start = Math.min(...g.map((d) => d.start));
    let end = Math.max(...g.map((d) => d.end));
    const suffix = STREET_SUFFIX.exec(text.slice(end));
    if (suffix) end += suffix[0].length;
    const best = g.reduce((a, b) => (b.score > a.score ? b : a));
    merged.push({ ...best, kind: 'street_address', placeholderType: 'ADDRESS', start, end, score: Math.max(...g.map((d) => d.score)) });
  }
  return [...others, ...merged];
}
