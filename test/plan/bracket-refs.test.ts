/**
 * `with` references whose input name has brackets (JSON:API style `page[number]`): `rest.page[number]` is a
 * reference to the input named `page[number]`, never text sent upstream. It resolves when such an input exists
 * (declared, in a literal MCP input schema, or read implicitly from the request); otherwise the file does not
 * load, with the `with` entry located and a hint.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { invoke } from '../../src/invoke/invoke.ts';
import { fakeDeps, fakeHttp, planFrom, restOp } from '../helpers/plan.ts';

const CONSUMES = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: articles
      type: http
      baseUri: "http://up.test"
      resources:
        - name: list
          path: "/articles"
          operations:
            - name: list-articles
              method: GET
              inputParameters:
                - { name: "page[number]", in: query }
                - { name: "page[size]", in: query }
  exposes:
`;

function rest(op: string): string {
  return `${CONSUMES}    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/articles"
          operations:
            - method: GET
              call: articles.list-articles
${op}`;
}

function mcp(tool: string): string {
  return `${CONSUMES}    - type: mcp
      port: 9090
      namespace: news
      tools:
        - name: list-articles
          description: List articles
          call: articles.list-articles
${tool}`;
}

function problemsOf(yaml: string) {
  const plan = buildPlan([parseDocumentText(path.resolve('bracket-refs.yaml'), yaml)]);
  return plan.problems.filter((p) => p.severity === 'error');
}

async function upstreamQuery(yaml: string, params: Record<string, unknown>): Promise<string> {
  const plan = planFrom(yaml);
  const http = fakeHttp();
  await invoke(restOp(plan, 'GET', '/articles'), { params }, await fakeDeps(plan, http));
  expect(http.requests).toHaveLength(1);
  const url = new URL(http.requests[0].url);
  expect(decodeURIComponent(url.search)).not.toContain('rest.');
  return decodeURIComponent(url.search);
}

describe('rest.page[number]', () => {
  it('resolves to a declared input named page[number]', async () => {
    const yaml = rest(`              inputParameters:
                - { name: "page[number]", in: query, type: integer, description: Page }
              with:
                "page[number]": "rest.page[number]"
`);
    expect(await upstreamQuery(yaml, { 'page[number]': 3 })).toBe('?page[number]=3');
  });

  it('reads the request value when the operation declares no inputs, and sends nothing when it is absent', async () => {
    const yaml = rest(`              with:
                "page[number]": "rest.page[number]"
`);
    expect(await upstreamQuery(yaml, { 'page[number]': '2' })).toBe('?page[number]=2');
    expect(await upstreamQuery(yaml, {})).toBe('');
  });

  it('is a located load error when no input has that name', () => {
    const yaml = rest(`              inputParameters:
                - { name: pageNumber, in: query, type: integer, description: Page }
              with:
                "page[number]": "rest.page[number]"
`);
    const [p] = problemsOf(yaml);
    expect(p).toMatchObject({
      code: 'WITH_UNKNOWN_INPUT',
      pointer: '/capability/exposes/0/resources/0/operations/0/with/page[number]',
    });
    expect(p.line).toBeGreaterThan(0);
    expect(p.message).toContain("'rest.page[number]'");
    expect(p.hint).toMatch(/pageNumber|page\[number\]/);
  });
});

describe('tools.page[number]', () => {
  it('resolves to a property of a literal input schema', async () => {
    const yaml = mcp(`          inputSchema:
            type: object
            properties: { "page[number]": { type: integer } }
          with:
            "page[number]": "tools.page[number]"
`);
    expect(problemsOf(yaml)).toEqual([]);
    const plan = planFrom(yaml);
    const http = fakeHttp();
    const op = plan.mcp[0].adapters[0].tools[0].operation;
    await invoke(op, { params: { 'page[number]': 4 } }, await fakeDeps(plan, http));
    expect(decodeURIComponent(new URL(http.requests[0].url).search)).toBe('?page[number]=4');
  });

  it('is a located load error when no declared input has that name', () => {
    const yaml = mcp(`          inputParameters:
            - { name: page, type: integer, description: Page }
          with:
            "page[number]": "tools.page[number]"
`);
    const [p] = problemsOf(yaml);
    expect(p).toMatchObject({
      code: 'WITH_UNKNOWN_INPUT',
      pointer: '/capability/exposes/0/tools/0/with/page[number]',
    });
    expect(p.hint).toBeTruthy();
  });
});
