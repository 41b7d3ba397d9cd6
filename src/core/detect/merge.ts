/**
 * @file Merging detections into a non-overlapping set: higher priority wins (secrets beat the
 * personal data inside them; validated identifiers beat looser rules), then the longer span.
 * Linear in the total span length (an occupancy bitmap over the original text).
 */
import type { Detection } from '../engine/types';

/** Priority of a detection kind when spans overlap; unknown kinds get 10. */
export const KIND_PRIORITY: Readonly<Record<string, number>> = {
  pem_private_key: 100,
  // A suffix of token soup is removed whole; a "secret" or a name inside it goes with it.
  adversarial_suffix: 99,
  url_credentials: 95,
  jwt: 92,
  slack_webhook: 91,
  openai_key: 90,
  anthropic_key: 90,
  aws_access_key: 90,
  aws_secret_key: 88,
  github_token: 90,
  slack_token: 90,
  google_api_key: 90,
  stripe_key: 90,
  npm_token: 90,
  huggingface_token: 90,
  gitlab_token: 90,
  twilio_key: 90,
  sendgrid_key: 90,
  bearer_token: 85,
  password: 84,
  pin: 83,
  generic_secret: 82,
  email: 75,
  iban: 72,
  card: 70,
  btc_address: 68,
  eth_address: 68,
  ssn: 66,
  ipv6: 62,
  ipv4: 60,
  // Context-rule personal data: an address wins over the ZIP+4 inside it that looks like a phone number.
  street_address: 55,
  date_of_birth: 55,
  // Cued identity / account numbers: validated card, IBAN and SSN matches win over the same digits; an
  // explicit identity cue ("passport number is 533380006") wins over a phone-shaped guess.
  other_pii: 52,
  phone: 50,
  person_name: 40,
  high_entropy_token: 30,
};

function priority(d: Detection): number {
  return KIND_PRIORITY[d.kind] ?? 10;
}

/**
 * Returns a non-overlapping subset of `detections`, sorted by start: for overlapping spans the
 * higher priority wins, then the longer span, then the higher score.
 */
export function mergeDetections(detections: Detection[], textLength: number): Detection[] {
  if (detections.length <= 1) return detections.slice();
  const ordered = detections
    .filter((d) => d.end > d.start)
    .sort((a, b) => priority(b) - priority(a) || b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  const taken = new Uint8Array(textLength + 1);
  const kept: Detection[] = [];
  for (const d of ordered) {
    let free = true;
    for (let i = d.start; i < d.end; i++) {
      if (taken[i]) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    taken.fill(1, d.start, d.end);
    kept.push(d);
  }
  return kept.sort((a, b) => a.start - b.start);
}
