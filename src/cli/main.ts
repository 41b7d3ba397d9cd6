/**
 * @file The CLI's entry function: parses the command line, runs a command, and maps every failure
 * to an exit code and a message on stderr. Takes its streams as arguments so tests can drive it.
 */
import { version } from '../../package.json';
import { InputError } from '../core/io';
import { EXIT, MAIN_HELP, RESTORE_HELP, SANITIZE_HELP, UsageError, parseCommand } from './args';
import { say, type CliIO } from './io';
import { runRestore } from './restore';
import { HostError, runSanitize } from './sanitize';

export { EXIT } from './args';
export type { CliIO } from './io';

/**
 * Runs `diffguard` with `argv` (arguments after the program name).
 * @returns the exit code: 0 fine, 3 some rows errored, 2 usage or unreadable input, 1 internal failure
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.command) {
      case 'help':
        io.stdout.write(command.topic === 'sanitize' ? SANITIZE_HELP : command.topic === 'restore' ? RESTORE_HELP : MAIN_HELP);
        return EXIT.OK;
      case 'version':
        io.stdout.write(`diffguard ${version}\n`);
        return EXIT.OK;
      case 'sanitize':
        return await runSanitize(command, io);
      case 'restore':
        return await runRestore(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      say(io, `${error.message}\nRun "diffguard --help" for usage.`);
      return EXIT.USAGE;
    }
    if (error instanceof InputError) {
      say(io, error.message);
      return EXIT.USAGE;
    }
    if (error instanceof HostError) {
      say(io, error.message);
      return EXIT.INTERNAL;
    }
    const e = error as Error;
    say(io, `internal error: ${e?.stack ?? String(error)}`);
    return EXIT.INTERNAL;
  }
}
