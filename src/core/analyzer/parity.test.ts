/**
 * Replays every model folder's parity.json (written by the Python exporter) through the
 * TypeScript side: the normalizer, the byte tokenizer and onnxruntime-node must reproduce what
 * Python produced, within the stored tolerance. This is the test that fails on drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSession } from '../inference';
import { openModel, padBatch } from '../inference';
import { TINY_MODEL_DIR, latestModelDir } from '../inference/test-helpers';
import { normalize } from '../normalize';
import type { OnnxAnalyzer } from './analyzer';
import { createOnnxAnalyzer } from './analyzer';
import { tokenize } from './tokenizer';

type ParityWindow = { input_ids: number[]; category_logits: number[]; embedding_head: number[]; span_logits_sum: number };
type ParityCase = {
  name: string;
  text: string;
  normalized: string;
  input_ids: number[][];
  attention_mask: number[][];
  category_logits: number[][];
  embedding_head: number[];
  span_logits_sum: number;
  per_window: ParityWindow[];
};
/** sum_rtol: the span-logit sums' relative tolerance, when the exporter stored one (int8 models; default 1e-6). */
type Parity = { atol: number; sum_rtol?: number; cases: ParityCase[] };

const modelDirs = [TINY_MODEL_DIR, latestModelDir()].filter((d): d is string => d !== null);

/** Largest absolute difference between two equally long number lists. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Tolerance for the stored sum of all span logits: atol, or `rtol` (one part in a million unless the
 * parity file says otherwise) of the sum of magnitudes when that is larger (Python sums in float32; we
 * sum in float64). An int8 model's file allows more: an activation that lands on a rounding boundary
 * can quantise one step apart in the two runtimes, and that moves every span logit it feeds.
 */
function sumTolerance(parity: Parity, values: Float32Array): number {
  let abs = 0;
  for (const v of values) abs += Math.abs(v);
  return Math.max(parity.atol, (parity.sum_rtol ?? 1e-6) * abs);
}

describe.each(modelDirs)('parity with the Python exporter: %s', (dir) => {
  const parity = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8')) as Parity;
  let session: ModelSession;
  let analyzer: OnnxAnalyzer;
  let tokenizer: Parameters<typeof tokenize>[1];
  let S = 0;

  beforeAll(async () => {
    const m = await openModel(dir, { provider: 'cpu', intraOpNumThreads: 1 });
    session = m.session;
    tokenizer = m.manifest.tokenizer;
    S = m.manifest.span_labels.length;
    analyzer = await createOnnxAnalyzer({ modelDir: dir, provider: 'cpu', intraOpNumThreads: 1 });
  });
  afterAll(async () => {
    await session?.dispose();
    await analyzer?.dispose();
  });

  it('has cases covering several windows', () => {
    expect(parity.cases.length).toBeGreaterThanOrEqual(6);
    expect(parity.cases.some((c) => c.input_ids.length > 1)).toBe(true);
  });

  describe.each(parity.cases.map((c) => [c.name, c] as const))('case %s', (_name, c) => {
    it('normalizes the text exactly as Python does', () => {
      expect(normalize(c.text).text).toBe(c.normalized);
    });

    it('tokenizes into the same windows and padded batch', () => {
      const windows = tokenize(c.normalized, tokenizer);
      expect(windows.map((w) => Array.from(w.ids))).toEqual(c.per_window.map((w) => w.input_ids));
      const b = padBatch(windows.map((w) => w.ids), tokenizer.pad_id);
      expect(b.batch).toBe(c.input_ids.length);
      expect(Array.from(b.inputIds.data, Number)).toEqual(c.input_ids.flat());
      expect(Array.from(b.attentionMask.data, Number)).toEqual(c.attention_mask.flat());
    });

    it('gives the stored outputs for the padded batch within atol', async () => {
      const ids = c.input_ids.flat();
      const dims = [c.input_ids.length, c.input_ids[0].length];
      const out = await session.run({
        input_ids: { data: BigInt64Array.from(ids, BigInt), dims },
        attention_mask: { data: BigInt64Array.from(c.attention_mask.flat(), BigInt), dims },
      });
      expect(maxAbsDiff(out.category_logits.data as Float32Array, c.category_logits.flat())).toBeLessThanOrEqual(parity.atol);
      expect(maxAbsDiff((out.embedding.data as Float32Array).subarray(0, c.embedding_head.length), c.embedding_head)).toBeLessThanOrEqual(
        parity.atol,
      );
      const spans = out.span_logits.data as Float32Array;
      const sum = spans.reduce((a, v) => a + v, 0);
      expect(Math.abs(sum - c.span_logits_sum)).toBeLessThanOrEqual(sumTolerance(parity, spans));
    });

    it('gives the stored outputs for each window run alone within atol', async () => {
      for (const w of c.per_window) {
        const dims = [1, w.input_ids.length];
        const out = await session.run({
          input_ids: { data: BigInt64Array.from(w.input_ids, BigInt), dims },
          attention_mask: { data: new BigInt64Array(w.input_ids.length).fill(1n), dims },
        });
        expect(maxAbsDiff(out.category_logits.data as Float32Array, w.category_logits)).toBeLessThanOrEqual(parity.atol);
        expect(maxAbsDiff((out.embedding.data as Float32Array).subarray(0, w.embedding_head.length), w.embedding_head)).toBeLessThanOrEqual(
          parity.atol,
        );
        const spans = out.span_logits.data as Float32Array;
        expect(spans.length).toBe(w.input_ids.length * S);
        const sum = spans.reduce((a, v) => a + v, 0);
        expect(Math.abs(sum - w.span_logits_sum)).toBeLessThanOrEqual(sumTolerance(parity, spans));
      }
    });

    it('combines the windows as the contract says (category logits = max over windows)', async () => {
      const [scores] = await analyzer.score([c.normalized]);
      expect(scores.windows).toBe(c.per_window.length);
      const expected = c.per_window[0].category_logits.map((_, k) => Math.max(...c.per_window.map((w) => w.category_logits[k])));
      expect(maxAbsDiff(scores.categoryLogits, expected)).toBeLessThanOrEqual(parity.atol);
      if (c.per_window.length === 1) {
        expect(maxAbsDiff(scores.embedding.subarray(0, c.embedding_head.length), c.embedding_head)).toBeLessThanOrEqual(parity.atol);
      }
    });
  });
});
