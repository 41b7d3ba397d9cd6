import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../shared/result';
import { VerdictBanner } from './VerdictBanner';

afterEach(cleanup);

const email: Finding = { kind: 'email', category: 'pii', start: 0, end: 5, text: 'a@b.c', score: 0.99, action: 'redact', replacement: '[EMAIL_1]' };
const card: Finding = { ...email, kind: 'card', replacement: '[CARD_1]' };
const zw: Finding = { ...email, kind: 'zero_width', category: 'obfuscation', action: 'remove', replacement: '' };

describe('VerdictBanner', () => {
  it('says a clean prompt passed unchanged', () => {
    render(<VerdictBanner result={{ verdict: 'pass', findings: [], categories: [] }} />);
    const banner = screen.getByTestId('verdict-banner');
    expect(banner.dataset.verdict).toBe('pass');
    expect(banner.textContent).toContain('Passed unchanged');
  });

  it('summarises what a cleaning changed in one sentence', () => {
    render(<VerdictBanner result={{ verdict: 'cleaned', findings: [email, card, zw], categories: ['pii', 'obfuscation'] }} />);
    expect(screen.getByTestId('verdict-banner').textContent).toContain('Redacted 2 items (EMAIL, CARD) and removed 1 item (ZERO_WIDTH).');
  });

  it('explains a block with its category and offers the suggestion', () => {
    const use = vi.fn();
    render(
      <VerdictBanner
        result={{ verdict: 'blocked', findings: [], categories: ['harmful:cyber_attack'], suggestion: 'How do ransomware defences work?' }}
        onUseSuggestion={use}
      />,
    );
    const banner = screen.getByTestId('verdict-banner');
    expect(banner.textContent).toContain('Blocked');
    expect(banner.textContent).toContain('Harmful request: cyber attack');
    fireEvent.click(screen.getByText('Use it'));
    expect(use).toHaveBeenCalledWith('How do ransomware defences work?');
  });

  it('shows an error row message', () => {
    render(<VerdictBanner result={{ verdict: 'error', findings: [], categories: [], error: 'row 3: missing column "text"' }} />);
    expect(screen.getByRole('status').textContent).toContain('row 3: missing column "text"');
  });
});
