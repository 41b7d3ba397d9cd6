import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleByKey } from './throttle';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('throttleByKey', () => {
  it('sends at most one event per interval per job and always delivers the last one', () => {
    const sent: string[] = [];
    const push = throttleByKey<string>((v) => sent.push(v), 100, () => Date.now());
    push('job-a', 'a1');
    push('job-a', 'a2');
    push('job-a', 'a3');
    push('job-b', 'b1');
    expect(sent).toEqual(['a1', 'b1']);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['a1', 'b1', 'a3']);
    vi.advanceTimersByTime(500);
    push('job-a', 'a4');
    expect(sent).toEqual(['a1', 'b1', 'a3', 'a4']);
  });
});
