/**
 * Hostile YAML must fail fast with a located problem, never hang or exhaust memory: alias bombs
 * (whatever characters their anchor names use), self-referencing aliases, deep nesting, huge
 * numbers of anchors or aliases, big mappings and oversized files. Each limit can be lowered.
 */
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { DEFAULT_LOAD_LIMITS } from '../../src/documents/limits.ts';
import type { Problem } from '../../src/documents/problems.ts';
import { at, vpath } from './helpers.ts';

const HEAD = 'naftiko: 1.0.0-alpha2\ninfo: {label: L, description: d}\n';
const TAIL = 'capability: {consumes: [], exposes: []}\n';

/** The classic "billion laughs": ten levels, each repeating the previous one ten times. */
function bomb(name: (i: number) => string): string {
  let text = `${HEAD}x-a: &${name(0)} [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n`;
  for (let i = 1; i <= 9; i++)
    text += `x-l${i}: &${name(i)} [${Array(10)
      .fill(`*${name(i - 1)}`)
      .join(',')}]\n`;
  return text + TAIL;
}

function load(text: string, limits = DEFAULT_LOAD_LIMITS) {
  const started = performance.now();
  const loaded = parseDocumentText(vpath('hostile.yaml'), text, limits);
  return { loaded, problems: loaded.sink.problems, ms: performance.now() - started };
}

function only(problems: readonly Problem[], code: string): Problem {
  const errors = problems.filter((p) => p.severity === 'error');
  expect(errors.map((p) => p.code)).toEqual([code]);
  return errors[0];
}

/** 1-based column of the n-th (1-based) occurrence of `needle` on `line` (1-based) of `text`. */
function columnOf(text: string, line: number, needle: string, n = 1): number {
  const l = text.split('\n')[line - 1];
  let col = -1;
  for (let i = 0; i < n; i++) col = l.indexOf(needle, col + 1);
  return col + 1;
}

describe('alias bombs are rejected fast, whatever the anchor names', () => {
  const spellings: Array<[string, (i: number) => string]> = [
    ['ASCII', (i) => `a${i}`],
    ['accented (é)', (i) => `é${i}`],
    ['emoji', (i) => `😀${i}`],
    ['with a colon', (i) => `a:${i}`],
    ['with a slash', (i) => `a/${i}`],
    ['with a quote', (i) => `a'${i}`],
    ['with a star', (i) => `a*${i}`],
    ['CJK', (i) => `錨${i}`],
  ];

  it.each(spellings)(
    '%s anchor names: YAML_ALIAS_EXPANSION located at the alias that crosses the limit',
    (_n, name) => {
      const text = bomb(name);
      const { problems, loaded, ms } = load(text);
      const p = only(problems, 'YAML_ALIAS_EXPANSION');
      // l1 adds 10 × 11 nodes, l2 10 × 111, l3 10 × 1111, l4 11111 each: the 8th alias of x-l4 passes 100,000.
      expect(at(p)).toBe(`7:${columnOf(text, 7, `*${name(3)}`, 8)}`);
      expect(p.hint).toContain('maxAliasNodes');
      expect(p.hint).toContain('100000');
      expect(loaded.doc).toBeUndefined();
      expect(ms).toBeLessThan(500);
    },
  );

  it('a bomb built from mappings and a merge-style key is rejected the same way', () => {
    let text = `${HEAD}x-a: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n`;
    for (let i = 1; i <= 9; i++) {
      const keys = Array.from({ length: 10 }, (_, k) => `k${k}: *m${i - 1}`).join(', ');
      text += `x-l${i}: &m${i} {<<: *m${i - 1}, ${keys}}\n`;
    }
    const { problems, ms } = load(text + TAIL);
    expect(only(problems, 'YAML_ALIAS_EXPANSION').line).toBeGreaterThan(3);
    expect(ms).toBeLessThan(500);
  });

  it('a few aliases of small anchors are fine (real files may share a parameter list)', () => {
    const text = `${HEAD}x-common: &common [{name: id, in: path}]\nx-use-1: *common\nx-use-2: *common\n${TAIL}`;
    const { loaded } = load(text);
    expect(loaded.sink.problems.filter((p) => p.code.startsWith('YAML_'))).toEqual([]);
    expect((loaded.doc as unknown as Record<string, unknown>)['x-use-2']).toEqual([{ name: 'id', in: 'path' }]);
  });

  it('the limit can be lowered', () => {
    const text = `${HEAD}x-common: &common [1, 2, 3, 4]\nx-use-1: *common\nx-use-2: *common\n${TAIL}`;
    const p = only(load(text, { ...DEFAULT_LOAD_LIMITS, maxAliasNodes: 6 }).problems, 'YAML_ALIAS_EXPANSION');
    expect(at(p)).toBe('5:10');
    expect(p.hint).toContain('maxAliasNodes');
  });
});

describe('self-referencing aliases', () => {
  it.each([
    ['a sequence', 'x-self: &s [*s]\n', '3:13'],
    ['a mapping', 'x-self: &m {a: 1, b: *m}\n', '3:22'],
    ['a nested block', 'x-self: &b\n  inner:\n    - *b\n', '5:7'],
  ])('%s that contains itself is YAML_ALIAS_CYCLE, located at the alias', (_n, yaml, where) => {
    const { problems, loaded } = load(HEAD + yaml + TAIL);
    const p = only(problems, 'YAML_ALIAS_CYCLE');
    expect(at(p)).toBe(where);
    expect(loaded.doc).toBeUndefined();
  });
});

describe('nesting depth', () => {
  it('flow nesting a million deep: YAML_TOO_DEEP on line 3, fast', () => {
    const n = 1_000_000;
    const { problems, ms } = load(`${HEAD}x: ${'['.repeat(n)}${']'.repeat(n)}\n${TAIL}`);
    const p = only(problems, 'YAML_TOO_DEEP');
    expect(p.line).toBe(3);
    expect(p.column).toBeLessThan(120);
    expect(p.hint).toContain('maxDepth');
    expect(ms).toBeLessThan(2000);
  });

  it('block nesting (compact sequences) is limited too', () => {
    const { problems } = load(`${HEAD}x:\n${'- '.repeat(5000)}end\n${TAIL}`);
    expect(only(problems, 'YAML_TOO_DEEP').line).toBe(4);
  });

  it('deep nesting in a file the full parser reads (it has an anchor) is limited before parsing', () => {
    const n = 200_000;
    const { problems, ms } = load(`${HEAD}x-a: &a 1\nx: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n${TAIL}`);
    expect(only(problems, 'YAML_TOO_DEEP').line).toBe(4);
    expect(ms).toBeLessThan(2000);
  });

  it('deep block mappings in a file the full parser reads', () => {
    let text = `${HEAD}x-a: &a 1\nx:\n`;
    for (let i = 1; i <= 150; i++) text += `${' '.repeat(i)}k${i}:\n`;
    const { problems } = load(text + `${' '.repeat(151)}v\n` + TAIL);
    expect(only(problems, 'YAML_TOO_DEEP').line).toBeGreaterThan(90);
  });

  it('depth 40 (twice the deepest real file) loads', () => {
    const n = 40;
    const { problems } = load(`${HEAD}x: ${'['.repeat(n)}1${']'.repeat(n)}\nx-a: &a 1\n${TAIL}`);
    expect(problems.filter((p) => p.code.startsWith('YAML_'))).toEqual([]);
  });
});

describe('anchor and alias counts', () => {
  it('50,000 anchors: YAML_TOO_MANY_ANCHORS at the first anchor over the limit, fast', () => {
    let text = HEAD;
    for (let i = 0; i < 50_000; i++) text += `x-${i}: &a${i} v\n`;
    const { problems, ms } = load(text + TAIL);
    const p = only(problems, 'YAML_TOO_MANY_ANCHORS');
    expect(at(p)).toBe(`${3 + DEFAULT_LOAD_LIMITS.maxAnchors}:${'x-1000: '.length + 1}`);
    expect(p.hint).toContain('maxAnchors');
    expect(ms).toBeLessThan(2000);
  });

  it('too many aliases: YAML_TOO_MANY_ALIASES', () => {
    let text = `${HEAD}x-a: &a 1\n`;
    for (let i = 0; i < 5_000; i++) text += `x-${i}: *a\n`;
    const p = only(load(text + TAIL).problems, 'YAML_TOO_MANY_ALIASES');
    expect(p.line).toBe(4 + DEFAULT_LOAD_LIMITS.maxAliases);
    expect(p.hint).toContain('maxAliases');
  });

  it('a mapping with 30,000 keys read by the full parser loads in linear time', () => {
    let text = `${HEAD}x-a: &a 1\n`;
    for (let i = 0; i < 30_000; i++) text += `x-${i}: v\n`;
    const { problems, ms } = load(text + TAIL);
    expect(problems.filter((p) => p.code !== 'SCHEMA')).toEqual([]);
    // Linear: about 2 s on a busy 2-core machine; the parser's own duplicate-key check took 27 s.
    expect(ms).toBeLessThan(12_000);
  });

  it('a duplicate key among many is still found by the full parser, located', () => {
    let text = `${HEAD}x-a: &a 1\n`;
    for (let i = 0; i < 100; i++) text += `x-${i}: v\n`;
    text += 'x-7: again\n';
    const p = only(load(text + TAIL).problems, 'YAML_DUPLICATE_KEY');
    expect(at(p)).toBe('104:1');
  });
});

describe('file size', () => {
  it('text over maxFileBytes is FILE_TOO_LARGE without parsing', () => {
    const text = `${HEAD}x: "${'a'.repeat(DEFAULT_LOAD_LIMITS.maxFileBytes)}"\n${TAIL}`;
    const { problems, ms } = load(text);
    const p = only(problems, 'FILE_TOO_LARGE');
    expect(at(p)).toBe('1:1');
    expect(p.hint).toContain('maxFileBytes');
    expect(ms).toBeLessThan(1000);
  });

  it('the limit counts bytes, not characters', () => {
    const text = `${HEAD}x: "${'é'.repeat(600)}"\n${TAIL}`;
    expect(only(load(text, { ...DEFAULT_LOAD_LIMITS, maxFileBytes: 1000 }).problems, 'FILE_TOO_LARGE')).toBeTruthy();
  });
});
