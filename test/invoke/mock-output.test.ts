/**
 * Mock operations answer the declared value itself: a single unnamed output parameter is the result,
 * not `{"value": …}`; named parameters keep their names; static values take their declared types.
 */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../src/invoke/invoke.ts';
import { fakeDeps, fakeHttp, planFrom, restOp } from '../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/hello"
          operations:
            - method: GET
              inputParameters: [{ name: who, in: query, type: string, description: Name }]
              outputParameters:
                - { type: string, value: "Hello, {{who}}!" }
        - path: "/card"
          operations:
            - method: GET
              outputParameters:
                - type: object
                  properties:
                    name: { type: string, value: "Northern Star" }
                    built: { type: number, value: "2015" }
                    active: { type: boolean, value: "true" }
        - path: "/list"
          operations:
            - method: GET
              outputParameters:
                - type: array
                  items: { type: object, properties: { code: { type: string, value: A } } }
        - path: "/named"
          operations:
            - method: GET
              outputParameters:
                - { name: imo, type: string, value: IMO-9 }
                - { name: built, type: number, value: "2015" }
`;

async function run(path: string, params: Record<string, unknown> = {}) {
  const plan = planFrom(YAML);
  const http = fakeHttp();
  const result = await invoke(restOp(plan, 'GET', path), { params }, await fakeDeps(plan, http));
  expect(http.requests).toHaveLength(0);
  return result;
}

describe('mock outputs', () => {
  it('a single unnamed scalar is the value itself', async () => {
    expect(await run('/hello', { who: 'Ada' })).toEqual({
      status: 200,
      body: { kind: 'json', value: 'Hello, Ada!' },
    });
  });

  it('a single unnamed object is the object itself, typed as declared', async () => {
    expect((await run('/card')).body).toEqual({
      kind: 'json',
      value: { name: 'Northern Star', built: 2015, active: true },
    });
  });

  it('a single unnamed array is the array itself', async () => {
    expect((await run('/list')).body).toEqual({ kind: 'json', value: [{ code: 'A' }] });
  });

  it('named parameters keep their names', async () => {
    expect((await run('/named')).body).toEqual({ kind: 'json', value: { imo: 'IMO-9', built: 2015 } });
  });
});
