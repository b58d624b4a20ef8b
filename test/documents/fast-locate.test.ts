/**
 * The fast (js-yaml + indentation) path of yaml-source must give the same data and the same
 * positions as the full `yaml` parser; it may only fall back, never disagree.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { parseYamlSource } from '../../src/documents/yaml-source.ts';
import { fastLocate } from '../../src/documents/fast-locate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = path.resolve(ROOT, '../shared');

/** Reference position: the full parser's node for the deepest existing segment. */
function fullLocate(text: string, pointer: string): { line: number; column: number } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node: unknown = doc.contents;
  let off = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of pointer === '' ? [] : pointer.slice(1).split('/')) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? String(it.key.value) : String(it.key)) === seg);
      if (!pair) break;
      off = (pair.key as Node).range![0];
      node = pair.value;
    } else if (isSeq(node)) {
      const it = node.items[Number(seg)] as Node | undefined;
      if (!it) break;
      off = it.range![0];
      node = it;
    } else break;
  }
  const p = lc.linePos(off);
  return { line: p.line, column: p.col };
}

function pointersOf(v: unknown, p = '', out: string[] = [], depth = 0): string[] {
  out.push(p);
  if (depth < 6 && v && typeof v === 'object')
    for (const [k, c] of Object.entries(v)) pointersOf(c, `${p}/${k}`, out, depth + 1);
  return out;
}

const SAMPLE = `naftiko: "1.0.0-alpha3"
# comment
capability:
  consumes:
    - type: http
      namespace: fleet
      baseUri: http://up
      resources:
      - name: ships
        path: /ships
        operations: [ { name: list, method: GET } ]
  exposes:
    -
      type: rest
      port: 8080
      description: >
        folded
        text
      resources: []
`;

describe('fast locate', () => {
  it('matches the full parser on block YAML, including same-indent sequences and dash-alone items', () => {
    const src = parseYamlSource(SAMPLE);
    for (const p of pointersOf(src.data)) expect(src.locate(p), p).toEqual(fullLocate(SAMPLE, p));
  });

  it('falls back (undefined) inside flow collections instead of guessing', () => {
    const lines = SAMPLE.split('\n');
    expect(
      fastLocate(lines, ['capability', 'consumes', '0', 'resources', '0', 'operations', '0', 'name']),
    ).toBeUndefined();
    expect(fastLocate(lines, ['capability', 'consumes', '0', 'resources', '0', 'operations'])).toEqual({
      line: 11,
      column: 9,
    });
  });

  it('locates a missing property at its nearest existing ancestor', () => {
    const src = parseYamlSource(SAMPLE);
    expect(src.locate('/capability/exposes/0/namespace')).toEqual(
      fullLocate(SAMPLE, '/capability/exposes/0/namespace'),
    );
  });

  it('keeps duplicate keys and anchors on the full parser', () => {
    expect(parseYamlSource('a: 1\na: 2\n').issues[0].code).toBe('YAML_DUPLICATE_KEY');
    const anchored = parseYamlSource('a: &x { b: 1 }\nc: *x\n');
    expect(anchored.data).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });
});

describe.skipIf(!existsSync(path.join(SHARED, 'corpus')))(
  'fast path agrees with the full parser on the real corpus (needs ../shared)',
  () => {
    it('same data, same positions on a sample of files and pointers', () => {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (/\.ya?ml$/.test(e.name)) files.push(p);
        }
      };
      walk(path.join(SHARED, 'corpus'));
      let compared = 0;
      for (const f of files.filter((_, i) => i % 8 === 0)) {
        const text = readFileSync(f, 'utf8');
        const ref = parseDocument(text, { uniqueKeys: true });
        if (ref.errors.length) continue;
        const src = parseYamlSource(text);
        expect(src.data, f).toEqual(ref.toJS());
        for (const p of pointersOf(src.data)
          .filter((_, i) => i % 10 === 0)
          .slice(0, 15)) {
          expect(src.locate(p), `${f} ${p}`).toEqual(fullLocate(text, p));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(500);
    });
  },
);
