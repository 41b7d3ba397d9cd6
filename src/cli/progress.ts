/**
 * @file Progress and summary lines on stderr. Progress is drawn only when stderr is a terminal,
 * so pipelines and log files get no carriage-return noise.
 */
import type { Writable } from 'node:stream';

export type Tally = { rows: number; pass: number; cleaned: number; blocked: number; error: number; errorSamples: string[] };

export function newTally(): Tally {
  return { rows: 0, pass: 0, cleaned: 0, blocked: 0, error: 0, errorSamples: [] };
}

/** Redraws a one-line counter at most every `intervalMs` while rows arrive. */
export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private drawn = false;

  constructor(
    private readonly stderr: Writable,
    private readonly enabled: boolean,
    private readonly intervalMs = 200,
  ) {}

  update(rows: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? Math.round(rows / secs) : 0;
    this.stderr.write(`\rdiffguard: ${rows.toLocaleString('en-US')} rows (${rate.toLocaleString('en-US')} rows/s)   `);
    this.drawn = true;
  }

  /** Clears the counter line. */
  done(): void {
    if (this.drawn) this.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }
}
