/**
 * @module test/helpers/known-secrets — the secret values the test suite hands to capgate (bind values, adapter
 * credentials, simulator tokens). None may ever appear in a log line: the global teardown scans every line the
 * suite logged for them. Values shorter than 6 characters are left out (they match ordinary text).
 */
import { SIMULATOR_TOKENS } from '../../src/simulator/app.ts';
import { HANDLE_TEST_TASK_KEY, OTHER_TASK_KEY, REPLICA_TASK_KEY } from './task-keys.ts';

export const KNOWN_SECRETS: readonly string[] = [
  ...Object.values(SIMULATOR_TOKENS),
  'amp-test-key-123',
  'key/with+special=chars',
  'a shared key of the replicas, 32+',
  'hunter2-but-longer',
  'ctl-secret-token-5c9e1',
  'test-secret',
  'seed-test-token',
  'tok-Zx81-secret-bearer',
  'mcp-secret',
  's3cret',
  'crew-secret',
  REPLICA_TASK_KEY,
  OTHER_TASK_KEY,
  HANDLE_TEST_TASK_KEY,
  'replica-shared-key-7f3a',
];
