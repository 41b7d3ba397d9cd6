import { describe, expect, it } from 'vitest';
import { formatTable, runRewriterEval, writeRewriterEval } from './eval-rewriter';

// The rewriter evaluation needs the exported analyzer and denoiser and the training data cache, and takes
// minutes: it runs only when asked (DG_EVAL_REWRITER=1 npx vitest run --project node scripts/eval-rewriter.test.ts).
const enabled = process.env.DG_EVAL_REWRITER === '1';

describe.skipIf(!enabled)('rewriter evaluation (DG_EVAL_REWRITER=1)', () => {
  it('measures the full system, its ablations, DDIM steps and guidance on validation', { timeout: 3_600_000 }, async () => {
    const out = await runRewriterEval();
    const dir = writeRewriterEval(out);
    console.log(`${formatTable(out.configs)}\n(written to ${dir})`);
    expect(out.configs.length).toBeGreaterThan(0);
    for (const c of out.configs) expect(c.wrapped.n).toBeGreaterThan(0);
  });
});
