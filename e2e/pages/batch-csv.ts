/**
 * Realistic CSV inputs for the batch specs: support tickets with an id, a customer, a channel and
 * the message, some carrying e-mail addresses, phone numbers or cards, some starting with a
 * spreadsheet formula, one with an embedded newline and quotes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PEOPLE = ['Maria Lopez', 'Omar Haddad', 'Li Wei', 'Dana Whitfield', 'Jon Berg', 'Aiko Tanaka'];

/** The message of row i (0-based). */
export function ticketText(i: number): string {
  const who = PEOPLE[i % PEOPLE.length]!;
  const first = who.split(' ')[0]!.toLowerCase();
  if (i % 10 === 4) return `=HYPERLINK("http://example.test/${i}","open") order ${i} arrived damaged`;
  if (i % 5 === 0) return `Please send the refund for order #${40000 + i} to ${first}.${i}@example.org, total $${(i % 90) + 10}.50`;
  if (i % 7 === 3) return `Customer asks us to charge card 4111 1111 1111 1111 again for ticket ${i}`;
  if (i === 2) return 'Printer on floor 3 says "paper jam"\nafter the v2.4 update';
  return `Ticket ${i}: the app crashes when exporting reports on version 5.${i % 10}`;
}

/** Writes a CSV of `rows` tickets to a fresh temp folder and returns its path. */
export function writeTicketsCsv(rows: number, name = 'tickets.csv'): string {
  const dir = mkdtempSync(join(tmpdir(), 'diffguard-e2e-csv-'));
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const lines = ['ticket_id,customer,channel,message'];
  for (let i = 0; i < rows; i++) lines.push([String(1000 + i), q(PEOPLE[i % PEOPLE.length]!), i % 2 ? 'email' : 'chat', q(ticketText(i))].join(','));
  const path = join(dir, name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
}
