/**
 * @file Street-address detector. An address is a house number and a street name with a street type,
 * in the orders people write them: "221B Baker Street", "1600 Pennsylvania Ave NW, Apt 4",
 * "41 rue des Lilas", "Calle de Alcalá 45", "Via Roma 10", "Hauptstraße 5", "Kerkstraat 12", plus
 * what follows it: unit, city, state, US ZIP / UK / Canadian / Dutch postcode or a 4–5-digit code
 * ("75011 Paris"). Street types that are also ordinary words (Drive, Way, Court, Place, Park …)
 * need more evidence: a unit, a city/postcode tail, an address cue ("lives at", "ship to",
 * "address:") or a line of its own. With an address cue, a number and capitalised words are an
 * address even without a street type. Reuses the analyzer's `street_address` kind and the
 * ADDRESS placeholder.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { detectionAt, mergeOverlapping } from './util';

const CAP = String.raw`\p{Lu}[\p{L}'’-]*\.?`;
const ORDINAL_STREET = String.raw`\d{1,3}(?:st|nd|rd|th)`;
const NAME_WORD = `(?:${CAP}|${ORDINAL_STREET})`;
const DIR = String.raw`(?:[NSEW]\.?|N\.?[EW]\.?|S\.?[EW]\.?|North|South|East|West|Northeast|Northwest|Southeast|Southwest)`;
const NUM = String.raw`\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?`;
/** Street types that are only ever street types in running text. */
const STRONG_TYPE = String.raw`(?:[Ss]treet|[Aa]venue|[Rr]oad|[Bb]oulevard|[Ll]ane|Terrace|Crescent|Parkway|Highway|Gardens|Mews|Esplanade|Strasse|Straße|St|Ave|Av|Rd|Blvd|Ln|Ter|Cres|Pkwy|Hwy|Str)\b\.?`;
/** Street types that are also ordinary words or abbreviations (Dr. = Doctor). */
const WEAK_TYPE = String.raw`(?:[Dd]rive|Way|Court|Place|Square|Close|Circle|Trail|Row|Walk|Grove|Hill|Park|Rise|Green|Gate|Alley|Loop|Pike|Plaza|Quay|Wharf|Knoll|Isle|Ridge|Point|Harbor|Harbour|Heights|Crossing|Run|Path|Pass|Bend|Glen|Hollow|Meadows?|Springs|View|Villas?|Estates?|Junction|Landing|Manor|Mills?|Orchard|Oval|Shores?|Summit|Trace|Track|Turnpike|Vista|Causeway|Expressway|Freeway|Motorway|Dr|Ct|Pl|Sq|Cir|Trl)\b\.?`;
const UNIT = String.raw`(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|Bldg|Building)\.?[ \t]*#?[ \t]*[\w-]{1,6}|,?[ \t]*#[ \t]?\d{1,5}[A-Za-z]?)`;

/** House number first, English style: "1600 Pennsylvania Ave NW". */
const EN_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}$€£#.,/-])${NUM},?[ \t]+(?:${DIR}[ \t]+)?(?:${NAME_WORD}[ \t]+){0,3}${NAME_WORD}[ \t]+(?:(?<strong>${STRONG_TYPE})|(?<weak>${WEAK_TYPE}))(?:[ \t]+${DIR}(?![\p{L}]))?(?<unit>${UNIT})?`,
  'gu',
);
/** House number, then a Romance street type: "41 rue des Lilas", "12, avenue Foch". */
const PARTICLE = String.raw`(?:de|des|du|la|le|les|del|della|dei|degli|di|da|do|dos|das|l'|d'|l’|d’)`;
const ROMANCE_LOOSE = String.raw`(?:[Rr]ue|[Cc]alle|[Cc]hemin|[Aa]ll[ée]e|[Ii]mpasse|[Qq]uai|[Rr]ua|[Tt]ravessa|[Bb]oulevard|[Bb]d|[Aa]venida|[Aa]vda\.?|[Pp]aseo|[Cc]arrer)`;
const ROMANCE_CAPS = String.raw`(?:[Aa]venue|[Pp]lace|Av\.|Place|Route|Cours|Plaza|Camino|Via|Viale|Piazza|Corso|Vicolo|Largo|Rue|Calle)`;
const FR_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}$€£#.,/-])${NUM}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:(?:${ROMANCE_LOOSE})[ \t]+(?:${PARTICLE}[ \t]*)*\p{L}[\p{L}'’-]*|(?:${ROMANCE_CAPS})[ \t]+(?:${PARTICLE}[ \t]*)*\p{Lu}[\p{L}'’-]*)(?:[ \t]+(?:${PARTICLE}[ \t]*)*\p{Lu}[\p{L}'’-]*){0,3}`,
  'gu',
);
/** Street type first, house number last: "Calle de Alcalá, 45", "Via Roma 10", "Rua Augusta, 200". */
const TYPE_FIRST_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:Calle|C/|Avenida|Avda\.?|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|Vicolo|Largo|Rua|Travessa|Praça)[ \t]+(?:${PARTICLE}[ \t]*)*\p{Lu}[\p{L}'’-]*(?:[ \t]+(?:${PARTICLE}[ \t]*)*\p{Lu}[\p{L}'’-]*){0,3},?[ \t]+(?:n[º°o]\.?[ \t]*)?\d{1,4}[A-Za-z]?(?![\p{L}\p{N}.,]\d)`,
  'gu',
);
/** German / Dutch compounds and separate words, number last: "Hauptstraße 5", "Berliner Str. 12a", "Kerkstraat 12". */
const DE_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:\p{Lu}[\p{L}-]*[ \t](?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm)|(?:\p{Lu}[\p{L}-]*[ \t])?\p{Lu}[\p{L}-]{2,}?(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|steig|pfad|chaussee|straat|laan|plein|gracht|kade|singel|dijk))[ \t]+\d{1,4}[a-z]?(?:[ \t]?[-/][ \t]?\d{1,4}[a-z]?)?(?![\p{L}\p{N}])`,
  'gu',
);
const PO_BOX_RE = /(?<![\p{L}])P\.?[ \t]?O\.?[ \t]?Box[ \t]+\d{1,6}(?!\d)/giu;
/** A number and capitalised words right after an address cue: "I live at 12 Harbour View". */
/** Case-insensitive first letter only: "Lives at" and "lives at", never "LIVES AT" rules for the names. */
const ci = (w: string): string => w.replace(/\b([a-z])/g, (_m, c: string) => `[${c.toUpperCase()}${c}]`);
const CUES = ['lives? at', 'living at', 'address is', 'address:', 'ship(?:ping)? (?:it )?to', 'deliver(?:y)? (?:it )?(?:to|at)', 'send (?:it|them|this|the parcel|the package|the order|the letter) to', 'resid(?:es|ing|e) at', 'located at', 'moved to', "j'habite (?:au|à)", 'wohne (?:in der|am|im)', 'vivo en']
  .map((c) => ci(c).replace(/ /g, '[ \\t]+'))
  .join('|');
const CUED_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:${CUES})[ \t]*(?:the[ \t]+)?(?<num>${NUM},?[ \t]+(?:${NAME_WORD}[ \t]*){1,4})`,
  'gu',
);
const ADDRESS_CUE = /(?:\blives?\b|\bliving\b|\baddress\b|\bship(?:ping)?\b|\bdeliver|\bsend\b|\bresid|\blocated\b|\bmoved\b|\bmail(?:ing)?\b|\bhome\b|\bhouse\b|\bapartment\b|\bflat\b|\bvisit\b|\bat\b|\bto\b|anschrift|adresse|dirección|direccion|indirizzo|endereço|j'habite|wohne|vivo)[^\n.!?]{0,12}$/i;

const US_STATE = String.raw`(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|PR)`;
const ZIP = String.raw`\d{5}(?:-\d{4})?`;
const UK_PC = String.raw`[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}`;
const CA_PC = String.raw`[A-Z]\d[A-Z][ \t]?\d[A-Z]\d`;
const NL_PC = String.raw`\d{4}[ \t]?[A-Z]{2}`;
const CITY = String.raw`\p{Lu}[\p{L}'’.-]*(?:[ \t-](?:(?:upon|on|am|an|de|du|di|del|la|le|sur|en)[ \t-])?\p{Lu}[\p{L}'’.-]*){0,2}`;
/** What may follow the street part: city, state, postcode, in the usual orders. */
const TAIL_RE = new RegExp(
  [
    // , Springfield, IL 62704 / , Leeds LS3 5AL / , Toronto, ON M5V 2T6 / , Boise, Idaho 83702
    String.raw`^,?[ \t]*\n?[ \t]*${CITY}(?:,[ \t]*|[ \t]+)(?:(?:${US_STATE}|\p{Lu}\p{L}+(?:[ \t]\p{Lu}\p{L}+)?),?[ \t]+)?(?:${ZIP}|${UK_PC}|${CA_PC})(?![\p{L}\p{N}])`,
    // , 75011 Paris / 10115 Berlin / 1012 AB Amsterdam / , 28014 Madrid
    String.raw`^,?[ \t]*\n?[ \t]*(?:[A-Z]{1,2}-)?(?:${NL_PC}|\d{4,5})[ \t]+${CITY}`,
    // , London SW1A 1AA / LS3 5AL
    String.raw`^,?[ \t]*(?:${UK_PC})(?![\p{L}\p{N}])`,
    // , Springfield, IL  /  , Springfield (a city alone, followed by the end of the clause)
    String.raw`^,[ \t]*${CITY},[ \t]*${US_STATE}(?![\p{L}\p{N}])`,
    String.raw`^,[ \t]*${CITY}(?=[ \t]*(?:[.;)\n]|$|,[ \t]*(?:\p{Ll}|\p{Lu}\p{Ll}+[ \t]+\p{Ll})))`,
  ].join('|'),
  'u',
);
/** Any street name (street types beyond the lists above: "Kirstin Fords", "Homenick Inlet") when a US city, state and ZIP follow. */
const US_TAILED_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}$€£#.,/-])${NUM}[ \t]+(?:${DIR}[ \t]+)?(?:${NAME_WORD}[ \t]+){0,3}${NAME_WORD}(?:${UNIT})?,?[ \t]*\n?[ \t]*${CITY},?[ \t]+${US_STATE},?[ \t]+${ZIP}(?![\p{L}\p{N}])`,
  'gu',
);
/** Any street name and house number when a postcode and a city follow: "Meckhofer Feld 85a, 00306 Wilhelmdorf", "van Dongenpark 329a, 4989 XW Pikesyldijk". */
const EU_TAILED_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:Am|An|Im|In|Auf|Zum|Zur|Unter|Hinter|Op|Aan|De|Het|van|von|de|der|den|dem|het|la|le|les|di|del|della)[ \t]+){0,3}\p{Lu}[\p{L}'’.-]*(?:[ \t]+(?:(?:${PARTICLE}|der|den|dem|van|het)[ \t]+){0,2}\p{Lu}[\p{L}'’.-]*){0,3}[ \t]+\d{1,4}[a-z]?(?:[ \t]?[-/][ \t]?\d{1,4}[a-z]?)?,?[ \t]+(?:[A-Z]{1,2}-)?(?:${NL_PC}|\d{4,5})[ \t]+\p{Lu}`,
  'gu',
);
/** UK: house number, street, town and postcode: "63 Trantow Brow, South Kuhicwood AL3 7DY", "96 The Willows, Old Harris TO2 7VO". */
const UK_TAILED_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}$€£#.,/-])${NUM},?[ \t]+(?:${NAME_WORD}[ \t]+){0,3}${NAME_WORD},[ \t]*${CITY}[ \t]+${UK_PC}(?![\p{L}\p{N}])`,
  'gu',
);

/** Capitalised words that are not city names when they follow an address and a comma. */
const NOT_CITY = /^,[ \t]*(?:Please|Thanks|Thank|Can|Could|Would|Will|Should|I|We|My|Our|The|This|That|It|He|She|They|You|And|But|Or|So|Then|Also|Is|Are|Was|How|What|Why|When|Where|Who|Which|Do|Does|Did|Help|Write|Make|Send|Tell)\b/u;

type Span = [number, number];

function extendTail(text: string, end: number): number {
  const rest = text.slice(end, end + 80);
  const t = TAIL_RE.exec(rest);
  if (!t || NOT_CITY.test(t[0])) return end;
  return end + t[0].length;
}

function onOwnLine(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : nl;
  return /^[\s>*-]*$/.test(text.slice(lineStart, start)) && /^[\s,.]*$/.test(text.slice(end, lineEnd)) && lineEnd > lineStart;
}

/** The last text's answer: the address detector and the person detector (names before an address) both ask. */
let last: { text: string; spans: readonly Span[] } | null = null;

/** Finds street addresses in normalized text, as [start, end) spans. */
export function findAddresses(text: string): Span[] {
  if (!/\d/.test(text)) return [];
  if (last?.text !== text) last = { text, spans: scanAddresses(text) };
  return last.spans.map(([s, e]) => [s, e]);
}

function scanAddresses(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(EN_RE)) {
    const start = m.index;
    let end = start + m[0].length;
    const tailEnd = extendTail(text, end);
    const hasTail = tailEnd > end;
    if (m.groups?.weak && !m.groups.unit && !hasTail) {
      const cue = ADDRESS_CUE.test(text.slice(Math.max(0, start - 40), start));
      if (!cue && !onOwnLine(text, start, end)) continue;
    }
    // "Dr." right before a capitalised word is a title ("12 Smith Dr. Jones"), not a street type.
    if (m.groups?.weak && /Dr\.?$/.test(m[0]) && /^[ \t]+\p{Lu}\p{Ll}/u.test(text.slice(end, end + 3)) && !hasTail) continue;
    end = tailEnd;
    out.push([start, end]);
  }
  for (const re of [FR_RE, TYPE_FIRST_RE, DE_RE]) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      let end = start + m[0].length;
      end = extendTail(text, end);
      out.push([start, end]);
    }
  }
  for (const re of [US_TAILED_RE, UK_TAILED_RE]) for (const m of text.matchAll(re)) out.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(EU_TAILED_RE)) {
    // Ends at the first letter of the city; the tail takes in the postcode and the city.
    const beforeCity = m[0].replace(/,?[ \t]+(?:[A-Z]{1,2}-)?(?:\d{4}[ \t]?[A-Z]{2}|\d{4,5})[ \t]+\p{Lu}$/u, '');
    out.push([m.index, extendTail(text, m.index + beforeCity.length)]);
  }
  for (const m of text.matchAll(PO_BOX_RE)) out.push([m.index, extendTail(text, m.index + m[0].length)]);
  for (const m of text.matchAll(CUED_RE)) {
    const g = m[0].length - (m.groups?.num?.length ?? 0);
    const start = m.index + g;
    const core = m.groups!.num!.replace(/[ \t,]+$/, '');
    const end = extendTail(text, start + core.length);
    // A bare number and words ("at 5 PM", "to 3 People") need a tail or a street-looking name of two words.
    if (end === start + core.length && !/\d[A-Za-z]?,?[ \t]+\p{Lu}[\p{L}'’-]+[ \t]+\p{Lu}/u.test(core)) continue;
    if (/^\d{1,2}[ \t]*(?:AM|PM|A\.M|P\.M|Uhr|h)\b/i.test(core)) continue;
    out.push([start, end]);
  }
  // Overlapping candidates become one span (an address matched by two patterns).
  return mergeOverlapping(out).map(([s, e]) => {
    while (e > s && /[\s,]/.test(text[e - 1]!)) e--;
    // A full stop ends the sentence unless it closes an abbreviation ("Oak St.").
    if (text[e - 1] === '.' && !/(?:^|[^\p{L}])(?:St|Rd|Ave|Av|Blvd|Ln|Dr|Ct|Pl|Sq|Str|Cres|Ter|Pkwy|Hwy|Apt|Ste|N|S|E|W)\.$/u.test(text.slice(Math.max(s, e - 6), e))) e--;
    return [s, e] as Span;
  });
}

/** Detects street addresses (category pii, kind street_address, placeholder ADDRESS). */
export const addressDetector: Detector = {
  name: 'street_address',
  detect(n: NormalizedText): Detection[] {
    return findAddresses(n.text).map(([s, e]) =>
      detectionAt(n, s, e, { kind: 'street_address', category: 'pii', score: 0.9, placeholderType: 'ADDRESS', reason: 'Street address' }),
    );
  },
};
