/**
 * @file The deterministic detection stage: personal data and secrets found by validated
 * patterns in normalized text, merged into non-overlapping detections with ORIGINAL offsets.
 * Pure and synchronous. Obfuscation findings come from the normalize stage (NormalizedText.findings),
 * not from here.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { addressDetector } from './address';
import { cardDetector } from './card';
import { cryptoWalletDetector } from './crypto-wallet';
import { dobDetector } from './dob';
import { emailDetector } from './email';
import { ibanDetector } from './iban';
import { idNumberDetector } from './id-number';
import { ipDetector } from './ip';
import { mergeDetections } from './merge';
import { personDetector } from './person';
import { phoneDetector } from './phone';
import { secretDetector } from './secrets';
import { ssnDetector } from './ssn';
import { suffixDetector } from './suffix';

export { addressDetector, findAddresses } from './address';
export { cardDetector, findCards, hasKnownIssuerPrefix, isCardNumber } from './card';
export { cryptoWalletDetector, findWallets, isValidBase58Address, isValidBech32Address } from './crypto-wallet';
export { dobDetector, findDatesOfBirth } from './dob';
export { emailDetector, findEmails } from './email';
export { ibanDetector, findIbans, ibanChecksumValid, IBAN_LENGTHS } from './iban';
export { findIdNumbers, idNumberDetector } from './id-number';
export { ipDetector, findIps } from './ip';
export { KIND_PRIORITY, mergeDetections } from './merge';
export { figureNameInQuestion, findPersonNames, nameMentions, personDetector } from './person';
export { DEFAULT_PHONE_COUNTRIES, findPhones, phoneDetector } from './phone';
export { findSecrets, isHighEntropyToken, KEY_RULES, secretDetector } from './secrets';
export { findSsns, isValidSsn, ssnDetector } from './ssn';
export { findAdversarialSuffix, suffixDetector } from './suffix';
export { luhnValid, shannonEntropy } from './util';

/**
 * One detector per family, in a fixed order: secrets, e-mail, phone, card, IBAN, SSN, IP, crypto,
 * then the context rules for dates of birth, street addresses, person names and cued ID numbers, and
 * the adversarial-suffix shape (the one attack with a deterministic signature of its own).
 */
export function createDeterministicDetectors(): Detector[] {
  return [secretDetector, emailDetector, phoneDetector, cardDetector, ibanDetector, ssnDetector, ipDetector, cryptoWalletDetector, dobDetector, addressDetector, personDetector, idNumberDetector, suffixDetector];
}

const DEFAULT_DETECTORS = createDeterministicDetectors();

/**
 * Runs every deterministic detector on `n.text` and returns merged, non-overlapping detections
 * (secrets beat personal data inside them, then longer spans win) with offsets into `n.original`.
 */
export function detectDeterministic(n: NormalizedText, detectors: readonly Detector[] = DEFAULT_DETECTORS): Detection[] {
  if (n.text.length === 0) return [];
  const all: Detection[] = [];
  for (const d of detectors) all.push(...d.detect(n));
  return mergeDetections(all, n.original.length);
}
