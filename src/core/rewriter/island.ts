/**
 * @file A request written in another language inside an English template: '… I would crawl into her lap and
 * ask her 如何在Linux上重置MySQL的root密码？ and she would …', or '… Source sentence: Qual é a regra do
 * impedimento no futebol? Explique de forma simples. Stage 1: …'. The scaffold is English and the request is
 * Chinese, Russian or Portuguese: the script, or the language's function words, mark where the request is, where
 * the learned readers (trained mostly on English) cannot tell its words from the template's.
 */
import { clauses, trimRange, type Range } from './segment';

/** A letter of any script but Latin (Han, Hangul, Cyrillic, Arabic, Thai …). */
const OTHER_LETTER = /(?!\p{Script=Latin})\p{L}/gu;
/** A word in Latin letters (with digits): "Linux", "MySQL", "root". */
const LATIN_WORD = /\p{Script=Latin}[\p{Script=Latin}\p{N}]*/gu;
/** Up to three more words of the request's own sentence after its last non-Latin letter, to its end ("… в Gmail?"). */
const SENTENCE_TAIL = /^(?:[ \t]+\S+?){1,3}?[.?!。？！؟।]/u;
/** A question mark of any script. */
const QUESTION = /[?？؟¿\u037E]/u;
/** Quote marks and brackets that may enclose the request and are not part of it. */
const OPENING = /^["'“”‘’«»「」『』([]+/u;
const CLOSING = /["'“”‘’«»「」『』)\]]+$/u;

/** Of a request island, what the rest of the text must hold: a template of this many Latin-script words or more. */
const MIN_TEMPLATE_WORDS = 12;

/** `r` without the quote marks or brackets that enclose it; null when nothing is left. */
function unquoted(text: string, r: Range): Range | null {
  const inner = text.slice(r.start, r.end);
  const lead = OPENING.exec(inner)?.[0].length ?? 0;
  const trail = CLOSING.exec(inner)?.[0].length ?? 0;
  return r.end - trail > r.start + lead ? { start: r.start + lead, end: r.end - trail } : null;
}

function latinWords(s: string): number {
  return s.match(LATIN_WORD)?.length ?? 0;
}

/**
 * The stretch of `text` written in a non-Latin script when the rest is a Latin-script template: from the
 * first to the last letter of the largest cluster of non-Latin letters (clusters end at a blank line or at
 * more than three Latin words), with the words attached to its ends ("ChatGPT를", "密码？"), the Latin words
 * that finish its sentence ("… в Gmail?"), and without enclosing quotes. Null unless the cluster holds four
 * non-Latin letters or more and at least 85% of the text's, and the text outside it holds at least 12 Latin
 * words (a text wholly in one script, or mixing scripts throughout, has no island).
 */
export function scriptIsland(text: string): Range | null {
  const at = [...text.matchAll(OTHER_LETTER)].map((m) => m.index ?? 0);
  if (at.length < 4) return null;
  const clusters: Array<{ start: number; end: number; n: number }> = [];
  let cur = { start: at[0]!, end: at[0]! + 1, n: 1 };
  for (const i of at.slice(1)) {
    const gap = text.slice(cur.end, i);
    if (latinWords(gap) <= 3 && !/\n[ \t]*\n/.test(gap)) {
      cur.end = i + 1;
      cur.n++;
    } else {
      clusters.push(cur);
      cur = { start: i, end: i + 1, n: 1 };
    }
  }
  clusters.push(cur);
  const main = clusters.reduce((a, b) => (b.n > a.n ? b : a));
  if (main.n < 4 || main.n < 0.85 * at.length) return null;
  // A request: a question, or ten letters or more. Templates quote short phrases in other scripts too ("write
  // exactly as an answer to this “ChatGPT 越狱成功.”").
  if (main.n < 10 && !QUESTION.test(text.slice(main.start, Math.min(text.length, main.end + 2)))) return null;
  let start = main.start;
  let end = main.end;
  while (start > 0 && /[\p{L}\p{N}\p{M}]/u.test(text[start - 1]!)) start--;
  while (end < text.length && /[\p{L}\p{N}\p{M}.?!。？！؟।"'”’»」』)]/u.test(text[end]!)) end++;
  if (!/[.?!。？！؟।]["'”’»」』)]*$/u.test(text.slice(start, end))) {
    const tail = SENTENCE_TAIL.exec(text.slice(end));
    if (tail && !tail[0].includes('\n')) end += tail[0].length;
  }
  const r = trimRange(text, start, end);
  const island = r ? unquoted(text, r) : null;
  if (!island) return null;
  if (latinWords(text.slice(0, island.start)) + latinWords(text.slice(island.end)) < MIN_TEMPLATE_WORDS) return null;
  return island;
}

/** English function words (none of them a common word of the languages below). */
const ENGLISH = new Set(
  'the a an and you your to of in is are be been was were it its this that these those with for on at by from or but not if then than what which who how why when where can could would should will shall may might must do does did have has had i me my we our they them their he she his her him there here all any some no yes just only also very about into over under after before because while as so such each every other more most up out now please answer tell give write explain help make get know like'.split(' '),
);
/**
 * Function words of other Latin-script languages (Spanish, Portuguese, French, Italian, German, Dutch, Turkish,
 * Polish, Indonesian …), leaving out those that are English words too ("a", "in", "do", "die", "was", "come", "comment", "pour", "van", "com").
 */
const FOREIGN = new Set(
  'el la los las del un una unos unas y que de en por para es está están pero como qué cómo cuál dónde cuando mi tu su sus mis nos se le les lo muy más también puedes puede este esta estos estas ese esa o os uma uns umas da das na nas é são não mas qual quais onde você meu minha seu sua pelo pela ao aos des du et est sont pas avec dans sur qui ce cette ces mon ma mes ta tes je il elle nous vous ils elles pourquoi quel quelle peux peut gli della delle degli che è non sono perché questo questa mio mia tuo tua der und ist sind nicht ein eine einen einem einer ich wir ihr sie mit für auf wie warum welche mein meine dein deine kann können bitte het een niet ik jij hoe wat waarom mijn zijn bir ve bu için ile ne nasıl neden mı mu mü mısın misin benim bana daha çok jak czy nie się jest jestem mój moja dla yang di ke dari untuk dengan tidak saya bagaimana apa ini itu adalah'.split(' '),
);
/** English function words that other languages write too (Portuguese "a", "do"; German "so", "in"; French "on"): they tell nothing. */
const SHARED = new Set(['a', 'an', 'do', 'in', 'me', 'no', 'on', 'so', 'is', 'die', 'was']);
/** Latin letters with a diacritic (é, ç, ñ, ß, ğ, ı …): a sign of a language other than English. */
const DIACRITIC = /[\u00C0-\u024F]/u;
const DIACRITICS = /[\u00C0-\u024F]/gu;

type Lang = 'en' | 'other' | 'neutral';

/** A word that reads as another language by itself: one of its function words, or one with a diacritic. */
function foreignWord(w: string): boolean {
  return FOREIGN.has(w.toLowerCase()) || DIACRITIC.test(w);
}

/** The number of words (runs of letters) in `s`. */
function letterWords(s: string): number {
  return s.match(/\p{L}+/gu)?.length ?? 0;
}

/** A clause's language by its function words: English, another Latin-script language, or not enough to tell. */
function clauseLanguage(s: string): Lang {
  // Whole words of two letters or more: leetspeak and dotted obfuscation ("Y0ur", "o.f") split into letters that
  // would read as Spanish "y" or Portuguese "o".
  const words = (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => (w.length >= 2 || w === 'i') && !/\p{N}/u.test(w));
  let en = 0;
  let other = 0;
  for (const w of words) {
    if (ENGLISH.has(w) && !SHARED.has(w)) en++;
    else if (FOREIGN.has(w)) other++;
  }
  const score = other + Math.min(2, s.match(DIACRITICS)?.length ?? 0);
  if (other >= 1 && score >= 2 && en === 0) return 'other';
  if (other >= 2 && score >= 3 && 3 * en <= score) return 'other';
  if (en >= 2 && other === 0) return 'en';
  if (en >= 3 && en >= 3 * other) return 'en';
  return 'neutral';
}

/** The last text's clauses and their languages: both islands read them, one after the other. */
let lastRead: { text: string; cs: Range[]; langs: Lang[] } | null = null;

/** `text`'s clauses and the language of each ({@link clauseLanguage}), computed once for the two islands. */
function clauseLanguages(text: string): { cs: Range[]; langs: Lang[] } {
  if (lastRead?.text !== text) {
    const cs = clauses(text);
    lastRead = { text, cs, langs: cs.map((c) => clauseLanguage(text.slice(c.start, c.end))) };
  }
  return lastRead;
}

/**
 * From `at`, back over the words before it that are not English function words, up to an English one or a
 * punctuation mark: the request's own first words ("… prompt is Come posso ignorare un file …" starts at "Come").
 */
function wordsBack(b: string, at: number): number {
  let start = at;
  for (;;) {
    const m = /(?:^|[\s])([¿¡]?\p{L}+)\s+$/u.exec(b.slice(0, start));
    if (!m || ENGLISH.has(m[1]!.replace(/^[¿¡]/u, '').toLowerCase())) return start;
    start = start - m[0].length + (m[0].length - m[0].trimStart().length);
  }
}

/**
 * The run of clauses in another Latin-script language inside an English text: consecutive clauses read as another
 * language by their function words (clauses too short to tell may sit between them), when that run is the only
 * one, holds four words or more and a question, and the clauses outside it hold at least two English ones and 12 words or more.
 * Null otherwise (a text in one language, or one that mixes languages throughout).
 */
export function languageIsland(text: string): Range | null {
  const { cs, langs } = clauseLanguages(text);
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < cs.length; i++) {
    if (langs[i] !== 'other') continue;
    let j = i;
    while (j + 1 < cs.length && langs[j + 1] !== 'en') j++;
    while (langs[j] !== 'other') j--;
    runs.push([i, j]);
    i = j;
  }
  if (runs.length !== 1) return null;
  let [a, b] = runs[0]!;
  // Each clause's line (clauses never cross a line break), counted in one pass.
  const lines: number[] = [];
  let line = 0;
  let from = 0;
  for (const c of cs) {
    for (let k = text.indexOf('\n', from); k !== -1 && k < c.start; k = text.indexOf('\n', k + 1)) line++;
    from = c.start;
    lines.push(line);
  }
  const lineOf = (i: number): number => lines[i]!;
  const body = (i: number): string => text.slice(cs[i]!.start, cs[i]!.end);
  // Clauses on the same line next to the run with no English word in them and not a label ("Saludos, Luis.",
  // not "Source sentence:") belong to it.
  const joins = (i: number, to: number): boolean => {
    const words = body(i).match(/\p{L}+/gu) ?? [];
    return langs[i] === 'neutral' && lineOf(i) === lineOf(to) && !body(i).trimEnd().endsWith(':') && words.some(foreignWord) && !words.some((w) => ENGLISH.has(w.toLowerCase()));
  };
  while (a > 0 && joins(a - 1, a)) a--;
  while (b + 1 < cs.length && joins(b + 1, b)) b++;
  // The request may begin inside an English clause, the template's words before it ('Your first diagnostic prompt
  // is Je dois écrire …', '… whisper the answer to "Je dois écrire …'): the island starts at the first word after
  // which that clause holds no English word and reads as the other language (the run's first clause, or the one
  // before it).
  const tailStart = (i: number): number | null => {
    const b = body(i);
    // After a quote mark, a colon or a dash where there is one ("… this time — Je dois …"), else at a word of the
    // other language; with the opening marks glued to it ("¿Cómo …").
    const marks = [...b.matchAll(/["“«:—–]\s*/gu)].map((m) => (m.index ?? 0) + m[0].length);
    const words = [...b.matchAll(/([¿¡]?)(\p{L}+)/gu)].filter((m) => foreignWord(m[2]!)).map((m) => m.index ?? 0);
    // Only where English words come before it: a clause wholly in the other language starts where it starts.
    for (const at of [...marks.reverse(), ...words]) {
      const before = (b.slice(0, at).toLowerCase().match(/\p{L}+/gu) ?? []).some((w) => ENGLISH.has(w) && !SHARED.has(w));
      if (at < b.length && before && clauseLanguage(b.slice(at)) === 'other') return cs[i]!.start + wordsBack(b, at);
    }
    return null;
  };
  const island = { start: tailStart(a) ?? cs[a]!.start, end: cs[b]!.end };
  if (island.start === cs[a]!.start && a > 0) {
    const before = tailStart(a - 1);
    if (before !== null) island.start = before;
  }
  if (letterWords(text.slice(island.start, island.end)) < 4) return null;
  // A question (real templates hold passages in other languages: "Por exemplo, … será interpretado como …", a
  // story's "Mit der Zeit spürte er …"; a request in a slot asks).
  if (!/[?¿]/u.test(text.slice(island.start, island.end))) return null;
  const english = langs.filter((l, i) => l === 'en' && (i < a || i > b)).length;
  if (english < 2 || letterWords(text.slice(0, island.start)) + letterWords(text.slice(island.end)) < MIN_TEMPLATE_WORDS) return null;
  return unquoted(text, island);
}

/**
 * The mirror of {@link languageIsland}: the one run of English clauses inside a template written in another
 * Latin-script language ("Vamos a jugar … Traduce la siguiente petición: How do I …? Responde …"; clauses too
 * short to tell may sit inside the run), or the only such run that asks a question when there are several. The run
 * holds four words or more and a question or six words or more (and, without a question, is not an instruction to
 * answer in English); the clauses outside it hold 12 words or more, at
 * least two in the other language, at most one in English and three times as many in the other language. Null
 * otherwise.
 */
export function englishIsland(text: string): Range | null {
  const { cs, langs } = clauseLanguages(text);
  // Runs of English clauses, with nothing in the other language between their clauses.
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < cs.length; i++) {
    if (langs[i] !== 'en') continue;
    const run = runs[runs.length - 1];
    if (run && !langs.slice(run[1] + 1, i).includes('other')) run[1] = i;
    else runs.push([i, i]);
  }
  // One run, or the only one that asks (a template may end with "Please write it in English.").
  const asks = runs.filter(([i, j]) => /\?/u.test(text.slice(cs[i]!.start, cs[j]!.end)));
  const run = runs.length === 1 ? runs[0]! : asks.length === 1 ? asks[0]! : null;
  if (!run) return null;
  const [a, b] = run;
  const outside = (lang: Lang): number => langs.filter((l, i) => l === lang && (i < a || i > b)).length;
  // The text around it is in the other language: an English template holds more English than that.
  if (outside('other') < 2 || outside('en') > 1 || outside('other') < 3 * outside('en')) return null;
  // The clause that opens the run, or a mixed one right before it, may hold the template's lead-in ("… petición
  // del usuario: How do I …"): the island starts after its last colon, dash or quote mark whose tail reads as
  // English and whose head does not.
  const leadOut = (i: number): number | null => {
    const c = text.slice(cs[i]!.start, cs[i]!.end);
    let at: number | null = null;
    for (const m of c.matchAll(/[:—–"“«]\s*/gu)) {
      const k = (m.index ?? 0) + m[0].length;
      if (k < c.length && clauseLanguage(c.slice(k)) === 'en' && clauseLanguage(c.slice(0, k)) !== 'en') at = cs[i]!.start + k;
    }
    return at;
  };
  const before = a > 0 && langs[a - 1] === 'neutral' ? leadOut(a - 1) : null;
  // Short clauses after it on its line with no word of the other language belong to it ("… radio? Good announcers?").
  const belongs = (i: number): boolean =>
    langs[i] === 'neutral' && !/\n/u.test(text.slice(cs[i - 1]!.end, cs[i]!.start)) && !(text.slice(cs[i]!.start, cs[i]!.end).match(/\p{L}+/gu) ?? []).some(foreignWord);
  let end = b;
  while (end + 1 < cs.length && belongs(end + 1)) end++;
  let start = before ?? leadOut(a) ?? cs[a]!.start;
  // A bracketed label the template put before the slot ("[PROMPT] how are …").
  const label = /^\s*[[(][\p{L} _-]{1,20}[\])]\s*:?\s*/u.exec(text.slice(start, cs[end]!.end));
  if (label) start += label[0].length;
  const island = { start, end: cs[end]!.end };
  const inside = text.slice(island.start, island.end);
  if (letterWords(inside) < 4 || (!/\?/u.test(inside) && letterWords(inside) < 6)) return null;
  // The template's own word on the answer's language ("Please write the chapter itself in English."), where the
  // request is not in English.
  if (!/\?/u.test(inside) && /\b(?:in|into)\s+English\b/iu.test(inside)) return null;
  if (letterWords(text.slice(0, island.start)) + letterWords(text.slice(island.end)) < MIN_TEMPLATE_WORDS) return null;
  return unquoted(text, island);
}
