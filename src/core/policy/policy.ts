/**
 * @file Policies: what the engine does with each category of finding, and from which score on.
 * Owns the three presets (strict, balanced, permissive), loading and validating a policy JSON
 * file, and the lookup of an action for a detection. It does not detect anything itself.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PolicyName } from '../../shared/result';

/** What a policy may ask for a category: block the request, remove the span, redact it with a placeholder, or allow (report only). */
export const PolicyActionSchema = z.enum(['block', 'remove', 'redact', 'allow']);
export type PolicyAction = z.infer<typeof PolicyActionSchema>;

export const PolicySchema = z
  .object({
    name: z.string().min(1),
    /** Base preset whose values fill anything this policy leaves out. */
    extends: z.enum(['strict', 'balanced', 'permissive']).optional(),
    /**
     * Action per category key. Keys: pii, secret, obfuscation, jailbreak, injection, harmful,
     * `harmful:<sub>`, or a finding kind prefixed with `kind:` (e.g. `kind:ipv4`, `kind:encoded_base64`).
     * The most specific key wins: kind, then `harmful:<sub>`, then the base category.
     */
    actions: z.record(z.string(), PolicyActionSchema).default({}),
    /**
     * Minimum score for a model-based category to count (calibrated probability). Keys as in
     * `actions`. Missing keys fall back to the model manifest's thresholds for this preset.
     */
    thresholds: z.record(z.string(), z.number().min(0).max(1)).default({}),
    /** Exact strings (case-insensitive) that are never flagged, e.g. the company's support e-mail. */
    allowList: z.array(z.string()).default([]),
    /** Terms that must never be sent (code names, client names); redacted as [CUSTOM_N]. */
    denyList: z.array(z.string()).default([]),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;

const COMMON_ACTIONS: Record<string, PolicyAction> = {
  pii: 'redact',
  secret: 'redact',
  obfuscation: 'remove',
  'kind:encoded_base64': 'allow',
  'kind:encoded_hex': 'allow',
  jailbreak: 'remove',
  injection: 'remove',
  harmful: 'block',
};

/** The built-in presets. `balanced` is the default. */
export const PRESETS: Record<PolicyName, Policy> = {
  strict: {
    name: 'strict',
    actions: { ...COMMON_ACTIONS, 'kind:encoded_base64': 'remove', 'kind:encoded_hex': 'remove' },
    thresholds: {},
    allowList: [],
    denyList: [],
  },
  balanced: { name: 'balanced', actions: { ...COMMON_ACTIONS }, thresholds: {}, allowList: [], denyList: [] },
  permissive: {
    name: 'permissive',
    // IP addresses are routine in technical prompts; permissive keeps them and only reports them.
    actions: { ...COMMON_ACTIONS, 'kind:ipv4': 'allow', 'kind:ipv6': 'allow' },
    thresholds: {},
    allowList: [],
    denyList: [],
  },
};

/** Which preset's model thresholds a policy uses. */
export function presetOf(policy: Policy): PolicyName {
  if (policy.name === 'strict' || policy.name === 'balanced' || policy.name === 'permissive') return policy.name;
  return policy.extends ?? 'balanced';
}

export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Resolves a preset name or a parsed policy object into a complete policy. */
export function resolvePolicy(policy: PolicyName | Policy | undefined): Policy {
  if (policy === undefined) return PRESETS.balanced;
  if (typeof policy === 'string') {
    const preset = PRESETS[policy];
    if (!preset) throw new PolicyError(`Unknown policy "${policy}": use strict, balanced, permissive or a JSON file.`);
    return preset;
  }
  const base = PRESETS[policy.extends ?? 'balanced'];
  return {
    ...policy,
    actions: { ...base.actions, ...policy.actions },
    thresholds: { ...base.thresholds, ...policy.thresholds },
    allowList: [...base.allowList, ...policy.allowList],
    denyList: [...base.denyList, ...policy.denyList],
  };
}

/** Parses and validates a policy JSON text; errors name the offending field. */
export function parsePolicy(json: string, origin = 'policy'): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new PolicyError(`${origin}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PolicyError(`${origin}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return resolvePolicy(parsed.data);
}

/** Reads a policy file (JSON). */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(`Cannot read policy file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parsePolicy(text, path);
}

/** The action for a detection: the most specific key wins (kind, then harmful sub-category, then base category). */
export function actionFor(policy: Policy, category: string, kind: string): PolicyAction {
  const byKind = policy.actions[`kind:${kind}`];
  if (byKind) return byKind;
  const exact = policy.actions[category];
  if (exact) return exact;
  const base = category.split(':')[0] ?? category;
  return policy.actions[base] ?? 'allow';
}
