/**
 * @module test/helpers/test-log — a logger for in-process gateways in tests: every line (debug and up) goes to the
 * suite's log file (CAPGATE_LOG_FILE, set by the global setup) and nowhere else, so the teardown can scan all of
 * them for secrets while the test output stays quiet.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../src/cli/logger.ts';
import type { Logger } from '../../src/common/log.ts';

const nowhere = new Writable({ write: (_chunk, _enc, done) => done() });

export function testLogger(): Logger {
  return createLogger({ level: 'debug', format: 'json', destination: nowhere });
}
