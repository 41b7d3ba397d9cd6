/**
 * @file The text structure the edit search works with: lines, and sentences within lines, as
 * UTF-16 ranges of the original text (trimmed of surrounding white space), and the snapping of a
 * span to the units it touches. Pure; no I/O.
 */

/** A unit of text: a sentence inside a line (or a whole line). `[start, end)`, trimmed. */
export type Unit = { start: number; end: number; line: number };

/** A range `[start, end)` of the original text. */
export type Range = { start: number; end: number };

/** Sentence ends: terminal punctuation (optionally closed by quotes/brackets) followed by white space. */
const SENTENCE_END = /[.!?\u2026\u3002\uFF01\uFF1F]+["'\u201D\u2019)\]]*(?=\s)/g;

export function trimRange(text: string, start: number, end: number): Range | null {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return s < e ? { start: s, end: e } : null;
}

/** Lines of `text` (without their line break), trimmed, empty lines skipped. */
export function lines(text: string): Range[] {
  const out: Range[] = [];
  let at = 0;
  while (at <= text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const r = trimRange(text, at, nl);
    if (r) out.push(r);
    at = nl + 1;
  }
  return out;
}

/**
 * Words whose trailing full stop does not end a sentence ("e.g. a meltdown", "Dr. Smith"): lower-cased,
 * without the final stop. Capital initials and acronyms ("J. K.", "U.S.") are handled apart.
 */
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'vs', 'cf', 'al', 'approx', 'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'fig', 'inc', 'ltd', 'co', 'dept', 'est', 'ca', 'eg', 'ie']);

/** Whether the match of SENTENCE_END at `index` of `body` is the stop of an abbreviation, not a sentence end. */
function abbreviationStop(body: string, index: number, match: string): boolean {
  if (match !== '.') return false;
  const word = /(?:^|[\s("'\u201C\u2018[])([\p{L}.]+)$/u.exec(body.slice(Math.max(0, index - 12), index));
  if (!word) return false;
  const w = word[1]!;
  // "e.g." "Dr.", and initials and acronyms: "J. K." "U.S." (capital letters, each followed by a stop)
  return ABBREVIATIONS.has(w.toLowerCase()) || /^\p{Lu}$/u.test(w) || /^(?:\p{Lu}\.)+\p{Lu}$/u.test(w);
}

/** Sentences of `text`, never crossing a line break; a stop after an abbreviation or an initial ends none. */
export function sentences(text: string): Unit[] {
  const out: Unit[] = [];
  lines(text).forEach((line, li) => {
    const body = text.slice(line.start, line.end);
    let at = 0;
    SENTENCE_END.lastIndex = 0;
    for (const m of body.matchAll(SENTENCE_END)) {
      if (abbreviationStop(body, m.index ?? 0, m[0])) continue;
      const end = (m.index ?? 0) + m[0].length;
      const r = trimRange(text, line.start + at, line.start + end);
      if (r) out.push({ ...r, line: li });
      at = end;
    }
    const r = trimRange(text, line.start + at, line.end);
    if (r) out.push({ ...r, line: li });
  });
  return out;
}

/** Clause ends: a sentence end, or a colon followed by a space or tab ("Answer as John: How do I …"). */
const CLAUSE_END = /[.!?\u2026\u3002\uFF01\uFF1F]+["'\u201D\u2019)\]]*(?=\s)|:(?=[ \t])/g;

/**
 * Clauses of `text`: sentences that are also cut after a colon followed by a space or tab, never
 * crossing a line break. The segmenter model (spec "diffguard-segmenter/1") scores these units: a
 * template's request slot often follows a colon inside a scaffold sentence.
 */
export function clauses(text: string): Range[] {
  const out: Range[] = [];
  for (const line of lines(text)) {
    const body = text.slice(line.start, line.end);
    let at = 0;
    for (const m of body.matchAll(CLAUSE_END)) {
      const end = (m.index ?? 0) + m[0].length;
      const r = trimRange(text, line.start + at, line.start + end);
      if (r) out.push(r);
      at = end;
    }
    const r = trimRange(text, line.start + at, line.end);
    if (r) out.push(r);
  }
  return out;
}

/** Characters of `unit` covered by the union of `spans`, as a share of the unit's length. */
export function coverage(unit: Range, spans: readonly Range[]): number {
  const len = unit.end - unit.start;
  if (len <= 0) return 0;
  const parts = spans
    .map((s) => ({ start: Math.max(s.start, unit.start), end: Math.min(s.end, unit.end) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let covered = 0;
  let at = unit.start;
  for (const p of parts) {
    const s = Math.max(p.start, at);
    if (p.end > s) {
      covered += p.end - s;
      at = p.end;
    }
  }
  return covered / len;
}

/** Sorted union of ranges (touching ranges merge). */
export function union(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * Joins removal ranges separated only by white space or punctuation, so that removing two
 * neighbouring sentences also removes the separator between them.
 */
export function bridge(text: string, ranges: readonly Range[]): Range[] {
  const u = union(ranges);
  const out: Range[] = [];
  for (const r of u) {
    const last = out[out.length - 1];
    if (last && /^[\s.,;:!?\-\u2013\u2014]*$/.test(text.slice(last.end, r.start))) last.end = r.end;
    else out.push({ ...r });
  }
  return out;
}
