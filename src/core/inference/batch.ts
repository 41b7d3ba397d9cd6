/**
 * @file Batching helpers for token-id models: pad a group of id sequences to the longest one
 * (with an attention mask), and plan groups of similar length so padding stays small.
 * Pure functions, no ORT; the session (session.ts) runs what these produce.
 */
import type { TensorData } from './session';

/** A padded batch: `input_ids` and `attention_mask`, both int64 [batch, seq]. */
export type PaddedBatch = {
  inputIds: TensorData;
  attentionMask: TensorData;
  /** Real (unpadded) length of each row. */
  lengths: number[];
  batch: number;
  seq: number;
};

/**
 * Pads id sequences to the longest one with `padId`; the mask is 1 on real ids, 0 on padding.
 *
 * @throws {RangeError} for an empty list of sequences.
 */
export function padBatch(sequences: ReadonlyArray<ArrayLike<number>>, padId: number): PaddedBatch {
  if (sequences.length === 0) throw new RangeError('padBatch needs at least one sequence');
  const batch = sequences.length;
  const seq = Math.max(...sequences.map((s) => s.length));
  const ids = new BigInt64Array(batch * seq).fill(BigInt(padId));
  const mask = new BigInt64Array(batch * seq);
  sequences.forEach((s, row) => {
    const base = row * seq;
    for (let i = 0; i < s.length; i++) {
      ids[base + i] = BigInt(s[i]);
      mask[base + i] = 1n;
    }
  });
  return {
    inputIds: { data: ids, dims: [batch, seq] },
    attentionMask: { data: mask, dims: [batch, seq] },
    lengths: sequences.map((s) => s.length),
    batch,
    seq,
  };
}

/** Limits for {@link planBatches}. */
export type BatchPlanOptions = {
  /** Most rows in one batch. Default 32. */
  maxBatch?: number;
  /** Most padded positions (rows × longest) in one batch. Default 16384. */
  maxTokens?: number;
  /**
   * Fixed cost of one batch, in padded positions. When set, the groups are the contiguous runs of
   * the sorted lengths that minimise (padded positions + runCost per batch) within the limits,
   * instead of the greedy fill: a long item then gets a run of its own rather than padding many
   * short ones up to its length. Unset: greedy.
   */
  runCost?: number;
};

/**
 * Groups item indices into batches of similar length: sorts by length, then fills each batch
 * while the padded size (rows × longest) stays within `maxTokens` and rows within `maxBatch`.
 * Every index appears exactly once; an item longer than `maxTokens` gets a batch of its own.
 */
export function planBatches(lengths: readonly number[], opts: BatchPlanOptions = {}): number[][] {
  const maxBatch = opts.maxBatch ?? 32;
  const maxTokens = opts.maxTokens ?? 16384;
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  if (opts.runCost !== undefined) return planByCost(lengths, order, maxBatch, maxTokens, opts.runCost);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    // Sorted ascending, so the newcomer is the longest of the group.
    const padded = (current.length + 1) * lengths[i];
    if (current.length > 0 && (current.length >= maxBatch || padded > maxTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Optimal partition of `order` (indices sorted by ascending length) into contiguous groups:
 * minimises Σ (runCost + size × longest) subject to size ≤ maxBatch and size × longest ≤ maxTokens
 * (a single item may exceed maxTokens). O(n × maxBatch).
 */
function planByCost(lengths: readonly number[], order: readonly number[], maxBatch: number, maxTokens: number, runCost: number): number[][] {
  const n = order.length;
  // cost[j]: best cost of the first j items; from[j]: where the last group of that plan starts.
  const cost = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  cost[0] = 0;
  for (let j = 1; j <= n; j++) {
    const longest = lengths[order[j - 1]];
    for (let size = 1; size <= Math.min(maxBatch, j); size++) {
      if (size > 1 && size * longest > maxTokens) break;
      const c = cost[j - size] + runCost + size * longest;
      if (c < cost[j]) {
        cost[j] = c;
        from[j] = j - size;
      }
    }
  }
  const batches: number[][] = [];
  for (let j = n; j > 0; j = from[j]) batches.push(order.slice(from[j], j));
  return batches.reverse();
}
