import { describe, expect, it } from 'vitest';
import { applyMock, applyShape, conform, compileOutputs, hasStaticValues } from '../../src/mapping/output.ts';
import { shapeSchema } from '../../src/mapping/output-schema.ts';
import type { OutputParamSpec } from '../../src/documents/types.ts';

const none = () => undefined;
const shape = (params: unknown[]) => compileOutputs(params as OutputParamSpec[]);

describe('applyShape (simple mode)', () => {
  it('the first parameter that yields a value wins', () => {
    const s = shape([
      { type: 'string', mapping: '$.missing' },
      { type: 'string', mapping: '$.name' },
      { type: 'string', mapping: '$.other' },
    ]);
    expect(applyShape(s, { name: 'N', other: 'O' }, none)).toEqual({ matched: true, value: 'N' });
  });

  it('reports no match when nothing yields a value (the caller turns this into MAPPING_FAILED)', () => {
    expect(applyShape(shape([{ type: 'array', mapping: '$.nope' }]), { a: 1 }, none)).toEqual({
      matched: false,
      value: undefined,
    });
  });

  it('an object always yields an object; absent leaves are null; numbers stay numbers', () => {
    const s = shape([
      {
        type: 'object',
        properties: { a: { type: 'number', mapping: '$.x' }, b: { type: 'string', mapping: '$.nope' } },
      },
    ]);
    expect(applyShape(s, { x: 5 }, none).value).toEqual({ a: 5, b: null });
  });

  it('arrays map each element relative to itself; a single object becomes a one-item array', () => {
    const s = shape([
      {
        type: 'array',
        mapping: '$.v',
        items: { type: 'object', properties: { c: { type: 'string', mapping: '$.code' } } },
      },
    ]);
    expect(applyShape(s, { v: [{ code: 'A' }, { code: 'B' }] }, none).value).toEqual([{ c: 'A' }, { c: 'B' }]);
    expect(applyShape(s, { v: { code: 'B' } }, none).value).toEqual([{ c: 'B' }]);
  });

  it('`$` alone is a pass-through', () => {
    const s = shape([{ type: 'object', mapping: '$.' }]);
    expect(s.passthrough).toBe(true);
    expect(applyShape(s, { any: [1] }, none).value).toEqual({ any: [1] });
  });

  it('reads values as the declared type; what cannot be read as it yields nothing', () => {
    expect(conform('42', 'number')).toBe(42);
    expect(conform('4.5', 'number')).toBe(4.5);
    expect(conform('true', 'boolean')).toBe(true);
    expect(conform('abc', 'number')).toBeUndefined();
    expect(conform('', 'number')).toBeUndefined();
    expect(conform(7, 'string')).toBe('7');
    expect(conform(null, 'number')).toBeNull();
  });

  it('translates values with a map and a default', () => {
    const s = shape([
      { type: 'string', mapping: '$.s', 'x-capgate-translate': { map: { a: 'Alpha' }, default: 'other' } },
    ]);
    expect(applyShape(s, { s: 'a' }, none).value).toBe('Alpha');
    expect(applyShape(s, { s: 'z' }, none).value).toBe('other');
  });
});

describe('applyMock', () => {
  it('renders static values over the inputs, keyed by name or `value`, each read as its declared type', () => {
    const s = shape([
      { name: 'imo', type: 'string', value: '{{imo}}' },
      { name: 'built', type: 'number', value: '2015' },
      { type: 'string', value: 'Hello, {{who}}!' },
    ]);
    expect(hasStaticValues(s)).toBe(true);
    const inputs = (n: string) => ({ imo: 'IMO-9', who: 'Ada' })[n];
    expect(applyMock(s, inputs)).toEqual({ imo: 'IMO-9', built: 2015, value: 'Hello, Ada!' });
  });

  it('has nothing to mock when no parameter carries a value', () => {
    expect(hasStaticValues(shape([{ type: 'string', mapping: '$.x' }]))).toBe(false);
  });
});

describe('shapeSchema', () => {
  it('describes a single object shape; mapped leaves may be null', () => {
    const schema = shapeSchema(shape([{ type: 'object', properties: { n: { type: 'number', mapping: '$.n' } } }]));
    expect(schema).toMatchObject({ type: 'object', properties: { n: { type: ['number', 'null'] } } });
  });

  it('promises nothing for several parameters or a non-object', () => {
    expect(
      shapeSchema(
        shape([
          { type: 'string', mapping: '$.a' },
          { type: 'string', mapping: '$.b' },
        ]),
      ),
    ).toBeUndefined();
    expect(shapeSchema(shape([{ type: 'array', mapping: '$.a' }]))).toBeUndefined();
  });
});
