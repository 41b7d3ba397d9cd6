/**
 * @file Secret detectors: credentials in URLs, API keys and tokens with known shapes (OpenAI,
 * Anthropic, AWS, GitHub, Slack, Google, Stripe), JWTs (header must decode to JSON with "alg"),
 * PEM private keys, password/secret assignments, bearer tokens, and a high-entropy rule for long
 * random tokens guarded against UUIDs, hex hashes, paths, URLs, identifiers and base64 of words.
 * Every regex has bounded quantifiers (linear time).
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { isReadableText } from '../normalize/decode';
import { before, charClasses, detectionAt, digitCount, shannonEntropy } from './util';

type Hit = { start: number; end: number; kind: string; score: number; placeholderType: string; reason: string };

type KeyRule = { kind: string; re: RegExp; reason: string; check?: (token: string) => boolean };

const hasMixedClasses = (t: string): boolean => charClasses(t) >= 2 && digitCount(t) >= 1;

/** Known key and token shapes. */
export const KEY_RULES: readonly KeyRule[] = [
  { kind: 'anthropic_key', re: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,200}/g, reason: 'Anthropic API key' },
  { kind: 'openai_key', re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g, reason: 'OpenAI API key', check: (t) => !t.startsWith('sk-ant-') && hasMixedClasses(t.replace(/^sk-(?:proj-|svcacct-|admin-|None-)?/, '')) },
  { kind: 'aws_access_key', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g, reason: 'AWS access key id' },
  { kind: 'github_token', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/g, reason: 'GitHub token' },
  { kind: 'github_token', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, reason: 'GitHub fine-grained token' },
  { kind: 'slack_webhook', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,200}/g, reason: 'Slack webhook URL' },
  { kind: 'slack_token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,250}/g, reason: 'Slack token' },
  { kind: 'google_api_key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, reason: 'Google API key' },
  { kind: 'stripe_key', re: /\b(?:sk|rk|pk|whsec)_(?:live|test)_[0-9A-Za-z]{10,250}\b/g, reason: 'Stripe key' },
  { kind: 'npm_token', re: /\bnpm_[A-Za-z0-9]{36}\b/g, reason: 'npm access token' },
  { kind: 'huggingface_token', re: /\bhf_[A-Za-z0-9]{30,40}\b/g, reason: 'Hugging Face token', check: hasMixedClasses },
  { kind: 'gitlab_token', re: /\bglpat-[A-Za-z0-9_-]{20,64}/g, reason: 'GitLab token' },
  { kind: 'twilio_key', re: /\bSK[0-9a-f]{32}\b/g, reason: 'Twilio API key' },
  { kind: 'sendgrid_key', re: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g, reason: 'SendGrid API key' },
];

const JWT_RE = /\beyJ[A-Za-z0-9_-]{5,4000}\.[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{5,4000}/g;
const PEM_BEGIN_RE = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const PEM_END_RE = /-----END ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const URL_CRED_RE = /\b[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s:@/?#"'<>]{1,128}:[^\s@/?#"'<>]{1,256}@[^\s/?#"'<>]{1,253}(?:[/?#][^\s"'<>]{0,1000})?/g;
const AWS_SECRET_RE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const BEARER_RE = /\b(Bearer|Basic|Token)\s{1,3}([A-Za-z0-9._~+/=-]{16,4096})/g;
const ASSIGN_RE = /(passwd|password|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|credentials?|private[_-]?key|client[_-]?secret|pass(?!port|nummer))[A-Za-z0-9_-]{0,30}["']?\s{0,3}(?::=|=>|=|:)\s{0,3}(["'`]?)([^\s"'`,;]{3,256})/gi;
const PROSE_PASSWORD_RE = /\b(password|passwd|passcode|passphrase|pwd|pw|pin)\s{1,3}(?:(?:is|was|of|to|would be|will be)\s{1,3})?(["'`]?)([^\s"'`]{3,128})/gi;
const TOKEN_RE = /(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/=-]{24,512}(?![A-Za-z0-9_+/=-])/g;

const PLACEHOLDER_VALUE = /^(?:\*+|x{3,}|\.{3,}|<[^>]*>?|\[[^\]]*\]?|\{\{.*|\$\{?[A-Za-z_][\w]*\}?|%\w+%|process\.env.*|os\.environ.*|env\(.*|getenv.*|null|nil|none|undefined|true|false|string|str|number|int|integer|bool|boolean|any|bytes|required|optional|secret|password|pass|token|your[_-].*|my[_-]?password|example|redacted|hidden|changeme\b.*|todo|tbd|n\/a|\?+|-+|_+)$/i;
const ENV_VALUE_PREFIX = /^(?:\$|\{|<|%|process\.|os\.|env\.|settings\.|config\.|self\.|this\.|args\.|req\.|request\.)/;

function isPlaceholder(v: string): boolean {
  return PLACEHOLDER_VALUE.test(v) || ENV_VALUE_PREFIX.test(v) || /\(\)?$/.test(v) || /^(.)\1+$/.test(v);
}

function b64urlDecode(s: string): string {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

function isJwt(token: string): boolean {
  try {
    const header = JSON.parse(b64urlDecode(token.split('.')[0])) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** Whether a token looks machine-random (high entropy, mixed classes) rather than a word or id. */
export function isHighEntropyToken(token: string): boolean {
  const t = token.replace(/=+$/, '');
  if (t.length < 24) return false;
  if (/^[0-9a-fA-F-]+$/.test(t)) return false; // hex hashes, UUIDs
  if (/^[0-9]+$/.test(t)) return false;
  if (/^[A-Za-z]+$/.test(t)) return false; // one long word or camelCase identifier
  if (/[/]/.test(t) && t.split('/').filter((p) => /^[A-Za-z][a-z]+$/.test(p)).length >= 2) return false; // a path
  // snake_case / kebab-case identifiers made of words
  const parts = t.split(/[_-]/);
  if (parts.length >= 3 && parts.every((p) => /^(?:[A-Za-z][a-z]*|[A-Z]+|\d{1,4})$/.test(p))) return false;
  if (charClasses(t) < 3 || digitCount(t) < 2) return false;
  // Words in camelCase have long lower-case runs; random tokens rarely do.
  const lowerRuns = t.match(/[a-z]{6,}/g) ?? [];
  if (lowerRuns.join('').length > t.length * 0.4) return false;
  const threshold = t.length >= 40 ? 4.3 : t.length >= 32 ? 4.1 : 3.9;
  if (shannonEntropy(t) < threshold) return false;
  // base64 of readable text is the obfuscation stage's business, not a secret
  try {
    if (isReadableText(Buffer.from(t, 'base64').toString('utf8'))) return false;
  } catch {
    /* not base64 */
  }
  return true;
}

/** Finds secrets in normalized text. */
export function findSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  const add = (start: number, end: number, kind: string, score: number, reason: string, placeholderType = 'SECRET'): void => {
    hits.push({ start, end, kind, score, reason, placeholderType });
  };

  for (const m of text.matchAll(URL_CRED_RE)) {
    const schemeEnd = m[0].indexOf('://') + 3;
    const at = m[0].indexOf('@', schemeEnd);
    const userinfo = m[0].slice(schemeEnd, at);
    const pass = userinfo.slice(userinfo.indexOf(':') + 1);
    if (at < 0 || isPlaceholder(pass)) continue;
    const url = m[0].replace(/[.,;:!?)\]}'"]+$/, '');
    add(m.index, m.index + url.length, 'url_credentials', 0.98, 'URL with embedded user name and password', 'CREDENTIAL');
  }
  for (const rule of KEY_RULES) {
    for (const m of text.matchAll(rule.re)) {
      if (rule.check && !rule.check(m[0])) continue;
      add(m.index, m.index + m[0].length, rule.kind, 0.98, rule.reason);
    }
  }
  for (const m of text.matchAll(JWT_RE)) {
    if (isJwt(m[0])) add(m.index, m.index + m[0].length, 'jwt', 0.97, 'JSON Web Token');
  }
  // END markers are collected once and walked with a pointer, so many BEGIN lines without an END
  // stay linear.
  const pemEnds = [...text.matchAll(PEM_END_RE)];
  let endIdx = 0;
  let pemCovered = 0;
  for (const m of text.matchAll(PEM_BEGIN_RE)) {
    if (m.index < pemCovered) continue;
    const bodyStart = m.index + m[0].length;
    while (endIdx < pemEnds.length && pemEnds[endIdx].index < bodyStart) endIdx++;
    const endM = pemEnds[endIdx];
    let end: number;
    if (endM && endM.index - m.index < 40_000 && endM[1] === m[1]) end = endM.index + endM[0].length;
    else {
      // Truncated key: take the base64 body that follows.
      const body = /^(?:\s{0,4}[A-Za-z0-9+/=:,-]{1,100}){0,400}/.exec(text.slice(bodyStart, bodyStart + 40_000));
      end = bodyStart + (body ? body[0].length : 0);
      if (text.startsWith('-----BEGIN', end - 10)) end = bodyStart;
    }
    pemCovered = end;
    add(m.index, end, 'pem_private_key', 0.99, 'PEM private key');
  }
  for (const m of text.matchAll(AWS_SECRET_RE)) {
    const t = m[0];
    if (/^[0-9a-fA-F]+$/.test(t) || charClasses(t) < 3) continue;
    if (!/aws|secret|amazon|s3|iam/i.test(before(text, m.index, 80))) continue;
    add(m.index, m.index + t.length, 'aws_secret_key', 0.95, 'AWS secret access key');
  }
  for (const m of text.matchAll(BEARER_RE)) {
    const token = m[2].replace(/[.,]+$/, '');
    if (m[1] !== 'Bearer' && charClasses(token) < 3) continue;
    if (isPlaceholder(token) || /^[A-Za-z]+$/.test(token)) continue;
    const start = m.index + m[0].length - m[2].length;
    add(start, start + token.length, 'bearer_token', 0.9, `${m[1]} authorization token`);
  }
  for (const m of text.matchAll(ASSIGN_RE)) {
    const key = m[1].toLowerCase();
    const quote = m[2];
    const value = assignedValue(m[3], quote, /[.,;)\]}]+$/);
    if (value.length < 4 || isPlaceholder(value)) continue;
    // Prose ("the secret: always test") is not an assignment: unquoted values need two character
    // classes or some length.
    if (!quote && charClasses(value) < 2 && value.length < 16) continue;
    if (key === 'token' && !quote && !hasMixedClasses(value)) continue;
    const start = m.index + m[0].length - m[3].length;
    const passwordish = /^(?:passwd|password|passphrase|pwd|pass)$/.test(key);
    add(start, start + value.length, passwordish ? 'password' : 'generic_secret', passwordish ? 0.93 : 0.88, passwordish ? 'Password' : `Value assigned to ${m[1]}`);
  }
  for (const m of text.matchAll(PROSE_PASSWORD_RE)) {
    const key = m[1].toLowerCase();
    const quote = m[2];
    const value = assignedValue(m[3], quote, /[.,;:!?)\]}]+$/);
    if (value.length < 4 || isPlaceholder(value)) continue;
    const isPin = key === 'pin';
    if (isPin ? !/^\d{4,8}$/.test(value) : !quote && !(/[A-Za-z]/.test(value) && /[^A-Za-z]/.test(value))) continue;
    const start = m.index + m[0].length - m[3].length;
    add(start, start + value.length, isPin ? 'pin' : 'password', 0.9, isPin ? 'PIN' : 'Password');
  }
  for (const m of text.matchAll(TOKEN_RE)) {
    const t = m[0];
    const s = m.index;
    // part of a URL or a path
    const prev = text[s - 1] ?? '';
    if (prev === '/' || prev === '\\' || prev === '.' || prev === ':' || prev === '@' || prev === '#') continue;
    if (text[s + t.length] === '/' || text[s + t.length] === '.' && /\w/.test(text[s + t.length + 1] ?? '')) continue;
    if (!isHighEntropyToken(t)) continue;
    add(s, s + t.length, 'high_entropy_token', 0.7, 'Long random token (possible secret)');
  }
  return hits;
}

/** Detects secrets (category secret; placeholder SECRET, or CREDENTIAL for URLs with credentials). */
export const secretDetector: Detector = {
  name: 'secret',
  detect(n: NormalizedText): Detection[] {
    return findSecrets(n.text).map((h) =>
      detectionAt(n, h.start, h.end, { kind: h.kind, category: 'secret', score: h.score, placeholderType: h.placeholderType, reason: h.reason }),
    );
  },
};

/** The value of `key = value` / `key: "value"`: cut at its closing quote, trailing punctuation dropped. */
function assignedValue(raw: string, quote: string | undefined, trailing: RegExp): string {
  let value = raw;
  if (quote) {
    const close = value.indexOf(quote);
    if (close >= 0) value = value.slice(0, close);
  }
  return value.replace(trailing, '');
}
