import { describe, expect, it } from 'vitest';
import { normalize } from '../normalize';
import { detectDeterministic } from './index';

/** Runs normalize + detect and returns [placeholderType, original text of the span] pairs. */
function found(original: string): Array<[string, string]> {
  return detectDeterministic(normalize(original)).map((d) => [d.placeholderType ?? d.kind, original.slice(d.start, d.end)]);
}

describe('detectDeterministic: personal data and secrets in realistic prompts', () => {
  it.each<[string, string, Array<[string, string]>]>([
    ['card with expiry', 'My card is 4111 1111 1111 1111, exp 12/27', [['CARD', '4111 1111 1111 1111']]],
    ['amex with dashes', 'Charge it to 3782-822463-10005 please', [['CARD', '3782-822463-10005']]],
    ['ssh with password', 'ssh root@10.0.0.5 with password hunter2', [['IP', '10.0.0.5'], ['SECRET', 'hunter2']]],
    [
      'support ticket with order number and phone',
      'Hi team, order ORD-2024-55812 arrived damaged (ticket #A-10023). Please call me back on +1 (415) 555-2671 before 6pm. Total was $1,299.99.',
      [['PHONE', '+1 (415) 555-2671']],
    ],
    ['UK mobile, national format', 'You can text me on 07700 900123 tomorrow', [['PHONE', '07700 900123']]],
    ['German number, international', 'Rückruf bitte unter +49 30 901820 danke', [['PHONE', '+49 30 901820']]],
    ['French number', 'Mon numéro : 01 42 68 53 00, merci', [['PHONE', '01 42 68 53 00']]],
    ['French number, international, one single-digit group', 'Appelez le +33 1 42 68 53 00 demain', [['PHONE', '+33 1 42 68 53 00']]],
    ['US toll-free with the trunk 1', 'Call 1 800 555 0199 for support', [['PHONE', '1 800 555 0199']]],
    ['Indian mobile', 'WhatsApp me at +91 98765 43210 for the invoice', [['PHONE', '+91 98765 43210']]],
    ['e-mail in an e-mail draft', 'Reply to jane.doe+billing@example.co.uk and cc ops@acme.io about the refund', [['EMAIL', 'jane.doe+billing@example.co.uk'], ['EMAIL', 'ops@acme.io']]],
    ['IBAN with spaces', 'Wire it to DE89 3704 0044 0532 0130 00 by Friday', [['IBAN', 'DE89 3704 0044 0532 0130 00']]],
    ['IBAN compact', 'IBAN: GB82WEST12345698765432', [['IBAN', 'GB82WEST12345698765432']]],
    ['SSN dashed', 'Her SSN is 536-22-1987, fill the W-4', [['SSN', '536-22-1987']]],
    ['SSN bare with cue', 'social security number 536221987 on file', [['SSN', '536221987']]],
    ['IPv6', 'Block 2001:db8:85a3::8a2e:370:7334 at the edge', [['IP', '2001:db8:85a3::8a2e:370:7334']]],
    ['URL with credentials is one detection', 'DATABASE_URL=postgres://app_user:Zq8!rT2v@db.example.com:5432/prod', [['CREDENTIAL', 'postgres://app_user:Zq8!rT2v@db.example.com:5432/prod']]],
    ['OpenAI key', 'const client = new OpenAI({ apiKey: "sk-proj-Qw3rTy8uIo9pAsDfGh1jKl2ZxCvBnM4qWe5rTy6u" })', [['SECRET', 'sk-proj-Qw3rTy8uIo9pAsDfGh1jKl2ZxCvBnM4qWe5rTy6u']]],
    ['AWS key pair', 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', [['SECRET', 'AKIAIOSFODNN7EXAMPLE'], ['SECRET', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']]],
    ['GitHub token', 'git clone https://ghp_R2d2C3poBb8Xx7Yy6Zz5Ww4Vv3Uu2Tt1Ss0Q@github.com/acme/app.git', [['SECRET', 'ghp_R2d2C3poBb8Xx7Yy6Zz5Ww4Vv3Uu2Tt1Ss0Q']]],
    ['Slack token', 'SLACK_BOT_TOKEN=xoxb-2048-4096-Hq7sLk2Pz9Xc', [['SECRET', 'xoxb-2048-4096-Hq7sLk2Pz9Xc']]],
    ['Google API key', 'maps key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW', [['SECRET', 'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW']]],
    ['Stripe key', 'stripe.api_key = "sk_live_51HqLyjWDarjtT1zdp7dc9Xy"', [['SECRET', 'sk_live_51HqLyjWDarjtT1zdp7dc9Xy']]],
    ['Bearer JWT', 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.tS8nI0fWb9Qz1hY2xV3kLmN4oP5qR6sT7uV8wX9yZ0A"', [['SECRET', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.tS8nI0fWb9Qz1hY2xV3kLmN4oP5qR6sT7uV8wX9yZ0A']]],
    ['password in JSON', '{"user": "svc-backup", "password": "Tr0ub4dor&3"}', [['SECRET', 'Tr0ub4dor&3']]],
    ['BTC address', 'Donations: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 thanks!', [['CRYPTO', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2']]],
    ['ETH address with cue', 'send 0.5 ETH to 0x52908400098527886E0F7030069857D2E4169EE7', [['CRYPTO', '0x52908400098527886E0F7030069857D2E4169EE7']]],
  ])('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('detects a PEM private key block as one secret', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDf3vbn2lGxkW1n7Qk0zFhV3PnUQ9M3cX4gM1yWnq1xKgAAAJg=\n-----END OPENSSH PRIVATE KEY-----';
    expect(found(`Why does ssh reject this key?\n${key}\nThanks`)).toEqual([['SECRET', key]]);
  });
});

describe('detectDeterministic: validators reject look-alikes', () => {
  it.each([
    ['card failing Luhn', 'My card is 4111 1111 1111 1112'],
    ['IBAN with a wrong check digit', 'IBAN DE88 3704 0044 0532 0130 00'],
    ['SSN with area 000', 'SSN 000-12-3456'],
    ['SSN with area 666', 'SSN 666-12-3456'],
    ['SSN with area 9xx', 'SSN 912-12-3456'],
    ['SSN with group 00', 'SSN 123-00-4567'],
    ['bare 9 digits without a cue', 'Tracking 536221987 is in transit'],
    ['octet above 255', 'connect to 10.0.256.1'],
    ['URL with a placeholder password', 'postgres://user:${DB_PASSWORD}@localhost/app'],
    ['password that is an env lookup', 'password = os.environ["DB_PASS"]'],
    ['prose about passwords', 'I forgot my password again, how do I reset it?'],
  ])('%s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('detectDeterministic: non-personal numbers and codes survive', () => {
  it.each([
    'The laptop costs $1,299.99 or €20 a month for 24 months.',
    'Upgrade from v2.3.1 to 2.4.0-beta.3; Windows build 10.0.19045.3803 is affected.',
    'Order ORD-2024-55812, ticket #A-10023 and JIRA-1234 are linked.',
    'It happened on 2024-03-15 at 14:30 and again on 03/16/2024, 15.03.2024.',
    'We sold 12,500 units (up 37.5%) in 2023; shipping weight 2.4 kg, 1920x1080 screen.',
    'ISBN 978-0-306-40615-7 and ISBN-10 0-306-40615-2 are the same book.',
    'Revert commit 3f786850e387550fdab836ed7e6dc881de23001b (short 3f78685).',
    'Request id 123e4567-e89b-12d3-a456-426614174000 returned HTTP 503 after 1500 ms.',
    'md5 d41d8cd98f00b204e9800998ecf8427e, sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'Listen on 0.0.0.0:8080, localhost is 127.0.0.1, netmask 255.255.255.0.',
    'See section 1.2.3.4 of the spec and version 10.0.0.1 of the firmware.',
    "I forgot my TP-Link router's admin password and can't log in to 192.168.0.1 or 192.168.1.1 anymore.",
    'Population 8,100,000,000 and GDP 105,000,000,000,000 in 2024.',
    'Timestamp 1712203700 is in seconds; flight LH 2034 leaves at gate B12.',
    'Coordinates 48.8566, 2.3522 and CVE-2024-3094 were in the report.',
    'Invoice INV-20240315 for PO 4500012345 was paid.',
    'The EAN 4006381333931 barcode is on the box.',
    'Use `std::vector<int>` and a MAC 00:1A:2B:3C:4D:5E; times 12:30:45.',
    'Docker image sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 is pinned.',
    'const handleUserAuthenticationCallback2 = useCallback(() => {}, []);',
    'import { getServerSideProps } from "../../components/UserProfileSettingsPage";',
    'Image icon@2x.png and package @angular/core@17.0.8 work fine.',
    '| 1 | Ralph Guldahl | United States | 72-68-70-69=279 | –9 | 1,500 |',
    'X = np.random.rand(100, 2)\nkm.fit(X)\nprint(km.labels_)\n>>>[1 6 7 4 6 6 7 5 6 0 0 7 3 4 5 7 5 0 3 4 0 6 1 6 7 5 4 3 4 2 1 2 1 4 6 3 6 1 7 6 6 7 4 1 1 0 4 2]',
  ])('%s', (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('detectDeterministic: offsets point at the original text', () => {
  it('maps spans after zero-width and fullwidth characters', () => {
    const original = '\u200B\u200B\uFEFFＣａｌｌ me: ｊａｎｅ@example.com or 4111\u200B 1111 1111 1111';
    const got = detectDeterministic(normalize(original));
    expect(got.map((d) => original.slice(d.start, d.end))).toEqual(['ｊａｎｅ@example.com', '4111\u200B 1111 1111 1111']);
  });

  it('maps spans after tag characters (astral, two code units each)', () => {
    const hidden = [...'ignore rules'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const original = `${hidden}Mail bob@example.org now`;
    const [d] = detectDeterministic(normalize(original));
    expect(original.slice(d.start, d.end)).toBe('bob@example.org');
  });

  it('returns sorted, non-overlapping detections with secrets winning over PII inside them', () => {
    const original = 'redis://admin:P4ssw0rd!@10.1.2.3:6379 then mail admin@example.com';
    const got = detectDeterministic(normalize(original));
    expect(got.map((d) => d.kind)).toEqual(['url_credentials', 'email']);
    for (let i = 1; i < got.length; i++) expect(got[i].start).toBeGreaterThanOrEqual(got[i - 1].end);
  });
});

describe('detectDeterministic: bad input', () => {
  it('returns nothing for empty text', () => {
    expect(detectDeterministic(normalize(''))).toEqual([]);
  });

  it('handles a 5 MB text in linear time', () => {
    const chunk =
      'Ticket 4411: call +44 20 7946 0958 or mail a.b@example.com; card 4111 1111 1111 1111; ' +
      'v1.2.3 costs $1,299.99. ' +
      'x'.repeat(300) + ' ' + '1'.repeat(200) + ' ' + 'aB3'.repeat(100) + ' ' + '@'.repeat(50) + ' ' + '::'.repeat(40) + '\n';
    let text = '';
    while (text.length < 5_000_000) text += chunk;
    const t0 = performance.now();
    const n = normalize(text);
    const got = detectDeterministic(n);
    const ms = performance.now() - t0;
    console.log(`5 MB normalize+detect: ${Math.round(ms)} ms, ${got.length} detections`);
    const perChunk = Math.floor(text.length / chunk.length);
    expect(got.filter((d) => d.kind === 'email')).toHaveLength(perChunk);
    expect(ms).toBeLessThan(25_000);
  });
});
