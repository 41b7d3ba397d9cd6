/**
 * @file Builds the cleaned text from the original and a set of non-overlapping edits: `redact`
 * puts the replacement (a placeholder) in place of the span, `remove` deletes the span and tidies
 * only what the deletion leaves behind at the seam (double spaces, a space before punctuation, a
 * line left empty or holding only a bullet, a blank line at the start, an orphaned separator or an
 * empty pair of brackets/quotes). Everything else stays byte-identical. Pure; no I/O.
 */
import type { Action } from '../../shared/result';

/** One edit on the original text (UTF-16 offsets, end exclusive). `block`/`flag` keep the text. */
export type TextEdit = {
  start: number;
  end: number;
  action: Action;
  /** The text that replaces the span for `redact`; ignored for other actions. */
  replacement: string | null;
};

/** What a `redact` edit without a replacement becomes. */
export const DEFAULT_REDACTION = '[REDACTED]';

/** How far back the seam tidying looks into the text built so far. */
const LOOKBACK = 256;

const OPEN_TO_CLOSE: Record<string, string> = {
  '(': ')',
  '[': ']',
  '{': '}',
  '"': '"',
  "'": "'",
  '\u201C': '\u201D',
  '\u2018': '\u2019',
  '\u00AB': '\u00BB',
};

/** Punctuation that never follows a space. */
const CLOSING_PUNCT = /^[.,;:!?)\]}\u2026]/;
/** A line holding nothing, or only a list marker. */
const EMPTY_LINE = /^[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])?[ \t\r]*$/;
/** Separators orphaned at the start of a line once what preceded them is removed. */
const LEADING_SEPARATOR = /^[ \t]*(?:[,;:.!?]+|[-\u2013\u2014|]+)(?=[ \t]|\r?\n|$)[ \t]*/;
const LEADING_BLANK_LINES = /^(?:[ \t]*\r?\n)+/;

/** An append-only string builder whose tail can be inspected and trimmed cheaply. */
class TextBuilder {
  readonly #parts: string[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(s: string): void {
    if (s.length === 0) return;
    this.#parts.push(s);
    this.#length += s.length;
  }

  /** The last `n` characters (fewer when shorter). */
  tail(n: number): string {
    let out = '';
    for (let i = this.#parts.length - 1; i >= 0 && out.length < n; i--) out = this.#parts[i] + out;
    return out.length > n ? out.slice(out.length - n) : out;
  }

  dropTail(n: number): void {
    let left = n;
    while (left > 0 && this.#parts.length > 0) {
      const last = this.#parts[this.#parts.length - 1]!;
      if (last.length <= left) {
        this.#parts.pop();
        left -= last.length;
        this.#length -= last.length;
      } else {
        this.#parts[this.#parts.length - 1] = last.slice(0, last.length - left);
        this.#length -= left;
        left = 0;
      }
    }
  }

  toString(): string {
    return this.#parts.join('');
  }
}

function trailingMatch(text: string, re: RegExp): number {
  const m = re.exec(text);
  return m ? m[0].length : 0;
}

/**
 * Tidies the seam left by a removal: `out` holds the text before it, `right` the original text
 * that follows it up to the next edit. Trims `out`'s tail and returns `right` with its head trimmed.
 */
function tidySeam(out: TextBuilder, right: string, isAtEnd: boolean): string {
  const left = out.tail(LOOKBACK);
  const nl = left.lastIndexOf('\n');
  // The current line of `out`, when its start is visible; null for a very long line.
  const lineLeft = nl >= 0 ? left.slice(nl + 1) : out.length <= LOOKBACK ? left : null;
  const rightNl = right.indexOf('\n');
  const rightHead = rightNl >= 0 ? right.slice(0, rightNl) : right;
  const isLineEnd = rightNl >= 0 || isAtEnd;

  // 1. An empty pair of brackets or quotes around the removed span: drop the pair.
  const leftTrimmed = left.replace(/[ \t]+$/, '');
  const rightTrimmed = right.replace(/^[ \t]+/, '');
  const opener = leftTrimmed.slice(-1);
  const closer = OPEN_TO_CLOSE[opener];
  if (closer !== undefined && rightTrimmed.startsWith(closer)) {
    const isQuote = opener === '"' || opener === "'";
    const before = leftTrimmed.slice(-2, -1);
    const after = rightTrimmed.slice(1, 2);
    const isStandalone = !isQuote || ((before === '' || /\s/.test(before)) && (after === '' || /[\s.,;:!?]/.test(after)));
    if (isStandalone) {
      out.dropTail(left.length - leftTrimmed.length + 1);
      return tidySeam(out, rightTrimmed.slice(1), isAtEnd);
    }
  }

  // 2. The removal emptied its line (or left only a list marker): drop the whole line.
  if (lineLeft !== null && EMPTY_LINE.test(lineLeft) && /^[ \t\r]*$/.test(rightHead) && isLineEnd) {
    out.dropTail(lineLeft.length);
    let rest = rightNl >= 0 ? right.slice(rightNl + 1) : '';
    if (rightNl < 0) {
      // Nothing follows: drop the line break (and blank lines) that led to the removed line.
      out.dropTail(trailingMatch(out.tail(LOOKBACK), /\s+$/));
      return rest;
    }
    const tail = out.tail(LOOKBACK);
    const endsWithBlankLine = /\n[ \t\r]*\n$/.test(tail) || (out.length === tail.length && /^[ \t\r]*\n$/.test(tail));
    if (out.length === 0 || endsWithBlankLine) rest = rest.replace(LEADING_BLANK_LINES, '');
    return rest;
  }

  // 3. At the start of a line: no leading space, no orphaned separator.
  if (lineLeft !== null && /^[ \t]*$/.test(lineLeft)) {
    const trimmed = right.replace(LEADING_SEPARATOR, '').replace(/^[ \t]+/, '');
    return trimmed.length < right.length ? tidySeam(out, trimmed, isAtEnd) : right;
  }

  // 4. Inside a line.
  let rest = right;
  const leftSpace = trailingMatch(left, /[ \t]+$/);
  if (leftSpace > 0 || /[([{]$/.test(left)) rest = rest.replace(/^[ \t]+/, '');
  const isRestBlank = /^[ \t\r]*$/.test(rightNl >= 0 ? rest.slice(0, rest.indexOf('\n')) : rest);
  if (leftSpace > 0 && (CLOSING_PUNCT.test(rest) || (isLineEnd && isRestBlank))) out.dropTail(leftSpace);
  if (rest.length === 0 && !isAtEnd) return rest;
  // A separator left dangling before punctuation or the end of the line: "a, [removed]." → "a."
  const sep = trailingMatch(out.tail(LOOKBACK), /[,;][ \t]*$/);
  if (sep > 0 && (/^[.!?,;:]/.test(rest) || (isLineEnd && isRestBlank))) out.dropTail(sep);
  return rest;
}

/**
 * Applies `edits` to `original` and returns the cleaned text. Edits may come in any order but must
 * not overlap and must lie within the text. `redact` inserts `replacement` (or
 * {@link DEFAULT_REDACTION} when null); `remove` deletes the span and tidies the seam; `block` and
 * `flag` leave the text as it is.
 *
 * @throws RangeError when an edit is out of bounds or two edits overlap.
 */
export function applyEdits(original: string, edits: readonly TextEdit[]): string {
  const active = edits
    .filter((e) => e.action === 'redact' || e.action === 'remove')
    .slice()
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out = new TextBuilder();
  let cursor = 0;
  let isSeamPending = false;
  for (const e of active) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end > original.length || e.start > e.end) {
      throw new RangeError(`edit [${e.start}, ${e.end}) is outside the text (length ${original.length})`);
    }
    if (e.start < cursor) throw new RangeError(`edit [${e.start}, ${e.end}) overlaps the previous edit ending at ${cursor}`);
    let gap = original.slice(cursor, e.start);
    if (isSeamPending && gap.length > 0) {
      gap = tidySeam(out, gap, false);
      isSeamPending = false;
    }
    out.push(gap);
    if (e.action === 'redact') {
      out.push(e.replacement ?? DEFAULT_REDACTION);
      isSeamPending = false;
    } else if (e.end > e.start) {
      isSeamPending = true;
    }
    cursor = e.end;
  }
  let rest = original.slice(cursor);
  if (isSeamPending) rest = tidySeam(out, rest, true);
  out.push(rest);
  return out.toString();
}
