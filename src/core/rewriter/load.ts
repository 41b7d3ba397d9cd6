/**
 * @file How a host loads the rewriter: resolves `models/denoiser/LATEST`, opens the denoiser and
 * builds the diffusion rewriter over an already loaded analyzer, or explains why it could not
 * (the engine then runs without a rewriter; the deterministic removals still apply).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from '../engine/types';
import { latestModelDir } from '../inference';
import { createDiffusionRewriter, type DiffusionRewriter, type RewriterMode } from './rewriter';
import { createSegmenter, segmenterDir, type Segmenter } from './segmenter';

/** Resolves models/denoiser/LATEST to the shipped denoiser's folder. */
export function denoiserDir(modelsDir: string): string {
  return latestModelDir(modelsDir, 'denoiser');
}

/** Options of {@link loadRewriter}. */
export type LoadRewriterOptions = {
  /** The loaded analyzer; without one there is no rewriter. */
  analyzer: Analyzer | null;
  modelsDir: string;
  /** Default `diffusion`; `none` needs no denoiser files. */
  mode?: RewriterMode;
  steps?: number;
  guidance?: number;
  threads?: number;
  /** false: run the edit search without the segmenter (ablation). Default: load models/segmenter/LATEST. */
  segmenter?: boolean;
};

/**
 * Whether a denoiser trained for `trainedFor` (its manifest's `analyzer`) works in this analyzer's
 * embedding space: the same analyzer version, or an export of the same trained checkpoint. A denoiser
 * manifest that names no analyzer is taken as it is.
 */
export function denoiserFits(trainedFor: { version?: string; checkpoint_sha256?: string } | undefined, analyzer: Pick<Analyzer, 'version' | 'checkpoint'>): boolean {
  if (trainedFor?.version === undefined || trainedFor.version === analyzer.version) return true;
  return trainedFor.checkpoint_sha256 !== undefined && trainedFor.checkpoint_sha256 === analyzer.checkpoint;
}

/**
 * Loads the rewriter, or returns null with the reason (for `EngineInfo.degraded`). Never throws.
 */
export async function loadRewriter(options: LoadRewriterOptions): Promise<{ rewriter: DiffusionRewriter | null; degraded: string[] }> {
  if (!options.analyzer) return { rewriter: null, degraded: [] };
  try {
    let mode = options.mode ?? 'diffusion';
    const notes: string[] = [];
    const dir = mode !== 'none' ? denoiserDir(options.modelsDir) : null;
    if (dir) {
      // The denoiser lives in one analyzer's embedding space: with another analyzer its target is
      // meaningless, so the search runs on its risk and meaning terms alone. Another export of the
      // same trained checkpoint (the int8 analyzer of a float32 one) is the same space.
      const trainedFor = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { analyzer?: { version?: string; checkpoint_sha256?: string } }).analyzer;
      if (!denoiserFits(trainedFor, options.analyzer)) {
        notes.push(`Denoiser ${dir} was trained for analyzer ${trainedFor?.version}, not ${options.analyzer.version}: the edit search runs without the diffusion target`);
        mode = 'none';
      }
    }
    // The segmenter is small and optional: without it the search still runs on the analyzer's spans.
    let segmenter: Segmenter | null = null;
    if (options.segmenter !== false) {
      try {
        segmenter = createSegmenter(segmenterDir(options.modelsDir));
      } catch (error) {
        notes.push(`Segmenter unavailable, the edit search runs without it: ${(error as Error).message}`);
      }
    }
    // The segmenter for injected instructions (models/segmenter-injection); without it the one segmenter serves both.
    let injectionSegmenter: Segmenter | null = null;
    if (options.segmenter !== false && segmenter) {
      try {
        injectionSegmenter = createSegmenter(latestModelDir(options.modelsDir, 'segmenter-injection'));
      } catch (error) {
        notes.push(`Injection segmenter unavailable, the edit search uses the jailbreak segmenter for injections too: ${(error as Error).message}`);
      }
    }
    const rewriter = await createDiffusionRewriter({
      segmenter,
      injectionSegmenter,
      analyzer: options.analyzer,
      mode,
      ...(mode !== 'none' && dir ? { denoiserDir: dir } : {}),
      ...(options.steps !== undefined ? { steps: options.steps } : {}),
      ...(options.guidance !== undefined ? { guidance: options.guidance } : {}),
      threads: options.threads ?? 1,
    });
    return { rewriter, degraded: notes };
  } catch (error) {
    return { rewriter: null, degraded: [`Rewriter model unavailable, removals use the analyzer's spans as they are: ${(error as Error).message}`] };
  }
}
