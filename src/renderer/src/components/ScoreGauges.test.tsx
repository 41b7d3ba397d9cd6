import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ScoreGauges } from './ScoreGauges';

afterEach(cleanup);

describe('ScoreGauges', () => {
  it('exposes each score as a labelled meter with a description', () => {
    render(<ScoreGauges riskBefore={0.7425} riskAfter={0} semantic={0.93} />);
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-label'))).toEqual(['Risk before', 'Risk after', 'Meaning kept']);
    expect(meters.map((m) => m.getAttribute('aria-valuenow'))).toEqual(['74', '0', '93']);
    const help = document.getElementById(meters[0].getAttribute('aria-describedby') ?? '');
    expect(help?.textContent).toMatch(/risky/);
    expect(meters[0].className).toContain('gauge-bad');
    expect(meters[1].className).toContain('gauge-good');
  });
});
