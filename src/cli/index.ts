/**
 * @file Process entry of the `diffguard` command (built to out/main/cli.js, launched by
 * bin/diffguard.js): wires the real stdin/stdout/stderr and signals to `main` and sets the exit
 * code. Everything testable lives in main.ts.
 */
import { main } from './main';

const controller = new AbortController();
let interrupts = 0;
const onSignal = (): void => {
  interrupts += 1;
  // First Ctrl-C: finish the rows in flight and keep the partial output. Second: stop now.
  if (interrupts > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A closed downstream pipe (`diffguard … | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`diffguard: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
