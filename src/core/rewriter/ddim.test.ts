import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ddimTimesteps, sampleClean, seededNoise } from './ddim';
import { openDenoiser, type DenoiserModel } from './denoiser';

type Parity = {
  atol: number;
  step: { x_t: number[][]; t: number[]; cond: number[][]; cond_mask: number[][]; eps: number[][] };
  ddim: Array<{ steps: number; guidance: number; noise: number[][]; cond: number[][]; timesteps: number[]; x0: number[][] }>;
  regression: { cond: number[][]; target: number[][] };
};

const MODELS = join(__dirname, '..', '..', '..', 'models');
const dirs = [join(MODELS, 'denoiser-tiny')];
// An extra exported folder to check (e.g. a trial export outside models/).
if (process.env.DG_DENOISER_PARITY_DIR) dirs.push(process.env.DG_DENOISER_PARITY_DIR);
try {
  const latest = readFileSync(join(MODELS, 'denoiser', 'LATEST'), 'utf8').trim();
  if (latest) dirs.push(join(MODELS, 'denoiser', latest));
} catch {
  // No trained denoiser exported yet: the tiny model still checks the sampler.
}

const flat = (rows: number[][]): Float32Array => Float32Array.from(rows.flat());

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.each(dirs)('denoiser parity with PyTorch: %s', (dir) => {
  let model: DenoiserModel;
  let parity: Parity;
  beforeAll(async () => {
    model = await openDenoiser(dir, { intraOpNumThreads: 1 });
    parity = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8')) as Parity;
  });
  afterAll(async () => model?.dispose());

  it('one batched step reproduces the PyTorch eps', async () => {
    const s = parity.step;
    const eps = await model.eps(flat(s.x_t), Float32Array.from(s.t), flat(s.cond), flat(s.cond_mask));
    expect(maxAbsDiff(eps, s.eps.flat())).toBeLessThan(parity.atol);
  });

  it('the DDIM loop (timesteps, guidance, final embedding) reproduces the PyTorch sampler', async () => {
    for (const c of parity.ddim) {
      expect(ddimTimesteps(model.alphasCumprod.length, c.steps)).toEqual(c.timesteps);
      const out = await sampleClean(
        model,
        c.cond.map((r) => Float32Array.from(r)),
        { steps: c.steps, guidance: c.guidance },
        { noises: c.noise.map((r) => Float32Array.from(r)) },
      );
      expect(maxAbsDiff(Float32Array.from(out.flatMap((v) => [...v])), c.x0.flat()), `steps ${c.steps} w ${c.guidance}`).toBeLessThan(parity.atol);
    }
  });

  it('the regression baseline reproduces PyTorch', async () => {
    const out = await model.regress(flat(parity.regression.cond));
    expect(maxAbsDiff(out, parity.regression.target.flat())).toBeLessThan(parity.atol);
  });
});

describe('sampler mechanics', () => {
  it('seeded noise is deterministic per key, differs across keys, and is roughly standard normal', () => {
    const a = seededNoise('Summarise this e-mail', 384);
    expect(seededNoise('Summarise this e-mail', 384)).toEqual(a);
    expect(seededNoise('Summarise this e-mail.', 384)).not.toEqual(a);
    const big = seededNoise('stats', 20000);
    const mean = big.reduce((s, v) => s + v, 0) / big.length;
    const variance = big.reduce((s, v) => s + (v - mean) ** 2, 0) / big.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('timesteps descend from T-1 to 0 without repeats', () => {
    expect(ddimTimesteps(1000, 5)).toEqual([999, 749, 500, 250, 0]);
    expect(ddimTimesteps(1000, 1)).toEqual([999]);
    expect(ddimTimesteps(10, 50)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('the same input gives the same target; a corrupted model file is refused', async () => {
    const model = await openDenoiser(dirs[0]!, { intraOpNumThreads: 1 });
    const cond = seededNoise('cond', 384);
    const [a] = await sampleClean(model, [cond], { steps: 10, guidance: 2 }, { keys: ['same text'] });
    const [b] = await sampleClean(model, [cond], { steps: 10, guidance: 2 }, { keys: ['same text'] });
    expect(b).toEqual(a);
    let norm = 0;
    for (const v of a!) norm += v * v;
    expect(norm).toBeCloseTo(1, 4);
    await model.dispose();
  });
});
