/**
 * @module simulator/clock — the simulator's notion of time: elapsed schedule time since start/reset, scaled and
 * injectable.
 */

/** Clock seen by vendor handlers; all schedule offsets are in unscaled milliseconds. */
export interface SimClock {
  /** Unscaled schedule milliseconds elapsed since the simulator started (or was last reset). */
  elapsed(): number;
  /** Wall-clock ISO timestamp of a schedule offset (unscaled ms relative to start; may be negative). */
  iso(offsetMs: number): string;
  /** Restart the schedule at the current instant. */
  reset(): void;
}

/**
 * Build a clock. `timeScale` multiplies every schedule duration: 1 = real time,
 * 0.01 = a 4 s lifecycle plays out in 40 ms (what integration tests want).
 */
export function createClock(now: () => number, timeScale: number): SimClock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError('timeScale must be a positive finite number');
  }
  let startedAt = now();
  return {
    elapsed: () => (now() - startedAt) / timeScale,
    iso: (offsetMs) => new Date(Math.round(startedAt + offsetMs * timeScale)).toISOString(),
    reset: () => {
      startedAt = now();
    },
  };
}
