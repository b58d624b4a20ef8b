// In-flight bookkeeping and the lazy abort controller behind notifications/cancelled and disconnects.
import { describe, expect, it } from 'vitest';
import { InFlight, KeyedFlight, LazyAbort, type CloseWatch } from '../../../src/expose/mcp/protocol/cancellation.ts';

function recorder() {
  const reasons: unknown[] = [];
  return {
    reasons,
    abort: (r?: unknown) => {
      reasons.push(r);
    },
  };
}

describe('InFlight', () => {
  function track(f: InFlight, key: string) {
    const r = recorder();
    const flight = new KeyedFlight(r, key);
    f.add(flight);
    return { ...r, off: () => f.delete(flight) };
  }

  it('cancels every request under a key, and only those', () => {
    const f = new InFlight();
    const [a, b, other] = [track(f, 'k'), track(f, 'k'), track(f, 'j')];
    expect(f.cancel('k', 'user')).toBe(true);
    expect([a.reasons, b.reasons, other.reasons]).toEqual([['user'], ['user'], []]);
    expect(f.cancel('nope')).toBe(false);
  });

  it('forgets settled requests, one by one, in any order', () => {
    const f = new InFlight();
    const [a, b] = [track(f, 'k'), track(f, 'k')];
    a.off();
    expect(f.size).toBe(1);
    f.cancel('k');
    expect([a.reasons.length, b.reasons.length]).toEqual([0, 1]);
    b.off();
    b.off(); // twice is harmless
    expect(f.size).toBe(0);
    expect(f.cancel('k')).toBe(false);
  });

  it('reuses a freed slot, and a stale handle never removes the flight now in it', () => {
    const f = new InFlight();
    const first = new KeyedFlight(recorder(), 'a');
    const h = f.add(first);
    f.delete(first, h);
    const r = recorder();
    const second = new KeyedFlight(r, 'b');
    expect(f.add(second)).toBe(h); // the slot is reused
    f.delete(first, h); // a late second delete of the first flight
    expect(f.size).toBe(1);
    expect(f.cancel('b')).toBe(true);
    expect(r.reasons).toEqual(['cancelled by client']);
    f.delete(second, h);
    expect(f.size).toBe(0);
    expect(f.cancel('b')).toBe(false);
  });

  it('keeps every flight findable through heavy churn', () => {
    const f = new InFlight();
    const live = new Map<number, { flight: KeyedFlight; handle: number }>();
    for (let i = 0; i < 500; i++) {
      const flight = new KeyedFlight(recorder(), `k${i}`);
      live.set(i, { flight, handle: f.add(flight) });
      if (i % 3 === 0) {
        const j = i - 2;
        const e = live.get(j);
        if (e) {
          f.delete(e.flight, e.handle);
          live.delete(j);
        }
      }
    }
    expect(f.size).toBe(live.size);
    for (const i of live.keys()) expect(f.cancel(`k${i}`)).toBe(true);
    expect(f.cancel('k1')).toBe(false); // deleted at i = 3
  });

  it('computes keys only when a cancel arrives', () => {
    const f = new InFlight();
    let asked = 0;
    f.add({
      ctrl: recorder(),
      key: () => {
        asked++;
        return 'k';
      },
    });
    expect(asked).toBe(0);
    f.cancel('k');
    expect(asked).toBe(1);
  });

  it('aborts everything on shutdown', () => {
    const f = new InFlight();
    const [a, b] = [track(f, 'x'), track(f, 'y')];
    f.abortAll('server closing');
    expect([a.reasons, b.reasons]).toEqual([['server closing'], ['server closing']]);
  });
});

describe('LazyAbort', () => {
  function watch() {
    const w = { watching: 0, fire: () => {} } as { watching: number; fire: () => void } & CloseWatch;
    w.onClose = (cb) => {
      w.watching++;
      w.fire = cb;
      return () => {
        w.watching--;
      };
    };
    return w;
  }

  it('watches the client only once the signal is read, and stops when released', () => {
    const w = watch();
    const l = new LazyAbort(w);
    expect(w.watching).toBe(0);
    const s = l.signal;
    expect(w.watching).toBe(1);
    w.fire();
    expect([s.aborted, s.reason]).toEqual([true, 'client disconnected']);
    l.release();
    expect(w.watching).toBe(0);
  });

  it('hands out an aborted signal when the abort came first', () => {
    const w = watch();
    const l = new LazyAbort(w);
    l.abort('cancelled by client');
    expect(l.signal.reason).toBe('cancelled by client');
    expect(w.watching).toBe(0);
  });
});
