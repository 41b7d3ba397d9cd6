import { describe, expect, it } from 'vitest';
import { looksSpaced, rejoinSplitWords } from './rejoin';

/** A stand-in cost: words of the little dictionary cost 1, anything else 5 per letter. */
const WORDS = new Set(['how', 'to', 'make', 'a', 'cake', 'at', 'home', 'hat', 'me']);
const cost = (w: string): number => (WORDS.has(w) ? 1 : 8 * w.length);

describe('rejoining words split by stray spaces', () => {
  it('joins two fragments when the joined word is much cheaper, and keeps punctuation and other spaces where they were', () => {
    expect(rejoinSplitWords('ho w to ma ke a ca ke,  at ho me.', cost)).toBe('how to make a cake,  at home.');
  });

  it('leaves words that read better apart', () => {
    expect(rejoinSplitWords('a cake at home', cost)).toBe('a cake at home');
  });

  it('tells a text with split-looking fragments from ordinary prose', () => {
    expect(looksSpaced('ho w to ma ke a ca ke')).toBe(true);
    expect(looksSpaced('I am at home, so we go in and eat a cake.')).toBe(false);
  });
});
