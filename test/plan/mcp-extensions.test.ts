/**
 * capgate's MCP declarations are checked when a file is planned: a mistake in x-capgate-content, x-capgate-ask,
 * x-capgate-complete or x-mcp-header is a located error (code, JSON pointer, line) and never reaches a request.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';

function problemsOf(tools: string, resources = ''): Array<{ code: string; pointer: string; line?: number }> {
  const yaml = `naftiko: 1.0.0-alpha2
info: { label: t, description: t }
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://up.invalid
      resources:
        - name: all
          path: /
          operations:
            - { name: get, method: GET, path: /x }
  exposes:
    - type: mcp
      namespace: m
      port: 9090
      tools:
${tools}
${resources}`;
  const plan = buildPlan([parseDocumentText(path.resolve('mcp-extensions.yaml'), yaml)]);
  return plan.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({ code: p.code, pointer: p.pointer, line: p.line }));
}

describe('x-mcp-header', () => {
  const tool = (params: string) => `        - name: t
          description: t
          call: up.get
          inputParameters:
${params}`;

  it('is accepted on string, integer and boolean arguments', () => {
    expect(
      problemsOf(
        tool(`            - { name: a, type: string, description: a, x-mcp-header: A }
            - { name: b, type: integer, description: b, x-mcp-header: B }
            - { name: c, type: boolean, description: c, x-mcp-header: C }`),
      ),
    ).toEqual([]);
  });

  it('is refused on a number argument, with a name that is not a header token, and twice regardless of case', () => {
    const problems = problemsOf(
      tool(`            - { name: a, type: number, description: a, x-mcp-header: A }
            - { name: b, type: string, description: b, x-mcp-header: 'Bad Name' }
            - { name: c, type: string, description: c, x-mcp-header: Region }
            - { name: d, type: string, description: d, x-mcp-header: REGION }`),
    );
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ['MCP_HEADER_INVALID', '/capability/exposes/0/tools/0/inputParameters/0/x-mcp-header'],
      ['MCP_HEADER_INVALID', '/capability/exposes/0/tools/0/inputParameters/1/x-mcp-header'],
      ['MCP_HEADER_INVALID', '/capability/exposes/0/tools/0/inputParameters/3/x-mcp-header'],
    ]);
    expect(problems.every((p) => typeof p.line === 'number' && p.line > 0)).toBe(true);
  });
});

describe('x-capgate-content', () => {
  it('an image taken from a value of the answer needs a mimeType', () => {
    const problems = problemsOf(`        - name: t
          description: t
          call: up.get
          x-capgate-content: [{ type: image, from: $.png }]`);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'MCP_CONTENT_INVALID',
        pointer: '/capability/exposes/0/tools/0/x-capgate-content/0',
      }),
    ]);
  });

  it('a resource block needs a uri (schema)', () => {
    const problems = problemsOf(`        - name: t
          description: t
          call: up.get
          x-capgate-content: { type: resource }`);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].pointer).toMatch(/^\/capability\/exposes\/0\/tools\/0\/x-capgate-content/);
  });
});

describe('x-capgate-ask', () => {
  it('refuses a form field that is not a primitive, and a reserved or repeated question key', () => {
    const problems = problemsOf(`        - name: t
          description: t
          call: up.get
          x-capgate-ask:
            questions:
              - { key: a, message: m, properties: { x: { type: object } } }
              - { key: confirm_call, message: m, properties: { y: { type: string } } }`);
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ['MCP_ASK_INVALID', '/capability/exposes/0/tools/0/x-capgate-ask/questions/0/properties/x'],
      ['MCP_ASK_INVALID', '/capability/exposes/0/tools/0/x-capgate-ask/questions/1/key'],
    ]);
  });

  it('refuses a question whose answers the tool input schema would reject (additionalProperties: false)', () => {
    const ask = `
          x-capgate-ask:
            questions:
              - { key: why, message: m, properties: { reason: { type: string }, note: { type: string } } }`;
    const closed = problemsOf(`        - name: t
          description: t
          call: up.get
          inputSchema: { type: object, properties: { note: { type: string } }, additionalProperties: false }${ask}`);
    expect(closed.map((p) => [p.code, p.pointer])).toEqual([
      ['MCP_ASK_INVALID', '/capability/exposes/0/tools/0/x-capgate-ask/questions/0/properties/reason'],
    ]);
    // An open schema takes the answered fields as arguments.
    const open = problemsOf(`        - name: t
          description: t
          call: up.get
          inputSchema: { type: object, properties: { note: { type: string } } }${ask}`);
    expect(open).toEqual([]);
  });
});

describe('x-capgate-complete', () => {
  it('names a variable of the resource URI template', () => {
    const problems = problemsOf(
      `        - name: t
          description: t
          call: up.get`,
      `      resources:
        - name: r
          label: r
          uri: m://items/{id}
          description: r
          call: up.get
          x-capgate-complete:
            name: { values: [a] }`,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'MCP_COMPLETE_INVALID',
        pointer: '/capability/exposes/0/resources/0/x-capgate-complete/name',
      }),
    ]);
  });
});
