import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Detection } from '../engine/types';
import { makeTempDir } from '../db/__fixtures__/temp-dir';
import { openDatabase } from '../db';
import { BufferKeyProvider, createMemoryVault, createSqliteVault, type Vault } from '../vault';
import { applyEdits, assignPlaceholders, placeholderTypeOf, restorePlaceholders } from './index';

function knownVault(): Vault {
  const v = createMemoryVault();
  v.placeholderFor('EMAIL', 'lena.fischer@example.de');
  v.placeholderFor('PHONE', '+49 30 901820');
  v.placeholderFor('CREDIT_CARD', '4539 1488 0343 6467');
  return v;
}

describe('restorePlaceholders', () => {
  it('restores canonical placeholders and counts every occurrence', () => {
    const r = restorePlaceholders('Dear [EMAIL_1], I called [PHONE_1]. Reply to [EMAIL_1] please.', knownVault());
    expect(r).toEqual({ text: 'Dear lena.fischer@example.de, I called +49 30 901820. Reply to lena.fischer@example.de please.', restored: 3, unknown: [] });
  });

  it('reports canonical placeholders the vault does not know, once each, and leaves them', () => {
    const r = restorePlaceholders('Send [EMAIL_2] and [NAME_1] to [EMAIL_2]; cc [EMAIL_1].', knownVault());
    expect(r.text).toBe('Send [EMAIL_2] and [NAME_1] to [EMAIL_2]; cc lena.fischer@example.de.');
    expect(r.restored).toBe(1);
    expect(r.unknown).toEqual(['[EMAIL_2]', '[NAME_1]']);
  });

  it.each([
    ['[EMAIL 1]'],
    ['[email_1]'],
    ['[Email-1]'],
    ['[ EMAIL_1 ]'],
    ['[EMAIL1]'],
    ['\\[EMAIL\\_1\\]'],
    ['[EMAIL\\_1]'],
    ['EMAIL_1'],
  ])('accepts the reformatted placeholder %s when the vault knows it', (form) => {
    const r = restorePlaceholders(`Contact: ${form}.`, knownVault());
    expect(r.text).toBe('Contact: lena.fischer@example.de.');
    expect(r.restored).toBe(1);
  });

  it('restores multi-word types in reformatted placeholders', () => {
    expect(restorePlaceholders('Card [credit card 1] was declined', knownVault()).text).toBe('Card 4539 1488 0343 6467 was declined');
  });

  it('is conservative with text that merely looks like a placeholder', () => {
    const v = knownVault();
    const text = [
      'See [step 1] and [Figure 2].', // bracketed, unknown to the vault: untouched, not reported
      'Set MY_EMAIL_1 and email_1 in config.', // bare forms inside identifiers or lower case
      'Use EMAIL_10 or [EMAIL_10] or EMAIL_1x.', // other numbers / not a whole token
      'Bare PHONE_2 is unknown.',
    ].join('\n');
    const r = restorePlaceholders(text, v);
    expect(r.text).toBe(text);
    expect(r.restored).toBe(0);
    expect(r.unknown).toEqual(['[EMAIL_10]']);
  });

  it('leaves a text without placeholders unchanged', () => {
    const text = 'The answer is 42 [citation needed], see RFC_8446 section 4.';
    expect(restorePlaceholders(text, knownVault())).toEqual({ text, restored: 0, unknown: [] });
  });
});

describe('assignPlaceholders', () => {
  const text = 'Mail anna@example.org, then bob@example.org, then anna@example.org again. Key: AKIAIOSFODNN7EXAMPLE';
  const at = (needle: string, from: number, d: Partial<Detection>): Detection => {
    const start = text.indexOf(needle, from);
    return { kind: 'email', category: 'pii', start, end: start + needle.length, score: 0.99, placeholderType: 'EMAIL', ...d };
  };

  it('numbers in reading order, whatever the order of the detections, and repeats a value’s placeholder', () => {
    const dets = [
      at('AKIAIOSFODNN7EXAMPLE', 0, { kind: 'aws_access_key', category: 'secret', placeholderType: undefined }),
      at('anna@example.org', 40, {}),
      at('bob@example.org', 0, {}),
      at('anna@example.org', 0, {}),
    ];
    expect(assignPlaceholders(dets, text, createMemoryVault())).toEqual(['[SECRET_1]', '[EMAIL_1]', '[EMAIL_2]', '[EMAIL_1]']);
  });

  it('derives the type from the detection', () => {
    expect(placeholderTypeOf({ kind: 'phone', category: 'pii', placeholderType: 'PHONE' })).toBe('PHONE');
    expect(placeholderTypeOf({ kind: 'github_token', category: 'secret' })).toBe('SECRET');
    expect(placeholderTypeOf({ kind: 'iban', category: 'pii' })).toBe('iban');
  });
});

describe('redact → restore round trip', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('restores the original exactly through the encrypted SQLite vault', () => {
    const { dir, cleanup } = makeTempDir();
    const db = openDatabase(join(dir, 'diffguard.db'));
    cleanups.push(cleanup, () => db.close());
    const vault = createSqliteVault(db, new BufferKeyProvider(randomBytes(32)));
    const original = 'Hi, I am Priya Raman (priya.raman@infosys-mail.in, +91 98765 43210). Forward this to priya.raman@infosys-mail.in.';
    const values: Array<[string, string]> = [
      ['Priya Raman', 'NAME'],
      ['priya.raman@infosys-mail.in', 'EMAIL'],
      ['+91 98765 43210', 'PHONE'],
    ];
    const dets: Detection[] = [];
    for (const [value, type] of values) {
      for (let i = original.indexOf(value); i >= 0; i = original.indexOf(value, i + 1)) {
        dets.push({ kind: type.toLowerCase(), category: 'pii', start: i, end: i + value.length, score: 1, placeholderType: type });
      }
    }
    const replacements = assignPlaceholders(dets, original, vault);
    const cleaned = applyEdits(original, dets.map((d, i) => ({ start: d.start, end: d.end, action: 'redact', replacement: replacements[i]! })));
    expect(cleaned).toBe('Hi, I am [NAME_1] ([EMAIL_1], [PHONE_1]). Forward this to [EMAIL_1].');
    // The LLM's answer reuses the placeholders; restoring gives the values back.
    const answer = 'Sure [NAME_1]! I will forward it to [EMAIL_1] and call [PHONE 1].';
    expect(restorePlaceholders(answer, vault).text).toBe('Sure Priya Raman! I will forward it to priya.raman@infosys-mail.in and call +91 98765 43210.');
    expect(restorePlaceholders(cleaned, vault)).toEqual({ text: original, restored: 4, unknown: [] });
  });

  it('restore(redact(text)) === text for arbitrary texts and values (property)', () => {
    const value = fc.stringMatching(/^[a-z][a-z0-9.]{0,8}@[a-z]{2,6}\.(com|org|de)$/);
    const filler = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '.', ',', '[', ']', '_', '1', 'É', '日'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, value), { maxLength: 6 }), filler, (pairs, tail) => {
        let text = '';
        const dets: Detection[] = [];
        for (const [f, v] of pairs) {
          text += f;
          dets.push({ kind: 'email', category: 'pii', start: text.length, end: text.length + v.length, score: 1, placeholderType: 'EMAIL' });
          text += v;
        }
        text += tail;
        const vault = createMemoryVault();
        const reps = assignPlaceholders(dets, text, vault);
        const cleaned = applyEdits(text, dets.map((d, i) => ({ start: d.start, end: d.end, action: 'redact', replacement: reps[i]! })));
        expect(restorePlaceholders(cleaned, vault).text).toBe(text);
      }),
    );
  });
});
