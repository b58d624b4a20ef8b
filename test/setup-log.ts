/**
 * @module test/setup-log — in every test worker: log lines go to the suite's log file too (CAPGATE_LOG_FILE), the
 * one the global teardown scans for secrets; binaries the tests start inherit it.
 */
import { inject } from 'vitest';

process.env.CAPGATE_LOG_FILE = inject('capgateLogFile');
