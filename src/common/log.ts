/**
 * @module common/log — the logger every layer may be handed: structured fields and a message, at a level. The
 * command line builds one (pino: JSON lines, or readable text on a terminal); tests pass their own or none.
 * Never log a secret, a credential header or a request body: fields are for names, codes, counts and durations.
 */

export type LogFields = Record<string, unknown>;

export interface LogMethod {
  (msg: string): void;
  (fields: LogFields, msg?: string): void;
}

export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  child(bindings: LogFields): Logger;
}

const nothing: LogMethod = () => {};

/** A logger that drops everything (the default where none is given). */
export const silentLogger: Logger = {
  error: nothing,
  warn: nothing,
  info: nothing,
  debug: nothing,
  child: () => silentLogger,
};
