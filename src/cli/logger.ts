/**
 * @module cli/logger — the process's logger (pino) on stderr: one JSON object per line for log collectors, or
 * readable lines when stderr is a terminal (pino-pretty). Fields that could carry credentials are censored wherever
 * they appear, as a second line of defence: the code logs names, codes, counts and durations, never secrets.
 */
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../common/log.ts';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Default: pretty on a terminal, JSON otherwise. */
  readonly format?: LogFormat;
  /** Where lines go (default: stderr). */
  readonly destination?: NodeJS.WritableStream;
  /** Also append every line, as JSON, to this file (default: CAPGATE_LOG_FILE when set). */
  readonly file?: string;
}

/** Field names censored at any depth of a log line. */
const CENSORED = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apikey',
  'api_key',
  'token',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
];

export function createLogger(opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: CENSORED.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]), censor: '[redacted]' },
  };
  const destination =
    format === 'pretty'
      ? pretty({
          colorize: true,
          destination: opts.destination ?? 2,
          sync: true,
          ignore: 'pid',
          translateTime: 'SYS:HH:MM:ss.l',
        })
      : (opts.destination ?? pino.destination({ dest: 2, sync: false }));
  const file = opts.file ?? process.env.CAPGATE_LOG_FILE;
  if (!file) return pino(options, destination) as unknown as Logger;
  // Several processes may append to one file: each line is one write.
  const fileStream = pino.destination({ dest: file, append: true, sync: true, mkdir: true });
  const level = options.level as pino.Level;
  return pino(
    options,
    pino.multistream([
      { level, stream: destination },
      { level, stream: fileStream },
    ]),
  ) as unknown as Logger;
}
