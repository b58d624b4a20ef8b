import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/simulator/clock.ts';
import { createRuns, live, onDemand, settled, snapshotAt } from '../../src/simulator/lifecycle.ts';

describe('clock', () => {
  it('reports elapsed schedule time divided by timeScale and restarts on reset', () => {
    let t = 10_000;
    const clock = createClock(() => t, 0.01);
    t += 40; // 40 ms of wall time at scale 0.01 is 4 s of schedule time
    expect(clock.elapsed()).toBeCloseTo(4000);
    expect(clock.iso(1000)).toBe(new Date(10_010).toISOString());
    clock.reset();
    expect(clock.elapsed()).toBe(0);
  });

  it('rejects a non-positive timeScale', () => {
    expect(() => createClock(() => 0, 0)).toThrow(RangeError);
  });
});

describe('snapshotAt', () => {
  it('walks a live schedule through pending, running and its outcome', () => {
    const s = live('failed');
    expect(snapshotAt(s, 0).phase).toBe('pending');
    expect(snapshotAt(s, 999).phase).toBe('pending');
    const mid = snapshotAt(s, 2500);
    expect(mid).toMatchObject({ phase: 'running', startedAt: 1000 });
    expect(mid.fraction).toBeCloseTo(0.5);
    expect(snapshotAt(s, 4000)).toMatchObject({ phase: 'failed', fraction: 1, finishedAt: 4000 });
  });

  it('never settles an infinite run', () => {
    const s = snapshotAt(live('succeeded', Infinity), 1e12);
    expect(s.phase).toBe('running');
    expect(s.finishedAt).toBeUndefined();
  });

  it('places settled operations in the past, already terminal', () => {
    const s = snapshotAt(settled('succeeded', 15), 0);
    expect(s.phase).toBe('succeeded');
    expect(s.createdAt).toBe(-15 * 60_000);
  });
});

describe('on-demand runs', () => {
  // 1 s pending, 6 s running (done at 7 s), replayed for a reader who comes back 5 s after it was seen settled.
  const schedule = onDemand('succeeded', 6000, 5000);
  const WATCH = 'watch';

  it('a reader polling slower than the replay window still sees its run settle', () => {
    const runs = createRuns();
    expect(runs.snapshot(WATCH, schedule, 0).phase).toBe('pending');
    expect(runs.snapshot(WATCH, schedule, 12_000).phase).toBe('succeeded');
  });

  it('once seen settled, a read after the replay window starts a new run; one within it does not', () => {
    const runs = createRuns();
    expect(runs.snapshot(WATCH, schedule, 8_000).phase).toBe('succeeded');
    expect(runs.snapshot(WATCH, schedule, 11_000).phase).toBe('succeeded');
    const again = runs.snapshot(WATCH, schedule, 20_000);
    expect(again).toMatchObject({ phase: 'pending', age: 0 });
    expect(runs.snapshot(WATCH, schedule, 22_000).phase).toBe('running');
    expect(runs.snapshot(WATCH, schedule, 40_000).phase).toBe('succeeded');
  });

  it('reset starts from the simulator start again and forgets what was seen', () => {
    const runs = createRuns();
    runs.snapshot(WATCH, schedule, 8_000);
    runs.reset();
    expect(runs.snapshot(WATCH, schedule, 500).phase).toBe('pending');
    expect(runs.snapshot(WATCH, schedule, 13_000).phase).toBe('succeeded');
  });
});
