/**
 * @module simulator/context — what every vendor router needs from the simulator: clock, accepted credential, request
 * ids.
 */

import type { SimClock } from './clock.ts';
import type { Schedule, Snapshot } from './lifecycle.ts';

export interface VendorContext {
  clock: SimClock;
  /** Where operation `id` is now (on-demand schedules restart here when read late). */
  snapshot(id: string, schedule: Schedule): Snapshot;
  /** Wall-clock now as ISO-8601 (for error timestamps). */
  nowIso(): string;
  /** The one credential this vendor accepts. */
  token: string;
  /** A fresh, deterministic request id for error bodies. */
  requestId(): string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `s` is a canonical 8-4-4-4-12 hex UUID. */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** The bearer credential of a request, if any (scheme is case-insensitive per RFC 7235). */
export function bearerToken(headers: Headers): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
  return m ? m[1].trim() : undefined;
}

/** Newest first; fixture order breaks ties so listings are stable. */
export function newestFirst<T extends { schedule: { createdAt: number } }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.schedule.createdAt - a.item.schedule.createdAt || a.index - b.index)
    .map(({ item }) => item);
}
