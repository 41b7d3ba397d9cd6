/**
 * @file `npm run train:fusion`: fits how the three harm heads are combined when the semantic head is
 * enabled (src/core/semantic/fusion.ts) and writes models/semantic/<LATEST>/fusion.json (listed with
 * its sha256 in that folder's manifest.json).
 *
 * Rows: the validation split's plain requests (kinds harmful / benign / benign_hard, also obfuscated or
 * inside a conversational wrapper; no jailbreak scaffolds, injections or PII rows), at most 150 per
 * (source, kind). Each is scored by the shipped analyzer, lexical head and semantic head as the engine
 * scores a prompt's own text. Halves by md5(text + '#c') as the Python trainers split validation: the
 * weights and thresholds are fitted on the calibration half, the figures printed and stored are the
 * report half's.
 *
 * Thresholds: per policy preset, the fused threshold keeps a fixed false-positive budget on ordinary
 * benign prompts and on benign look-alikes (the calibration half's rows the semantic head reads):
 * FPR_BUDGET, the rates of the rule the fusion replaced (analyzer OR lexical head at their own
 * thresholds) with the heads of 2026.11.27, so that retraining one head moves recall, not the operating
 * point. `--budget or-rule` measures that rule with the current heads instead (what fits before the
 * twenty-third session did).
 *
 * Usage: node out/main/fit-fusion.js [--data training/.cache/data/val.jsonl] [--cap 150] [--budget fixed|or-rule] [--dump rows.jsonl] [--dry-run]
 *   --dump: also write every scored row (source, kind, label, the three heads' scores, the fused score) as JSONL,
 *           to compare head versions at equal false-positive rates; --dry-run: fit and print, write no model file.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModels } from '../src/core/host';
import { latestModelDir } from '../src/core/inference';
import { normalize } from '../src/core/normalize';
import { createSemanticScorer, fitLogistic, fusedHarm, fusionFeatures, quantileThreshold, type HarmFusion } from '../src/core/semantic';
import type { PolicyName } from '../src/shared/result';
import { LOOKALIKE_SOURCES } from './lookalike-sources';

const PLAIN = /^(harmful|benign|benign_hard)(\+(obf:[a-z]+|wrap))?$/;
// Look-alikes weigh more in the fit: they are the errors users notice.
const LOOKALIKE_WEIGHT = 3;
const PRESETS: PolicyName[] = ['strict', 'balanced', 'permissive'];
// Look-alikes and ordinary benign prompts flagged by analyzer 2026.11.27-1 OR lexical 2026.11.27-1 on the
// calibration half's readable rows (measured by this script's `--budget or-rule`); kept since then.
const FPR_BUDGET: Record<PolicyName, { lookalike: number; ordinary: number }> = {
  strict: { lookalike: 0.055, ordinary: 0.018 },
  balanced: { lookalike: 0.02, ordinary: 0.008 },
  permissive: { lookalike: 0.009, ordinary: 0.006 },
};

type Row = { text: string; cats: string[]; source: string; kind: string };
type Scored = { source: string; kind: string; y: number; benign: boolean; look: boolean; calib: boolean; a: number; l: number; m: number | null };

const root = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
};
const h01 = (s: string): number => parseInt(createHash('md5').update(s, 'utf8').digest('hex').slice(0, 8), 16) / 0xffffffff;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const mean = (xs: boolean[]): number => (xs.length ? xs.filter(Boolean).length / xs.length : 0);

async function main(): Promise<void> {
  const dataPath = arg('data', join(root, 'training', '.cache', 'data', 'val.jsonl'));
  const cap = Number(arg('cap', '150'));
  const budget = arg('budget', 'fixed');
  if (budget !== 'fixed' && budget !== 'or-rule') throw new Error(`--budget ${budget}: use fixed or or-rule`);
  const fixed = budget === 'fixed';
  const seen = new Map<string, number>();
  const rows = readFileSync(dataPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => {
      if (!PLAIN.test(r.kind) || (r.cats.length > 0 && !r.cats.includes('harmful'))) return false;
      const k = `${r.source}|${r.kind}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
      return (seen.get(k) as number) <= cap;
    });
  const { analyzer, lexical, degraded } = await loadModels({ threads: 1, semantic: false });
  const semantic = await createSemanticScorer(latestModelDir(join(root, 'models'), 'semantic'), { provider: 'cpu', intraOpNumThreads: 1, ignoreFusion: true });
  if (!analyzer || !lexical || !semantic) throw new Error(`the fusion needs all three harm heads: ${degraded.join('; ')}`);
  console.log(`${rows.length} plain validation requests from ${dataPath}; analyzer ${analyzer.version}, lexical ${lexical.version}, semantic ${semantic.version}`);

  const scored: Scored[] = [];
  for (let i = 0; i < rows.length; i += 32) {
    const batch = rows.slice(i, i + 32);
    const ns = batch.map((r) => normalize(r.text));
    const a = await analyzer.analyze(ns);
    const m = await semantic.score(ns.map((n) => n.text));
    batch.forEach((r, k) =>
      scored.push({
        source: r.source,
        kind: r.kind,
        y: r.cats.includes('harmful') ? 1 : 0,
        benign: r.cats.length === 0,
        look: r.cats.length === 0 && LOOKALIKE_SOURCES.has(r.source),
        calib: h01(`${r.text}#c`) < 0.5,
        a: a[k]?.probs.harmful ?? 0,
        l: lexical.score((ns[k] as { text: string }).text).harmful,
        m: m[k] ?? null,
      }),
    );
  }

  // The fusion is fitted on, and applies to, texts the semantic head reads; the others keep the OR rule.
  const fit = scored.filter((s) => s.calib && s.m !== null);
  const weights = fitLogistic(
    fit.map((s) => fusionFeatures(s.a, s.l, s.m as number)),
    fit.map((s) => s.y),
    fit.map((s) => (s.look ? LOOKALIKE_WEIGHT : 1)),
  );
  const fusion: HarmFusion = {
    format: 'diffguard-harm-fusion/1',
    analyzer: analyzer.version,
    lexical: lexical.version,
    semantic: semantic.version,
    weights: weights.map((w) => Number(w.toFixed(6))),
    thresholds: { strict: 0.5, balanced: 0.5, permissive: 0.5 },
  };
  const fused = (s: Scored): number => fusedHarm(fusion, s.a, s.l, s.m as number);
  const metrics: Record<string, unknown> = {
    rows: { calibration_readable: fit.length, report: scored.filter((s) => !s.calib).length, report_readable: scored.filter((s) => !s.calib && s.m !== null).length },
    split: 'report half of the plain validation requests (weights and thresholds fitted on the calibration half)',
  };
  for (const preset of PRESETS) {
    const ta = analyzer.thresholds(preset).categories.harmful ?? 0.5;
    const tl = lexical.thresholds(preset).harmful;
    const tm = semantic.thresholds(preset).harmful;
    const orRule = (s: Scored): boolean => s.a >= ta || s.l >= tl;
    const look = fit.filter((s) => s.look);
    const ordinary = fit.filter((s) => s.benign && !s.look);
    const fprLook = fixed ? FPR_BUDGET[preset].lookalike : mean(look.map(orRule));
    const fprOrd = fixed ? FPR_BUDGET[preset].ordinary : mean(ordinary.map(orRule));
    (fusion.budget ??= {})[preset] = { lookalike: Number(fprLook.toFixed(4)), ordinary: Number(fprOrd.toFixed(4)) };
    const t = Math.max(quantileThreshold(look.map(fused), fprLook), quantileThreshold(ordinary.map(fused), fprOrd));
    fusion.thresholds[preset] = Number(Math.min(0.999, t + 1e-6).toFixed(6));
    const rep = scored.filter((s) => !s.calib);
    const rules: Record<string, (s: Scored) => boolean> = {
      'analyzer OR lexical (--no-semantic)': orRule,
      'analyzer OR lexical OR semantic': (s) => orRule(s) || (s.m ?? 0) >= tm,
      'fused (readable), OR rule (other scripts)': (s) => (s.m === null ? orRule(s) : fused(s) >= fusion.thresholds[preset]),
    };
    const m: Record<string, unknown> = {};
    console.log(`\n${preset}: fused threshold ${fusion.thresholds[preset]} (keeps ${fixed ? 'the fixed budget' : "the OR rule's FPR"} on readable calibration rows: look-alikes ${pct(fprLook)}, ordinary ${pct(fprOrd)})`);
    for (const [name, rule] of Object.entries(rules)) {
      const r = {
        recall: Number(mean(rep.filter((s) => s.y === 1).map(rule)).toFixed(4)),
        fpr_lookalike: Number(mean(rep.filter((s) => s.look).map(rule)).toFixed(4)),
        fpr_ordinary: Number(mean(rep.filter((s) => s.benign && !s.look).map(rule)).toFixed(4)),
      };
      m[name] = r;
      console.log(`  ${name.padEnd(44)} harmful recall ${pct(r.recall)}  look-alikes flagged ${pct(r.fpr_lookalike)}  ordinary benign flagged ${pct(r.fpr_ordinary)}`);
    }
    metrics[preset] = m;
  }
  fusion.metrics = metrics;
  console.log(`\nweights (logit analyzer, logit lexical, logit semantic, bias): ${fusion.weights.join(', ')}`);

  const dump = arg('dump', '');
  if (dump) {
    writeFileSync(dump, scored.map((s) => JSON.stringify({ ...s, fused: s.m === null ? null : Number(fused(s).toFixed(6)) })).join('\n') + '\n');
    console.log(`rows written to ${dump}`);
  }
  const dir = latestModelDir(join(root, 'models'), 'semantic');
  if (process.argv.includes('--dry-run')) {
    console.log(`--dry-run: ${join(dir, 'fusion.json')} not written`);
  } else {
    const bytes = Buffer.from(`${JSON.stringify(fusion, null, 1)}\n`, 'utf8');
    writeFileSync(join(dir, 'fusion.json'), bytes);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, unknown> };
    manifest.files['fusion.json'] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
    console.log(`written ${join(dir, 'fusion.json')}`);
  }
  await analyzer.dispose();
  await semantic.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
