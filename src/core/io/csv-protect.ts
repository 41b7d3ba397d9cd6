/**
 * @file Protection against CSV (formula) injection for files that will be opened in a
 * spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
 * prefixed with a single quote, as OWASP recommends, unless the whole cell is a plain number
 * (so `-12.5` stays a number).
 */

const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/** Returns the cell as a spreadsheet will show it literally. */
export function protectCell(value: string): string {
  if (value.length === 0 || !TRIGGERS.has(value[0])) return value;
  if (PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}
