/**
 * @file Evaluation of the rewriter on the validation split of the training data cache
 * (training/.cache/data/val.jsonl): wrapped benign requests whose scaffold families the analyzer
 * never saw (cleaned text vs `clean_text`, chrF), benign prompts (unchanged rate), wrapped harmful
 * requests (blocked rate), and latency — through the real engine (analyzer + rewriter), for the
 * full system and its ablations (no diffusion target, regression target, no rewriter), plus the
 * effect of DDIM steps and guidance scale. Writes eval-rewriter.json / .md next to the denoiser.
 *
 * Run: DG_EVAL_REWRITER=1 npx vitest run --project node scripts/eval-rewriter.test.ts
 * Env: DG_ANALYZER_DIR, DG_DENOISER_DIR (default: models/<name>/LATEST), DG_EVAL_N (rows per group, default 250),
 *      DG_EVAL_OUT (output folder, default the denoiser folder).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOnnxAnalyzer } from '../src/core/analyzer';
import { createEngineFromParts } from '../src/core/engine/engine';
import type { Analyzer, Rewriter } from '../src/core/engine/types';
import {
  createDiffusionRewriter,
  createSegmenter,
  openDenoiser,
  segmenterDir,
  WEIGHTS_WITH_TARGET,
  WEIGHTS_WITHOUT_TARGET,
  type DenoiserModel,
  type RewriterMode,
  type SearchWeights,
} from '../src/core/rewriter';
import { createMemoryVault } from '../src/core/vault';
import type { SanitizeResult } from '../src/shared/result';
import { chrF } from './metrics';

type Row = { text: string; clean_text: string | null; cats: string[]; spans: unknown[]; pair_kind: string | null; kind: string; val_kind?: string; family: string };

/** One evaluated configuration. */
export type ConfigResult = {
  name: string;
  wrapped: GroupStats;
  wrappedJailbreak: GroupStats;
  wrappedInjection: GroupStats;
  benign?: { n: number; unchanged: number; latencyP50: number };
  harmful?: { n: number; blocked: number };
};

type GroupStats = { n: number; chrfMean: number; chrf90: number; cleaned: number; blocked: number; errors: number; p50: number; p95: number; rewriteP50: number };

const REPO = join(__dirname, '..');

function latest(name: string): string {
  const v = readFileSync(join(REPO, 'models', name, 'LATEST'), 'utf8').trim();
  return join(REPO, 'models', name, v);
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h / 0xffffffff;
}

/** Loads the validation groups: wrapped benign (unseen scaffold families), benign prompts, wrapped harmful. */
export function loadGroups(n: number): { wrapped: Row[]; benign: Row[]; harmful: Row[] } {
  const split = process.env.DG_EVAL_SPLIT === 'train' ? 'train' : 'val';
  const rows = readFileSync(join(REPO, 'training', '.cache', 'data', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row)
    .sort((a, b) => hash01(a.text) - hash01(b.text));
  const harmfulCat = (r: Row): boolean => r.cats.some((c) => c.startsWith('harmful'));
  const wrappedAll = rows.filter((r) => r.pair_kind === 'scaffold' && r.clean_text && !r.kind.includes('+obf') && !harmfulCat(r) && (split === 'train' || r.val_kind === 'family'));
  const jb = wrappedAll.filter((r) => r.cats.includes('jailbreak')).slice(0, n);
  const inj = wrappedAll.filter((r) => !r.cats.includes('jailbreak')).slice(0, Math.ceil(n / 2));
  const benign = rows.filter((r) => r.cats.length === 0 && r.spans.length === 0 && !r.kind.includes('+obf') && !r.pair_kind).slice(0, n);
  const harmful = rows.filter((r) => r.pair_kind === 'scaffold' && harmfulCat(r) && r.cats.includes('jailbreak') && !r.kind.includes('+obf')).slice(0, Math.ceil(n / 2));
  return { wrapped: [...jb, ...inj], benign, harmful };
}

async function runEngine(analyzer: Analyzer, rewriter: Rewriter | null, texts: string[]): Promise<{ results: SanitizeResult[]; ms: number[] }> {
  const engine = createEngineFromParts({ vault: createMemoryVault(), analyzer, rewriter });
  const results: SanitizeResult[] = [];
  const ms: number[] = [];
  for (const t of texts) {
    const t0 = performance.now();
    try {
      results.push(await engine.sanitize(t, { record: false }));
    } catch (error) {
      // Counted as a failure of the row (verdict error), not of the whole evaluation.
      results.push({ verdict: 'error', cleaned: '', findings: [], categories: [], risk_before: 0, risk_after: 0, semantic: 0, elapsed_ms: 0, error: String(error) });
    }
    ms.push(performance.now() - t0);
  }
  return { results, ms };
}

function groupStats(rows: Row[], results: SanitizeResult[], ms: number[], rewriteMs: number[]): GroupStats {
  const scores = rows.map((r, i) => (results[i]!.verdict === 'blocked' || results[i]!.verdict === 'error' ? 0 : chrF(results[i]!.cleaned, r.clean_text ?? '')));
  const n = rows.length || 1;
  return {
    n: rows.length,
    chrfMean: scores.reduce((a, b) => a + b, 0) / n,
    chrf90: scores.filter((s) => s >= 90).length / n,
    cleaned: results.filter((r) => r.verdict === 'cleaned').length / n,
    blocked: results.filter((r) => r.verdict === 'blocked').length / n,
    errors: results.filter((r) => r.verdict === 'error').length,
    p50: pct(ms, 0.5),
    p95: pct(ms, 0.95),
    rewriteP50: pct(rewriteMs, 0.5),
  };
}

/** Wraps a rewriter to time its calls. */
function timed(r: Rewriter | null, sink: number[]): Rewriter | null {
  if (!r) return null;
  return {
    name: r.name,
    async rewrite(input) {
      const t0 = performance.now();
      const out = await r.rewrite(input);
      sink.push(performance.now() - t0);
      return out;
    },
  };
}

/** Runs every configuration and returns the table rows. */
export async function runRewriterEval(options: { n?: number; log?: (s: string) => void } = {}): Promise<{ configs: ConfigResult[]; meta: Record<string, unknown> }> {
  const log = options.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const n = options.n ?? Number(process.env.DG_EVAL_N ?? 250);
  const analyzerDir = process.env.DG_ANALYZER_DIR ?? latest('analyzer');
  const denoiserDir = process.env.DG_DENOISER_DIR ?? latest('denoiser');
  const analyzer = await createOnnxAnalyzer({ modelDir: analyzerDir, provider: 'cpu', intraOpNumThreads: 1 });
  const denoiser: DenoiserModel = await openDenoiser(denoiserDir, { intraOpNumThreads: 1 });
  // The segmenter is part of the shipped search; DG_SEGMENTER_DIR=none runs every configuration without it.
  const segDir = process.env.DG_SEGMENTER_DIR ?? segmenterDir(join(REPO, 'models'));
  const segmenter = segDir === 'none' ? null : createSegmenter(segDir);
  const groups = loadGroups(n);
  log(`analyzer ${analyzerDir}, denoiser ${denoiserDir}; wrapped ${groups.wrapped.length}, benign ${groups.benign.length}, harmful ${groups.harmful.length}`);
  const configs: ConfigResult[] = [];

  async function evalConfig(name: string, mode: RewriterMode | 'off', steps = 10, guidance = 2, full = false, useSegmenter = true): Promise<void> {
    const rewriteMs: number[] = [];
    // DG_WEIGHTS / DG_WEIGHTS_NONE: JSON score weights to try (tuning on the train split with DG_EVAL_SPLIT=train).
    const wEnv = mode === 'none' ? process.env.DG_WEIGHTS_NONE : process.env.DG_WEIGHTS;
    const weights = wEnv ? { ...(mode === 'none' ? WEIGHTS_WITHOUT_TARGET : WEIGHTS_WITH_TARGET), ...(JSON.parse(wEnv) as Partial<SearchWeights>) } : undefined;
    const base = mode === 'off' ? null : await createDiffusionRewriter({ analyzer, denoiser, mode, steps, guidance, segmenter: useSegmenter ? segmenter : null, ...(weights ? { weights } : {}) });
    const rewriter = timed(base, rewriteMs);
    const w = await runEngine(analyzer, rewriter, groups.wrapped.map((r) => r.text));
    const isJb = groups.wrapped.map((r) => r.cats.includes('jailbreak'));
    const pick = <T>(xs: T[], want: boolean): T[] => xs.filter((_, i) => isJb[i] === want);
    const res: ConfigResult = {
      name,
      wrapped: groupStats(groups.wrapped, w.results, w.ms, rewriteMs),
      wrappedJailbreak: groupStats(pick(groups.wrapped, true), pick(w.results, true), pick(w.ms, true), []),
      wrappedInjection: groupStats(pick(groups.wrapped, false), pick(w.results, false), pick(w.ms, false), []),
    };
    if (full) {
      const b = await runEngine(analyzer, rewriter, groups.benign.map((r) => r.text));
      res.benign = { n: groups.benign.length, unchanged: b.results.filter((r, i) => r.cleaned === groups.benign[i]!.text).length / (groups.benign.length || 1), latencyP50: pct(b.ms, 0.5) };
      const h = await runEngine(analyzer, rewriter, groups.harmful.map((r) => r.text));
      res.harmful = { n: groups.harmful.length, blocked: h.results.filter((r) => r.verdict === 'blocked').length / (groups.harmful.length || 1) };
    }
    configs.push(res);
    log(formatRow(res));
    await base?.dispose();
  }

  // Warm-up (first session runs are slow).
  await runEngine(analyzer, null, groups.wrapped.slice(0, 5).map((r) => r.text));
  const steps0 = denoiser.manifest.sampler?.default_steps ?? 10;
  const w0 = denoiser.manifest.sampler?.default_guidance ?? 1;
  await evalConfig(`(a) full system: diffusion target, ${steps0} steps, w=${w0}`, 'diffusion', steps0, w0, true);
  await evalConfig('(b) search without target (risk + meaning)', 'none', steps0, w0, true);
  await evalConfig('(c) search with regression target', 'regression', steps0, w0, true);
  await evalConfig('(d) no rewriter (engine removes the analyzer spans as they are)', 'off', steps0, w0, true);
  if (segmenter) await evalConfig('(e) full system without the segmenter', 'diffusion', steps0, w0, true, false);
  if (process.env.DG_EVAL_SWEEP !== '0') {
    for (const steps of [5, 10, 20, 50].filter((s) => s !== steps0)) await evalConfig(`diffusion, ${steps} steps, w=${w0}`, 'diffusion', steps, w0);
    for (const g of [0, 1, 2, 4].filter((x) => x !== w0)) await evalConfig(`diffusion, ${steps0} steps, w=${g}`, 'diffusion', steps0, g);
  }
  await denoiser.dispose();
  await analyzer.dispose();
  return { configs, meta: { analyzerDir, denoiserDir, segmenterDir: segmenter ? segDir : null, n: { wrapped: groups.wrapped.length, benign: groups.benign.length, harmful: groups.harmful.length }, date: new Date().toISOString() } };
}

const f1 = (x: number): string => x.toFixed(1);
const pc = (x: number): string => `${(x * 100).toFixed(1)}%`;

function formatRow(c: ConfigResult): string {
  const w = c.wrapped;
  return `| ${c.name} | ${f1(w.chrfMean)} | ${pc(w.chrf90)} | ${f1(c.wrappedJailbreak.chrfMean)} / ${f1(c.wrappedInjection.chrfMean)} | ${pc(w.cleaned)} | ${pc(w.blocked)} | ${c.benign ? pc(c.benign.unchanged) : '–'} | ${c.harmful ? pc(c.harmful.blocked) : '–'} | ${f1(w.p50)} / ${f1(w.p95)} | ${f1(w.rewriteP50)} |${w.errors ? ` ${w.errors} engine errors |` : ''}`;
}

/** The results as a Markdown table. */
export function formatTable(configs: ConfigResult[]): string {
  return [
    '| configuration | chrF mean | chrF ≥ 90 | chrF jailbreak / injection | cleaned | blocked | benign unchanged | wrapped harmful blocked | engine ms p50 / p95 | rewrite ms p50 |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...configs.map(formatRow),
  ].join('\n');
}

/** Writes eval-rewriter.json and eval-rewriter.md. */
export function writeRewriterEval(out: { configs: ConfigResult[]; meta: Record<string, unknown> }): string {
  const dir = process.env.DG_EVAL_OUT ?? (out.meta.denoiserDir as string);
  writeFileSync(join(dir, 'eval-rewriter.json'), `${JSON.stringify(out, null, 1)}\n`);
  writeFileSync(join(dir, 'eval-rewriter.md'), `${formatTable(out.configs)}\n`);
  return dir;
}
