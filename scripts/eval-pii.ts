/**
 * @file PII/secret evaluation of the deterministic path (normalize + detectDeterministic) on a
 * generated, labelled sample set (seeded @faker-js/faker; the templates here are deliberately
 * different from the unit tests'). Reports per-type recall, the share of non-personal
 * numbers/codes kept, the share of PII-free prompts with no detection at all, and p50/p95 latency
 * per prompt; writes bench-results/pii-eval.json. NAME / ADDRESS / DOB prompts and their
 * negatives (capitalised product and place names, public figures, dates that are not birth dates)
 * are generated and self-written too, and the given-name list the name detector uses is generated
 * from the same faker data: those figures are optimistic, not a held-out measurement. Run through vitest (scripts/eval-pii.test.ts) or
 * from the built `eval` entry via runPiiEval().
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fakerDE, fakerEN_GB, fakerEN_IN, fakerEN_US, fakerES, fakerFR, fakerIT, fakerNL, type Faker } from '@faker-js/faker';
import { detectDeterministic } from '../src/core/detect';
import type { Detection } from '../src/core/engine/types';
import { normalize } from '../src/core/normalize';

/** Personal-data and secret types the evaluation measures (placeholder types). */
export const PII_TYPES = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'SSN', 'IP', 'CREDENTIAL', 'SECRET', 'CRYPTO', 'NAME', 'ADDRESS', 'DOB', 'PII'] as const;
/** The context-rule types (names, street addresses, dates of birth, cued ID numbers): no generic cue-less templates. */
export const CONTEXT_TYPES: ReadonlySet<string> = new Set(['NAME', 'ADDRESS', 'DOB', 'PII']);
export type PiiType = (typeof PII_TYPES)[number];

/** A labelled span in a sample. */
export type Label = { type: PiiType | 'KEEP'; what: string; start: number; end: number; value: string };
/** One prompt of the evaluation set. */
export type Sample = { group: 'pii' | 'non_personal' | 'clean' | 'capitalised'; text: string; labels: Label[] };

type Part = string | { type: PiiType | 'KEEP'; what: string; value: string };

function build(group: Sample['group'], parts: Part[]): Sample {
  let text = '';
  const labels: Label[] = [];
  for (const p of parts) {
    if (typeof p === 'string') text += p;
    else {
      labels.push({ type: p.type, what: p.what, start: text.length, end: text.length + p.value.length, value: p.value });
      text += p.value;
    }
  }
  return { group, text, labels };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let s = '';
  while (n > 0n) {
    s = BASE58[Number(n % 58n)] + s;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    s = `1${s}`;
  }
  return s;
}

/** A checksum-valid Bitcoin P2PKH/P2SH address built from faker-chosen bytes. */
function btcAddress(f: Faker): string {
  const payload = Buffer.from([f.helpers.arrayElement([0x00, 0x05]), ...Array.from({ length: 20 }, () => f.number.int(255))]);
  const sum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  return base58(Buffer.concat([payload, sum.subarray(0, 4)]));
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** A valid US SSN (area not 000/666/9xx, group not 00, serial not 0000). */
function ssn(f: Faker): string {
  let area = f.number.int({ min: 1, max: 899 });
  if (area === 666) area = 667;
  const group = f.number.int({ min: 1, max: 99 });
  const serial = f.number.int({ min: 1, max: 9999 });
  return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

function isbn13(f: Faker): string {
  const d = `978${f.string.numeric(9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
  const c = (10 - (sum % 10)) % 10;
  return `${d.slice(0, 3)}-${d[3]}-${d.slice(4, 7)}-${d.slice(7, 12)}-${c}`;
}

type Gen = (f: Faker) => { what: string; value: string };

const LOCALES: Array<{ f: Faker; country: string }> = [
  { f: fakerEN_US, country: 'US' },
  { f: fakerEN_GB, country: 'GB' },
  { f: fakerDE, country: 'DE' },
  { f: fakerFR, country: 'FR' },
  { f: fakerEN_IN, country: 'IN' },
  { f: fakerES, country: 'ES' },
  { f: fakerNL, country: 'NL' },
];

/** Value generators per type. */
const VALUES: Record<PiiType, Gen[]> = {
  EMAIL: [
    (f) => ({ what: 'email', value: f.internet.email() }),
    (f) => ({ what: 'email work', value: f.internet.email({ provider: `${f.internet.domainWord()}.${f.helpers.arrayElement(['com', 'co.uk', 'de', 'io', 'org'])}` }) }),
    (f) => ({ what: 'email exampleish', value: f.internet.exampleEmail() }),
  ],
  PHONE: LOCALES.flatMap(({ country }) =>
    (['human', 'national', 'international'] as const).map<Gen>((style) => () => {
      const loc = LOCALES.find((l) => l.country === country)!;
      return { what: `phone ${country} ${style}`, value: loc.f.phone.number({ style }) };
    }),
  ),
  CARD: [
    (f) => ({ what: 'card visa', value: f.finance.creditCardNumber({ issuer: 'visa' }) }),
    (f) => ({ what: 'card mastercard', value: f.finance.creditCardNumber({ issuer: 'mastercard' }) }),
    (f) => ({ what: 'card amex', value: f.finance.creditCardNumber({ issuer: 'amex' }) }),
    (f) => ({ what: 'card discover', value: f.finance.creditCardNumber({ issuer: 'discover' }) }),
    (f) => ({ what: 'card jcb', value: f.finance.creditCardNumber({ issuer: 'jcb' }) }),
    (f) => ({ what: 'card compact', value: f.finance.creditCardNumber({ issuer: 'visa' }).replace(/\D/g, '') }),
    (f) => ({ what: 'card spaced', value: f.finance.creditCardNumber({ issuer: 'mastercard' }).replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1 ') }),
  ],
  IBAN: [
    (f) => ({ what: 'iban formatted', value: f.finance.iban({ formatted: true, countryCode: f.helpers.arrayElement(['DE', 'FR', 'GB', 'ES', 'IT', 'NL', 'BE', 'AT', 'CH', 'PL']) }) }),
    (f) => ({ what: 'iban compact', value: f.finance.iban({ formatted: false, countryCode: f.helpers.arrayElement(['DE', 'FR', 'GB', 'ES', 'IT', 'NL', 'IE', 'PT']) }) }),
    (f) => ({ what: 'iban any country', value: f.finance.iban({ formatted: f.datatype.boolean() }) }),
  ],
  SSN: [(f) => ({ what: 'ssn dashed', value: ssn(f) }), (f) => ({ what: 'ssn dashed', value: ssn(f) }), (f) => ({ what: 'ssn bare', value: ssn(f).replace(/-/g, '') })],
  IP: [
    (f) => ({ what: 'ipv4', value: f.internet.ipv4() }),
    (f) => ({ what: 'ipv4 private', value: f.helpers.arrayElement([`192.168.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`, `10.${f.number.int(255)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`, `172.${f.number.int({ min: 16, max: 31 })}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`]) }),
    (f) => ({ what: 'ipv6', value: f.internet.ipv6() }),
  ],
  CREDENTIAL: [
    (f) => ({ what: 'url credentials', value: `${f.helpers.arrayElement(['postgres', 'mysql', 'mongodb', 'redis', 'amqp', 'https', 'ftp'])}://${f.internet.username().replace(/[^\w.-]/g, '')}:${f.internet.password({ length: f.number.int({ min: 8, max: 20 }) }).replace(/[@/:#?\s]/g, 'x')}@${f.internet.domainName()}${f.helpers.arrayElement(['', ':5432', ':6379/0', '/prod'])}` }),
  ],
  SECRET: [
    (f) => ({ what: 'openai key', value: `sk-proj-${f.string.alphanumeric({ length: 48 })}` }),
    (f) => ({ what: 'openai key legacy', value: `sk-${f.string.alphanumeric({ length: 48 })}` }),
    (f) => ({ what: 'aws access key', value: `AKIA${f.string.alphanumeric({ length: 16, casing: 'upper' })}` }),
    (f) => ({ what: 'github token', value: `ghp_${f.string.alphanumeric({ length: 36 })}` }),
    (f) => ({ what: 'github pat', value: `github_pat_${f.string.alphanumeric({ length: 22 })}_${f.string.alphanumeric({ length: 59 })}` }),
    (f) => ({ what: 'slack token', value: `xoxb-${f.string.numeric(12)}-${f.string.numeric(13)}-${f.string.alphanumeric({ length: 24 })}` }),
    (f) => ({ what: 'google api key', value: `AIza${f.string.alphanumeric({ length: 35 })}` }),
    (f) => ({ what: 'stripe key', value: `${f.helpers.arrayElement(['sk_live_', 'rk_live_', 'sk_test_'])}${f.string.alphanumeric({ length: 24 })}` }),
    (f) => ({ what: 'jwt', value: `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: f.string.uuid(), name: f.person.fullName(), iat: f.number.int({ min: 1.6e9, max: 1.8e9 }) }))}.${randomBytesFrom(f, 32).toString('base64url')}` }),
    (f) => ({ what: 'password', value: f.internet.password({ length: f.number.int({ min: 10, max: 18 }), pattern: /[A-Za-z0-9!#%&*]/ }) + String(f.number.int(9)) }),
    (f) => ({ what: 'aws secret key', value: f.string.fromCharacters('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+', 40) }),
    (f) => ({ what: 'pem key', value: `-----BEGIN ${f.helpers.arrayElement(['RSA ', 'EC ', 'OPENSSH ', ''])}PRIVATE KEY-----\n${randomBytesFrom(f, 120).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${'$TYPE'}PRIVATE KEY-----` }),
  ],
  NAME: [fakerEN_US, fakerEN_GB, fakerDE, fakerFR, fakerEN_IN, fakerES, fakerNL, fakerIT].map<Gen>((loc) => () => ({ what: `name ${loc.definitions.metadata.code}`, value: `${loc.person.firstName()} ${loc.person.lastName()}` })),
  ADDRESS: [
    (f) => ({ what: 'address US', value: `${f.location.streetAddress()}, ${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode('#####')}` }),
    (f) => ({ what: 'address US unit', value: `${f.location.streetAddress(true)}, ${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode('#####-####')}` }),
    (f) => ({ what: 'address US street only', value: `${f.location.buildingNumber()} ${f.location.street()}` }),
    () => ({ what: 'address GB', value: `${fakerEN_GB.location.buildingNumber()} ${fakerEN_GB.location.street()}, ${fakerEN_GB.location.city()} ${fakerEN_GB.helpers.fromRegExp(/[A-Z]{2}[1-9] [1-9][A-Z]{2}/)}` }),
    () => ({ what: 'address FR', value: `${fakerFR.location.streetAddress()}, ${fakerFR.location.zipCode()} ${fakerFR.location.city()}` }),
    () => ({ what: 'address DE', value: `${fakerDE.location.streetAddress()}, ${fakerDE.location.zipCode()} ${fakerDE.location.city()}` }),
    () => ({ what: 'address NL', value: `${fakerNL.location.street()} ${fakerNL.location.buildingNumber().split(' ')[0]}, ${fakerNL.location.zipCode()} ${fakerNL.location.city()}` }),
    () => ({ what: 'address IT', value: `${fakerIT.location.street()} ${fakerIT.number.int({ min: 1, max: 200 })}, ${fakerIT.location.zipCode()} ${fakerIT.location.city()}` }),
  ],
  DOB: [
    (f) => ({ what: 'dob us numeric', value: birth(f).toLocaleDateString('en-US') }),
    (f) => ({ what: 'dob iso', value: birth(f).toISOString().slice(0, 10) }),
    (f) => ({ what: 'dob de dotted', value: birth(f).toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' }) }),
    (f) => ({ what: 'dob long en', value: birth(f).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }) }),
    (f) => ({ what: 'dob long gb', value: birth(f).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }) }),
    (f) => ({ what: 'dob fr', value: birth(f).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }) }),
    (f) => ({ what: 'dob es', value: birth(f).toLocaleDateString('es-ES', { day: 'numeric', month: 'long', year: 'numeric' }) }),
    (f) => ({ what: 'dob ordinal', value: ordinalDate(f) }),
  ],
  PII: [
    (f) => ({ what: 'passport', value: `${f.string.alpha({ length: 1, casing: 'upper' })}${f.string.numeric(8)}` }),
    (f) => ({ what: 'licence', value: `${f.string.alpha({ length: 1, casing: 'upper' })}${f.string.numeric(3)}-${f.string.numeric(4)}-${f.string.numeric(4)}` }),
    (f) => ({ what: 'nhs-like', value: `${f.string.numeric({ length: 3, allowLeadingZeros: false })} ${f.string.numeric(3)} ${f.string.numeric(4)}` }),
    (f) => ({ what: 'employee id', value: `${f.helpers.arrayElement(['E', 'EMP', 'S'])}-${f.string.numeric(5)}` }),
    (f) => ({ what: 'policy', value: `${f.string.alpha({ length: 2, casing: 'upper' })}${f.string.numeric(8)}` }),
    (f) => ({ what: 'dni', value: `${f.string.numeric(8)}${f.string.alpha({ length: 1, casing: 'upper' })}` }),
  ],
  CRYPTO: [
    (f) => ({ what: 'btc legacy', value: btcAddress(f) }),
    (f) => ({ what: 'eth', value: f.finance.ethereumAddress() }),
    (f) => ({ what: 'btc faker (checksum not valid)', value: f.finance.bitcoinAddress() }),
  ],
};

/** A birth date between 1930 and 2008 (UTC, so formatting does not shift the day). */
function birth(f: Faker): Date {
  return new Date(Date.UTC(f.number.int({ min: 1930, max: 2008 }), f.number.int(11), f.number.int({ min: 1, max: 28 })));
}

function ordinalDate(f: Faker): string {
  const d = birth(f);
  const day = d.getUTCDate();
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  const month = d.toLocaleDateString('en-US', { month: 'long', timeZone: 'UTC' });
  return f.datatype.boolean() ? `${month} ${day}${suffix}, ${d.getUTCFullYear()}` : `the ${day}${suffix} of ${month} ${d.getUTCFullYear()}`;
}

function randomBytesFrom(f: Faker, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => f.number.int(255)));
}

/** Fixes the END line of a generated PEM block to match its BEGIN line. */
function fixPem(v: string): string {
  const m = /-----BEGIN (.*?)PRIVATE KEY-----/.exec(v);
  return m ? v.replace('$TYPE', m[1]) : v;
}

type Template = (f: Faker, v: { type: PiiType; what: string; value: string }) => Part[];

/** Sentence templates per type (support tickets, e-mails, chat requests, code and config). */
const TEMPLATES: Record<PiiType, Template[]> = {
  EMAIL: [
    (f, v) => [`Hello support, I can't log in since yesterday. My account is registered under `, v, `. Can you reset it? Thanks, ${f.person.firstName()}`],
    (f, v) => [`Please draft a polite follow-up to `, v, ` about the ${f.commerce.productName()} quote we sent on Monday.`],
    (_f, v) => [`git config --global user.email "`, v, `"`],
    (f, v) => [`From: `, v, `\nSubject: ${f.company.catchPhrase()}\n\nCould you summarise this thread for me?`],
    (f, v) => [`Add a CC to `, v, ` and translate the invitation for ${f.location.city()} into German.`],
  ],
  PHONE: [
    (f, v) => [`Ticket: the courier could not find the address. Reach me on `, v, ` any time after 5pm. – ${f.person.firstName()}`],
    (f, v) => [`Rewrite this voicemail more politely: "This is ${f.person.firstName()}, call me back at `, v, `, it's urgent."`],
    (f, v) => [`Contact sheet\nName: ${f.person.fullName()}\nMobile: `, v, `\nCity: ${f.location.city()}`],
    (_f, v) => [`My phone number changed to `, v, `, please update the delivery profile.`],
    (f, v) => [`The ${f.company.name()} hotline (`, v, `) keeps putting me on hold, write a complaint letter.`],
  ],
  CARD: [
    (f, v) => [`I was charged twice for order ${f.string.numeric(6)}. The card used was `, v, `. Please refund one of the charges.`],
    (_f, v) => [`Fill the checkout form with card number `, v, ` and expiry 09/28, CVV 123, then click pay.`],
    (f, v) => [`{"customer":"${f.person.fullName()}","pan":"`, v, `","amount":${f.commerce.price()}}`],
    (_f, v) => [`Why was my Visa/MC `, v, ` declined at the gas station yesterday?`],
  ],
  IBAN: [
    (f, v) => [`Please wire the deposit of ${f.commerce.price({ symbol: '€' })} to IBAN `, v, ` before Friday.`],
    (f, v) => [`Translate to French: "Our bank details: ${f.company.name()}, account `, v, `, BIC DEUTDEFF."`],
    (_f, v) => [`Refund to: `, v, ` (account holder is my husband)`],
    (f, v) => [`Write an email to the landlord saying the rent will be sent from `, v, ` on the ${f.number.int({ min: 1, max: 28 })}th.`],
  ],
  SSN: [
    (f, v) => [`Employee onboarding: ${f.person.fullName()}, SSN `, v, `, start date next Monday. Format this as a table.`],
    (_f, v) => [`My social security number is `, v, ` — is it safe to give it to a landlord?`],
    (f, v) => [`W-2 form for ${f.person.lastName()}: `, v, `. Explain box 12 codes.`],
    (_f, v) => [`Tax form says taxpayer ID `, v, `, what does withholding mean here?`],
  ],
  IP: [
    (_f, v) => [`Our firewall logs show repeated failed logins from `, v, `. Is this an attack?`],
    (f, v) => [`server {\n  listen 443 ssl;\n  allow `, v, `;\n  server_name ${f.internet.domainName()};\n}`],
    (_f, v) => [`I can ping `, v, ` but not reach the web UI, what should I check?`],
    (f, v) => [`[${f.date.recent().toISOString()}] connection from `, v, ` rejected`],
  ],
  CREDENTIAL: [
    (_f, v) => [`DATABASE_URL=`, v, `\nWhy does prisma say the connection is refused?`],
    (_f, v) => [`Connect with `, v, ` and list the tables.`],
    (_f, v) => [`celery broker: `, v, ` — workers crash on start, help`],
  ],
  SECRET: [
    (_f, v) => [`export API_TOKEN=`, v, `\nWhy does the CLI still say unauthorized?`],
    (_f, v) => [`Here is my key `, v, `, can you check why the request fails with 401?`],
    (_f, v) => [`config.yaml:\n  service:\n    credentials: `, v, `\n  retries: 3`],
    (_f, v) => [`curl -H "Authorization: Bearer `, v, `" https://api.example.org/v2/items`],
    (_f, v) => [`I accidentally committed `, v, ` to the repo. How do I purge it from history?`],
  ],
  NAME: [
    (f, v) => [`Hi, my name is `, v, ` and I need help writing a complaint to ${f.company.name()} about a late delivery.`],
    (_f, v) => [`Please proofread this reference letter for my colleague `, v, `: she is reliable, punctual and kind.`],
    (f, v) => [`Dear `, v, `,\n\nThank you for your application to the ${f.person.jobArea()} role. Make this rejection warmer.`],
    (f, v) => [`Patient: `, v, `\nSymptoms: persistent cough for ${f.number.int({ min: 2, max: 9 })} days. Suggest follow-up questions.`],
    (_f, v) => [`Can you summarise this? Thanks again for the quick turnaround.\n\nBest regards,\n`, v],
    (f, v) => [`Update `, v, `'s email to ${f.internet.email()} in the CRM export.`],
    (_f, v) => [`Translate into German: "Mr. `, v, ` will arrive on the evening flight."`],
    (f, v) => [`Meeting notes: `, v, ` from ${f.company.name()} agreed to the revised budget.`],
  ],
  ADDRESS: [
    (_f, v) => [`I live at `, v, `. Which recycling bins do I put out on Tuesday?`],
    (_f, v) => [`Please ship the replacement to `, v, ` instead of my office.`],
    (f, v) => [`Write a letter to my landlord about the broken heating at `, v, `. Sign it ${f.person.firstName()}.`],
    (_f, v) => [`Shipping address:\n`, v, `\nIs this formatted correctly for an international parcel?`],
    (f, v) => [`My new address is `, v, ` — draft a change-of-address note for ${f.company.name()}.`],
  ],
  DOB: [
    (f, v) => [`Fill in the form: name ${f.person.fullName()}, date of birth `, v, `, nationality ${f.location.country()}.`],
    (_f, v) => [`I was born on `, v, `. How many days old am I?`],
    (_f, v) => [`DOB: `, v, `\nWhich vaccinations are recommended at my age?`],
    (f, v) => [`Please proofread: ${f.person.fullName()} (born `, v, `) has been our club treasurer since 2019.`],
    (_f, v) => [`My birthday is `, v, `; what is my zodiac sign?`],
  ],
  PII: [
    (_f, v) => [`Passport number: `, v, ` — which documents do I need for a Schengen visa?`],
    (f, v) => [`Hi, my driving licence no. is `, v, ` and ${f.company.name()} wants a copy; is that legal?`],
    (_f, v) => [`Patient ID `, v, ` missed two appointments, draft a polite reminder.`],
    (_f, v) => [`Could you add my staff number (`, v, `) to the expense form header?`],
    (f, v) => [`Insurance policy # `, v, ` covers water damage? The claim is for ${f.location.city()}.`],
    (_f, v) => [`Tax ID: `, v, `\nHow do I file as a freelancer?`],
  ],
  CRYPTO: [
    (f, v) => [`Send the ${f.number.float({ min: 0.01, max: 2, fractionDigits: 3 })} BTC to my wallet `, v, ` once the invoice clears.`],
    (_f, v) => [`Is this address legit? `, v, ` someone on Discord asked me to deposit there.`],
    (_f, v) => [`Payout address: `, v, `\nFormat a receipt for the transfer.`],
  ],
};

const PASSWORD_TEMPLATES: Template[] = [
  (_f, v) => [`My wifi password is `, v, ` but the laptop won't connect, what else can I try?`],
  (_f, v) => [`DB_PASSWORD=`, v, `\nDB_HOST=localhost\nWhy does docker compose ignore this?`],
  (f, v) => [`login: ${f.internet.username()}  pass: `, v, `  — can you write a script that logs in?`],
  (_f, v) => [`{"username": "admin", "password": "`, v, `"}`],
];
const AWS_TEMPLATES: Template[] = [
  (_f, v) => [`[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = `, v, `\nregion = eu-west-1`],
  (_f, v) => [`AWS_SECRET_ACCESS_KEY=`, v, ` is set but boto3 says invalid signature.`],
];

/** Templates that fit any type: CSV rows, JSON, lists, plain notes without cue words. */
const GENERIC_TEMPLATES: Template[] = [
  (f, v) => [`Clean up this CSV row before I import it:\nid,name,value,updated\n${f.number.int(999)},${f.person.fullName()},`, v, `,${f.date.recent().toISOString().slice(0, 10)}`],
  (f, v) => [`{"user": "${f.internet.username()}", "${v.type.toLowerCase()}": "`, v, `", "plan": "${f.helpers.arrayElement(['free', 'pro', 'team'])}"}\nValidate this JSON.`],
  (f, v) => [`Notes from the call with ${f.person.firstName()}: `, v, ` — follow up next week.`],
  (f, v) => [`- ${f.person.fullName()}\n- `, v, `\n- ${f.location.city()}\nTurn this into a sentence.`],
];

/** Non-personal numbers and codes, each of which must be left alone. */
const KEEPS: Array<(f: Faker) => { what: string; value: string }> = [
  (f) => ({ what: 'price', value: f.commerce.price({ min: 5, max: 5000, symbol: f.helpers.arrayElement(['$', '€', '£']) }) }),
  (f) => ({ what: 'price thousands', value: `$${f.number.int({ min: 1, max: 9 })},${f.string.numeric(3)}.${f.string.numeric(2)}` }),
  (f) => ({ what: 'semver', value: f.system.semver() }),
  (f) => ({ what: 'version v', value: `v${f.system.semver()}` }),
  (f) => ({ what: 'windows build', value: `10.0.${f.number.int({ min: 17000, max: 26000 })}` }),
  (f) => ({ what: 'order number', value: `ORD-${f.number.int({ min: 2019, max: 2026 })}-${f.string.numeric(5)}` }),
  (f) => ({ what: 'ticket', value: `${f.helpers.arrayElement(['JIRA', 'OPS', 'SUP', 'BUG'])}-${f.number.int({ min: 10, max: 99999 })}` }),
  (f) => ({ what: 'hash order', value: `#${f.string.alpha({ length: 1, casing: 'upper' })}-${f.string.numeric(5)}` }),
  (f) => ({ what: 'invoice', value: `INV-${f.string.numeric(8)}` }),
  (f) => ({ what: 'year', value: String(f.number.int({ min: 1950, max: 2030 })) }),
  (f) => ({ what: 'iso date', value: f.date.between({ from: '2015-01-01', to: '2030-12-31' }).toISOString().slice(0, 10) }),
  (f) => ({ what: 'us date', value: f.date.past().toLocaleDateString('en-US') }),
  (f) => ({ what: 'eu date', value: f.date.past().toLocaleDateString('de-DE') }),
  (f) => ({ what: 'time', value: `${f.number.int({ min: 0, max: 23 })}:${String(f.number.int(59)).padStart(2, '0')}` }),
  (f) => ({ what: 'percentage', value: `${f.number.float({ min: 0, max: 100, fractionDigits: 1 })}%` }),
  (f) => ({ what: 'quantity', value: `${f.number.int({ min: 1000, max: 999999 }).toLocaleString('en-US')} units` }),
  (f) => ({ what: 'measurement', value: `${f.number.float({ min: 0.1, max: 500, fractionDigits: 1 })} ${f.helpers.arrayElement(['kg', 'km', 'mm', 'GB', 'ms', 'mAh'])}` }),
  (f) => ({ what: 'resolution', value: f.helpers.arrayElement(['1920x1080', '2560x1440', '3840x2160', '1280x720']) }),
  (f) => ({ what: 'isbn', value: isbn13(f) }),
  (f) => ({ what: 'git sha', value: f.git.commitSha() }),
  (f) => ({ what: 'short sha', value: f.git.commitSha({ length: 7 }) }),
  (f) => ({ what: 'uuid', value: f.string.uuid() }),
  (f) => ({ what: 'sha256', value: f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' }) }),
  (f) => ({ what: 'md5', value: f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }) }),
  (f) => ({ what: 'zip code', value: f.location.zipCode('#####') }),
  (f) => ({ what: 'port', value: `:${f.internet.port()}` }),
  (f) => ({ what: 'hex color', value: f.color.rgb({ prefix: '#', casing: 'lower' }) }),
  (f) => ({ what: 'phone-length order', value: `PO ${f.string.numeric(10)}` }),
  (f) => ({ what: 'tracking', value: `1Z${f.string.alphanumeric({ length: 16, casing: 'upper' })}` }),
  (f) => ({ what: 'line ref', value: `line ${f.number.int({ min: 1, max: 4000 })}` }),
  (f) => ({ what: 'big number', value: f.number.int({ min: 1_000_000, max: 9_999_999_999 }).toLocaleString('en-US') }),
  (f) => ({ what: 'coordinates', value: `${f.location.latitude({ precision: 4 })}, ${f.location.longitude({ precision: 4 })}` }),
  (f) => ({ what: 'four-part version', value: `version ${f.number.int(12)}.${f.number.int(9)}.${f.number.int(20)}.${f.number.int(255)}` }),
  (f) => ({ what: 'unix timestamp', value: String(f.number.int({ min: 1_500_000_000, max: 1_799_999_999 })) }),
  (f) => ({ what: 'amazon order', value: `${f.string.numeric(3)}-${f.string.numeric(7)}-${f.string.numeric(7)}` }),
  (f) => ({ what: 'duration', value: `${String(f.number.int(23)).padStart(2, '0')}:${String(f.number.int(59)).padStart(2, '0')}:${String(f.number.int(59)).padStart(2, '0')}` }),
  (f) => ({ what: 'semver prerelease', value: `${f.system.semver()}-rc.${f.number.int(9)}+${f.string.numeric(8)}` }),
  (f) => ({ what: 'docker digest', value: `sha256:${f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' })}` }),
  (f) => ({ what: 'cve', value: `CVE-${f.number.int({ min: 2015, max: 2025 })}-${f.number.int({ min: 1000, max: 99999 })}` }),
  (f) => ({ what: 'indian amount', value: `₹${f.number.int({ min: 1, max: 99 })},${f.string.numeric(2)},${f.string.numeric(3)}` }),
  (f) => ({ what: 'ean barcode', value: `EAN ${f.string.numeric(13)}` }),
  (f) => ({ what: 'http status', value: `HTTP ${f.internet.httpStatusCode()}` }),
  (f) => ({ what: 'date range', value: `${f.number.int({ min: 2000, max: 2024 })}-${f.number.int({ min: 2025, max: 2030 })}` }),
  (f) => ({ what: 'multiplication', value: `${f.number.int({ min: 1000, max: 99999 })} * ${f.number.int({ min: 100, max: 9999 })}` }),
  (f) => ({ what: 'population', value: `${f.number.int({ min: 1, max: 9 })},${f.string.numeric(3)},${f.string.numeric(3)},${f.string.numeric(3)}` }),
  (f) => ({ what: 'ip-like section', value: `section ${f.number.int({ min: 1, max: 9 })}.${f.number.int(9)}.${f.number.int(9)}.${f.number.int(9)}` }),
  (f) => ({ what: 'model number', value: `${f.string.alpha({ length: 2, casing: 'upper' })}-${f.string.numeric(4)}${f.string.alpha({ length: 1, casing: 'upper' })}` }),
];

const KEEP_TEMPLATES: Array<(f: Faker, a: Part, b: Part, c: Part) => Part[]> = [
  (_f, a, b, c) => [`Summarise this changelog entry: released `, a, ` with fixes, see `, b, ` and `, c, `.`],
  (f, a, b, c) => [`Customer asked about `, a, `; I told them `, b, ` is fine. ${f.commerce.productName()} ref `, c],
  (_f, a, b, c) => [`Compare `, a, ` vs `, b, ` in a table (context: `, c, `).`],
  (_f, a, b, c) => [`Status report: `, a, ` — `, b, ` — `, c],
  (f, a, b, c) => [`For the ${f.commerce.department()} report, note `, a, `, then `, b, `, and finally `, c, `.`],
];

const CLEAN: Array<(f: Faker) => string> = [
  (f) => `Write a short poem about ${f.animal.type()}s in the ${f.helpers.arrayElement(['rain', 'snow', 'city', 'desert'])}.`,
  (f) => `Explain how ${f.hacker.noun()} works to a beginner, with an analogy.`,
  (f) => `${f.hacker.phrase()} Can you explain what that sentence means?`,
  (f) => `Improve this product description: ${f.commerce.productDescription()}`,
  (f) => `Give me three slogans for a company whose motto is "${f.company.catchPhrase()}".`,
  () => 'How do I kill a zombie process on Linux?',
  () => 'Which lens is best to shoot a sunset over the sea?',
  (f) => `Suggest a ${f.helpers.arrayElement(['vegetarian', 'quick', 'budget', 'spicy'])} dinner recipe using ${f.food.ingredient()} and ${f.food.ingredient()}.`,
  (f) => `Translate into Spanish: "${f.lorem.sentence()}"`,
  (f) => `Write a SQL query that counts orders per ${f.helpers.arrayElement(['month', 'customer', 'region'])} and sorts them descending.`,
  (f) => `What is the difference between ${f.database.engine()} and ${f.database.engine()} for a small team?`,
  (f) => `Draft a ${f.helpers.arrayElement(['friendly', 'formal'])} reminder that the ${f.commerce.department()} meeting moved to Thursday.`,
  (f) => `Why does my ${f.helpers.arrayElement(['React', 'Vue', 'Svelte'])} component render twice in development mode?`,
  (f) => `List pros and cons of moving from ${f.system.fileExt()} files to a database.`,
  (f) => `Summarise the plot of a story about a ${f.person.jobTitle().toLowerCase()} who discovers ${f.word.noun()}.`,
  () => 'Refactor this function to use async/await:\nfunction load(cb) { fetch(url).then(r => r.json()).then(cb); }',
  (f) => `Is ${f.science.chemicalElement().name} dangerous to touch? Asking for a chemistry class.`,
  (f) => `Plan a 3-day trip to ${f.location.city()} with museums and good coffee.`,
  (f) => `What is ${f.number.int({ min: 10000, max: 999999 })} divided by ${f.number.int({ min: 7, max: 97 })}, rounded to 2 decimals?`,
  (f) => `Our Q${f.number.int({ min: 1, max: 4 })} revenue was $${f.number.int({ min: 1, max: 99 })}.${f.number.int(9)}M, up ${f.number.int({ min: 2, max: 40 })}% from ${f.number.int({ min: 2015, max: 2024 })}. Write a headline.`,
  () => 'Fix the CSS: .btn { color: #1a73e8; padding: 12px 24px; border-radius: 8px; }',
  () => 'Переведи на английский: «Сегодня хорошая погода, пойдём гулять» ❤️',
  () => 'این جمله را به انگلیسی ترجمه کن: می‌خواهم فردا به کتابخانه بروم.',
  () => 'इस वाक्य का अनुवाद करो: मुझे चाय पसंद है। 👩‍💻',
  () => 'Café crème or thé? Rédige une réponse polie en français, s’il te plaît 🙂',
  (f) => `Explain this stack trace line: at Object.<anonymous> (/app/src/${f.system.fileName()}:${f.number.int({ min: 1, max: 900 })}:${f.number.int({ min: 1, max: 80 })})`,
  (f) => `The build ${f.git.commitSha({ length: 7 })} fails with exit code ${f.number.int({ min: 1, max: 255 })} on Node 20.19.0; what changed between 20.18 and 20.19?`,
  (f) => `Convert ${f.number.int({ min: 5, max: 500 })} km/h to m/s and ${f.number.int({ min: 32, max: 110 })}°F to Celsius.`,
  (f) => `My package id is ${f.string.uuid()} and the request id ${f.string.alphanumeric({ length: 12, casing: 'lower' })}; how do I query logs by id?`,
];

const PUBLIC_FIGURES = ['Abraham Lincoln', 'Marie Curie', 'Isaac Newton', 'Ada Lovelace', 'Nelson Mandela', 'Frida Kahlo', 'Albert Einstein', 'Mahatma Gandhi', 'Rosalind Franklin', 'Leonardo da Vinci'];
const PRODUCTS = ['Visual Studio Code', 'Google Drive', 'Microsoft Teams', 'Adobe Premiere Pro', 'Amazon Web Services', 'Apple Music', 'Samsung Galaxy S24', 'Tesla Model Y', 'Raspberry Pi 5', 'Jupyter Notebook', 'Red Hat Enterprise Linux', 'Windows Server 2022'];
/** A date written out, for prompts where it is not a date of birth. */
function eventDate(f: Faker): string {
  const d = f.date.between({ from: '2015-01-01', to: '2030-12-31' });
  return f.helpers.arrayElement([
    d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }),
    d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
    d.toISOString().slice(0, 10),
    d.toLocaleDateString('de-DE', { timeZone: 'UTC' }),
  ]);
}
const kp = (what: string, value: string): Part => ({ type: 'KEEP', what, value });

/** Prompts full of capitalised words, places, products, public figures and non-birth dates: nothing to redact. */
const CAPITALISED: Array<(f: Faker) => Part[]> = [
  (f) => [`When did `, kp('public figure', f.helpers.arrayElement(PUBLIC_FIGURES)), ` publish their most famous work? Answer in two sentences.`],
  (f) => [`Compare `, kp('product', f.helpers.arrayElement(PRODUCTS)), ` with `, kp('product', f.helpers.arrayElement(PRODUCTS)), ` for a small team in `, kp('city', f.location.city()), `.`],
  (f) => [`The ${f.company.name()} board meeting moved to `, kp('event date', eventDate(f)), `; write a short announcement.`],
  (f) => [`Plan a road trip from `, kp('city', f.location.city()), ` to `, kp('city', f.location.city()), ` along Route 66, leaving on `, kp('event date', eventDate(f)), `.`],
  (f) => [`The contract starts on `, kp('event date', eventDate(f)), ` and ends on `, kp('event date', eventDate(f)), `. How many weeks is that?`],
  (f) => [`Why are Main Street and Oak Avenue the most common street names in the United States? Mention `, kp('state', f.location.state()), `.`],
  (f) => [`Release notes: `, kp('product', f.helpers.arrayElement(PRODUCTS)), ` ${f.system.semver()} shipped on `, kp('event date', eventDate(f)), ` with ${f.number.int({ min: 3, max: 40 })} fixes.`],
  (f) => [`Write a haiku about `, kp('city', f.location.city()), ` in ${f.date.month()}, mentioning the ${f.location.street()} market.`],
  (f) => [`I upgraded ${f.number.int({ min: 2, max: 40 })} laptops to `, kp('product', f.helpers.arrayElement(PRODUCTS)), ` in Building ${f.number.int({ min: 1, max: 9 })}; draft the IT newsletter item.`],
  (f) => [`Summarise the history of the ${f.location.country()} Premier League since `, kp('year', String(f.number.int({ min: 1950, max: 2020 }))), `.`],
];

/** Builds the labelled evaluation set. Same seed → same set. */
export function generateEvalSet(seed = 20_261_126, perType = 120, nonPersonal = 250, clean = 300, capitalised = 300): Sample[] {
  for (const loc of [...LOCALES.map((l) => l.f), fakerIT]) loc.seed(seed);
  const f = fakerEN_US;
  const out: Sample[] = [];
  for (const type of PII_TYPES) {
    for (let i = 0; i < perType; i++) {
      const gen = VALUES[type][i % VALUES[type].length];
      const val = gen(f);
      if (type === 'SECRET' && val.what === 'pem key') val.value = fixPem(val.value);
      if (val.what === 'password' || val.what === 'aws secret key') {
        const cueTpl = val.what === 'password' ? PASSWORD_TEMPLATES : AWS_TEMPLATES;
        const parts = cueTpl[i % cueTpl.length](f, { type, ...val });
        out.push(build('pii', parts));
        continue;
      }
      const pool = TEMPLATES[type];
      // Every third prompt uses a type-agnostic template (CSV, JSON, notes) with no cue words;
      // multi-line values (PEM keys, passwords) only in their own templates.
      const generic = i % 3 === 2 && !val.value.includes('\n') && !['password', 'aws secret key', 'ssn bare'].includes(val.what) && !CONTEXT_TYPES.has(type);
      const tpl = generic ? GENERIC_TEMPLATES[i % GENERIC_TEMPLATES.length] : pool[Math.floor(i / VALUES[type].length + i) % pool.length];
      // A keep value in some PII prompts too: real prompts mix both.
      const parts = tpl(f, { type, ...val });
      if (i % 3 === 0) {
        const k = f.helpers.arrayElement(KEEPS)(f);
        parts.push(` (ref `, { type: 'KEEP', ...k }, `)`);
      }
      out.push(build('pii', parts));
    }
  }
  for (let i = 0; i < nonPersonal; i++) {
    const mk = (): Part => ({ type: 'KEEP', ...f.helpers.arrayElement(KEEPS)(f) });
    out.push(build('non_personal', KEEP_TEMPLATES[i % KEEP_TEMPLATES.length](f, mk(), mk(), mk())));
  }
  for (let i = 0; i < clean; i++) out.push(build('clean', [CLEAN[i % CLEAN.length](f)]));
  for (let i = 0; i < capitalised; i++) out.push(build('capitalised', CAPITALISED[i % CAPITALISED.length](f)));
  return out;
}

/** Figures of one evaluation run. */
export type PiiEvalSummary = {
  samples: number;
  recall: Record<string, { found: number; total: number; recall: number }>;
  recallMin: number;
  nonPersonalKept: { kept: number; total: number; share: number };
  cleanUntouched: { untouched: number; total: number; share: number };
  /** Prompts with capitalised names of places, products, public figures and non-birth dates that got no NAME/ADDRESS/DOB detection. */
  capitalisedUntouched: { untouched: number; total: number; share: number };
  latencyMs: { p50: number; p95: number; max: number };
  misses: Array<{ type: string; what: string; value: string; text: string }>;
  falsePositives: Array<{ what: string; value: string; detected: string; kind: string }>;
  cleanFlagged: Array<{ text: string; detected: string[] }>;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const SECRET_TYPES = new Set(['SECRET', 'CREDENTIAL']);
const CONTEXT_KINDS = new Set(['person_name', 'street_address', 'date_of_birth']);

function covers(d: Detection, l: Label): boolean {
  const typeOk = d.placeholderType === l.type || (SECRET_TYPES.has(l.type) && d.category === 'secret');
  const overlap = Math.min(d.end, l.end) - Math.max(d.start, l.start);
  return typeOk && overlap >= 0.8 * (l.end - l.start);
}

/** Runs the evaluation and returns its figures. */
export function runPiiEval(samples: Sample[] = generateEvalSet()): PiiEvalSummary {
  const recall: PiiEvalSummary['recall'] = {};
  for (const t of PII_TYPES) recall[t] = { found: 0, total: 0, recall: 0 };
  let kept = 0;
  let keepTotal = 0;
  let untouched = 0;
  let cleanTotal = 0;
  let capUntouched = 0;
  let capTotal = 0;
  const times: number[] = [];
  const misses: PiiEvalSummary['misses'] = [];
  const falsePositives: PiiEvalSummary['falsePositives'] = [];
  const cleanFlagged: PiiEvalSummary['cleanFlagged'] = [];
  // Warm-up (libphonenumber metadata, regex compilation) outside the timed loop.
  detectDeterministic(normalize(samples[0]?.text ?? 'warm up +1 415 555 2671'));
  for (const s of samples) {
    const t0 = performance.now();
    const n = normalize(s.text);
    const dets = detectDeterministic(n);
    times.push(performance.now() - t0);
    const all = [...dets, ...n.findings];
    for (const l of s.labels) {
      if (l.type === 'KEEP') {
        keepTotal++;
        const hit = all.find((d) => d.start < l.end && d.end > l.start);
        if (!hit) kept++;
        else falsePositives.push({ what: l.what, value: l.value, detected: s.text.slice(hit.start, hit.end), kind: hit.kind });
      } else {
        recall[l.type].total++;
        if (dets.some((d) => covers(d, l))) recall[l.type].found++;
        else misses.push({ type: l.type, what: l.what, value: l.value, text: s.text });
      }
    }
    if (s.group === 'capitalised') {
      capTotal++;
      const ctx = dets.filter((d) => CONTEXT_KINDS.has(d.kind));
      if (ctx.length === 0) capUntouched++;
      else cleanFlagged.push({ text: s.text, detected: ctx.map((d) => `${d.kind}:${s.text.slice(d.start, d.end)}`) });
    }
    if (s.group === 'clean') {
      cleanTotal++;
      if (all.length === 0) untouched++;
      else cleanFlagged.push({ text: s.text, detected: all.map((d) => `${d.kind}:${s.text.slice(d.start, d.end)}`) });
    }
  }
  for (const t of PII_TYPES) recall[t].recall = recall[t].total ? recall[t].found / recall[t].total : 1;
  const sorted = [...times].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    samples: samples.length,
    recall,
    recallMin: Math.min(...PII_TYPES.map((t) => recall[t].recall)),
    nonPersonalKept: { kept, total: keepTotal, share: keepTotal ? kept / keepTotal : 1 },
    cleanUntouched: { untouched, total: cleanTotal, share: cleanTotal ? untouched / cleanTotal : 1 },
    capitalisedUntouched: { untouched: capUntouched, total: capTotal, share: capTotal ? capUntouched / capTotal : 1 },
    latencyMs: { p50: r(percentile(sorted, 50)), p95: r(percentile(sorted, 95)), max: r(sorted[sorted.length - 1] ?? 0) },
    misses,
    falsePositives,
    cleanFlagged,
  };
}

/** A human-readable report of the figures. */
export function formatPiiEval(s: PiiEvalSummary): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const lines = [`PII/secret evaluation, deterministic path (${s.samples} generated, self-written prompts: optimistic)`];
  for (const [t, v] of Object.entries(s.recall)) lines.push(`  recall ${t.padEnd(10)} ${pct(v.recall).padStart(6)}  (${v.found}/${v.total})`);
  lines.push(`  non-personal numbers/codes kept   ${pct(s.nonPersonalKept.share)}  (${s.nonPersonalKept.kept}/${s.nonPersonalKept.total})`);
  lines.push(`  PII-free prompts untouched        ${pct(s.cleanUntouched.share)}  (${s.cleanUntouched.untouched}/${s.cleanUntouched.total})`);
  lines.push(`  capitalised/dated prompts without a NAME/ADDRESS/DOB detection ${pct(s.capitalisedUntouched.share)}  (${s.capitalisedUntouched.untouched}/${s.capitalisedUntouched.total})`);
  lines.push(`  latency normalize+detect per prompt: p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, max ${s.latencyMs.max} ms`);
  return lines.join('\n');
}

/** Writes the summary as JSON (creates the folder). */
export function writePiiEval(s: PiiEvalSummary, path = 'bench-results/pii-eval.json'): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...s, generatedAt: new Date().toISOString() }, null, 2)}\n`);
}

