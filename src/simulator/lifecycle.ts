/**
 * @module simulator/lifecycle — vendor-neutral operation lifecycle: where a scheduled operation is at a given
 * instant.
 */

/** How a fixture operation plays out, in unscaled ms relative to simulator start. */
export interface Schedule {
  /** When the operation was created; zero or negative so every fixture exists from the start. */
  createdAt: number;
  /** Time spent accepted but not started. */
  pendingMs: number;
  /** Time spent running; `Infinity` for an operation that never settles. */
  runningMs: number;
  /** Terminal outcome once running ends. */
  outcome: Outcome;
  /**
   * On-demand replay: a read that finds the run settled for at least this long starts a fresh run
   * at that read. Absent for every other fixture (their schedules are fixed at start).
   */
  replayAfterMs?: number;
}

export type Outcome = 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
export type Phase = 'pending' | 'running' | Outcome;

/** Snapshot of an operation at one instant; offsets are schedule ms (absent until reached). */
export interface Snapshot {
  phase: Phase;
  /** Fraction of the running phase completed, 0..1 (1 once terminal, 0 while pending). */
  fraction: number;
  /** Unscaled ms spent in the running phase so far (grows forever for never-settling operations). */
  runningFor: number;
  /** Unscaled ms since creation. */
  age: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

/** Default schedule of the "live" fixtures: ~1 s pending, ~3 s running, then terminal. */
export const DEFAULT_PENDING_MS = 1000;
export const DEFAULT_RUNNING_MS = 3000;

/** Evaluate a schedule at `elapsed` schedule ms after start. */
export function snapshotAt(schedule: Schedule, elapsed: number): Snapshot {
  const age = elapsed - schedule.createdAt;
  const startedAt = schedule.createdAt + schedule.pendingMs;
  if (age < schedule.pendingMs) {
    return { phase: 'pending', fraction: 0, runningFor: 0, age, createdAt: schedule.createdAt };
  }
  const runningFor = age - schedule.pendingMs;
  if (runningFor < schedule.runningMs) {
    return {
      phase: 'running',
      fraction: Number.isFinite(schedule.runningMs) ? runningFor / schedule.runningMs : 0,
      runningFor,
      age,
      createdAt: schedule.createdAt,
      startedAt,
    };
  }
  return {
    phase: schedule.outcome,
    fraction: 1,
    runningFor: schedule.runningMs,
    age,
    createdAt: schedule.createdAt,
    startedAt,
    finishedAt: startedAt + schedule.runningMs,
  };
}

/** A live schedule starting now with the default timings. */
export function live(outcome: Outcome, runningMs = DEFAULT_RUNNING_MS): Schedule {
  return { createdAt: 0, pendingMs: DEFAULT_PENDING_MS, runningMs, outcome };
}

/**
 * An operation that runs once from start and again for whoever reads it later: a read that comes `replayAfterMs`
 * after the run settled starts a new run, unless the previous read saw this run still going (someone is polling
 * for its outcome, and gets it however long its pauses between reads).
 */
export function onDemand(outcome: Outcome, runningMs: number, replayAfterMs: number): Schedule {
  return { ...live(outcome, runningMs), replayAfterMs };
}

/** Where each on-demand operation's current run started; the other schedules need no state. */
export interface Runs {
  /** Snapshot of operation `id` at `elapsed`; for an on-demand schedule, a late read starts a new run. */
  snapshot(id: string, schedule: Schedule, elapsed: number): Snapshot;
  /** Forget every replay: all runs start again from the simulator's start. */
  reset(): void;
}

export function createRuns(): Runs {
  const starts = new Map<string, number>();
  /** Operations whose last read found the current run still pending or running. */
  const awaited = new Set<string>();
  return {
    snapshot(id, schedule, elapsed) {
      if (schedule.replayAfterMs === undefined) return snapshotAt(schedule, elapsed);
      const shifted = (start: number) => ({ ...schedule, createdAt: schedule.createdAt + start });
      let s = snapshotAt(shifted(starts.get(id) ?? 0), elapsed);
      if (s.finishedAt !== undefined && elapsed - s.finishedAt >= schedule.replayAfterMs && !awaited.has(id)) {
        starts.set(id, elapsed);
        s = snapshotAt(shifted(elapsed), elapsed);
      }
      if (s.finishedAt === undefined) awaited.add(id);
      else awaited.delete(id);
      return s;
    },
    reset: () => {
      starts.clear();
      awaited.clear();
    },
  };
}

/** A historic operation that settled long before the simulator started. */
export function settled(outcome: Outcome, minutesAgo: number, durationMs = 45_000): Schedule {
  return { createdAt: -minutesAgo * 60_000, pendingMs: 2000, runningMs: durationMs, outcome };
}
