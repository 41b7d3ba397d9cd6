/**
 * @file Call coalescing for the rewriter's model calls. When the engine rewrites several drafts at
 * once (a CLI or batch chunk), each rewrite asks the analyzer and the denoiser for small batches
 * in the same steps (the looser second look, one DDIM step, the candidate batch). Every model run
 * has a fixed cost, so these wrappers gather the calls issued before the next macrotask and run
 * them as one batch, then hand each caller its own rows. A lone call costs one `setImmediate` more.
 * Results are the same rows the separate calls would get (the analyzer is padding-invariant; the
 * denoiser is a row-wise network).
 */
import type { Analyzer, AnalyzerOutput, NormalizedText } from '../engine/types';
import type { DenoiserModel } from './denoiser';

type Pending<I, O> = { items: I[]; resolve: (out: O[]) => void; reject: (error: unknown) => void };

/**
 * A batcher: `run(items)` resolves with one output per item; calls made before the next macrotask
 * with the same `key` are merged into one `exec` call.
 */
function createBatcher<I, O>(exec: (key: string, items: I[]) => Promise<O[]>) {
  const queues = new Map<string, Pending<I, O>[]>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const all = [...queues.entries()];
    queues.clear();
    for (const [key, calls] of all) {
      const items = calls.flatMap((c) => c.items);
      exec(key, items).then(
        (out) => {
          let k = 0;
          for (const c of calls) {
            c.resolve(out.slice(k, k + c.items.length));
            k += c.items.length;
          }
        },
        (error: unknown) => {
          for (const c of calls) c.reject(error);
        },
      );
    }
  };
  return (key: string, items: I[]): Promise<O[]> =>
    new Promise<O[]>((resolve, reject) => {
      if (items.length === 0) return resolve([]);
      const q = queues.get(key) ?? [];
      q.push({ items, resolve, reject });
      queues.set(key, q);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/**
 * Wraps an analyzer so that concurrent `analyze` calls with the same options become one call.
 * `embed`, `thresholds` and `dispose` pass through.
 */
export function coalesceAnalyzer(analyzer: Analyzer): Analyzer {
  const options = new Map<string, Parameters<Analyzer['analyze']>[1]>();
  const batch = createBatcher<NormalizedText, AnalyzerOutput>((key, items) => analyzer.analyze(items, options.get(key)));
  const wrapped: Analyzer = Object.create(analyzer) as Analyzer;
  wrapped.analyze = (inputs, opts) => {
    const key = opts === undefined ? '' : JSON.stringify(opts);
    options.set(key, opts);
    return batch(key, inputs);
  };
  return wrapped;
}

/** Wraps a denoiser so that concurrent ε calls (DDIM steps of several drafts) become one run. */
export function coalesceDenoiser(model: DenoiserModel): DenoiserModel {
  const D = model.dim;
  type Row = { xt: Float32Array; t: number; cond: Float32Array; mask: number };
  const batch = createBatcher<Row, Float32Array>(async (_key, rows) => {
    const B = rows.length;
    const xt = new Float32Array(B * D);
    const cond = new Float32Array(B * D);
    const t = new Float32Array(B);
    const mask = new Float32Array(B);
    rows.forEach((r, i) => {
      xt.set(r.xt, i * D);
      cond.set(r.cond, i * D);
      t[i] = r.t;
      mask[i] = r.mask;
    });
    const eps = await model.eps(xt, t, cond, mask);
    return rows.map((_, i) => eps.subarray(i * D, (i + 1) * D));
  });
  const wrapped: DenoiserModel = Object.create(model) as DenoiserModel;
  wrapped.eps = async (xt, t, cond, condMask) => {
    const rows: Row[] = [];
    for (let i = 0; i < t.length; i++) {
      rows.push({ xt: xt.subarray(i * D, (i + 1) * D), t: t[i]!, cond: cond.subarray(i * D, (i + 1) * D), mask: condMask[i]! });
    }
    const out = await batch('eps', rows);
    const eps = new Float32Array(t.length * D);
    out.forEach((e, i) => eps.set(e, i * D));
    return eps;
  };
  return wrapped;
}
