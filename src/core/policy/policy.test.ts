import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionFor, loadPolicyFile, parsePolicy, PolicyError, PRESETS, presetOf, resolvePolicy } from './policy';

describe('policy presets', () => {
  it('balanced redacts personal data and secrets, removes scaffolding, blocks harm', () => {
    const p = PRESETS.balanced;
    expect(actionFor(p, 'pii', 'email')).toBe('redact');
    expect(actionFor(p, 'secret', 'aws_access_key')).toBe('redact');
    expect(actionFor(p, 'jailbreak', 'jailbreak_scaffold')).toBe('remove');
    expect(actionFor(p, 'injection', 'injected_instruction')).toBe('remove');
    expect(actionFor(p, 'harmful:cyber_attack', 'harmful_request')).toBe('block');
    expect(actionFor(p, 'obfuscation', 'zero_width')).toBe('remove');
  });

  it('presets differ where a user would notice: IPs and encoded segments', () => {
    expect(actionFor(PRESETS.permissive, 'pii', 'ipv4')).toBe('allow');
    expect(actionFor(PRESETS.balanced, 'pii', 'ipv6')).toBe('redact');
    expect(actionFor(PRESETS.strict, 'obfuscation', 'encoded_base64')).toBe('remove');
    expect(actionFor(PRESETS.balanced, 'obfuscation', 'encoded_base64')).toBe('allow');
  });

  it('an unknown category is allowed (reported only), never silently removed', () => {
    expect(actionFor(PRESETS.balanced, 'something_new', 'x')).toBe('allow');
  });
});

describe('policy files', () => {
  it('a file overrides one category and inherits the rest from its base preset', () => {
    const p = parsePolicy(JSON.stringify({ name: 'team', extends: 'strict', actions: { pii: 'allow' }, denyList: ['Project Falcon'] }));
    expect(actionFor(p, 'pii', 'email')).toBe('allow');
    expect(actionFor(p, 'secret', 'github_token')).toBe('redact');
    expect(actionFor(p, 'obfuscation', 'encoded_hex')).toBe('remove');
    expect(p.denyList).toEqual(['Project Falcon']);
    expect(presetOf(p)).toBe('strict');
  });

  it('harmful sub-category overrides beat the base category', () => {
    const p = resolvePolicy({ name: 'research', actions: { 'harmful:cyber_attack': 'allow' }, thresholds: {}, allowList: [], denyList: [] });
    expect(actionFor(p, 'harmful:cyber_attack', 'harmful_request')).toBe('allow');
    expect(actionFor(p, 'harmful:hate', 'harmful_request')).toBe('block');
  });

  it('rejects invalid JSON, unknown actions and unknown fields with a message naming the problem', () => {
    expect(() => parsePolicy('{not json', 'p.json')).toThrow(/p\.json: not valid JSON/);
    expect(() => parsePolicy(JSON.stringify({ name: 'x', actions: { pii: 'shred' } }), 'p.json')).toThrow(/actions\.pii/);
    expect(() => parsePolicy(JSON.stringify({ name: 'x', colour: 'red' }), 'p.json')).toThrow(PolicyError);
    expect(() => parsePolicy(JSON.stringify({ name: 'x', thresholds: { harmful: 1.5 } }), 'p.json')).toThrow(/thresholds\.harmful/);
  });

  it('loads a policy file from disk and names a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-policy-'));
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ name: 'ops', extends: 'permissive', allowList: ['support@acme.example'] }));
    expect(loadPolicyFile(file).allowList).toEqual(['support@acme.example']);
    expect(() => loadPolicyFile(join(dir, 'missing.json'))).toThrow(/missing\.json.*ENOENT/);
  });

  it('rejects an unknown preset name', () => {
    expect(() => resolvePolicy('lenient' as never)).toThrow(/Unknown policy "lenient"/);
  });
});
