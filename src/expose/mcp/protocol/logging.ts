/**
 * @module expose/mcp/protocol/logging — log messages a client asked for: on 2026-07-28 per request
 * (`_meta["io.modelcontextprotocol/logLevel"]`; none without it), on 2025-11-25 per session (`logging/setLevel`).
 * Messages at or above the level go on the request's own stream, before its response.
 */
import { isPlainObject } from '../../../common/json.ts';
import { invalidParams } from './jsonrpc.ts';
import { LOG_LEVELS, type JsonObject, type LogLevel } from './types.ts';

export const LOG_LEVEL_META = 'io.modelcontextprotocol/logLevel';

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v);
}

/** The level a 2026-07-28 request asks for, undefined when none; -32602 for one that is not a level. */
export function requestedLogLevel(params: unknown): LogLevel | undefined {
  if (!isPlainObject(params) || !isPlainObject(params._meta) || !(LOG_LEVEL_META in params._meta)) return undefined;
  const level = params._meta[LOG_LEVEL_META];
  if (!isLogLevel(level)) throw invalidParams(`${LOG_LEVEL_META} must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** `logging/setLevel` params → the level (-32602 when missing or unknown). */
export function setLevelParam(params: unknown): LogLevel {
  const level = isPlainObject(params) ? params.level : undefined;
  if (!isLogLevel(level)) throw invalidParams(`level must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** A logger that sends messages at or above `threshold` through `send`. */
export function levelFilter(threshold: LogLevel, send: (message: JsonObject) => void) {
  const min = LOG_LEVELS.indexOf(threshold);
  return (level: LogLevel, data: string): void => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    send({ jsonrpc: '2.0', method: 'notifications/message', params: { level, logger: 'capgate', data } });
  };
}
