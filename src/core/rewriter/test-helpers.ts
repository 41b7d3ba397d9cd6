/**
 * @file Test helpers of the rewriter: a stand-in analyzer with known spans (no model needed).
 */
import type { Analyzer, AnalyzerOutput, Detection, NormalizedText } from '../engine/types';

/**
 * A stand-in analyzer with known spans: it marks given attack phrases (as a trained model's span head
 * would, often not exactly at sentence boundaries), gives a high jailbreak/injection probability while
 * any of them remains, and embeds texts as hashed word counts (so meaning-kept behaves sensibly).
 * It lets these tests check the search's mechanics independently of a trained model.
 */
export function stubAnalyzer(attacks: Array<{ phrase: string; category: 'jailbreak' | 'injection' }>): Analyzer & { calls: number; texts: number } {
  const embed = (text: string): Float32Array => {
    const v = new Float32Array(384);
    for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 0;
      for (let i = 0; i < w.length; i++) h = (h * 31 + w.charCodeAt(i)) >>> 0;
      v[h % 384] += 1;
    }
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n) || 1;
    return v.map((x) => x / n);
  };
  const a = {
    name: 'stub',
    version: '0',
    calls: 0,
    texts: 0,
    async analyze(inputs: NormalizedText[], options?: { spanThresholds?: Readonly<Record<string, number>> | number }): Promise<AnalyzerOutput[]> {
      a.calls++;
      a.texts += inputs.length;
      const loose = typeof options?.spanThresholds === 'number' && options.spanThresholds < 0.5;
      return inputs.map((n) => {
        const spans: Detection[] = [];
        const probs: Record<string, number> = { jailbreak: 0.02, injection: 0.02, harmful: 0.01 };
        for (const at of attacks) {
          let from = 0;
          for (;;) {
            const i = n.text.indexOf(at.phrase, from);
            if (i < 0) break;
            // The loose look extends the span a little to the left, as a lower threshold does.
            const start = loose ? Math.max(0, i - 4) : i;
            spans.push({ kind: at.category === 'jailbreak' ? 'jailbreak_scaffold' : 'injected_instruction', category: at.category, start: n.toOriginal[start]!, end: n.toOriginal[i + at.phrase.length]!, score: 0.9 });
            probs[at.category] = 0.95;
            from = i + 1;
          }
        }
        return { spans, probs, embedding: embed(n.text) };
      });
    },
    async embed(texts: string[]) {
      return texts.map(embed);
    },
    thresholds() {
      return { categories: {}, spans: {} };
    },
    async dispose() {},
  };
  return a;
}

/**
 * Wraps an analyzer so that its text-level probabilities get `extra(text)` on top (null: unchanged):
 * a text-level score with no span to localise it, as a trained model sometimes gives.
 */
export function withProbs<A extends Analyzer>(base: A, extra: (text: string) => Record<string, number> | null): A {
  return {
    ...base,
    async analyze(inputs: NormalizedText[], options?: { spanThresholds?: Readonly<Record<string, number>> | number }): Promise<AnalyzerOutput[]> {
      const out = await base.analyze(inputs, options);
      return out.map((x, i) => {
        const add = extra(inputs[i]!.text);
        return add ? { ...x, probs: { ...x.probs, ...add } } : x;
      });
    },
  };
}

