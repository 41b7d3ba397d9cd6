/**
 * Contract tests: completeness of the channel map, rejection of bad payloads at run time, and
 * type tests (checked by `tsc --noEmit`) that an unknown channel or a wrong input fails to compile.
 */
import { describe, expect, it } from 'vitest';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  eventContract,
  invokeContract,
  isInvokeChannel,
  parseInvokeInput,
  type DesktopApi,
} from './ipc';

describe('IPC contract', () => {
  it('has schemas for exactly the declared invoke and event channels', () => {
    expect(Object.keys(invokeContract).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(eventContract).sort()).toEqual([...EVENT_CHANNELS].sort());
    for (const channel of INVOKE_CHANNELS) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('accepts a realistic sanitize request and parses defaults away', () => {
    const r = parseInvokeInput('engine:sanitize', { text: 'Mail jane.doe@example.org the Q3 report', policy: 'strict' });
    expect(r).toEqual({ ok: true, value: { text: 'Mail jane.doe@example.org the Q3 report', policy: 'strict' } });
  });

  it.each([
    ['engine:sanitize', { text: 42 }],
    ['engine:sanitize', { text: 'hello', policy: 'lenient' }],
    ['engine:sanitize', { text: 'hello', extra: true }],
    ['engine:sanitize', null],
    ['engine:restore', {}],
    ['history:get', { id: 'x' }],
    ['history:get', { id: -3 }],
    ['history:list', { limit: 100000 }],
    ['history:list', { verdict: 'maybe' }],
    ['history:search', { query: '' }],
    ['history:export', { format: 'xlsx' }],
    ['settings:set', { theme: 'neon' }],
    ['settings:set', { retentionDays: 0 }],
    ['engine:info', { unexpected: 1 }],
  ] as const)('rejects a bad %s payload %j as an invalid_input error', (channel, payload) => {
    const r = parseInvokeInput(channel, payload);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toContain(channel);
    }
  });

  it('rejects a text over the size limit', () => {
    const r = parseInvokeInput('engine:sanitize', { text: 'a'.repeat(6_000_001) });
    expect(r.ok).toBe(false);
  });

  it('accepts a 5 MB text', () => {
    const r = parseInvokeInput('engine:sanitize', { text: 'word '.repeat(1_000_000) });
    expect(r.ok).toBe(true);
  });

  it('rejects batch payloads that name paths, unknown formats or columns below zero', () => {
    expect(parseInvokeInput('batch:preview', { fileId: '../../etc/passwd' }).ok).toBe(false);
    expect(parseInvokeInput('batch:preview', { fileId: 'aB3_x-9' }).ok).toBe(true);
    expect(parseInvokeInput('batch:start', { fileId: 'f1', textColumn: -1 }).ok).toBe(false);
    expect(parseInvokeInput('batch:export', { jobId: 'j1', format: 'xlsx' }).ok).toBe(false);
    expect(parseInvokeInput('batch:export', { jobId: 'j1', format: 'csv', protect: false, bom: true }).ok).toBe(true);
    expect(parseInvokeInput('batch:upload', { name: 'a.csv', content: 'x', path: '/etc/passwd' }).ok).toBe(false);
  });

  it('accepts edits inside the text for engine:apply and refuses one past its end', () => {
    const edit = { start: 5, end: 22, action: 'redact', replacement: '[EMAIL_1]' };
    expect(parseInvokeInput('engine:apply', { text: 'Mail maria@example.org today', edits: [edit] }).ok).toBe(true);
    expect(parseInvokeInput('engine:apply', { text: 'Mail maria', edits: [edit] }).ok).toBe(false);
    expect(parseInvokeInput('engine:apply', { text: 'Mail maria@example.org', edits: [{ ...edit, start: 30, end: 2 }] }).ok).toBe(false);
  });

  it('validates the new settings: actions from the policy vocabulary, thresholds in [0, 1]', () => {
    expect(parseInvokeInput('settings:set', { categoryActions: { pii: 'remove' }, thresholds: { jailbreak: 0.7 }, denyList: ['Project Falcon'] }).ok).toBe(true);
    expect(parseInvokeInput('settings:set', { categoryActions: { pii: 'shred' } }).ok).toBe(false);
    expect(parseInvokeInput('settings:set', { thresholds: { jailbreak: 1.5 } }).ok).toBe(false);
    expect(parseInvokeInput('settings:set', { provider: 'tpu' }).ok).toBe(false);
  });

  it('knows its channels at run time', () => {
    expect(isInvokeChannel('engine:sanitize')).toBe(true);
    expect(isInvokeChannel('shell:exec')).toBe(false);
    expect(isInvokeChannel(undefined)).toBe(false);
  });
});

/** Type tests: never executed, only compiled. */
export function typeTests(api: DesktopApi): void {
  void api.invoke('engine:sanitize', { text: 'ok', policy: 'balanced' });
  void api.invoke('history:list', {});
  // @ts-expect-error unknown channel
  void api.invoke('shell:exec', { cmd: 'rm -rf /' });
  // @ts-expect-error wrong input type for the channel
  void api.invoke('engine:sanitize', { text: 42 });
  // @ts-expect-error policy outside the enum
  void api.invoke('engine:sanitize', { text: 'x', policy: 'lenient' });
  // @ts-expect-error missing required input
  void api.invoke('history:get', {});
  // @ts-expect-error unknown event
  api.on('window:closed', () => undefined);
  api.on('batch:progress', (p) => {
    const done: number = p.done;
    // @ts-expect-error payload has no such field
    void p.nonexistent;
    void done;
  });
}
