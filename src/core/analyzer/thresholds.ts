/**
 * @file Thresholds of the learned analyzer for a policy: the model manifest's per-preset values
 * (chosen on validation), overridden by a policy's own `thresholds`. Pure, no I/O.
 */
import type { PolicyName } from '../../shared/result';
import type { ModelManifest } from '../inference';
import type { Policy } from '../policy/policy';
import { presetOf } from '../policy/policy';

/** Calibrated-probability thresholds: per category key, and per span label. */
export type AnalyzerThresholds = {
  categories: Record<string, number>;
  spans: Record<string, number>;
};

/**
 * The thresholds for `policy`: the manifest's values for the policy's preset, then the policy's
 * `thresholds` on top. A policy key that is a category (`jailbreak`, `harmful:hate`, …) sets that
 * category's threshold; a key `span:<label>` (e.g. `span:person_name`) sets a span threshold.
 * Every category and span label of the manifest is present in the result.
 */
export function loadAnalyzerThresholds(
  manifest: Pick<ModelManifest, 'thresholds' | 'categories' | 'span_labels'>,
  policy: PolicyName | Policy,
): AnalyzerThresholds {
  const preset: PolicyName = typeof policy === 'string' ? policy : presetOf(policy);
  const base = manifest.thresholds[preset];
  const overrides = typeof policy === 'string' ? {} : policy.thresholds;
  const categories: Record<string, number> = {};
  for (const c of manifest.categories) categories[c] = overrides[c] ?? base.categories[c];
  const spans: Record<string, number> = {};
  for (const s of manifest.span_labels) spans[s] = overrides[`span:${s}`] ?? base.spans[s];
  return { categories, spans };
}
