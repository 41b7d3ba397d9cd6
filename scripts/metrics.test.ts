import { describe, expect, it } from 'vitest';
import { auroc, chrF, ece, recallAtFpr } from './metrics';

describe('evaluation metrics', () => {
  it('chrF is 100 for identical text, ignores whitespace, and drops as text diverges', () => {
    expect(chrF('How do I bake bread?', 'How do I bake bread?')).toBe(100);
    expect(chrF('How do I  bake bread?', 'How do I bake bread?')).toBe(100);
    const close = chrF('How do I bake bread', 'How do I bake bread?');
    const far = chrF('Tell me a story about dragons', 'How do I bake bread?');
    expect(close).toBeGreaterThan(90);
    expect(far).toBeLessThan(30);
    expect(chrF('', 'x')).toBe(0);
  });

  it('AUROC is 1 for a perfect ranking, 0.5 for ties, 0 for an inverted one', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(auroc([0.5, 0.5, 0.5, 0.5], [false, true, false, true])).toBe(0.5);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
  });

  it('recall at 1% FPR uses the threshold that 1% of negatives exceed', () => {
    const neg = Array.from({ length: 100 }, (_, i) => i / 100);
    const pos = [0.995, 0.5, 0.999];
    const r = recallAtFpr([...neg, ...pos], [...neg.map(() => false), ...pos.map(() => true)], 0.01);
    expect(r.threshold).toBe(0.98);
    expect(r.recall).toBeCloseTo(2 / 3);
  });

  it('ECE is 0 for perfectly calibrated bins and large for confident mistakes', () => {
    expect(ece([1, 1, 0, 0], [true, true, false, false])).toBe(0);
    expect(ece([0.95, 0.95], [false, false])).toBeCloseTo(0.95);
  });
});
