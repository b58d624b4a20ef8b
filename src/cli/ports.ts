/**
 * @module cli/ports — port values checked where they are parsed, and a failed listen told in one line
 * (the same words the gateway uses), so no bad or busy port ever reaches the user as a stack trace.
 */
import { InvalidArgumentError } from 'commander';

export const PORT_RULE = 'A port is an integer from 0 to 65535.';

/** Commander argument parser for `--port`-style options: 0–65535, digits only (no '1e3', '80.5', ''). */
export function parsePort(value: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new InvalidArgumentError(PORT_RULE);
  return n;
}

/** One line for an error from `listen()`: a busy port, or any other reason with its code. */
export function listenFailure(err: unknown, host: string, port: number): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code === 'EADDRINUSE'
    ? `port ${port} on ${host} is already in use`
    : `cannot listen on ${host}:${port} (${e?.code ?? e?.message ?? String(err)})`;
}
