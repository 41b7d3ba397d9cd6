import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/result';
import { FindingsList } from './FindingsList';

afterEach(cleanup);

const findings: Finding[] = [
  { kind: 'email', category: 'pii', start: 6, end: 26, text: 'jane.doe@example.com', score: 0.99, action: 'redact', replacement: '[EMAIL_1]', reason: 'E-mail address' },
  { kind: 'card', category: 'pii', start: 33, end: 52, text: '4111 1111 1111 1111', score: 0.98, action: 'redact', replacement: '[CARD_1]' },
  { kind: 'aws_access_key', category: 'secret', start: 60, end: 80, text: 'AKIAIOSFODNN7EXAMPLE', score: 0.62, action: 'flag', replacement: null },
];

describe('FindingsList', () => {
  it('lists each finding with its type, text, action and score', () => {
    render(<FindingsList findings={findings} />);
    const rows = screen.getAllByTestId('finding-row');
    expect(rows).toHaveLength(3);
    const email = within(rows[0]);
    expect(email.getByText('EMAIL')).toBeTruthy();
    expect(email.getByText('jane.doe@example.com')).toBeTruthy();
    expect(email.getByText('Redacted')).toBeTruthy();
    expect(email.getByText('[EMAIL_1]')).toBeTruthy();
    expect(email.getByText('99%')).toBeTruthy();
    expect(rows[0].getAttribute('title')).toBe('E-mail address');
    expect(within(rows[1]).getByText('CARD')).toBeTruthy();
    const key = within(rows[2]);
    expect(key.getByText('AWS_ACCESS_KEY')).toBeTruthy();
    expect(key.getByText('Secret')).toBeTruthy();
    expect(key.getByText('Flagged')).toBeTruthy();
    expect(key.getByText('62%')).toBeTruthy();
  });

  it('says so when there is nothing to report', () => {
    render(<FindingsList findings={[]} />);
    expect(screen.getByTestId('findings-empty').textContent).toMatch(/No findings/);
  });

  it('hides finding text for privacy-mode runs', () => {
    render(<FindingsList findings={[{ ...findings[0], text: '' }]} privacy />);
    expect(screen.queryByText('jane.doe@example.com')).toBeNull();
    expect(screen.getByText('(not stored)')).toBeTruthy();
  });
});
