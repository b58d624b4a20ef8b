/**
 * Signed task handles: what opens and what is refused (a changed byte or character, another key, a passed expiry).
 */
import { describe, expect, it } from 'vitest';
import { createTaskSigner, type TaskHandle } from '../../src/invoke/task-handle.ts';
import { HANDLE_TEST_TASK_KEY } from '../helpers/task-keys.ts';

const KEY = HANDLE_TEST_TASK_KEY;
const handle: TaskHandle = {
  kind: 'mcp',
  target: 'amba-purchase-domain',
  seed: { projectId: 'p1', operationId: 'op-1' },
  operationId: 'op-1',
  createdAt: 1_000,
  expiresAt: 61_000,
};
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('task handles', () => {
  it('open what this key signed, on another signer with the same key too', () => {
    const id = createTaskSigner(KEY).sign(handle);
    expect(createTaskSigner(KEY).open(id, 2_000)).toEqual(handle);
    expect(createTaskSigner(KEY).peek(id)).toEqual({ kind: 'mcp', target: 'amba-purchase-domain' });
  });

  it('refuse every other spelling of the MAC, including the ones that decode to the same bytes', () => {
    const id = createTaskSigner(KEY).sign(handle);
    const signer = createTaskSigner(KEY);
    const head = id.slice(0, -1);
    for (const c of ALPHABET) {
      if (head + c === id) continue;
      expect(() => signer.open(head + c, 2_000), `last character ${c}`).toThrow(/not one this gateway issued/);
    }
  });

  it('refuse a changed payload, another key, and an expired id (410)', () => {
    const id = createTaskSigner(KEY).sign(handle);
    const [payload, mac] = id.split('.');
    const wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const longer = `${Buffer.from(JSON.stringify({ ...wire, x: wire.x + 1e9 })).toString('base64url')}.${mac}`;
    expect(() => createTaskSigner(KEY).open(longer, 2_000)).toThrow(/not one this gateway issued/);
    expect(() => createTaskSigner(`${KEY}-other`).open(id, 2_000)).toThrow(/not one this gateway issued/);
    try {
      createTaskSigner(KEY).open(id, 61_000);
      expect.unreachable();
    } catch (err: any) {
      expect(err.code).toBe('NOT_FOUND');
      expect(err.status).toBe(410);
      expect(err.message).toMatch(/expired/);
    }
  });
});
