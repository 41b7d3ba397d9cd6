import { describe, expect, it } from 'vitest';
import { normalize } from '../normalize';
import { detectDeterministic } from './index';

/** Runs normalize + detect and returns [placeholderType, original text] pairs of every detection. */
function found(original: string): Array<[string, string]> {
  return detectDeterministic(normalize(original)).map((d) => [d.placeholderType ?? d.kind, original.slice(d.start, d.end)]);
}

/** Only the cued identity / account numbers (the analyzer's other_pii kind, PII placeholder). */
function ids(original: string): string[] {
  return detectDeterministic(normalize(original))
    .filter((d) => d.kind === 'other_pii')
    .map((d) => original.slice(d.start, d.end));
}

describe('cued identity and account numbers', () => {
  it.each<[string, string, string[]]>([
    ['passport with "no." and a colon', 'Passport No.: K81862702, expiring next spring. Which visa do I need?', ['K81862702']],
    ['passport number after "is"', 'my passport number is 533380006 and it was issued in Leeds', ['533380006']],
    ["driver's licence with hyphens", "Driver's licence number DL-4471-2290 was suspended last year.", ['DL-4471-2290']],
    ['DL abbreviation with "#"', 'DL# S530-4417-8823 (Florida)', ['S530-4417-8823']],
    ['NHS number in groups', 'Her NHS number: 943 476 5919, please update the referral.', ['943 476 5919']],
    ['medical record number', 'Patient MRN 00412345 was admitted on Tuesday.', ['00412345']],
    ['employee ID', 'Employee ID: E-20431 needs access to the payroll share.', ['E-20431']],
    ['policy number', 'My policy number is HX-99817261; can you explain the excess?', ['HX-99817261']],
    ['member ID', 'member id #M7781902 was charged twice', ['M7781902']],
    ['national insurance number', 'National Insurance number QQ123456C', ['QQ123456C']],
    ['Spanish DNI', 'Mi DNI es 12345678Z y necesito renovarlo', ['12345678Z']],
    ['Italian codice fiscale', 'Il mio codice fiscale è RSSMRA85T10A562S.', ['RSSMRA85T10A562S']],
    ['German Reisepass', 'Reisepassnummer: C01X00T47, gültig bis 2031', ['C01X00T47']],
    ['French passport', 'numéro de passeport 19AV12345', ['19AV12345']],
    ['card cue with a non-card identifier', 'I am writing to dispute a charge on my card A2301672.', ['A2301672']],
    ['money moved between accounts', 'Are there any charges for a money transfer from N9743913 to other bank accounts?', ['N9743913']],
    ['contact label after the number', 'Ananya Robinson\nInitech\nH6071894 mobile\n', ['H6071894']],
    ['number in angle brackets in a mail header', 'From: Dr. Russo <P69358612>\nHow do I reset my router?', ['P69358612']],
    ['obfuscated casing of the cue', 'pAsSpOrT nUmBeR: X48807213', ['X48807213']],
  ])('%s', (_name, text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it('labels the number with the PII placeholder, the analyzer kind for personal data', () => {
    const d = detectDeterministic(normalize('Passport: K81862702'));
    expect(d.map((x) => [x.kind, x.category, x.placeholderType])).toEqual([['other_pii', 'pii', 'PII']]);
  });

  it('leaves validated cards, IBANs and SSNs to their own detectors', () => {
    expect(found('Credit card number: 4111 1111 1111 1111')).toEqual([['CARD', '4111 1111 1111 1111']]);
    expect(found('Bank account IBAN DE89 3704 0044 0532 0130 00')).toEqual([['IBAN', 'DE89 3704 0044 0532 0130 00']]);
    expect(found('SSN: 123-45-6789')).toEqual([['SSN', '123-45-6789']]);
  });
});

describe('numbers without an identity cue stay', () => {
  it.each([
    'My order number is 123456789, where is my parcel?',
    'Tracking number 1Z999AA10123456784 shows it left the depot.',
    'Invoice INV-2024-00017 is overdue.',
    'Upgrade from v2.14.3 to v3.0.1 fails with error E1234 and exit code 137.',
    'I bought a graphics card RTX 4090 and a card game for 12 players.',
    'My passport expires on 2031-05-04; do I need to renew it?',
    'The policy applies to 50000 employees in 2024.',
    'SELECT * FROM users WHERE id = 123456789;',
    'Our account has 1500 active users on Windows10.',
    'Ticket #48213 and case 99812 are about the same bug.',
    'My card is 4111 1111 1111 1112, does it look valid?',
  ])('%s', (text) => {
    expect(ids(text)).toEqual([]);
  });
});
