import { describe, expect, it } from 'vitest';
import { CONTEXT_TYPES, formatPiiEval, generateEvalSet, runPiiEval, writePiiEval, PII_TYPES } from './eval-pii';

describe('PII evaluation of the deterministic path', () => {
  it('meets the recall, keep and untouched targets on the generated set', () => {
    const s = runPiiEval();
    console.log(formatPiiEval(s));
    if (s.misses.length) console.log('misses:', JSON.stringify(s.misses.slice(0, 40), null, 1));
    if (s.falsePositives.length) console.log('non-personal detected:', JSON.stringify(s.falsePositives.slice(0, 40), null, 1));
    if (s.cleanFlagged.length) console.log('clean flagged:', JSON.stringify(s.cleanFlagged.slice(0, 20), null, 1));
    writePiiEval(s);
    // Validated identifiers: near-perfect. Names, addresses and dates of birth (context rules): 90%.
    for (const t of PII_TYPES) expect(s.recall[t].recall, `recall ${t}`).toBeGreaterThanOrEqual(CONTEXT_TYPES.has(t) ? 0.9 : 0.97);
    expect(s.nonPersonalKept.share).toBeGreaterThanOrEqual(0.95);
    expect(s.cleanUntouched.share).toBeGreaterThanOrEqual(0.97);
    expect(s.capitalisedUntouched.share).toBeGreaterThanOrEqual(0.95);
  });

  it('generates name, address and date-of-birth prompts and capitalised negatives', () => {
    const set = generateEvalSet(7, 16, 10, 10, 20);
    for (const t of CONTEXT_TYPES) expect(set.some((s) => s.labels.some((l) => l.type === t && s.text.slice(l.start, l.end) === l.value)), t).toBe(true);
    const caps = set.filter((s) => s.group === 'capitalised');
    expect(caps).toHaveLength(20);
    expect(caps.every((s) => s.labels.every((l) => l.type === 'KEEP'))).toBe(true);
  });
});
