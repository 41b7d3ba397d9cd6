import { describe, expect, it } from 'vitest';
import { fitLogistic, fusedHarm, quantileThreshold, semanticCouldMatter, type HarmFusion } from './fusion';

const FUSION: HarmFusion = {
  format: 'diffguard-harm-fusion/1',
  analyzer: 'a',
  lexical: 'l',
  semantic: 's',
  weights: [0.1, 0.7, 0.5, -0.7],
  thresholds: { strict: 0.5, balanced: 0.65, permissive: 0.8 },
};

describe('harm fusion', () => {
  it('rises with every head', () => {
    const low = fusedHarm(FUSION, 0.1, 0.1, 0.1);
    expect(fusedHarm(FUSION, 0.9, 0.1, 0.1)).toBeGreaterThan(low);
    expect(fusedHarm(FUSION, 0.1, 0.9, 0.1)).toBeGreaterThan(low);
    expect(fusedHarm(FUSION, 0.1, 0.1, 0.9)).toBeGreaterThan(low);
    // a semantic probability beyond the clip range adds nothing more
    expect(fusedHarm(FUSION, 0.1, 0.1, 0.9999)).toBeCloseTo(fusedHarm(FUSION, 0.1, 0.1, 0.995), 12);
    expect(fusedHarm(FUSION, 0.3, 0.3, 0.5)).toBeCloseTo(1 / (1 + Math.exp(-(0.1 * Math.log(0.3 / 0.7) + 0.7 * Math.log(0.3 / 0.7) - 0.7))), 12);
  });

  it('skips the encoder only where no semantic score could reach the threshold', () => {
    for (const preset of ['strict', 'balanced', 'permissive'] as const) {
      for (const a of [0.001, 0.05, 0.3, 0.7, 0.99]) {
        for (const l of [0.001, 0.05, 0.3, 0.7, 0.99]) {
          if (semanticCouldMatter(FUSION, preset, a, l)) continue;
          for (const m of [0, 0.2, 0.5, 0.9, 1]) expect(fusedHarm(FUSION, a, l, m)).toBeLessThan(FUSION.thresholds[preset]);
        }
      }
    }
    expect(semanticCouldMatter(FUSION, 'balanced', 0.001, 0.001)).toBe(false);
    expect(semanticCouldMatter(FUSION, 'balanced', 0.3, 0.5)).toBe(true);
  });

  it('fits logistic weights that recover a known rule', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const x = [rand() * 4 - 2, rand() * 4 - 2, 1];
      const p = 1 / (1 + Math.exp(-(2 * x[0]! - 1 * x[1]! + 0.5)));
      X.push(x);
      y.push(rand() < p ? 1 : 0);
    }
    const w = fitLogistic(X, y, y.map(() => 1));
    expect(w[0]).toBeCloseTo(2, 0);
    expect(w[1]).toBeCloseTo(-1, 0);
    expect(w[2]).toBeCloseTo(0.5, 0);
  });

  it('puts the threshold where the given share of scores reaches it', () => {
    const scores = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const t = quantileThreshold(scores, 0.05);
    expect(scores.filter((s) => s >= t).length / scores.length).toBeCloseTo(0.05, 2);
    expect(quantileThreshold([], 0.1)).toBe(0.5);
  });
});
