/**
 * @file Wrapped probes (issue #4's held-out check, in miniature): every clearly harmful request and every
 * benign trigger-word request of a probe set (docs/probes/independent-*.jsonl) is put into each jailbreak
 * scaffold of docs/probes/scaffolds.jsonl (`{Q}` marks the slot) and sanitized by the full engine. Prints,
 * per scaffold, how many wrapped harmful requests were blocked and, for the benign ones, how many came back
 * cleaned and the chrF of the cleaned text against the bare request (mean, and the share at 90 or more).
 *
 * Usage: node out/main/probe-wrap.js [--probes docs/probes/independent-b.jsonl] [--scaffolds docs/probes/scaffolds.jsonl] [--dump PATH]
 *
 * `--dump PATH` writes every wrapped request's outcome (scaffold, label, request, verdict, cleaned text, and chrF for
 * the benign ones) as JSONL, for failure analysis on the development sets only: reading it for a sealed set unseals that set,
 * so it is refused for sets B and C, the sealed scaffolds and the default probes (set B).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEngineFromParts } from '../src/core/engine/engine';
import { loadModels } from '../src/core/host';
import { createMemoryVault } from '../src/core/vault';
import { chrF } from './metrics';

type Probe = { text: string; label: string; group?: string };
type Scaffold = { name: string; template: string };

const root = resolve(__dirname, '..', '..');
/** The probe files that are scored, never read row by row (docs/probes/README.md). */
const SEALED = /independent-[fghil]\.jsonl$|scaffolds-(?:sealed|h|j|l)\.jsonl$/;
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
};
const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

/** The scaffold with the request in its slot (JSON-escaped where the slot sits inside a JSON string). */
export function wrap(template: string, request: string): string {
  const inJson = /"\{Q\}"/.test(template) && template.trimStart().startsWith('{');
  const q = inJson ? JSON.stringify(request).slice(1, -1) : request;
  return template.split('{Q}').join(q);
}

async function main(): Promise<void> {
  const probes = jsonl<Probe>(arg('probes', resolve(root, 'docs/probes/independent-b.jsonl'))).filter(
    (p) => p.label === 'harmful' || (p.label === 'benign' && p.group === 'trigger'),
  );
  const scaffolds = jsonl<Scaffold>(arg('scaffolds', resolve(root, 'docs/probes/scaffolds.jsonl')));
  const { analyzer, lexical, semantic, rewriter, degraded } = await loadModels({ threads: 1, semantic: true });
  if (degraded.length > 0) console.log(`degraded: ${degraded.join('; ')}`);
  const engine = createEngineFromParts({ vault: createMemoryVault(), analyzer, lexical, semantic, rewriter });
  const dumpPath = arg('dump', '');
  const sealed = [arg('probes', ''), arg('scaffolds', '')].filter((f) => SEALED.test(f));
  if (dumpPath && (sealed.length > 0 || !process.argv.includes('--probes'))) {
    // Reading a sealed set's rows unseals it (docs/probes/README.md); the default probes are set B.
    console.error(`--dump writes rows: not for the sealed sets (${sealed.join(', ') || 'the default probes, set B'}); pass --probes docs/probes/independent-a.jsonl`);
    process.exit(2);
  }
  const dump: string[] = [];
  let harmful = 0;
  let blocked = 0;
  let benignCleaned = 0;
  let benignBlocked = 0;
  const allChrf: number[] = [];
  for (const s of scaffolds) {
    const texts = probes.map((p) => wrap(s.template, p.text));
    const results = await engine.sanitizeMany(texts, { record: false });
    let h = 0;
    let b = 0;
    let cleaned = 0;
    const scores: number[] = [];
    results.forEach((r, i) => {
      const p = probes[i]!;
      if (p.label === 'harmful') {
        h++;
        if (r.verdict === 'blocked') b++;
        if (dumpPath) dump.push(JSON.stringify({ scaffold: s.name, label: 'harmful', request: p.text, verdict: r.verdict, cleaned: r.cleaned }));
        return;
      }
      if (r.verdict === 'cleaned') cleaned++;
      if (r.verdict === 'blocked') benignBlocked++;
      const score = r.verdict === 'cleaned' ? chrF(r.cleaned, p.text) : 0;
      scores.push(score);
      if (dumpPath) dump.push(JSON.stringify({ scaffold: s.name, label: 'benign', request: p.text, verdict: r.verdict, cleaned: r.cleaned, chrf: Math.round(score * 10) / 10 }));
    });
    harmful += h;
    blocked += b;
    benignCleaned += cleaned;
    allChrf.push(...scores);
    const mean = scores.reduce((a, x) => a + x, 0) / Math.max(1, scores.length);
    const ge90 = scores.filter((x) => x >= 90).length;
    console.log(`${s.name.padEnd(24)} harmful blocked ${b}/${h}   benign cleaned ${cleaned}/${scores.length}, chrF mean ${mean.toFixed(1)}, >= 90 ${ge90}/${scores.length}`);
  }
  const mean = allChrf.reduce((a, x) => a + x, 0) / Math.max(1, allChrf.length);
  const ge90 = allChrf.filter((x) => x >= 90).length;
  const share = (k: number, n: number): string => `${((100 * k) / Math.max(1, n)).toFixed(1)}%`;
  console.log(
    `${'all'.padEnd(24)} harmful blocked ${blocked}/${harmful} (${share(blocked, harmful)})   benign cleaned ${share(benignCleaned, allChrf.length)}, blocked ${share(benignBlocked, allChrf.length)}, chrF mean ${mean.toFixed(1)}, >= 90 ${share(ge90, allChrf.length)}`,
  );
  if (dumpPath) writeFileSync(resolve(dumpPath), dump.join('\n') + '\n');
  await engine.close();
}

if (!process.env.VITEST) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
