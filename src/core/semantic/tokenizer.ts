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
    // For every end position, the candidate pieces as [start, score, id], in ascending start order.
    const ends: Array<Array<[number, number, number]>> = Array.from({ length: n + 1 }, () => []);
    for (let i = 0; i < n; i++) {
      let node = this.root.next.get(sym[i] as string);
      let j = i;
      let found = false;
      while (node) {
        if (node.piece) {
          (ends[i + node.piece.len] as Array<[number, number, number]>).push([i, node.piece.score, node.piece.id]);
          found = true;
        }
        j++;
        node = j < n ? node.next.get(sym[j] as string) : undefined;
      }
      if (!found) (ends[i + 1] as Array<[number, number, number]>).push([i, 0, 0]);
    }
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    for (let e = 0; e <= n; e++) {
      const cands = (ends[e] as Array<[number, number, number]>).sort((a, b) => a[0] - b[0]);
      for (const [start, score, id] of cands) {
        const total = score + (best[start] as number);
        if (best[e] === 0 || total >= (best[e] as number)) {
          best[e] = total;
          words[e] = id;
        }
      }
    }
    const out: number[] = [];
    let unknownLetters = 0;
    for (let it = n; it > 0; it -= this.utf16Len[words[it] as number] as number) {
      out.push(words[it] as number);
      if (words[it] === 0 && LETTER.test(sym[it - 1] as string)) unknownLetters++;
    }
    const merged: number[] = [];
    let prevUnk = false;
    for (const t of out) {
      if (!(prevUnk && t === 0)) merged.push(t);
      prevUnk = t === 0;
    }
    let letters = 0;
    for (const ch of sym) if (LETTER.test(ch)) letters++;
    return { ids: merged.reverse(), unknownLetters, letters };
  }
}
