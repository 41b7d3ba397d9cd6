/**
 * @file The sanitize result contract (PRODUCT.md, "The command-line contract").
 * Shared by every host and the renderer; pure types and zod schemas, no runtime dependencies
 * beyond zod. The engine (src/core) produces these objects; hosts serialise them unchanged.
 */
import { z } from 'zod';

/** Outcome of one sanitize call. `error` is only produced by hosts for rows they could not process. */
export const VerdictSchema = z.enum(['pass', 'cleaned', 'blocked', 'error']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** Top-level categories. Harm sub-categories are written `harmful:<sub>` (see HARM_SUBCATEGORIES). */
export const BASE_CATEGORIES = ['pii', 'secret', 'obfuscation', 'jailbreak', 'injection', 'harmful'] as const;
export type BaseCategory = (typeof BASE_CATEGORIES)[number];

/** Harm sub-categories, aligned with the MLCommons AILuminate hazard taxonomy. */
export const HARM_SUBCATEGORIES = [
  'violent_crime',
  'nonviolent_crime',
  'sex_crime',
  'child_abuse',
  'mass_harm_weapons',
  'hate',
  'self_harm',
  'sexual_content',
  'cyber_attack',
  'privacy_violation',
  'specialised_advice',
  'misinformation',
  'harassment',
] as const;
export type HarmSubcategory = (typeof HARM_SUBCATEGORIES)[number];

/** A category string as it appears in results: a base category or `harmful:<sub>`. */
export type Category = BaseCategory | `harmful:${HarmSubcategory}`;

/**
 * What was done to a finding's span in the cleaned text.
 * - `redact`: replaced by a typed placeholder (`replacement` holds it, e.g. `[EMAIL_1]`)
 * - `remove`: deleted (scaffolding, injected instruction, invisible characters)
 * - `block`: the whole request is refused; the span is the evidence
 * - `flag`: reported only, the text is kept (below the policy's action threshold, or policy `allow`)
 */
export const ActionSchema = z.enum(['redact', 'remove', 'block', 'flag']);
export type Action = z.infer<typeof ActionSchema>;

export const FindingSchema = z.object({
  /** Detector-specific type, e.g. `email`, `phone`, `card`, `aws_access_key`, `zero_width`, `jailbreak_span`. */
  kind: z.string(),
  category: z.string(),
  /** Offsets into the ORIGINAL input text, UTF-16 code units, end exclusive. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The original text of the span (input.slice(start, end)). */
  text: z.string(),
  /** Confidence in [0, 1]. Validated deterministic matches are close to 1. */
  score: z.number().min(0).max(1),
  action: ActionSchema,
  /** Text that replaces the span in `cleaned` ('' for remove, placeholder for redact, null when kept). */
  replacement: z.string().nullable(),
  /** Human-readable reason, shown on hover in the workbench. */
  reason: z.string().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const SanitizeResultSchema = z.object({
  verdict: VerdictSchema,
  /** Equals the input exactly when verdict is `pass`; '' when `blocked`. */
  cleaned: z.string(),
  findings: z.array(FindingSchema),
  categories: z.array(z.string()),
  /** Estimated risk of sending the input as is, in [0, 1]. */
  risk_before: z.number().min(0).max(1),
  /** Estimated risk of sending `cleaned`, in [0, 1]. */
  risk_after: z.number().min(0).max(1),
  /** How much of the input's meaning `cleaned` keeps, in [0, 1]. */
  semantic: z.number().min(0).max(1),
  elapsed_ms: z.number().nonnegative(),
  /** When blocked: a clearly safe generalisation, never sent automatically. */
  suggestion: z.string().optional(),
  /** Error message when verdict is `error`. */
  error: z.string().optional(),
});
export type SanitizeResult = z.infer<typeof SanitizeResultSchema>;

export const PolicyNameSchema = z.enum(['strict', 'balanced', 'permissive']);
export type PolicyName = z.infer<typeof PolicyNameSchema>;
