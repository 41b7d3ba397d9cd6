/**
 * @file Chooses the placeholder for each detection to be redacted, through the vault, so the same
 * value gets the same placeholder within the text and the vault session.
 */
import type { Detection } from '../engine/types';
import type { Vault } from '../vault/types';

/** The placeholder type of a detection: its `placeholderType`, `SECRET` for secrets, else its kind. */
export function placeholderTypeOf(d: Pick<Detection, 'kind' | 'category' | 'placeholderType'>): string {
  if (d.placeholderType !== undefined && d.placeholderType !== '') return d.placeholderType;
  return d.category === 'secret' ? 'SECRET' : d.kind;
}

/**
 * Returns the replacement string for each detection (same order as `detections`). Values are
 * registered in reading order, so `[EMAIL_1]` is the first e-mail in the text when the vault
 * has not seen it before.
 */
export function assignPlaceholders(
  detections: readonly Pick<Detection, 'kind' | 'category' | 'start' | 'end' | 'placeholderType'>[],
  original: string,
  vault: Pick<Vault, 'placeholderFor'>,
): string[] {
  const order = detections.map((_, i) => i).sort((a, b) => detections[a]!.start - detections[b]!.start || a - b);
  const out = new Array<string>(detections.length);
  for (const i of order) {
    const d = detections[i]!;
    out[i] = vault.placeholderFor(placeholderTypeOf(d), original.slice(d.start, d.end));
  }
  return out;
}
