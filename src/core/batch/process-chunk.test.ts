import { describe, expect, it } from 'vitest';
import { createEngine } from '../index';
import type { Engine } from '../engine/types';
import { processChunk } from './process-chunk';

describe('processChunk', () => {
  it('sanitizes readable rows with the engine and turns unreadable ones into error rows, in order', async () => {
    const engine = await createEngine({ useModels: false });
    const results = await processChunk(engine, [
      { text: 'Please email the invoice to maria.keller@example.com by Friday.' },
      { text: null, error: 'line 2 is not valid JSON' },
      { text: 'What is the capital of Portugal?' },
    ]);
    expect(results.map((r) => r.verdict)).toEqual(['cleaned', 'error', 'pass']);
    expect(results[0].cleaned).toContain('[EMAIL_1]');
    expect(results[0].cleaned).not.toContain('maria.keller@example.com');
    expect(results[1].error).toBe('line 2 is not valid JSON');
    expect(results[2].cleaned).toBe('What is the capital of Portugal?');
    await engine.close();
  });

  it('isolates a row that makes the engine throw', async () => {
    const real = await createEngine({ useModels: false });
    const flaky: Pick<Engine, 'sanitizeMany'> = {
      async sanitizeMany(texts, options) {
        if (texts.some((t) => t.includes('\u0000boom'))) throw new Error('detector crashed');
        return real.sanitizeMany(texts, options);
      },
    };
    const results = await processChunk(flaky, [{ text: 'hello there' }, { text: 'bad \u0000boom row' }, { text: 'call +44 20 7946 0958 tomorrow' }]);
    expect(results.map((r) => r.verdict)).toEqual(['pass', 'error', 'cleaned']);
    expect(results[1].error).toMatch(/internal error while sanitizing this row: detector crashed/);
    await real.close();
  });
});
