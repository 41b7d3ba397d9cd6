import { describe, expect, it } from 'vitest';
import { formatPiiEval, runPiiEval, writePiiEval, PII_TYPES } from './eval-pii';

describe('PII evaluation of the deterministic path', () => {
  it('meets the recall, keep and untouched targets on the generated set', () => {
    const s = runPiiEval();
    console.log(formatPiiEval(s));
    if (s.misses.length) console.log('misses:', JSON.stringify(s.misses.slice(0, 40), null, 1));
    if (s.falsePositives.length) console.log('non-personal detected:', JSON.stringify(s.falsePositives.slice(0, 40), null, 1));
    if (s.cleanFlagged.length) console.log('clean flagged:', JSON.stringify(s.cleanFlagged.slice(0, 20), null, 1));
    writePiiEval(s);
    for (const t of PII_TYPES) expect(s.recall[t].recall, `recall ${t}`).toBeGreaterThanOrEqual(0.97);
    expect(s.nonPersonalKept.share).toBeGreaterThanOrEqual(0.95);
    expect(s.cleanUntouched.share).toBeGreaterThanOrEqual(0.97);
  });
});
