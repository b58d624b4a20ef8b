/**
 * An exception while planning is a capgate bug. The user sees which document or element could not
 * be planned and that it is ours to fix, never a JavaScript message; the exception (with its
 * stack) stays on the problem as a non-enumerable `cause` for whoever debugs it.
 */
import { describe, expect, it } from 'vitest';
import { parseDocumentText, type LoadedDocument } from '../../src/documents/load.ts';
import type { Problem } from '../../src/documents/problems.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { loadText, vpath, withCode } from '../documents/helpers.ts';

const JS_INTERNALS =
  /TypeError|RangeError|is not a function|Cannot read properties|intermediate value|undefined \(reading/;

const VALID = `naftiko: "1.0.0-alpha3"
info:
  label: Test
  description: Test capability.
capability:
  consumes:
    - namespace: things
      type: http
      baseUri: https://api.example.test
      resources:
        - name: thing
          path: /things/{id}
          operations:
            - name: get-thing
              method: GET
  exposes:
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: get-thing
          description: Get a thing.
          call: things.get-thing
          with: {id: '{{id}}'}
          inputParameters:
            - {name: id, type: string, description: The id.}
`;

/** The loaded valid document with one property of `capability` (or of its first adapter) throwing when read. */
function throwingAt(where: 'capability' | 'adapter'): LoadedDocument {
  const loaded = parseDocumentText(vpath('crash.yaml'), VALID);
  const doc = loaded.doc as unknown as { capability: Record<string, unknown> };
  const boom = new TypeError("Cannot read properties of undefined (reading 'kind')");
  const cap = doc.capability;
  if (where === 'capability')
    Object.defineProperty(cap, 'aggregates', {
      get() {
        throw boom;
      },
    });
  else
    Object.defineProperty((cap.exposes as Array<Record<string, unknown>>)[0], 'tools', {
      get() {
        throw boom;
      },
    });
  return loaded;
}

function expectUserTerms(p: Problem): void {
  expect(p.message).not.toMatch(JS_INTERNALS);
  expect(p.hint ?? '').not.toMatch(JS_INTERNALS);
  expect(p.message).toContain('capgate bug');
  expect(p.hint).toContain('report it');
}

function expectHiddenCause(p: Problem): void {
  expect(p.cause).toBeInstanceOf(TypeError);
  expect((p.cause as Error).stack).toContain('TypeError');
  expect(Object.keys(p)).not.toContain('cause');
  expect(JSON.stringify(p)).not.toMatch(JS_INTERNALS);
  expect({ ...p }).not.toHaveProperty('cause');
}

describe('internal errors while planning', () => {
  it('a crash planning a document is PLAN_FAILED in the user’s terms, the stack kept as a hidden cause', () => {
    const plan = buildPlan([throwingAt('capability')]);
    const [p] = withCode(plan.problems, 'PLAN_FAILED');
    expect(p).toBeDefined();
    expect(p.file).toBe('/virtual-capgate-tests/crash.yaml');
    expect(p.message).toContain('could not check and compile this capability');
    expectUserTerms(p);
    expectHiddenCause(p);
    expect(plan.invalidFiles.has(p.file)).toBe(true);
    expect(plan.capabilities).toEqual([]);
  });

  it('a crash compiling one element is ELEMENT_INVALID at that element, in the user’s terms', () => {
    const plan = buildPlan([throwingAt('adapter')], { partial: true });
    const [p] = withCode(plan.problems, 'ELEMENT_INVALID');
    expect(p.pointer).toBe('/capability/exposes/0');
    expect(p.line).toBe(17);
    expect(p.message).toContain('could not compile this element');
    expectUserTerms(p);
    expectHiddenCause(p);
  });

  it.each([
    ['binds is a mapping', 'binds: {a: 1}\ncapability: {consumes: [], exposes: []}\n'],
    ['exposes is a number', 'capability:\n  consumes: []\n  exposes: 5\n'],
    ['consumes is a mapping', 'capability:\n  binds: [null]\n  consumes: {}\n  exposes: []\n'],
  ])('schema-invalid lists (%s) give schema errors only, no JavaScript message', (_n, body) => {
    const { problems } = loadText(`naftiko: 1.0.0-alpha2\ninfo: {label: L, description: d}\n${body}`);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.code)).not.toContain('PLAN_FAILED');
    for (const p of problems) expect(`${p.message} ${p.hint ?? ''}`).not.toMatch(JS_INTERNALS);
  });
});
