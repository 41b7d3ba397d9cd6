/**
 * @file Person-name detector. High-precision context rules, not a dictionary of people:
 * - a cue right before the name: "my name is", "name:", "je m'appelle", "ich heiße", "me llamo",
 *   "mi chiamo", "call me", a title (Mr./Mrs./Ms./Dr./Prof./Herr/Frau/Mme/Sr./…), a sign-off on its
 *   own line ("Regards,\nAnna Kowalski"), "Dear/Hi/Hello X", "I am / I'm / this is X", a role
 *   ("patient", "customer", "employee", "my colleague", "neighbour", …);
 * - a possessive before personal data: "Maria Lopez's SSN / email / address / date of birth";
 * - without a cue, a capitalised given name from names-data.ts (generated from @faker-js/faker
 *   locales, minus names that are ordinary words or places) followed by a capitalised surname.
 * Weak cues (I'm, Hi, roles, possessives) need a known given name or two capitalised words, so
 * "I'm Italian", "Dear Customer" and "Google's email" stay. Titles are left outside the span
 * ("Mrs. [NAME_1]"). Reuses the analyzer's `person_name` kind and the NAME placeholder.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { findAddresses } from './address';
import { foldForAnalysis } from '../normalize';
import { AMBIGUOUS_GIVEN_NAMES, GIVEN_NAMES, PUBLIC_FIGURES } from './names-data';
import { detectionAt } from './util';

/**
 * Romanised given names that the faker locales leave out (their Chinese, Japanese, Korean and
 * Vietnamese locales are written in their own scripts): common names, not a list of people.
 */
const EXTRA_GIVEN =
  'hiroshi takeshi kenji yuki yuko yuka haruto hinata sakura akira aiko emi kaito ren riku sota yuto hana mei yui aoi ' +
  'kazuki naoki daiki shota ryota takumi yusuke haruka misaki nanami ayaka ayumi keiko kumiko naomi satoshi tomoko ' +
  'wei xiaoming xiaohong xiu jian jie hui ying yan ling lei ming hao yong zhen qiang fang jing juan xin yu ' +
  'seo-yeon min-jun ji-ho ji-woo seo-jun ha-eun ji-hoon ji-yeon min-ji su-bin hye-jin jae-won jun-ho seung-hoon ' +
  'nguyen thi minh anh linh huong trang quang duc tuan thanh hieu phuong ' +
  'ngozi chidi chinwe emeka ifeoma nnamdi obinna uchenna adaeze kwabena kwaku yaw akosua abena adwoa';
/** Short or shared ones that are also words, months or surnames: they count only with a cue. */
const EXTRA_AMBIGUOUS = 'jun li bao an lan long hong tam mai chi kim';
const GIVEN = new Set([...GIVEN_NAMES.split(' '), ...EXTRA_GIVEN.split(' ')].filter(Boolean));
const AMBIGUOUS = new Set([...AMBIGUOUS_GIVEN_NAMES.split(' '), ...EXTRA_AMBIGUOUS.split(' ')].filter((w) => w && !GIVEN.has(w)));

/** Capitalised words that are never (the start of) a name on their own. */
const STOP = new Set(
  (
    'i a an the in on at to of for and or but nor if is it its my your his her our their this that these those we you he she they me us them ' +
    'hi hello hey dear thanks thank please yes no not new old good best great first last next all any some more most with from by as be do so up out ' +
    'about into over after before since until while when what who why how where which whom whose there here then than also just only very really ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
    'sir madam madame sirs team customer customers client clients member members user users everyone all friends colleagues colleague partner partners ' +
    'manager managers hiring recruiter committee support admin administrator sales service services department staff hr it finance legal board ' +
    'valued reader readers applicant candidate guest guests student students parent parents patient patients doctor nurse teacher professor ' +
    'mom mum dad mother father sister brother son daughter wife husband friend boss neighbor neighbour landlord tenant owner ' +
    'street st road rd avenue ave lane drive court place square city state county country north south east west ' +
    'inc ltd llc corp co company group bank university college school hospital clinic church station airport hotel museum library center centre ' +
    'river lake park mountain island beach valley bay bridge hall house tower office store shop market mall cafe restaurant ' +
    'english french german spanish italian chinese japanese indian american british european african asian canadian mexican russian ' +
    'regards sincerely cheers best kind warm yours cordially signed name names date birth born address email phone number note notes ' +
    'project report data table figure chapter section page version model system product products order invoice account ticket ' +
    'happy sorry glad sure fine ok okay well here going trying looking writing calling asking working living interested unable able ' +
    'god lord jesus christ allah santa code app apps cloud pro max plus studio online'
  ).split(' '),
);

/** Last words of place and street names that follow a given name ("Victoria Falls", "Jaden Row"). */
const PLACE_WORDS = new Set(
  (
    'street road avenue lane drive way court place square close circle trail row walk grove hill hills park rise green gate alley loop pike plaza quay wharf ' +
    'knoll isle island islands ridge point harbor harbour heights crossing crossroad run path pass bend glen hollow meadow meadows springs spring view villa villas ' +
    'estate estates junction landing manor manors mill mills orchard oval shore shores summit trace track turnpike vista causeway freeway motorway boulevard ' +
    'falls fort camp cove neck garden gardens port creek village town ville burgh bury field fields forest woods wood valley vale lake lakes mount mountain ' +
    'bay beach bridge station terminal airport center centre mall market hall college university school hospital church chapel cathedral museum stadium arena tower ' +
    'stravenue expressway parkway crescent terrace mews corner corners keys key inlet ford fords rest brow haven'
  ).split(' '),
);

/** One word of a name: capitalised with lower-case letters ("Anna", "O'Neil", "McDonald", "Jean-Luc"), or an initial ("L."). */
const WORD_RE = /\p{Lu}(?=[\p{L}'’-]*\p{Ll})(?:\p{L}|['’](?=\p{L})(?!s(?!\p{L}))|-(?=\p{L}))*|\p{Lu}\./uy;
/** Lower-case particles inside a name: "Ludwig van Beethoven", "María de la Cruz". */
const PARTICLE_RE = /(?:(?:van|von|der|den|de|la|le|du|da|di|del|della|dos|das|bin|ibn|al|el|ter|ten|zu)[ \t]+){1,3}|[dDlL]['’](?=\p{Lu})/uy;

type Tok = { start: number; end: number; text: string };

/** Reads a run of name words starting at `i` (at most `max` words); initials may not end it. */
function readName(text: string, i: number, max = 4): Tok[] {
  const toks: Tok[] = [];
  if (i > 0 && /[\p{L}\p{N}]/u.test(text[i - 1]!)) return toks; // inside a word ("HiGh")
  let pos = i;
  while (toks.length < max) {
    WORD_RE.lastIndex = pos;
    let m = WORD_RE.exec(text);
    if (!m && toks.length > 0) {
      PARTICLE_RE.lastIndex = pos;
      const p = PARTICLE_RE.exec(text);
      if (p) {
        WORD_RE.lastIndex = pos + p[0].length;
        m = WORD_RE.exec(text);
        if (m) m.index = pos; // the particle belongs to the name
      }
    }
    if (!m) break;
    // A word that runs into digits ("Ingr1d", "Win10") is not a name word.
    if (/^\p{N}/u.test(text.slice(WORD_RE.lastIndex, WORD_RE.lastIndex + 1))) break;
    const word = text.slice(WORD_RE.lastIndex - (m[0].length), WORD_RE.lastIndex);
    const lw = word.replace(/[.'’-]+$/, '').toLowerCase();
    if (STOP.has(lw)) break;
    toks.push({ start: m.index, end: WORD_RE.lastIndex, text: word });
    const gap = /^[ \t]{1,2}/.exec(text.slice(WORD_RE.lastIndex, WORD_RE.lastIndex + 2));
    if (!gap) break;
    pos = WORD_RE.lastIndex + gap[0].length;
  }
  while (toks.length > 0 && /^\p{Lu}\.$/u.test(toks[toks.length - 1]!.text)) toks.pop();
  return toks;
}

const isGiven = (w: string): boolean => GIVEN.has(w.toLowerCase());
const isAnyGiven = (w: string): boolean => GIVEN.has(w.toLowerCase()) || AMBIGUOUS.has(w.toLowerCase());

/** Case of the first letter only: "My name is" and "my name is". */
const ci = (w: string): string => w.replace(/(^|[ (|:])([a-zà-ÿ])/g, (_m, pre: string, c: string) => `${pre}[${c.toUpperCase()}${c}]`);
const re = (cues: string[]): string => cues.map((c) => ci(c).replace(/ /g, '[ \\t]+')).join('|');

/** Cues after which a capitalised word is a name (a lower-case one only if it is a known given name). */
const STRONG_CUES = re([
  'my name is', 'my name\'s', 'my full name is', 'name is', 'named', 'call me', 'je m\'appelle', 'je m’appelle', 'mon nom est', 'ich heiße', 'ich heisse',
  'mein name ist', 'me llamo', 'mi nombre es', 'mi chiamo', 'il mio nome è', 'mijn naam is', 'meu nome é', 'me chamo', 'signed', 'signed by',
  'calls me', 'called me', 'goes by',
]);
const LABEL_CUES = re(['name', 'full name', 'first name', 'last name', 'surname', 'patient name', 'customer name', 'employee name', 'nom', 'nombre', 'vorname', 'nachname', 'cognome', 'from', 'to', 'attn', 'attention', 'contact', 'c/o']);
const TITLES = String.raw`(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Fr|Hr|Mme|Mlle|Mons|Sr|Sra|Srta|Sig|Sig\.ra|Dott|Dott\.ssa|Doña|Señor|Señora|Signor|Signora|Monsieur|Madame|Mademoiselle|Rev|Capt|Sgt|Officer|Judge|Senator|Rep|Gov)`;
const WEAK_CUES = re([
  'i am', 'i\'m', 'i’m', 'this is', 'it\'s', 'dear', 'hi', 'hello', 'hey', 'thanks', 'thank you', 'bonjour', 'hallo', 'hola', 'ciao', 'liebe', 'lieber', 'chère', 'cher', 'estimado', 'estimada', 'querido', 'querida',
  'patient', 'customer', 'client', 'employee', 'applicant', 'tenant', 'student', 'candidate', 'member', 'colleague', 'coworker', 'co-worker', 'neighbour', 'neighbor',
  'manager', 'boss', 'wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'mum', 'dad', 'friend', 'brother', 'sister', 'partner', 'landlord', 'landlady',
  'teacher', 'doctor', 'nurse', 'user', 'child', 'grandmother', 'grandfather', 'grandma', 'grandpa', 'uncle', 'aunt', 'cousin', 'fiancé', 'fiancée', 'fiance', 'girlfriend', 'boyfriend',
  'intern', 'recipient', 'sender', 'witness', 'plaintiff', 'defendant', 'spouse', 'roommate', 'flatmate', 'classmate', 'employer', 'supervisor', 'assistant', 'caregiver', 'guardian',
  'mr\\.? and mrs\\.?', 'ask', 'tell', 'meet', 'met', 'meeting with', 'cc',
  'producer', 'director', 'engineer', 'officer', 'agent', 'coach', 'lawyer', 'attorney', 'accountant', 'therapist', 'dentist', 'pharmacist',
  'surgeon', 'technician', 'driver', 'contractor', 'consultant', 'secretary', 'receptionist', 'nanny', 'babysitter', 'tutor', 'mentor', 'advisor', 'adviser',
  'was called', 'is called', 'were called',
  'said', 'says', 'asked', 'replied', 'shouted at', 'yelled at', 'whispered to', 'told', 'texted', 'emailed', 'messaged',
]);
/** Cue families; each regex ends where the name must start. */
const STRONG_RE = new RegExp(String.raw`(?<![\p{L}])(?:${STRONG_CUES})[ \t]*[:,-]?[ \t]*`, 'gu');
const LABEL_RE = new RegExp(String.raw`(?:^|\n|[;|,{"'\t])[ \t]*"?(?:${LABEL_CUES})"?[ \t]*[:=][ \t]*"?`, 'gu');
const TITLE_RE = new RegExp(String.raw`(?<![\p{L}])(?:${TITLES}|${TITLES.toLowerCase()})\.?[ \t]+`, 'gu');
const WEAK_RE = new RegExp(String.raw`(?<![\p{L}])(?:${WEAK_CUES})[ \t]*,?[ \t]*`, 'gu');
const SIGNOFF_RE = new RegExp(String.raw`(?:^|\n)[ \t]*(?:${re(['regards', 'best regards', 'kind regards', 'warm regards', 'sincerely', 'yours sincerely', 'yours truly', 'yours', 'best', 'best wishes', 'cheers', 'thanks', 'thank you', 'many thanks', 'cordially', 'respectfully', 'love', 'xoxo', 'cordialement', 'mit freundlichen grüßen', 'viele grüße', 'saludos', 'atentamente', 'cordiali saluti', 'met vriendelijke groet', '--', '—', '-'])})[ \t]*[,!.]?[ \t]*\n[ \t]*`, 'gu');
const POSSESSIVE_RE = /(?:'s|’s|s'|s’)[ \t]+(?:(?:home|work|personal|private|current|new|old|full|mobile|cell|e-?mail|phone|home|mailing|billing|shipping|social security|passport|driver'?s|medical|bank|credit card|tax)[ \t]+)?(?:ssn|social security|e-?mail|phone|number|cell|mobile|address|date of birth|dob|birthday|birth date|passport|salary|medical|diagnosis|records?|account|password|credit card|card|licen[cs]e|id|iban|home|details|contact)/giu;

/** Words that put a person in the writer's life or records (shared by the two rules below). */
const RELATION_WORDS = String.raw`patient|client|customer|employee|tenant|applicant|candidate|neighbou?r|colleague|landlord|spouse|wife|husband|signed|regards|sincerely|dear|ship(?:ping)? to|resume|reference letter|recommendation letter|policyholder|appointment`;

/** Words that show a prompt carries someone's personal data. */
const PERSONAL_CONTEXT = new RegExp(
  String.raw`\b(?:e-?mail|phone|mobile|cell|address|lives|living at|resid(?:es|ent|ing)|born|birth|birthday|dob|d\.o\.b|ssn|social security|passport|licen[cs]e|account (?:number|no)|iban|salary|payroll|diagnos\w*|prescri\w*|medical|${RELATION_WORDS}|my (?:friend|son|daughter|mother|father|mom|mum|dad|brother|sister|boss|manager|partner)|onboard\w*|my (?:doctor|dentist|therapist|lawyer|teacher|tutor|coach|landlord|neighbou?r))\b|@|\d{3}[-. )]\d{3}`,
  'i',
);

/** Whose data a prompt is about when it is not a public figure's: the writer's relations and records. */
const PRIVATE_RELATION = new RegExp(
  String.raw`\b(?:(?:my|our)\s+(?:\w+\s+)?(?:friend|son|daughter|mother|father|mom|mum|dad|brother|sister|boss|manager|partner|ex|boyfriend|girlfriend|doctor|dentist|therapist|lawyer|teacher|tutor|coach|landlord|neighbou?r|cousin|aunt|uncle|roommate|classmate|coworker|co-worker|colleague|employee|client|customer|patient|tenant)|co-?worker|classmate|roommate|ex-(?:wife|husband|girlfriend|boyfriend)|${RELATION_WORDS})\b`,
  'i',
);

/**
 * A short question about a named person's facts with no personal data in it ("What is Taylor Swift's date of
 * birth?", "Where was Frida Kahlo born?", "What is Harry Potter's address in the books?"): the words of
 * personal data are asked about, not given (no digit, no "@"), and nothing says the person is the writer's
 * relation, client or correspondent. Safety benchmarks count such questions about public and fictional figures
 * as benign look-alikes; a name in them is a figure's, not personal data in the prompt.
 */
export function asksAboutAFigure(text: string): boolean {
  const t = text.trim();
  if (t.length > 300 || /[\d@]/.test(t) || PRIVATE_RELATION.test(t)) return false;
  return /\?\s*$/.test(t) || QUESTION_START.test(t);
}

/** A name at `index` in such a question, in a sentence about a public or fictional figure. */
function figureQuestionAt(text: string, index: number): boolean {
  return asksAboutAFigure(text) && aboutPublicFigure(text, index);
}

/**
 * Whether the full name (two words or more) at [start, end) is asked about in a question about a public or
 * fictional figure ({@link asksAboutAFigure}): the rule the detectors apply, for a text read again after a
 * scaffold around the question was removed.
 */
export function figureNameInQuestion(text: string, start: number, end: number): boolean {
  return (text.slice(start, end).match(/[\p{L}'’-]+/gu) ?? []).length >= 2 && figureQuestionAt(text, start);
}

/** Sentence openings and framings of general-knowledge questions, role-play and fiction. */
const QUESTION_START =
  /^(?:(?:(?:can|could|would|will) you |please )+)?(?:when|who|what|where|why|how|which|did|does|was|were|is|are|tell me about|describe|explain|compare|summari[sz]e|write (?:a|an) (?:poem|story|essay|song|limerick)|draw|paint|sketch|wann|wer|was|wo|warum|wie(?:viele?)?|welche[rs]?|quand|qui|que|quoi|où|pourquoi|comment|quel(?:le)?s?|cu[aá]ndo|qui[eé]n|qu[eé]|c[oó]mo|d[oó]nde|por qu[eé]|cu[aá]l|quando|chi|che cosa|dove|perch[eé]|quale)(?![\p{L}])/iu;
const FRAMING = /\b(?:imagine you are|you are|role-?play(?:ing)? as|pretend (?:to be|you are)|act as|as if you were|character|novel|film|movie|tv show|series|book|play(?:ed|s)? in|written by|painted by|directed by|composed by|invented|discovered|famous|historical|president|king|queen|emperor|scientist|author|actor|actress|singer|artist|story|stories|fiction(?:al)?|fantasy|hypothetical|screenplay|script|poem|limerick|in the style of)\b/i;

/** Sentence ends, line breaks and label colons, not the period of an initial or a title. */
const SENTENCE_CUT = /(?<!(?:^|[^\p{L}])(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Mt|vs|etc))\. |[?!] |: |\n/gu;

/** The sentence around `index` (at most 200 characters either side). */
function sentenceAt(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 200), index);
  // The sentence starts after the last sentence end, line break or label colon ("Question: When did …"); the
  // period of an initial or a title is no sentence end ("John B. Goodenough", "Mr. Smith").
  let cut = -1;
  for (const m of before.matchAll(SENTENCE_CUT)) cut = m.index;
  const sentenceStart = index - before.length + cut + 1;
  const endRel = text.slice(index, index + 200).search(/[.!?\n]/);
  return text.slice(sentenceStart, endRel < 0 ? index + 200 : index + endRel).trim();
}

/** Whether the name at `index` sits in a question or framing about a public or fictional figure, or in a table row. */
function aboutPublicFigure(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  if (/^[ \t]*\|/.test(text.slice(lineStart, index))) return true;
  const sentence = sentenceAt(text, index);
  return QUESTION_START.test(sentence) || FRAMING.test(sentence);
}

const FIGURES = new Set(PUBLIC_FIGURES.split(/\|\s*/).filter(Boolean));
/** Introducing oneself or someone by name: the name is then a private person's, famous or not. */
const NAMED = /\b(?:my name is|i am|i'm|i’m|call me|named|called|je m'appelle|ich heiße|me llamo|mi chiamo)\b/i;

/**
 * Whether the span names a public figure ("Alfred Nobel", "Frank Lloyd Wright", "Elizabeth II": people
 * WordNet knows, less names a generator could produce such as "John Smith") in a sentence that carries
 * no personal data of theirs and introduces nobody: "When did Alfred Nobel invent dynamite?" stays,
 * "My neighbour Alfred Nobel lives at 4 Elm St." is redacted.
 */
export function publicFigureName(text: string, start: number, end: number): boolean {
  const name = text
    .slice(start, end)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’]s$/u, '')
    .replace(new RegExp(String.raw`^(?:${TITLES}|President|King|Queen|Saint|St|Sir|General|Emperor|Pope)\.?\s+`, 'u'), '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (!name.includes(' ') || !FIGURES.has(name)) return false;
  const sentence = sentenceAt(text, start);
  return !PERSONAL_CONTEXT.test(sentence) && !NAMED.test(sentence);
}

/** Roles in an apposition ("Lisa, the engineer, said") or after "as" ("add Camila as guardian"). */
const ROLES = String.raw`(?:teacher|nurse|doctor|engineer|manager|lawyer|attorney|accountant|developer|designer|student|intern|driver|officer|director|producer|assistant|secretary|receptionist|consultant|contractor|technician|therapist|pharmacist|dentist|surgeon|chef|coach|tutor|librarian|landlord|landlady|tenant|neighbou?r|colleague|supervisor|analyst|editor|writer|reporter|journalist|photographer|cashier|clerk|mechanic|plumber|electrician|carpenter|caregiver|nanny|babysitter|patient|customer|client|applicant|candidate|employee|owner|ceo|cfo|cto|founder)`;
/** What follows a person's name and only a person's: living, being born, speaking, a role. */
const PERSON_AFTER = new RegExp(
  String.raw`^(?:,[ \t]+(?:the|our|my|your|a|an)[ \t]+(?:[\p{Ll}-]+[ \t]+)?${ROLES},|[ \t]+(?:(?:lives|lived|resides|resided)[ \t]+(?:on|at|in|with|near|next[ \t]+door|alone|abroad)\b|was[ \t]+born|(?:is|was)[ \t]+(?:a[ \t]+|an[ \t]+)?\d{1,3}[ \t-]+years?[ \t-]+old|(?:said|says|shouted|yelled|whispered|explained|replied|texted|emailed)\b|listed[ \t]+(?:his|her|their)\b|as[ \t]+(?:(?:my|our|the|a|an|his|her|their)[ \t]+)?(?:guardian|beneficiary|emergency[ \t]+contact|next[ \t]+of[ \t]+kin|co-?signer|dependa?e?nt|authori[sz]ed[ \t]+user|joint[ \t]+(?:account[ \t]+)?holder|caregiver|executor|${ROLES})\b))`,
  'u',
);
/** After a sentence-initial given name: a description of the person ("is very reliable", "was so kind"). */
const SUBJECT_AFTER = /^[ \t]+(?:is|was)[ \t]+(?:very|so|really|always|extremely|quite|super|incredibly|never|not|my|our|his|her)\b/;
/** "said Aisha to", "Yuki shouted at", "told Kofi and": the other person of a reported exchange follows. */
const EXCHANGE_RE = /(?:\b(?:said|says|asked|replied|whispered|shouted|yelled|wrote|talked|spoke|waved)[ \t]+\p{Lu}\p{Ll}+(?:-\p{Ll}+)?[ \t]+(?:to|at|with)[ \t]+|\p{Lu}\p{Ll}+(?:-\p{Ll}+)?[ \t]+(?:shouted|yelled|whispered|waved|smiled|winked|talked|spoke)[ \t]+(?:at|to|with)[ \t]+)/gu;

/**
 * Whether a name the analyzer marked (already snapped to capitalised words) is worth redacting: a
 * lone, plainly capitalised word must be a known given name ("Time", "Series", "Amazon", "Lavoisier"
 * are not), and a
 * general-knowledge question, role-play or table about a public or fictional figure ("Draw a portrait
 * of Albert Einstein") is not personal data unless the prompt is about someone's personal data.
 */
export function plausibleModelName(text: string, start: number, end: number): boolean {
  const words = text.slice(start, end).match(/[\p{L}'’-]+/gu) ?? [];
  // Only a plainly capitalised word is judged by the list: obfuscated ones ("5uzuki", "BROWn") stay.
  if (words.length === 1 && /^\p{Lu}\p{Ll}{2,}$/u.test(words[0]!) && !isAnyGiven(words[0]!)) return false;
  if (words.length === 1 && acronymNotAName(text, start, words[0]!)) return false;
  if (!casedLikeAName(text, start, end)) return false;
  if (namesAnInstitution(text, start, end) || publicFigureName(text, start, end)) return false;
  // A full name (the span, or the span and the capitalised surname right after it) in a question about a figure.
  const fullName = words.length >= 2 || /^[ \t]+\p{Lu}\p{Ll}[\p{L}'’-]*/u.test(text.slice(end, end + 40));
  if (fullName && figureQuestionAt(text, start)) return false;
  return !publicFigureAt(text, start);
}

/**
 * A lone word in capitals that is no given name, in a text otherwise cased as usual: an acronym or a
 * code ("a simple website in HTML", "HHHHH or HTTHT"), not a name. A title or a given name before it
 * ("Dr. OKAFOR", "John SMITH") keeps it a name.
 */
function acronymNotAName(text: string, start: number, word: string): boolean {
  if (!/^\p{Lu}{2,}$/u.test(word) || isAnyGiven(word)) return false;
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = letters.filter((c) => /\p{Lu}/u.test(c)).length;
  if (upper > 0.5 * letters.length) return false;
  const before = /([\p{L}'’-]+)\.?,?[ \t]+$/u.exec(text.slice(Math.max(0, start - 24), start))?.[1];
  return !(before && (TITLE_WORD.test(before.toLowerCase()) || (/^\p{Lu}/u.test(before) && isAnyGiven(before))));
}

/** A word capitalised as names are: "Anna", "Jo", "McDonald", "DeShawn", "MacArthur", "O'Neil", "Smith-Jones". */
const NAME_CASED = /^(?:\p{Lu}\p{Ll}{0,3}\p{Lu}?\p{Ll}+|\p{Lu}['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}\p{Ll}+)*$/u;
const UNLEET: Readonly<Record<string, string>> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's' };

const TITLE_WORD = new RegExp(String.raw`^(?:${TITLES.toLowerCase()})$`, 'u');
/** A word in random casing or with leet digits: "ChilDReN", "HtML", "S1urs" (not "McDonald", "NASA", "R2"). */
const irregularWord = (w: string): boolean =>
  (/\p{L}/u.test(w) && /[0-9]/.test(w) && /\p{L}{2}/u.test(w)) || (/\p{Ll}/u.test(w) && /\p{Lu}/u.test(w) && !NAME_CASED.test(w));

/**
 * Whether a span the analyzer marked is written the way a name is. In a text written in random casing
 * or leet digits the model marks ordinary words ("wEBSitE iN HtML", "BEAUTIfUL ChilDReN", "s.0M3 S1urs"):
 * there, a span none of whose words is capitalised as a name counts only when one of its words, read
 * without the leet digits, is a known given name ("jOhN sMiTh", "J0HN"). Elsewhere an odd spelling is
 * the writer's own ("call me SuZUKI") and stays a name.
 */
function casedLikeAName(text: string, start: number, end: number): boolean {
  const words = text.slice(start, end).match(/[\p{L}\p{N}@$'’-]+/gu) ?? [];
  if (words.some((w) => NAME_CASED.test(w))) return true;
  const around = `${text.slice(Math.max(0, start - 160), start)} ${text.slice(end, end + 160)}`.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  if (around.filter(irregularWord).length < 3) return true;
  // Read without look-alike letters and leet digits, "1" as either "i" or "l" ("1ouis", "Ma1ia").
  const readings = (w: string): string[] => {
    const lower = foldForAnalysis(w).toLowerCase();
    return [lower, ...['i', 'l'].map((one) => lower.replace(/[0-9@$]/g, (c) => (c === '1' ? one : (UNLEET[c] ?? c))))];
  };
  // The word before counts too: the model often marks a surname alone ("1ouis [Jon3s]", "Dr. [Jon3s]").
  const before = /([\p{L}\p{N}@$'’-]+)\.?[ \t]+$/u.exec(text.slice(Math.max(0, start - 24), start))?.[1];
  if (before && readings(before).some((r) => TITLE_WORD.test(r))) return true;
  return [...words, ...(before ? [before] : [])].some((w) => readings(w).some(isAnyGiven));
}

/**
 * What follows the name of a school, a prize or a building ("Abraham Lincoln High School", "Alfred Nobel Prize"),
 * a law or a treaty ("the Tenant Fees Act") or an eponym ("Asperger Syndrome", "the Doppler Effect").
 */
const INSTITUTION_AFTER =
  /^(?:[ \t]+(?:High|Middle|Elementary|Primary|Secondary|Junior|Senior|Medical|Magnet|Charter|Memorial|Community|State|Technical|Animo|Math|Mathematics|Science|Sciences|Arts?|and|of|for))*[ \t]+(?:School|Schools|University|College|Academy|Institute|Hospital|Clinic|Foundation|Center|Centre|Library|Museum|Stadium|Arena|Airport|Prize|Award|Fellowship|Scholarship|Trust|Society|Institution|Observatory|Conservatory|Seminary|Cathedral|Church|Act|Acts|Treaty|Amendment|Accords?|Convention|Doctrine|Syndrome|Disease|Effect|Principle|Theorem|Paradox|Equation|Constant)(?![\p{L}])/u;

/**
 * Whether a name span is (part of) the name of an institution named after a person: the institution's
 * word follows it, possibly after words the span already took ("Woodrow Wilson High" + " School").
 */
export function namesAnInstitution(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (i > start && !/[ \t]/.test(text[i]!)) continue;
    if (i > start && INSTITUTION_AFTER.test(text.slice(i, end + 48))) return true;
  }
  return INSTITUTION_AFTER.test(text.slice(end, end + 48));
}

/** A name at `index` that is a public or fictional figure's in a prompt that carries no personal data. */
function publicFigureAt(text: string, index: number, personalText = PERSONAL_CONTEXT.test(text)): boolean {
  return !personalText && aboutPublicFigure(text, index);
}

type Found = { start: number; end: number; score: number };

function accept(out: Found[], toks: Tok[], score: number): void {
  if (toks.length === 0) return;
  out.push({ start: toks[0]!.start, end: toks[toks.length - 1]!.end, score });
}

/** Finds person names in normalized text, as spans with scores. */
export function findPersonNames(text: string): Found[] {
  const out: Found[] = [];
  const personalText = PERSONAL_CONTEXT.test(text);
  const publicFigure = (index: number): boolean => publicFigureAt(text, index, personalText);
  // Strong cues: any capitalised name; a lower-case known given name after "my name is" ("my name is marco").
  for (const m of text.matchAll(STRONG_RE)) {
    const at = m.index + m[0].length;
    const toks = readName(text, at);
    // "a character named Jane", "a man named Harry" in a story: fiction, unless the prompt is about someone's personal data.
    if (toks.length > 0 && /^named\b/i.test(m[0]) && publicFigure(toks[0]!.start)) continue;
    if (toks.length > 0) accept(out, toks, 0.9);
    else {
      const low = /^[\p{L}'’-]+/u.exec(text.slice(at, at + 30));
      if (low && isAnyGiven(low[0]) && !STOP.has(low[0].toLowerCase())) out.push({ start: at, end: at + low[0].length, score: 0.8 });
    }
  }
  for (const m of text.matchAll(LABEL_RE)) accept(out, readName(text, m.index + m[0].length), 0.85);
  for (const m of text.matchAll(TITLE_RE)) {
    // "Dr" after a house number is a street type ("12 Oak Dr"), not a title.
    if (/\d[ \t]+(?:\p{Lu}\p{L}*[ \t]+){1,3}$/u.test(text.slice(Math.max(0, m.index - 30), m.index)) && /^Dr/i.test(m[0])) continue;
    // "When did Sir Humphry Davy invent …", "Who did Christian Slater play in Mr. Robot?": a title in a
    // general-knowledge question or a role-play names a public or fictional figure.
    if (publicFigure(m.index)) continue;
    accept(out, readName(text, m.index + m[0].length), 0.9);
  }
  for (const m of text.matchAll(SIGNOFF_RE)) {
    const at = m.index + m[0].length;
    const toks = readName(text, at, 3);
    // The sign-off name stands alone on its line.
    if (toks.length > 0 && /^[ \t]*(?:\n|$|,|\()/.test(text.slice(toks[toks.length - 1]!.end))) accept(out, toks, 0.85);
  }
  for (const m of text.matchAll(WEAK_RE)) {
    const toks = readName(text, m.index + m[0].length);
    if (toks.length === 0) continue;
    const cue = m[0].replace(/[\s,]+/g, ' ').trim().toLowerCase();
    const generic = /^(?:ask|tell|meet|met|meeting with|cc)$/.test(cue);
    // "I'm", "this is", "thanks": only a known given name ("I'm Italian", "this is Spring Boot" stay).
    const speech = /^(?:said|says|asked|replied|shouted at|yelled at|whispered to|told|texted|emailed|messaged)$/.test(cue);
    const selfIntro = speech || /^(?:i am|i'm|i’m|this is|it's|thanks|thank you|was called|is called|were called)$/.test(cue);
    const first = toks[0]!.text;
    // Reported speech about a public or fictional figure ("as he told Winston Churchill") is not personal data.
    if (speech && publicFigure(toks[0]!.start)) continue;
    // A known given name, or (after a role, "Dear", "Hi") two capitalised words.
    if (isGiven(first) || (!generic && isAnyGiven(first)) || (!generic && !selfIntro && toks.length >= 2)) accept(out, toks, 0.8);
    else if (generic && toks.length >= 2 && isAnyGiven(first)) accept(out, toks, 0.75);
  }
  // Possessive before personal data: "Maria Lopez's SSN".
  for (const m of text.matchAll(POSSESSIVE_RE)) {
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    const run = /((?:\p{Lu}[\p{L}'’-]*|\p{Lu}\.)(?:[ \t]+(?:\p{Lu}[\p{L}'’-]*|\p{Lu}\.)){0,3})$/u.exec(before);
    if (!run) continue;
    const start = m.index - run[1]!.length;
    const toks = readName(text, start).filter((t) => t.end <= m.index);
    if (toks.length === 0 || toks[toks.length - 1]!.end !== m.index) continue;
    // A capitalised verb or word that only starts the sentence ("Update Maria Lopez's email") is not part of the name.
    while (toks.length > 1 && !isAnyGiven(toks[0]!.text) && /(?:^|[.!?\n]\s*)$/.test(text.slice(Math.max(0, toks[0]!.start - 3), toks[0]!.start))) toks.shift();
    // "What is Taylor Swift's date of birth?": a full name in a question about a figure's facts stays.
    if (toks.length >= 2 && figureQuestionAt(text, toks[0]!.start)) continue;
    if (isAnyGiven(toks[0]!.text) || toks.length >= 2) accept(out, toks, 0.85);
  }
  // No cue: a known given name followed by a capitalised surname ("Fatima Tanaka", "Hiroshi William Okafor").
  // "When did Isaac Newton invent…", "Imagine you are Charles Darwin" and a table of football players stay
  // as they are, unless the prompt is about someone's personal data (a cue name, personal-data words).
  const personal = out.length > 0 || (PERSONAL_CONTEXT.test(text) && !asksAboutAFigure(text));
  for (const m of text.matchAll(/\p{Lu}\p{Ll}+/gu)) {
    if (!GIVEN.has(m[0].toLowerCase())) continue;
    if (/[\p{L}\p{N}'’-]$/u.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
    const toks = readName(text, m.index);
    if (toks.length < 2 || toks[0]!.end !== m.index + m[0].length) continue;
    // Places named after people ("Nikita Falls", "Jaden Row", "Helen Camp") are not people.
    if (PLACE_WORDS.has(toks[toks.length - 1]!.text.toLowerCase())) continue;
    // A general-knowledge question, a role-play or a table about (public) people is not personal data
    // in the prompt, unless the prompt is about someone's personal data.
    if (!personal && aboutPublicFigure(text, m.index)) continue;
    // Take in one or two capitalised words right before it ("Siobhan Declan Okafor"), unless they start a sentence.
    let first = toks[0]!;
    for (let k = 0; k < 2; k++) {
      const prev = /(\p{Lu}(?=[\p{L}'’-]*\p{Ll})[\p{L}'’-]*)[ \t]$/u.exec(text.slice(Math.max(0, first.start - 25), first.start));
      if (!prev || STOP.has(prev[1]!.toLowerCase())) break;
      const ps = first.start - prev[0].length;
      if (/(?:^|[.!?:\n"(]\s*)$/.test(text.slice(Math.max(0, ps - 3), ps)) || /[\p{L}\p{N}]$/u.test(text.slice(Math.max(0, ps - 1), ps))) break;
      first = { start: ps, end: ps + prev[1]!.length, text: prev[1]! };
    }
    accept(out, [first, ...toks], 0.75);
  }
  // A known given name followed by what only people do: "Sophia lives on …", "Wei was born on …",
  // "Hiroshi, the teacher, said", "add Camila as guardian", "Yuki shouted at Olga"; at the start of a
  // sentence, a given name that is not an ordinary word followed by "is very / was so …" ("Ingrid is very reliable").
  for (const m of text.matchAll(/\p{Lu}\p{Ll}+(?:-\p{Ll}+)?/gu)) {
    if (!isAnyGiven(m[0])) continue;
    if (/[\p{L}\p{N}'’-]$/u.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
    const toks = readName(text, m.index, 3);
    if (toks.length === 0 || toks[0]!.end !== m.index + m[0].length) continue;
    const last = toks[toks.length - 1]!;
    if (PLACE_WORDS.has(last.text.toLowerCase())) continue;
    const rest = text.slice(last.end, last.end + 60);
    const atStart = /(?:^|[.!?:\n"“(][ \t]*)$/.test(text.slice(Math.max(0, m.index - 3), m.index));
    if (!(PERSON_AFTER.test(rest) || (atStart && isGiven(m[0]) && SUBJECT_AFTER.test(rest)))) continue;
    if (publicFigure(m.index)) continue;
    accept(out, toks, 0.8);
  }
  // "said Aisha to Nguyen", "Yuki shouted at Olga": the second name of a reported exchange.
  for (const m of text.matchAll(EXCHANGE_RE)) {
    const toks = readName(text, m.index + m[0].length, 3);
    if (toks.length > 0 && isAnyGiven(toks[0]!.text) && !publicFigure(m.index)) accept(out, toks, 0.8);
  }
  // The name line of an address block ("Robert\n8209 Ridge Ave, …") or a name right before an address
  // ("(Amelia Lopez, 57 rue Victor Hugo, …)").
  if (/\d/.test(text)) {
    for (const [s] of findAddresses(text)) {
      const pre = /(?:^|\n|\(|;)[ \t]*((?:[^\n(;,]{1,60}?))[ \t]*(?:,[ \t]*|\n[ \t]*)$/.exec(text.slice(Math.max(0, s - 64), s));
      if (!pre) continue;
      let at = s - pre[0].length + pre[0].indexOf(pre[1]!);
      const title = new RegExp(String.raw`^(?:${TITLES}|${TITLES.toLowerCase()})\.?[ \t]+`, 'u').exec(text.slice(at, at + 16));
      if (title) at += title[0].length;
      const toks = readName(text, at);
      if (toks.length === 0 || text.slice(toks[toks.length - 1]!.end, s).replace(/[ \t,\n]/g, '') !== '') continue;
      if (title || isAnyGiven(toks[0]!.text) || toks.length >= 2) accept(out, toks, 0.8);
    }
  }
  return widest(out).filter((f) => !namesAnInstitution(text, f.start, f.end) && !publicFigureName(text, f.start, f.end));
}

/** Overlapping candidates become one span, the union of them, with the highest score. */
function widest(found: Found[]): Found[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Found[] = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      last.score = Math.max(last.score, f.score);
    } else merged.push({ ...f });
  }
  return merged;
}

/** `folded` (lower-case, homoglyphs and leet folded, same length) with the capitalisation of `text`. */
function foldedWithCase(text: string, folded: string): string {
  if (folded.length !== text.length) return text;
  let out = '';
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const t = text[i]!;
    const f = folded[i]!;
    if (f === t || f === t.toLowerCase()) out += t;
    else {
      changed = true;
      out += t !== t.toLowerCase() ? f.toUpperCase() : f;
    }
  }
  return changed ? out : text;
}

/** Detects person names (category pii, kind person_name, placeholder NAME). */
export const personDetector: Detector = {
  name: 'person_name',
  detect(n: NormalizedText): Detection[] {
    const found = findPersonNames(n.text);
    // Names written with look-alike letters or leet digits ("Маrco Kumаr", "M1n-jun J0hn50n"): the same
    // rules on the folded text with the original capitalisation, offsets 1:1.
    const view = foldedWithCase(n.text, n.folded);
    const spans = view === n.text ? found : widest([...found, ...findPersonNames(view)]);
    return spans.map((f) =>
      detectionAt(n, f.start, f.end, { kind: 'person_name', category: 'pii', score: f.score, placeholderType: 'NAME', reason: 'Person name' }),
    );
  },
};

const MONTH_ABBR = /^(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)$/;

/**
 * Further mentions of names already found in `text`, written the same way, as whole words: the whole
 * name again ("Cindy Lee … Cindy Lee"), or one of its words on its own when that word is a known given
 * name ("Sarah Connor … tell Sarah", "Cindy … older than Cindy"). A given name that is also an ordinary
 * word or a month ("May", "Jan") counts only inside a sentence and not before a number ("Jan 5"). A
 * mention that is part of a public figure's or an institution's name, or a given name that begins
 * another full name ("Albert Einstein" after "my friend Albert"), is left alone, and so are the
 * mentions inside `taken` (spans already found). Model spans that are no names (a "Festival" in a
 * table) are not spread: surnames and other words are never matched alone.
 */
export function nameMentions(text: string, names: readonly { start: number; end: number }[], taken: readonly { start: number; end: number }[]): { start: number; end: number; of: number }[] {
  const out: { start: number; end: number; of: number }[] = [];
  // Characters already taken (spans found, mentions found): one byte each, so a text with thousands of names stays linear.
  const used = new Uint8Array(text.length);
  const mark = (a: number, b: number): void => void used.fill(1, Math.max(0, a), Math.min(text.length, b));
  const free = (a: number, b: number): boolean => used.subarray(a, b).every((u) => u === 0);
  for (const t of taken) mark(t.start, t.end);
  // Each form once (the first name that has it), whole names before their words, longer before shorter.
  const forms = new Map<string, number>();
  names.forEach((n, of) => {
    const full = text.slice(n.start, n.end).trim();
    const words = full.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
    if (words.length === 0 || !words.every((w) => NAME_CASED.test(w))) return;
    for (const form of [...(words.length > 1 ? [full] : []), ...words.filter(isAnyGiven)]) if (!forms.has(form)) forms.set(form, of);
  });
  const ordered = [...forms].sort(([a], [b]) => (b.split(/\s+/).length - a.split(/\s+/).length) || b.length - a.length);
  // Where each word (a run of letters and digits) starts: a form is looked up by its first word.
  const starts = new Map<string, number[]>();
  if (ordered.length > 0) {
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const list = starts.get(m[0]);
      if (list) list.push(m.index);
      else starts.set(m[0], [m.index]);
    }
  }
  for (const [form, of] of ordered) {
    const lw = form.toLowerCase();
    if (form.length < 2 || STOP.has(lw) || TITLE_WORD.test(lw)) continue;
    const shared = AMBIGUOUS.has(lw) || MONTH_ABBR.test(lw) || !/[\p{L}]{4}/u.test(form);
    const first = /^[\p{L}\p{N}]+/u.exec(form)?.[0];
    for (const a of (first && starts.get(first)) || []) {
      const b = a + form.length;
      // The form as a whole word: nothing word-like before it, nor after it but a possessive ("Connor's").
      if (!text.startsWith(form, a) || (a > 0 && /[\p{L}\p{N}'’-]/u.test(text[a - 1]!)) || /^(?:[\p{L}\p{N}-]|['’]\p{L}{2})/u.test(text.slice(b, b + 3))) continue;
      if (!free(a, b) || namesAnInstitution(text, a, b) || publicFigureName(text, a, b)) continue;
      // A given name that begins a longer name ("Albert Einstein") is someone else's.
      if (!/\s/.test(form) && /^[ \t]+\p{Lu}\p{Ll}/u.test(text.slice(b, b + 3))) continue;
      if (shared && (/(?:^|[.!?:\n]\s*)$/.test(text.slice(Math.max(0, a - 3), a)) || /^\s*\d/.test(text.slice(b, b + 3)))) continue;
      out.push({ start: a, end: b, of });
      mark(a, b);
    }
  }
  return out.sort((x, y) => x.start - y.start);
}
