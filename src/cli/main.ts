/**
 * @module cli/main — the only place that reads argv: runs the commander program (cli/program.ts) and
 * turns its outcome into an exit code: help and version 0, usage errors 2, a command's own code
 * otherwise. An unexpected error is one line, never a stack trace.
 */
import { CommanderError } from 'commander';
import { createProgram, type CliIO } from './program.ts';

const processIO = (): CliIO => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
});

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const { program, exitCode } = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (err) {
    // Commander has already printed its message (and the usage); help and version exit 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.stderr(`error ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
