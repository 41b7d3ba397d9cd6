import { describe, expect, it } from 'vitest';
import { loadModelManifest } from '../inference';
import { TINY_MODEL_DIR } from '../inference/test-helpers';
import { PRESETS } from '../policy/policy';
import { loadAnalyzerThresholds } from './thresholds';

const { manifest } = loadModelManifest(TINY_MODEL_DIR);

describe('loadAnalyzerThresholds', () => {
  it('takes every preset value from the manifest', () => {
    for (const preset of ['strict', 'balanced', 'permissive'] as const) {
      const t = loadAnalyzerThresholds(manifest, preset);
      expect(Object.keys(t.categories).sort()).toEqual([...manifest.categories].sort());
      expect(Object.keys(t.spans).sort()).toEqual([...manifest.span_labels].sort());
      for (const c of manifest.categories) expect(t.categories[c]).toBe(manifest.thresholds[preset].categories[c]);
      for (const s of manifest.span_labels) expect(t.spans[s]).toBe(manifest.thresholds[preset].spans[s]);
    }
  });

  it('uses the preset a custom policy extends, with its own overrides on top', () => {
    const policy = {
      ...PRESETS.balanced,
      name: 'clinic',
      extends: 'strict' as const,
      thresholds: { 'harmful:self_harm': 0.9, 'span:person_name': 0.2 },
    };
    const t = loadAnalyzerThresholds(manifest, policy);
    expect(t.categories['harmful:self_harm']).toBe(0.9);
    expect(t.categories.jailbreak).toBe(manifest.thresholds.strict.categories.jailbreak);
    expect(t.spans.person_name).toBe(0.2);
    expect(t.spans.street_address).toBe(manifest.thresholds.strict.spans.street_address);
  });
});
