/**
 * @file The sentence encoder's tokenizer: a port of the upstream TF.js SentencePiece-style
 * tokenizer of Universal Sentence Encoder lite (see training/diffguard_train/semantic.py, whose
 * `Tokenizer` is the same algorithm and whose parity cases pin both to the upstream ids).
 * NFKC; a non-empty text gets a leading U+2581 and every ' ' becomes U+2581; a Viterbi pass over
 * the vocabulary pieces (reserved ids excluded, null scores count as 0, ties go to the later
 * start); characters no piece covers become id 0, consecutive ones merged. Backtracking steps by
 * a piece's UTF-16 length over code-point positions — an upstream quirk kept for parity.
 */

const SEP = '\u2581';
const LETTER = /^\p{L}$/u;
/** {@link SentenceTokenizer.wordCost} of a character no piece covers (the rarest pieces cost about 15). */
const UNKNOWN_COST = 30;

/** Whether a code point (as a string) is a letter (Unicode category L); ASCII without the regex. */
function isLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
  return LETTER.test(ch);
}

type TrieNode = { next: Map<string, TrieNode>; piece?: { len: number; score: number; id: number } };

/** A vocabulary entry: [piece, log-probability score or null]. */
export type VocabEntry = readonly [string, number | null];

export class SentenceTokenizer {
  private readonly root: TrieNode = { next: new Map() };
  private readonly utf16Len: Int32Array;

  /**
   * @param vocab the upstream vocab.json (index = id)
   * @param reserved ids below this (control tokens) are never produced by matching
   */
  constructor(vocab: readonly VocabEntry[], reserved = 6) {
    this.utf16Len = new Int32Array(vocab.length);
    vocab.forEach(([piece], id) => (this.utf16Len[id] = piece.length));
    for (let id = reserved; id < vocab.length; id++) {
      const [piece, score] = vocab[id] as VocabEntry;
      const chars = Array.from(piece);
      let node = this.root;
      for (const ch of chars) {
        let child = node.next.get(ch);
        if (!child) node.next.set(ch, (child = { next: new Map() }));
        node = child;
      }
      node.piece = { len: chars.length, score: score ?? 0, id };
    }
  }

  /**
   * The cost of reading `word` as one word: minus the best sum of piece log-probabilities of U+2581 + the
   * word (NFKC, lower case), a character no piece covers costing {@link UNKNOWN_COST}. Lower is likelier;
   * "high" costs less than "hi" and "gh" together, "in the" less than "inthe".
   */
  wordCost(word: string): number {
    const sym = Array.from(SEP + word.normalize('NFKC').toLowerCase());
    const n = sym.length;
    const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    best[0] = 0;
    for (let i = 0; i < n; i++) {
      const from = best[i] as number;
      if (!Number.isFinite(from)) continue;
      let node = this.root.next.get(sym[i] as string);
      let j = i;
      let found = false;
      while (node) {
        if (node.piece) {
          const end = i + node.piece.len;
          best[end] = Math.min(best[end] as number, from - node.piece.score);
          found = true;
        }
        j++;
        node = j < n ? node.next.get(sym[j] as string) : undefined;
      }
      if (!found) best[i + 1] = Math.min(best[i + 1] as number, from + UNKNOWN_COST);
    }
    return best[n] as number;
  }

  /** Token ids of `text` (empty for an empty text). */
  encode(text: string): number[] {
    return this.encodeCounted(text).ids;
  }

  /**
   * Token ids, and how many of the text's letters (code points of Unicode category L) no piece
   * covers, out of how many letters: the share says whether the encoder can read the text at all.
   */
  encodeCounted(text: string): { ids: number[]; unknownLetters: number; letters: number } {
    let s = text.normalize('NFKC');
    if (s.length > 0) s = SEP + s.split(' ').join(SEP);
    const sym = Array.from(s);
    const n = sym.length;
    // Viterbi, forward: every piece ending at e starts before e, so best[start] is final when the pieces
    // starting there are read, and the pieces ending at e arrive in ascending start order (ties go to
    // the later start, as upstream's candidate lists sorted by start).
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    const offer = (start: number, end: number, score: number, id: number): void => {
      const total = score + (best[start] as number);
      if (best[end] === 0 || total >= (best[end] as number)) {
        best[end] = total;
        words[end] = id;
      }
    };
    for (let i = 0; i < n; i++) {
      let node = this.root.next.get(sym[i] as string);
      let j = i;
      let found = false;
      while (node) {
        if (node.piece) {
          offer(i, i + node.piece.len, node.piece.score, node.piece.id);
          found = true;
        }
        j++;
        node = j < n ? node.next.get(sym[j] as string) : undefined;
      }
      if (!found) offer(i, i + 1, 0, 0);
    }
    const out: number[] = [];
    let unknownLetters = 0;
    for (let it = n; it > 0; it -= this.utf16Len[words[it] as number] as number) {
      out.push(words[it] as number);
      if (words[it] === 0 && isLetter(sym[it - 1] as string)) unknownLetters++;
    }
    const merged: number[] = [];
    let prevUnk = false;
    for (const t of out) {
      if (!(prevUnk && t === 0)) merged.push(t);
      prevUnk = t === 0;
    }
    let letters = 0;
    for (const ch of sym) if (isLetter(ch)) letters++;
    return { ids: merged.reverse(), unknownLetters, letters };
  }
}
