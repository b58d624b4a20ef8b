/**
 * @module test/helpers/task-keys — the CAPGATE_TASK_KEY values the task tests give gateways (secrets: they must never
 * appear in a log line or an answer).
 */
/** The key every replica of a test shares. */
export const REPLICA_TASK_KEY = 'replica-task-key-for-tests-0123456789abcdef';
/** A different key: a gateway holding it must not open the replicas' ids. */
export const OTHER_TASK_KEY = 'other-task-key-for-tests-fedcba9876543210xyz';
/** The key of the task-handle unit tests. */
export const HANDLE_TEST_TASK_KEY = 'task-handle-test-key-0123456789abcdef';
