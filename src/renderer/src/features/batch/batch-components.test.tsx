import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchJob, BatchSummary as Summary } from '../../../../shared/ipc';
import { BatchSummary } from './BatchSummary';
import { ProgressPanel, formatDuration } from './ProgressPanel';
import { RiskHistogram } from './RiskHistogram';
import { uiNote } from './BatchPage';

afterEach(cleanup);

const job = (over: Partial<BatchJob> = {}): BatchJob => ({
  jobId: 'j1',
  name: 'support-tickets.csv',
  state: 'running',
  done: 1200,
  total: 4800,
  rowsPerSecond: 400,
  secondsLeft: 9,
  header: ['id', 'message'],
  textColumn: 1,
  policy: 'balanced',
  createdAt: '2026-11-26T09:00:00.000Z',
  error: null,
  ...over,
});

describe('ProgressPanel', () => {
  it('shows rows done, rate and time left of a running job, with pause and cancel', () => {
    const onPause = vi.fn();
    const onCancel = vi.fn();
    render(<ProgressPanel job={job()} busy={false} onPause={onPause} onResume={() => undefined} onCancel={onCancel} />);
    const bar = screen.getByRole('progressbar', { name: 'Rows processed' });
    expect(bar.getAttribute('aria-valuenow')).toBe('1200');
    expect(bar.getAttribute('aria-valuetext')).toBe('1200 of 4800 rows');
    expect(screen.getByTestId('batch-done').textContent).toBe('1,200 / 4,800');
    expect(screen.getByTestId('batch-rate').textContent).toBe('400');
    expect(screen.getByTestId('batch-eta').textContent).toBe('9 s');
    expect(screen.queryByTestId('batch-resume')).toBeNull();
    fireEvent.click(screen.getByTestId('batch-pause'));
    fireEvent.click(screen.getByTestId('batch-cancel'));
    expect(onPause).toHaveBeenCalledOnce();
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('offers resume for a paused job and nothing for a cancelled one', () => {
    const { rerender } = render(<ProgressPanel job={job({ state: 'paused', secondsLeft: null })} busy={false} onPause={() => undefined} onResume={() => undefined} onCancel={() => undefined} />);
    expect(screen.getByTestId('batch-resume')).toBeTruthy();
    expect(screen.getByTestId('batch-eta').textContent).toBe('—');
    rerender(<ProgressPanel job={job({ state: 'cancelled' })} busy={false} onPause={() => undefined} onResume={() => undefined} onCancel={() => undefined} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByTestId('batch-state').textContent).toBe('Cancelled');
  });

  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(65)).toBe('1 min 5 s');
    expect(formatDuration(7320)).toBe('2 h 2 min');
  });
});

describe('RiskHistogram', () => {
  it('draws one bar per band and describes every band for screen readers', () => {
    render(<RiskHistogram bins={[30, 0, 0, 0, 0, 12, 0, 0, 3, 1]} />);
    const img = screen.getByRole('img');
    expect(img.getAttribute('aria-label')).toContain('Risk histogram of 46 rows');
    expect(img.getAttribute('aria-label')).toContain('50–60%: 12');
    const bars = screen.getAllByTestId('histogram-bar');
    expect(bars.map((b) => b.getAttribute('data-count'))).toEqual(['30', '0', '0', '0', '0', '12', '0', '0', '3', '1']);
    expect(Number(bars[0]!.getAttribute('height'))).toBeGreaterThan(Number(bars[5]!.getAttribute('height')));
    expect(bars[1]!.getAttribute('height')).toBe('0');
  });
});

describe('BatchSummary', () => {
  it('shows counts by verdict and category and the most common findings', () => {
    const summary: Summary = {
      rows: 46,
      byVerdict: { pass: 30, cleaned: 14, blocked: 1, error: 1 },
      byCategory: [
        { category: 'pii', count: 13 },
        { category: 'secret', count: 2 },
      ],
      riskHistogram: [30, 0, 0, 0, 0, 12, 0, 0, 3, 1],
      topKinds: [
        { kind: 'email', count: 9 },
        { kind: 'aws_access_key', count: 2 },
      ],
    };
    render(<BatchSummary summary={summary} />);
    expect(screen.getByTestId('count-cleaned').getAttribute('data-count')).toBe('14');
    expect(within(screen.getByTestId('category-counts')).getByText('Personal data')).toBeTruthy();
    expect(screen.getByTestId('top-kinds').textContent).toContain('email × 9');
  });
});

describe('uiNote', () => {
  it('drops the CLI flag hint from the column note', () => {
    expect(uiNote('using column "message" of t.csv as the text (choose another with --column)')).toBe('using column "message" of t.csv as the text');
  });
});
