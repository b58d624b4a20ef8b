/**
 * @module simulator/started — operations started through a vendor's submit endpoint while the simulator runs: each
 * plays pending 1 s, running for its duration, then its outcome, from the moment it was submitted; a cancelled one
 * ends at the cancel. Bounded (the oldest are forgotten first) and cleared by `reset()`.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_PENDING_MS, type Outcome, type Schedule } from './lifecycle.ts';

/** Most started operations kept per vendor. */
export const MAX_STARTED = 1000;

export class StartedOperations<T extends { id: string; schedule: Schedule }> {
  #items = new Map<string, T>();

  add(item: T): T {
    this.#items.set(item.id, item);
    if (this.#items.size > MAX_STARTED) this.#items.delete(this.#items.keys().next().value!);
    return item;
  }

  find(id: string): T | undefined {
    return this.#items.get(id.toLowerCase());
  }

  all(): T[] {
    return [...this.#items.values()];
  }

  /** Replace an item (a cancelled one gets its new schedule). */
  set(item: T): void {
    this.#items.set(item.id, item);
  }

  reset(): void {
    this.#items.clear();
  }
}

/** A fresh operation id (lower-case UUID, like the fixtures'). */
export function newOperationId(): string {
  return randomUUID();
}

/** Submitted at `now` (schedule ms): pending 1 s, running `runningMs`, then `outcome`. */
export function startedAt(now: number, runningMs: number, outcome: Outcome): Schedule {
  return { createdAt: now, pendingMs: DEFAULT_PENDING_MS, runningMs, outcome };
}

/** The schedule of an operation cancelled at `at`: it ends there, cancelled (a settled one is left as it is). */
export function cancelledAt(s: Schedule, at: number): Schedule {
  const started = s.createdAt + s.pendingMs;
  if (at >= started + s.runningMs) return s;
  if (at < started) return { ...s, pendingMs: Math.max(0, at - s.createdAt), runningMs: 0, outcome: 'cancelled' };
  return { ...s, runningMs: at - started, outcome: 'cancelled' };
}
