/**
 * @module test/mapping/jsonpath — compiled JSONPath semantics: definite accessors, indefinite fallback, syntax
 * errors.
 */

import { describe, expect, it } from 'vitest';
import { compileDotWalk, compilePath, isJsonPath, JsonPathSyntaxError } from '../../src/mapping/jsonpath.ts';

const doc = {
  ship: { name: 'Aurora', dims: { length: 120 }, 'call-sign': 'AUR1' },
  crew: [
    { name: 'Ann', rank: 3, role: 'captain' },
    { name: 'Bo', rank: 1, role: null },
    { name: 'Cy', rank: 2, role: 'cook' },
  ],
  'first name': 'Fay',
  'a b': { c: 'spaced' },
  'x.y': 'dotted key',
  nothing: null,
  zero: 0,
  min: 2,
};

const ev = (expr: string, root: unknown = doc): unknown => compilePath(expr).evaluate(root);

describe('compilePath — root', () => {
  it.each(['$', '$.'])('%s is the root', (expr) => {
    const p = compilePath(expr);
    expect(p.isRoot).toBe(true);
    expect(p.definite).toBe(true);
    expect(p.evaluate(doc)).toBe(doc);
    expect(p.evaluate([1, 2])).toEqual([1, 2]);
    expect(p.evaluate('plain')).toBe('plain');
  });

  it('a non-root path is not isRoot', () => {
    expect(compilePath('$.ship').isRoot).toBe(false);
  });
});

describe('compilePath — definite paths return a single value', () => {
  it.each([
    ['$.ship.name', 'Aurora'],
    ['$.ship.dims.length', 120],
    ['$.crew[0].name', 'Ann'],
    ['$.crew[2].role', 'cook'],
    ['$.crew[-1].name', 'Cy'],
    ['$.crew[-3].name', 'Ann'],
    ["$['a b'].c", 'spaced'],
    ['$["a b"]["c"]', 'spaced'],
    ["$['x.y']", 'dotted key'],
    ['$.ship.call-sign', 'AUR1'],
    ["$.ship['call-sign']", 'AUR1'],
    ['$[ "ship" ].name', 'Aurora'],
    ['$.zero', 0],
  ])('%s → %j', (expr, expected) => {
    const p = compilePath(expr);
    expect(p.definite).toBe(true);
    expect(p.evaluate(doc)).toEqual(expected);
  });

  it('reads a dotted name containing a space as the bracket form', () => {
    expect(ev('$.first name')).toBe('Fay');
    expect(ev('$.a b.c')).toBe('spaced');
  });

  it('returns the whole sub-tree for an object or array', () => {
    expect(ev('$.ship.dims')).toEqual({ length: 120 });
    expect(ev('$.crew')).toBe(doc.crew);
  });

  it('distinguishes a null value from a missing one', () => {
    expect(ev('$.nothing')).toBeNull();
    expect(ev('$.crew[1].role')).toBeNull();
    expect(ev('$.missing')).toBeUndefined();
    expect(ev('$.ship.missing.deeper')).toBeUndefined();
    expect(ev('$.nothing.deeper')).toBeUndefined();
  });

  it('returns undefined for out-of-range indexes and type mismatches', () => {
    expect(ev('$.crew[3]')).toBeUndefined();
    expect(ev('$.crew[-4]')).toBeUndefined();
    expect(ev('$.ship[0]')).toBeUndefined(); // index on an object
    expect(ev('$.crew.name')).toBeUndefined(); // name on an array
    expect(ev('$.ship.name.length')).toBeUndefined(); // name on a string
    expect(ev('$.a', undefined)).toBeUndefined();
    expect(ev('$.a', null)).toBeUndefined();
    expect(ev('$.a', 42)).toBeUndefined();
  });

  it('ignores inherited properties', () => {
    expect(ev('$.constructor', {})).toBeUndefined();
    expect(ev('$.toString', { a: 1 })).toBeUndefined();
    expect(ev('$.__proto__', {})).toBeUndefined();
  });

  it('walks with exactly one read per step and never touches jsonpath-plus', () => {
    const reads: string[] = [];
    const tracked = (target: object): object =>
      new Proxy(target, {
        get(t, key, receiver) {
          if (typeof key === 'string') reads.push(key);
          return Reflect.get(t, key, receiver);
        },
      });
    const root = tracked({ a: tracked({ list: tracked([10, tracked({ v: 'hit' })]) }) });
    const p = compilePath("$.a['list'][-1].v");
    expect(p.definite).toBe(true);
    expect(p.evaluate(root)).toBe('hit');
    // 'length' is read once to resolve the negative index; nothing else is enumerated or copied.
    expect(reads).toEqual(['a', 'list', 'length', '1', 'v']);
  });
});

describe('compilePath — indefinite paths return all matches', () => {
  it.each([
    ['$.crew[*].name', ['Ann', 'Bo', 'Cy']],
    ['$.crew.*.rank', [3, 1, 2]],
    ['$..length', [120]],
    ['$.crew[?(@.rank > 1)].name', ['Ann', 'Cy']],
    ["$.crew[?(@.role == 'cook')].name", ['Cy']],
    ['$.crew[?(@.rank >= $.min)].name', ['Ann', 'Cy']],
    ['$.crew[0:2].name', ['Ann', 'Bo']],
    ['$.crew[-2:].name', ['Bo', 'Cy']],
    ['$.crew[0,2].name', ['Ann', 'Cy']],
    ["$.ship['name','call-sign']", ['Aurora', 'AUR1']],
    ['$.crew[*].role', ['captain', null, 'cook']],
    ["$.*['c']", ['spaced']],
  ])('%s → %j', (expr, expected) => {
    const p = compilePath(expr);
    expect(p.definite).toBe(false);
    expect(p.evaluate(doc)).toEqual(expected);
  });

  it('returns undefined when nothing matches', () => {
    expect(ev('$.crew[*].missing')).toBeUndefined();
    expect(ev('$.crew[?(@.rank > 10)]')).toBeUndefined();
    expect(ev('$.missing[*]')).toBeUndefined();
    expect(ev('$..nope')).toBeUndefined();
    expect(ev('$.crew[*]', null)).toBeUndefined();
    expect(ev('$.crew[*]', 'text')).toBeUndefined();
  });

  it('does not treat an array length as a member (Jayway semantics)', () => {
    expect(ev('$.rows[*].length', { rows: [[1, 2], [3]] })).toBeUndefined();
    expect(ev('$..length', { a: [1], b: { length: 7 } })).toEqual([7]);
  });

  it('keeps a null match as a match', () => {
    expect(ev('$.crew[?(@.name == "Bo")].role')).toEqual([null]);
  });

  it('treats filter evaluation failures as no match', () => {
    expect(ev('$.crew[?(@.missing.deeper == 1)]')).toBeUndefined();
  });

  it('handles names with spaces and negative indexes inside indefinite paths', () => {
    expect(ev('$.crew[*].name', { crew: [{ name: 'x' }] })).toEqual(['x']);
    expect(ev("$.list[*]['full name']", { list: [{ 'full name': 'A' }, { 'full name': 'B' }] })).toEqual(['A', 'B']);
    expect(
      ev('$.rows[*][-1]', {
        rows: [
          [1, 2],
          [3, 4, 5],
        ],
      }),
    ).toEqual([2, 5]);
    expect(
      ev('$.rows[*][-2]', {
        rows: [
          [1, 2],
          [3, 4, 5],
        ],
      }),
    ).toEqual([1, 4]);
  });
});

describe('compilePath — syntax errors', () => {
  it.each([
    ['', "must start with '$'"],
    ['ship.name', "must start with '$'"],
    ['$ship', "expected '.' or '['"],
    ['$.a.', "ends with '.'"],
    ['$.a..', "'..' must be followed"],
    ['$..', "'..' must be followed"],
    ['$.a[0', "unclosed '['"],
    ["$['a'", "unclosed '['"],
    ["$['a", 'unclosed quote'],
    ['$.a]', "unexpected ']'"],
    ['$.a[]', "empty '[]'"],
    ['$.a[b]', 'not an index'],
    ['$.a[?(@.x > 1]', "unbalanced '('"],
    ['$.a[?(@.x >)]', 'bad filter expression'],
    ['$.a[?()]', 'empty filter'],
    ['$.a[?(@.x =~ /y/)]', "'=~' is not supported"],
    ['$.a[(@.length-1)]', 'script expressions'],
    ['$.a.length()', 'functions'],
  ])('%j is rejected (%s)', (expr, why) => {
    let caught: unknown;
    try {
      compilePath(expr);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(JsonPathSyntaxError);
    const err = caught as JsonPathSyntaxError;
    expect(err.message).toContain(why);
    expect(err.message).toContain(`"${expr}"`);
    expect(err.expression).toBe(expr);
  });

  it('accepts filters that only fail at runtime on the dry-run document', () => {
    expect(() => compilePath('$.a[?(@.b.c == 1)]')).not.toThrow();
  });
});

describe('compileDotWalk', () => {
  const outputs = { 'get-ship': { vessel: { name: 'Aurora' }, tags: ['a', 'b'], none: null }, other: 5 };

  it('$.step is the whole step output', () => {
    const p = compileDotWalk('$.get-ship');
    expect(p.definite).toBe(true);
    expect(p.evaluate(outputs)).toBe(outputs['get-ship']);
  });

  it('walks nested names', () => {
    expect(compileDotWalk('$.get-ship.vessel.name').evaluate(outputs)).toBe('Aurora');
    expect(compileDotWalk('$.get-ship.none').evaluate(outputs)).toBeNull();
    expect(compileDotWalk('$.get-ship.missing.x').evaluate(outputs)).toBeUndefined();
    expect(compileDotWalk('$.get-ship.tags.1').evaluate(outputs)).toBe('b');
  });

  it('$ and $. are the root', () => {
    expect(compileDotWalk('$').isRoot).toBe(true);
    expect(compileDotWalk('$.').evaluate(outputs)).toBe(outputs);
  });

  it.each(['get-ship', '$get', '$.a.', '$.a..b', '$.a[0]', '$.a.*'])('rejects %j', (expr) => {
    expect(() => compileDotWalk(expr)).toThrow(JsonPathSyntaxError);
  });
});

describe('isJsonPath', () => {
  it.each([
    ['$', true],
    ['$.', true],
    ['$.a', true],
    ["$['a']", true],
    ['${input.x}', false],
    ['plain', false],
    ['', false],
  ])('%j → %s', (s, expected) => {
    expect(isJsonPath(s)).toBe(expected);
  });
});
