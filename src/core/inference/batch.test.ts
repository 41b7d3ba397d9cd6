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
});
