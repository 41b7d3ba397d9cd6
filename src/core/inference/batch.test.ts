import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padBatch, planBatches } from './batch';

describe('padBatch', () => {
  it('pads to the longest row and masks the padding', () => {
    const b = padBatch([[1, 76, 109, 2], [1, 2]], 0);
    expect(b.batch).toBe(2);
    expect(b.seq).toBe(4);
    expect(b.lengths).toEqual([4, 2]);
    expect(b.inputIds.dims).toEqual([2, 4]);
    expect(Array.from(b.inputIds.data, Number)).toEqual([1, 76, 109, 2, 1, 2, 0, 0]);
    expect(Array.from(b.attentionMask.data, Number)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('refuses an empty batch', () => {
    expect(() => padBatch([], 0)).toThrow(RangeError);
  });
});

describe('planBatches', () => {
  it('groups similar lengths together', () => {
    expect(planBatches([500, 10, 490, 12], { maxBatch: 2 })).toEqual([[1, 3], [2, 0]]);
  });

  it('uses every index once and respects the limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 512 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 512, max: 8192 }),
        (lengths, maxBatch, maxTokens) => {
          const plan = planBatches(lengths, { maxBatch, maxTokens });
          expect(plan.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
          for (const group of plan) {
            expect(group.length).toBeGreaterThan(0);
            expect(group.length).toBeLessThanOrEqual(maxBatch);
            const longest = Math.max(...group.map((i) => lengths[i]));
            if (group.length > 1) expect(group.length * longest).toBeLessThanOrEqual(maxTokens);
          }
        },
      ),
    );
  });

  it('with a run cost, gives a long window a run of its own instead of padding short ones to it', () => {
    // Ten short prompts and one 1,024-byte window: greedy puts the long one with the short ones
    // (11 × 1,024 padded positions); by cost the long one runs alone and the short ones share runs.
    const lengths = [60, 64, 70, 72, 80, 85, 90, 96, 110, 120, 1024];
    const padded = (plan: number[][]) => plan.reduce((s, g) => s + g.length * Math.max(...g.map((i) => lengths[i]!)), 0);
    const greedy = planBatches(lengths, { maxBatch: 32, maxTokens: 16384 });
    const byCost = planBatches(lengths, { maxBatch: 32, maxTokens: 16384, runCost: 64 });
    expect(greedy).toHaveLength(1);
    expect(byCost.at(-1)).toEqual([10]);
    expect(byCost.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(padded(byCost)).toBeLessThan(padded(greedy) / 5);
  });

  it('with a run cost, uses every index once, respects the limits and never costs more than greedy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 1024 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 512, max: 8192 }),
        fc.integer({ min: 0, max: 512 }),
        (lengths, maxBatch, maxTokens, runCost) => {
          const plan = planBatches(lengths, { maxBatch, maxTokens, runCost });
          expect(plan.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
          const cost = (p: number[][]) => p.reduce((s, g) => s + runCost + g.length * Math.max(...g.map((i) => lengths[i]!)), 0);
          for (const group of plan) {
            expect(group.length).toBeGreaterThan(0);
            expect(group.length).toBeLessThanOrEqual(maxBatch);
            const longest = Math.max(...group.map((i) => lengths[i]!));
            if (group.length > 1) expect(group.length * longest).toBeLessThanOrEqual(maxTokens);
          }
          expect(cost(plan)).toBeLessThanOrEqual(cost(planBatches(lengths, { maxBatch, maxTokens })));
        },
      ),
    );
  });
});
