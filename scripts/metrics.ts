/**
 * @file Evaluation metrics: chrF (character n-gram F-score, as in sacreBLEU's defaults: n = 1..6,
 * β = 2, whitespace ignored), AUROC, recall at a fixed false-positive rate, expected calibration error.
 */

function ngrams(s: string, n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= s.length; i++) {
    const g = s.slice(i, i + n);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** chrF in [0, 100] of `hypothesis` against `reference`. */
export function chrF(hypothesis: string, reference: string, maxN = 6, beta = 2): number {
  const h = hypothesis.replace(/\s+/g, '');
  const r = reference.replace(/\s+/g, '');
  if (h === r) return 100;
  if (!h.length || !r.length) return 0;
  let precision = 0;
  let recall = 0;
  let orders = 0;
  for (let n = 1; n <= maxN; n++) {
    const hg = ngrams(h, n);
    const rg = ngrams(r, n);
    const hTotal = Math.max(0, h.length - n + 1);
    const rTotal = Math.max(0, r.length - n + 1);
    if (hTotal === 0 || rTotal === 0) continue;
    let match = 0;
    for (const [g, c] of hg) match += Math.min(c, rg.get(g) ?? 0);
    precision += match / hTotal;
    recall += match / rTotal;
    orders++;
  }
  if (orders === 0) return 0;
  precision /= orders;
  recall /= orders;
  if (precision + recall === 0) return 0;
  const b2 = beta * beta;
  return (100 * ((1 + b2) * precision * recall)) / (b2 * precision + recall);
}

/** Area under the ROC curve (ties count half). */
export function auroc(scores: number[], labels: boolean[]): number {
  const pairs = scores.map((s, i) => [s, labels[i] ? 1 : 0] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let pos = 0;
  let i = 0;
  while (i < pairs.length) {
    let j = i;
    while (j < pairs.length && pairs[j]![0] === pairs[i]![0]) j++;
    const avgRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (pairs[k]![1]) {
      rankSum += avgRank;
      pos++;
    }
    i = j;
  }
  const neg = pairs.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Recall on positives at the threshold that lets `fpr` of the negatives through. */
export function recallAtFpr(scores: number[], labels: boolean[], fpr = 0.01): { recall: number; threshold: number } {
  const neg = scores.filter((_, i) => !labels[i]).sort((a, b) => b - a);
  const pos = scores.filter((_, i) => labels[i]);
  if (!neg.length || !pos.length) return { recall: NaN, threshold: NaN };
  const k = Math.floor(fpr * neg.length);
  const threshold = neg[Math.min(k, neg.length - 1)]!;
  return { recall: pos.filter((s) => s > threshold).length / pos.length, threshold };
}

/** Expected calibration error with equal-width bins. */
export function ece(probs: number[], labels: boolean[], bins = 10): number {
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    const idx = probs.map((p, i) => [p, i] as const).filter(([p]) => (b === bins - 1 ? p >= lo && p <= hi : p >= lo && p < hi));
    if (!idx.length) continue;
    const conf = idx.reduce((a, [p]) => a + p, 0) / idx.length;
    const acc = idx.filter(([, i]) => labels[i]).length / idx.length;
    total += (idx.length / probs.length) * Math.abs(conf - acc);
  }
  return total;
}
