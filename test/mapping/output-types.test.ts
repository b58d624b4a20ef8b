/**
 * Output values and the outputSchema advertised for them always agree: static values take their
 * declared type, mapped values (also inside arrays) are read as their declared type, arrays describe
 * their items, and every tool result validates against the schema its tool advertises.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { createAjv } from '../../src/common/ajv.ts';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { applyMock, applyShape, compileOutputs, conform } from '../../src/mapping/output.ts';
import { shapeSchema } from '../../src/mapping/output-schema.ts';
import type { OutputParamSpec } from '../../src/documents/types.ts';
import { buildEndpoints } from '../../src/expose/mcp/index.ts';
import { runTool } from '../../src/expose/mcp/protocol/tool-call.ts';
import { fakeDeps, fakeHttp, planFrom } from '../helpers/plan.ts';

const shape = (params: unknown[]) => compileOutputs(params as OutputParamSpec[]);
const inputs = (scope: Record<string, unknown>) => (n: string) => scope[n];
const ajv = createAjv({ allErrors: true, strict: false });

/** Assert that `value` validates against `schema` (the Ajv errors are the failure message). */
function expectValid(schema: Record<string, unknown> | undefined, value: unknown): void {
  expect(schema).toBeDefined();
  const validate = ajv.compile(schema!);
  const ok = validate(value);
  expect(ok ? [] : validate.errors).toEqual([]);
}

describe('static values take their declared type', () => {
  const s = shape([
    {
      type: 'object',
      properties: {
        n: { type: 'number', value: 42 },
        t: { type: 'boolean', value: true },
        f: { type: 'boolean', value: 'false' },
        s: { type: 'number', value: '7' },
        i: { type: 'number', value: '{{count}}' },
        g: { type: 'string', value: 'Hello, {{who}}!' },
        o: { type: 'object', value: { a: 1 } },
        id: { type: 'string', mapping: '$.id' },
      },
    },
  ]);

  it('returns numbers and booleans, not their text', () => {
    const v = applyShape(s, { id: 'X' }, inputs({ count: 3, who: 'Ada' })).value;
    expect(v).toEqual({ n: 42, t: true, f: false, s: 7, i: 3, g: 'Hello, Ada!', o: { a: 1 }, id: 'X' });
  });

  it('advertises what it returns', () => {
    const schema = shapeSchema(s);
    expect(schema).toMatchObject({
      properties: { n: { type: 'number' }, t: { type: 'boolean' }, s: { type: 'number' }, o: { type: 'object' } },
    });
    expectValid(schema, applyShape(s, { id: 'X' }, inputs({ count: 3, who: 'Ada' })).value);
    // A templated number whose input cannot be read as one is null, which the schema allows.
    const odd = applyShape(s, {}, inputs({ count: 'many' })).value as Record<string, unknown>;
    expect(odd.i).toBeNull();
    expectValid(schema, odd);
  });
});

describe('mapped arrays', () => {
  const s = shape([
    {
      type: 'object',
      properties: {
        nums: { type: 'array', mapping: '$.nums', items: { type: 'number', mapping: '$' } },
        flags: { type: 'array', mapping: '$.flags', items: { type: 'boolean', mapping: '$.on' } },
        any: { type: 'array', mapping: '$.any' },
        rows: {
          type: 'array',
          mapping: '$.rows',
          items: { type: 'object', properties: { n: { type: 'number', mapping: '$.n' } } },
        },
      },
    },
  ]);
  const body = {
    nums: ['1', 2, '3.5', 'x'],
    flags: [{ on: 'true' }, { on: false }, {}],
    any: [1, 'a', null],
    rows: [{ n: '4' }, { n: 5 }],
  };

  it('reads each element as the declared item type', () => {
    expect(applyShape(s, body, () => undefined).value).toEqual({
      nums: [1, 2, 3.5, null],
      flags: [true, false, null],
      any: [1, 'a', null],
      rows: [{ n: 4 }, { n: 5 }],
    });
  });

  it('describes the items of each array', () => {
    const schema = shapeSchema(s) as { properties: Record<string, { items?: unknown }> };
    expect(schema.properties.nums.items).toEqual({ type: ['number', 'null'] });
    expect(schema.properties.flags.items).toEqual({ type: ['boolean', 'null'] });
    expect(schema.properties.rows.items).toMatchObject({ type: ['object', 'null'] });
    expectValid(schema, applyShape(s, body, () => undefined).value);
  });
});

describe('mapped scalars that do not match their declared type', () => {
  it('are read as that type when the reading is lossless, else null', () => {
    expect(conform(7, 'string')).toBe('7');
    expect(conform({ a: 1 }, 'string')).toBe('{"a":1}');
    expect(conform(' 42 ', 'number')).toBe(42);
    expect(conform('0x10', 'number')).toBeUndefined();
    expect(conform('yes', 'boolean')).toBeUndefined();
    expect(conform([1], 'object')).toBeUndefined();
    expect(conform('x', undefined)).toBe('x');
  });

  it('keep the object and its schema in agreement', () => {
    const s = shape([
      {
        type: 'object',
        properties: {
          a: { type: 'string', mapping: '$.a' },
          b: { type: 'number', mapping: '$.b' },
          c: { type: 'object', mapping: '$.c' },
          d: { type: 'boolean', mapping: '$.d' },
        },
      },
    ]);
    const v = applyShape(s, { a: 1, b: 'n/a', c: 'text', d: 2.5 }, () => undefined).value;
    expect(v).toEqual({ a: '1', b: null, c: null, d: null });
    expectValid(shapeSchema(s), v);
  });
});

describe('translated values', () => {
  it('are read as the declared type after translation, and the schema lists them', () => {
    const s = shape([
      {
        type: 'object',
        properties: {
          done: {
            type: 'boolean',
            mapping: '$.status',
            'x-capgate-translate': { map: { success: true, failure: 'true' }, default: false },
          },
          code: { type: 'string', mapping: '$.code', 'x-capgate-translate': { map: { '1': 'one' } } },
        },
      },
    ]);
    const schema = shapeSchema(s) as { properties: Record<string, unknown> };
    expect(schema.properties.done).toEqual({ enum: [true, false, null] });
    for (const body of [{ status: 'failure', code: 1 }, { status: 'running', code: 2 }, {}]) {
      const v = applyShape(s, body, () => undefined).value;
      expectValid(schema, v);
    }
    expect(applyShape(s, { status: 'failure', code: 1 }, () => undefined).value).toEqual({ done: true, code: 'one' });
    expect(applyShape(s, { status: 'running', code: 2 }, () => undefined).value).toEqual({ done: false, code: '2' });
  });
});

describe('a static value that is not of its declared type', () => {
  it('is returned as written, advertised as what it is, and warned about at load time', () => {
    const s = shape([{ type: 'object', properties: { n: { type: 'number', value: 'lots' } } }]);
    const v = applyShape(s, {}, () => undefined).value;
    expect(v).toEqual({ n: 'lots' });
    expectValid(shapeSchema(s), v);
    const yaml = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/n"
          operations:
            - method: GET
              outputParameters:
                - { name: n, type: number, value: lots }
`;
    const plan = buildPlan([parseDocumentText(path.resolve('typed.yaml'), yaml)]);
    expect(plan.problems.map((p) => [p.code, p.severity, p.pointer, p.line])).toEqual([
      ['OUTPUT_VALUE_TYPE', 'warning', '/capability/exposes/0/resources/0/operations/0/outputParameters/0/value', 12],
    ]);
  });
});

describe('mock values', () => {
  it('take their declared types too', () => {
    const s = shape([
      { name: 'built', type: 'number', value: '2015' },
      { name: 'ok', type: 'boolean', value: true },
    ]);
    expect(applyMock(s, () => undefined)).toEqual({ built: 2015, ok: true });
  });
});

const TOOLS = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://up.test"
      resources:
        - name: thing
          path: "/thing"
          operations:
            - { name: get, method: GET }
  exposes:
    - type: mcp
      namespace: shapes
      port: 9100
      tools:
        - name: static-typed
          description: Static values of every scalar type
          call: up.get
          outputParameters:
            - type: object
              properties:
                answer: { type: number, value: 42 }
                ratio: { type: number, value: "0.5" }
                live: { type: boolean, value: true }
                label: { type: string, value: "fixed" }
                id: { type: string, mapping: "$.id" }
        - name: arrays
          description: Arrays of numbers, of objects and untyped
          call: up.get
          outputParameters:
            - type: object
              properties:
                scores: { type: array, mapping: "$.scores", items: { type: number, mapping: "$." } }
                people:
                  type: array
                  mapping: "$.people"
                  items:
                    type: object
                    properties:
                      name: { type: string, mapping: "$.n" }
                      age: { type: number, mapping: "$.a" }
                tags: { type: array, mapping: "$.tags" }
        - name: nested
          description: Nested objects, missing values and a translated status
          call: up.get
          outputParameters:
            - type: object
              properties:
                id: { type: string, mapping: "$.id" }
                count: { type: number, mapping: "$.count" }
                owner:
                  type: object
                  mapping: "$.owner"
                  properties:
                    name: { type: string, mapping: "$.name" }
                    active: { type: boolean, mapping: "$.active" }
                missing:
                  type: object
                  mapping: "$.nothing"
                  properties: { x: { type: string, mapping: "$.x" } }
                status:
                  type: string
                  mapping: "$.status"
                  x-capgate-translate: { map: { ok: succeeded, bad: failed }, default: pending }
`;

const UPSTREAM = JSON.stringify({
  id: 17,
  scores: ['1.5', 2, 'n/a'],
  people: [
    { n: 'Ada', a: '36' },
    { n: 'Bob', a: 40.5 },
  ],
  tags: ['a', 1],
  count: '12',
  owner: { name: 'Ops', active: 'true' },
  status: 'weird',
});

const EXPECTED: Record<string, unknown> = {
  'static-typed': { answer: 42, ratio: 0.5, live: true, label: 'fixed', id: '17' },
  arrays: {
    scores: [1.5, 2, null],
    people: [
      { name: 'Ada', age: 36 },
      { name: 'Bob', age: 40.5 },
    ],
    tags: ['a', 1],
  },
  nested: { id: '17', count: 12, owner: { name: 'Ops', active: true }, missing: null, status: 'pending' },
};

describe('MCP tool results validate against the outputSchema each tool advertises', () => {
  it.each(Object.keys(EXPECTED))('%s', async (name) => {
    const plan = planFrom(TOOLS);
    const deps = await fakeDeps(
      plan,
      fakeHttp(() => ({ body: UPSTREAM })),
    );
    const [endpoint] = buildEndpoints(
      plan.mcp.flatMap((s) => s.adapters),
      deps,
    );
    const tool = endpoint.tools.find((t) => t.name === name)!;
    const result = await runTool(tool, {}, { signal: new AbortController().signal }, 'legacy');
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual(EXPECTED[name]);
    expectValid(tool.outputSchema, result.structuredContent);
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(result.structuredContent);
  });
});
