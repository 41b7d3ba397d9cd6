/**
 * @file The learned analyzer: runs the ONNX model of `models/analyzer/<version>/` over normalized
 * texts and returns spans (on the original text), calibrated category probabilities and the
 * 384-d embedding (the `Analyzer` port of engine/types.ts). Owns tokenization into windows,
 * batching of many texts into few runs, and combining windows; it does not decide actions
 * (the engine and the policy do) and does not touch onnxruntime directly (src/core/inference does).
 */
import type { PolicyName } from '../../shared/result';
import type { Analyzer, AnalyzerOutput, NormalizedText } from '../engine/types';
import type { ModelManifest, ProviderChoice } from '../inference';
import { ModelError, openModel, padBatch, planBatches } from '../inference';
import { normalize } from '../normalize';
import { spansToDetections } from './spans';
import type { AnalyzerThresholds } from './thresholds';
import { loadAnalyzerThresholds } from './thresholds';
import type { ByteWindow, Utf8Text } from './tokenizer';
import { byteWindows, encodeUtf8 } from './tokenizer';

/** Options of {@link createOnnxAnalyzer}. */
export type OnnxAnalyzerOptions = {
  /** A model folder holding manifest.json and model.onnx. */
  modelDir: string;
  /** Execution provider; default `auto` (falls back to CPU with the reason recorded). */
  provider?: ProviderChoice;
  /** ORT intra-op threads; 1 for predictable CLI / worker latency. */
  intraOpNumThreads?: number;
  /** Default span thresholds come from this preset; default `balanced`. */
  policy?: PolicyName;
  /** Most windows in one session.run. Default 32. */
  maxBatch?: number;
  /** Most padded positions (windows × longest) in one session.run. Default 2048. */
  maxTokens?: number;
  /**
   * Fixed cost of one session.run in padded positions, for grouping windows into runs (see
   * `planBatches`). Default 64: on one CPU thread a run costs ~0.25 ms plus ~4.2 µs per padded
   * position (onnxruntime-node 1.30, measured 2026-11-26).
   */
  runCost?: number;
};

/** Per-call options of {@link OnnxAnalyzer.analyze}. */
export type AnalyzeOptions = {
  /** Span thresholds per label, or one number for all labels. Default: the analyzer's policy preset. */
  spanThresholds?: Readonly<Record<string, number>> | number;
};

/** The raw, combined model output for one text (before spans are extracted). */
export type TextScores = {
  utf8: Utf8Text;
  /** Calibrated span probabilities, `[byte * spanLabels.length + label]`, max over windows. */
  spanProbs: Float32Array;
  /** Category logits, max over windows (uncalibrated). */
  categoryLogits: Float32Array;
  /** Mean of the window embeddings, L2-normalised. */
  embedding: Float32Array;
  windows: number;
};

/** The ONNX analyzer: the `Analyzer` port plus what the engine may want to show. */
export interface OnnxAnalyzer extends Analyzer {
  readonly manifest: ModelManifest;
  readonly provider: { name: string; fallbackReason?: string };
  analyze(inputs: NormalizedText[], options?: AnalyzeOptions): Promise<AnalyzerOutput[]>;
  /** Combined raw scores per text (the model run behind `analyze` and `embed`). */
  score(texts: string[]): Promise<TextScores[]>;
  /** Work done so far: model runs, windows run, padded positions run, and windows served from the window memo. */
  stats(): AnalyzerStats;
}

/** Counters of {@link OnnxAnalyzer.stats}, for benchmarks. */
export type AnalyzerStats = { runs: number; windows: number; paddedPositions: number; windowMemoHits: number };

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Opens the model in `modelDir` (verifying manifest, sha256 and graph) and returns an analyzer.
 *
 * @throws {ModelError} MODEL_MISSING / MODEL_CORRUPT / MODEL_MISMATCH — the engine reports these
 *   as a degraded analyzer.
 */
export async function createOnnxAnalyzer(options: OnnxAnalyzerOptions): Promise<OnnxAnalyzer> {
  const model = await openModel(options.modelDir, {
    provider: options.provider ?? 'auto',
    ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  });
  const { manifest, session, modelPath } = model;
  const tok = manifest.tokenizer;
  const labels = manifest.span_labels;
  const S = labels.length;
  const C = manifest.categories.length;
  const catTemp = manifest.calibration.category_temperature;
  const spanTemp = manifest.calibration.span_temperature;
  const embDim = manifest.outputs.find((o) => o.name === 'embedding')?.dim;
  const defaultThresholds = loadAnalyzerThresholds(manifest, options.policy ?? 'balanced');
  // 2048 padded positions: on one CPU thread a run of 2 full 1,024-byte windows costs little more
  // than one, while 16 of them cost about 3× more per window than 2 (measured with onnxruntime-node
  // 1 thread, 2026-11-26); short texts still go 16+ to a run.
  // Grouping by cost rather than greedy fill: greedy padded ~20% of the positions of a 64-row CLI chunk.
  const planOpts = { maxBatch: options.maxBatch ?? 32, maxTokens: options.maxTokens ?? 2048, runCost: options.runCost ?? 64 };

  // One run at a time on the session, so dispose() can wait for the last one.
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };

  /** One window's outputs: calibrated span probabilities `[pos * S + label]`, category logits, embedding. */
  type WindowOut = { spanProbs: Float32Array; categoryLogits: Float32Array; embedding: Float32Array };
  // Full windows of long texts, by their bytes: a batch often repeats a jailbreak template or a
  // system prompt with only the request changed, and every window before the request is then the
  // same bytes (outputs depend on a window's bytes alone). Exact keys, oldest first out.
  const WINDOW_MEMO = 512;
  const fullWindow = tok.max_len - 2;
  const windowMemo = new Map<string, WindowOut>();
  const counters: AnalyzerStats = { runs: 0, windows: 0, paddedPositions: 0, windowMemoHits: 0 };
  // The embedding width: from the manifest, else learned from the first run (memo hits need it).
  let D = embDim ?? 0;
  const windowKey = (w: ByteWindow): string | null => (w.length === fullWindow ? String.fromCharCode.apply(null, Array.from(w.ids)) : null);

  /**
   * Combines one window into its text's scores: span probabilities max-merged at the window's bytes,
   * read from `spans` at `spanAt` (raw logits from a run when `raw`, else calibrated probabilities from
   * the memo), category logits max-merged, embedding added to the text's sum.
   */
  function addWindow(r: TextScores, embSum: Float64Array, w: ByteWindow, spans: Float32Array, spanAt: number, raw: boolean, cat: Float32Array, emb: Float32Array): void {
    r.windows++;
    const dst0 = w.start * S;
    const n = w.length * S;
    for (let k = 0; k < n; k++) {
      const v = spans[spanAt + k]!;
      const prob = raw ? sigmoid(v / spanTemp) : v;
      if (prob > r.spanProbs[dst0 + k]!) r.spanProbs[dst0 + k] = prob;
    }
    for (let c = 0; c < C; c++) if (cat[c]! > r.categoryLogits[c]!) r.categoryLogits[c] = cat[c]!;
    for (let d = 0; d < embSum.length; d++) embSum[d] += emb[d]!;
  }

  async function runAll(texts: string[]): Promise<TextScores[]> {
    const encoded = texts.map((t) => encodeUtf8(t));
    const windows: Array<{ text: number; w: ByteWindow; key: string | null }> = [];
    encoded.forEach((u, text) => {
      const ws = byteWindows(u.bytes, tok);
      for (const w of ws) windows.push({ text, w, key: ws.length > 1 ? windowKey(w) : null });
    });
    const results: TextScores[] = encoded.map((utf8) => ({
      utf8,
      spanProbs: new Float32Array(utf8.bytes.length * S),
      categoryLogits: new Float32Array(C).fill(-Infinity),
      embedding: new Float32Array(0),
      windows: 0,
    }));
    const embSums: Float64Array[] = texts.map(() => new Float64Array(D));

    const addKept = (x: { text: number; w: ByteWindow }, wo: WindowOut): void =>
      addWindow(results[x.text]!, embSums[x.text]!, x.w, wo.spanProbs, 0, false, wo.categoryLogits, wo.embedding);

    // Windows already scored (memo) are applied as they are; a window repeated within the call runs once.
    const pending: number[] = [];
    const waiting = new Map<string, number[]>();
    windows.forEach((x, i) => {
      const hit = x.key !== null ? windowMemo.get(x.key) : undefined;
      if (hit) {
        counters.windowMemoHits++;
        windowMemo.delete(x.key!);
        windowMemo.set(x.key!, hit);
        addKept(x, hit);
      } else if (x.key !== null && waiting.has(x.key)) {
        waiting.get(x.key)!.push(i);
      } else {
        if (x.key !== null) waiting.set(x.key, []);
        pending.push(i);
      }
    });

    for (const group of planBatches(pending.map((i) => windows[i]!.w.ids.length), planOpts)) {
      const batch = padBatch(group.map((g) => windows[pending[g]!]!.w.ids), tok.pad_id);
      const out = await session.run({ input_ids: batch.inputIds, attention_mask: batch.attentionMask });
      counters.runs++;
      counters.windows += group.length;
      counters.paddedPositions += group.length * batch.seq;
      const spanOut = out.span_logits;
      const catOut = out.category_logits;
      const embOut = out.embedding;
      if (!spanOut || !catOut || !embOut) throw new ModelError('MODEL_MISMATCH', modelPath, 'model run lacks an output');
      const runD = embOut.dims[1]!;
      if (spanOut.dims[2] !== S || catOut.dims[1] !== C || (embDim !== undefined && runD !== embDim)) {
        throw new ModelError(
          'MODEL_MISMATCH',
          modelPath,
          `model outputs [${spanOut.dims}] [${catOut.dims}] [${embOut.dims}] do not match the manifest (${S} span labels, ${C} categories)`,
        );
      }
      if (D === 0) {
        D = runD;
        for (let t = 0; t < embSums.length; t++) embSums[t] = new Float64Array(D);
      }
      const spanData = spanOut.data as Float32Array;
      const catData = catOut.data as Float32Array;
      const embData = embOut.data as Float32Array;
      group.forEach((g, row) => {
        const wi = pending[g]!;
        const { text, w, key } = windows[wi]!;
        // Positions 1..length of the row are bytes start..start+length-1.
        const rowBase = (row * batch.seq + 1) * S;
        if (key === null) {
          // Not kept: combined straight from the run's output (no copies).
          addWindow(results[text]!, embSums[text]!, w, spanData, rowBase, true, catData.subarray(row * C, (row + 1) * C), embData.subarray(row * D, (row + 1) * D));
        } else {
          const spanProbs = new Float32Array(w.length * S);
          for (let k = 0; k < spanProbs.length; k++) spanProbs[k] = sigmoid(spanData[rowBase + k]! / spanTemp);
          const wo: WindowOut = { spanProbs, categoryLogits: catData.slice(row * C, (row + 1) * C), embedding: embData.slice(row * D, (row + 1) * D) };
          addKept(windows[wi]!, wo);
          for (const other of waiting.get(key) ?? []) addKept(windows[other]!, wo);
          windowMemo.set(key, wo);
          if (windowMemo.size > WINDOW_MEMO) windowMemo.delete(windowMemo.keys().next().value as string);
        }
      });
    }
    results.forEach((r, i) => {
      const sum = embSums[i]!;
      let norm = 0;
      for (let d = 0; d < sum.length; d++) norm += sum[d]! * sum[d]!;
      norm = Math.sqrt(norm) || 1;
      r.embedding = Float32Array.from(sum, (v) => v / norm);
    });
    return results;
  }

  // The last texts' scores: the engine, the rewriter's looser second look at the same input
  // (other span thresholds, same model run) and the verify step often ask about the same text.
  // The memo must hold a whole engine call's inputs (a CLI chunk is 64 rows plus their folded
  // views): with 32 entries, half of the rewriter's second looks ran the model again. Only texts
  // up to RECENT_MAX_CHARS are kept, and at most RECENT_BYTES UTF-8 bytes in all (~33 bytes of
  // memory per byte: span probabilities and offset maps), oldest first out.
  const RECENT = 512;
  const RECENT_MAX_CHARS = 8192;
  const RECENT_BYTES = 512 * 1024;
  const recent = new Map<string, TextScores>();
  let recentBytes = 0;
  const remember = (text: string, s: TextScores): void => {
    if (text.length > RECENT_MAX_CHARS) return;
    const old = recent.get(text);
    if (old) {
      recent.delete(text);
      recentBytes -= old.utf8.bytes.length;
    }
    recent.set(text, s);
    recentBytes += s.utf8.bytes.length;
    while (recent.size > RECENT || recentBytes > RECENT_BYTES) {
      const [oldest, entry] = recent.entries().next().value as [string, TextScores];
      recent.delete(oldest);
      recentBytes -= entry.utf8.bytes.length;
    }
  };
  const copyOf = (s: TextScores): TextScores => ({ ...s, embedding: Float32Array.from(s.embedding) });

  const score = async (texts: string[]): Promise<TextScores[]> => {
    // Checked before queueing: work accepted before dispose() still completes.
    if (disposed) throw new Error('analyzer disposed');
    if (texts.length === 0) return [];
    const out: (TextScores | undefined)[] = texts.map((t) => recent.get(t));
    const todo = [...new Set(texts.filter((_, i) => !out[i]))];
    if (todo.length > 0) {
      const fresh = await serial(() => runAll(todo));
      const byText = new Map(todo.map((t, i) => [t, fresh[i]!]));
      todo.forEach((t, i) => remember(t, fresh[i]!));
      texts.forEach((t, i) => (out[i] ??= byText.get(t)));
    }
    // Callers own their embeddings (the span probabilities are only read).
    return out.map((s) => copyOf(s!));
  };

  function spanThresholdsFor(opt: AnalyzeOptions['spanThresholds']): Readonly<Record<string, number>> {
    if (opt === undefined) return defaultThresholds.spans;
    if (typeof opt === 'number') return Object.fromEntries(labels.map((l) => [l, opt]));
    return { ...defaultThresholds.spans, ...opt };
  }

  return {
    name: manifest.name,
    version: manifest.version,
    ...(manifest.checkpoint_sha256 ? { checkpoint: manifest.checkpoint_sha256 } : {}),
    manifest,
    provider: {
      name: session.provider,
      ...(session.fallbackReason !== undefined ? { fallbackReason: session.fallbackReason } : {}),
    },
    score,
    async analyze(inputs, analyzeOptions = {}) {
      const thresholds = spanThresholdsFor(analyzeOptions.spanThresholds);
      const scores = await score(inputs.map((n) => n.text));
      return scores.map((s, i) => {
        const probs: Record<string, number> = {};
        manifest.categories.forEach((c, ci) => {
          probs[c] = sigmoid(s.categoryLogits[ci] / catTemp[ci]);
        });
        return {
          spans: spansToDetections(inputs[i], s.utf8, s.spanProbs, labels, thresholds),
          probs,
          embedding: s.embedding,
        };
      });
    },
    async embed(texts) {
      const scores = await score(texts.map((t) => normalize(t).text));
      return scores.map((s) => s.embedding);
    },
    stats: () => ({ ...counters }),
    thresholds(preset: PolicyName): AnalyzerThresholds {
      return loadAnalyzerThresholds(manifest, preset);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await queue;
      await session.dispose();
    },
  } satisfies OnnxAnalyzer;
}
