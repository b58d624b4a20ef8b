import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/simulator/clock.ts';
import { live, settled, snapshotAt } from '../../src/simulator/lifecycle.ts';

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
