import { describe, expect, it } from 'vitest';
import { recoverRedactPiiSpans, runPeerBench } from './bench-peers';

// The benchmark itself runs only on demand: DG_BENCH=1 npx vitest run --project node scripts/bench-peers.test.ts
// (add DG_BENCH_QUICK=1 for the small sets). It measures; the only assertions are that it produced figures.
describe.skipIf(!process.env.DG_BENCH)('peer benchmark (DG_BENCH=1)', () => {
  it('runs every tool on the same inputs and writes bench-results/peers.json', { timeout: 1_800_000 }, async () => {
    const r = await runPeerBench({ quick: !!process.env.DG_BENCH_QUICK });
    expect(r.pii.tools.map((t) => t.tool)).toContain('openredaction');
    expect(r.pii.tools.map((t) => t.tool)).toContain('redact-pii');
    expect(r.injection.tools.some((t) => t.tool.startsWith('vard'))).toBe(true);
    expect(r.injection.positives).toBeGreaterThan(0);
  });
});

describe('recoverRedactPiiSpans', () => {
  it('recovers the original spans behind redact-pii replacement tokens', () => {
    const input = 'Call Dana at 415-555-0132 or dana@example.org, release 2024 notes';
    const output = 'Call PERSON_NAME at PHONE_NUMBER or EMAIL_ADDRESS, release DIGITS notes';
    const spans = recoverRedactPiiSpans(input, output)!;
    expect(spans.map(([s, e]) => input.slice(s, e))).toEqual(['Dana', '415-555-0132', 'dana@example.org', '2024']);
  });

  it('returns no spans for unchanged text and null when the output cannot be aligned', () => {
    expect(recoverRedactPiiSpans('nothing here', 'nothing here')).toEqual([]);
    expect(recoverRedactPiiSpans('abc', 'xyz')).toBeNull();
  });
});
