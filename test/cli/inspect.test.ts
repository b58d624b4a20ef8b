/** `capgate inspect`: the merged topology `serve` would serve, as text and JSON; no port opens. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTopology, inspectPlan, runInspect } from '../../src/cli/inspect.ts';
import { planFrom } from '../helpers/plan.ts';

const CAPABILITIES = path.resolve(import.meta.dirname, '../../capabilities');
const INVALID = path.resolve(import.meta.dirname, '../fixtures/capabilities/cli/invalid-unknown-operation.yaml');

const YAML = `naftiko: "1.0.0-alpha2"
info: { label: Fleet, description: ships }
capability:
  consumes:
    - namespace: fleet
      type: http
      baseUri: "https://fleet.example.test/v1"
      resources:
        - name: ship
          path: "/ships/{{imo}}"
          operations:
            - { name: get-ship, method: GET }
        - name: crew
          path: "/crew"
          operations:
            - { name: list-crew, method: GET }
  exposes:
    - type: rest
      port: 8181
      namespace: api
      resources:
        - path: "/ships/{imo}"
          operations:
            - { method: GET, call: fleet.get-ship, with: { imo: api.imo } }
        - path: "/steps/{imo}"
          operations:
            - method: GET
              steps:
                - { type: call, name: ship, call: fleet.get-ship, with: { imo: "{{imo}}" } }
                - { type: call, name: roster, call: fleet.list-crew }
              mappings:
                - { targetName: ship, value: "$.ship" }
        - path: "/hello"
          operations:
            - method: GET
              outputParameters:
                - { name: greeting, type: string, value: "Hi" }
        - path: "/proxy/{path}"
          forward: { targetNamespace: fleet }
    - type: mcp
      port: 9191
      namespace: tools
      tools:
        - name: get-ship
          description: One ship
          call: fleet.get-ship
          with: { imo: tools.imo }
          inputParameters:
            - { name: imo, type: string, required: true, description: IMO number }
            - { name: verbose, type: boolean, required: false, description: more }
`;

async function inspect(paths: string[], opts: Partial<Parameters<typeof runInspect>[1]> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runInspect(paths, {
    json: false,
    partial: false,
    upstreams: [],
    env: {},
    ...opts,
    write: (l) => out.push(l),
    log: (l) => err.push(l),
  });
  return { code, out, err };
}

describe('inspectPlan', () => {
  const plan = planFrom(YAML, path.resolve('fleet.yaml'));

  it('lists each REST port with its routes: method, path, capability file, upstream operation or forward target', () => {
    const t = inspectPlan(plan, {});
    expect(t.rest).toHaveLength(1);
    const [rest] = t.rest;
    expect(rest).toMatchObject({ port: 8181, host: '127.0.0.1', url: 'http://127.0.0.1:8181' });
    expect(rest.routes.map((r) => [r.method, r.path, r.capability, r.file, r.target])).toEqual([
      ['GET', '/ships/{imo}', 'fleet', 'fleet.yaml', { kind: 'call', operation: 'fleet.get-ship' }],
      [
        'GET',
        '/steps/{imo}',
        'fleet',
        'fleet.yaml',
        { kind: 'steps', operations: ['fleet.get-ship', 'fleet.list-crew'] },
      ],
      ['GET', '/hello', 'fleet', 'fleet.yaml', { kind: 'mock' }],
      [
        '*',
        '/proxy/{path}',
        'fleet',
        'fleet.yaml',
        { kind: 'forward', namespace: 'fleet', url: 'https://fleet.example.test/v1' },
      ],
    ]);
  });

  it('lists each MCP port with its tools and their inputs', () => {
    const [mcp] = inspectPlan(plan, {}).mcp;
    expect(mcp).toMatchObject({ port: 9191, host: '127.0.0.1', url: 'http://127.0.0.1:9191/mcp' });
    expect(mcp.tools).toEqual([
      {
        name: 'get-ship',
        capability: 'fleet',
        file: 'fleet.yaml',
        target: { kind: 'call', operation: 'fleet.get-ship' },
        inputs: [
          { name: 'imo', type: 'string', required: true },
          { name: 'verbose', type: 'boolean', required: false },
        ],
      },
    ]);
  });

  it('applies what serve would: port and host overrides merge adapters, --upstream moves a forward target', () => {
    const t = inspectPlan(plan, {
      restPort: 0,
      mcpPort: 7000,
      host: '0.0.0.0',
      overrides: new Map([['fleet', 'http://localhost:4000']]),
    });
    expect(t.rest[0]).toMatchObject({ port: 0, host: '0.0.0.0', url: null });
    expect(t.mcp[0]).toMatchObject({ port: 7000, host: '0.0.0.0', url: 'http://0.0.0.0:7000/mcp' });
    expect(t.rest[0].routes.at(-1)!.target).toEqual({
      kind: 'forward',
      namespace: 'fleet',
      url: 'http://localhost:4000',
    });
  });

  it('formats a readable table: a line per listener, then its routes or tools in aligned columns', () => {
    expect(formatTopology(inspectPlan(plan, {}))).toEqual([
      'REST http://127.0.0.1:8181  (4 routes)',
      '  GET  /ships/{imo}   fleet.yaml  → fleet.get-ship',
      '  GET  /steps/{imo}   fleet.yaml  → steps fleet.get-ship, fleet.list-crew',
      '  GET  /hello         fleet.yaml  → mock (no upstream)',
      '  *    /proxy/{path}  fleet.yaml  → forward fleet (https://fleet.example.test/v1)',
      'MCP http://127.0.0.1:9191/mcp  (1 tools)',
      '  get-ship  fleet.yaml  imo*: string, verbose: boolean',
    ]);
    expect(formatTopology(inspectPlan(plan, { restPort: 0 }))[0]).toBe(
      'REST port 0 on 127.0.0.1 (any free port)  (4 routes)',
    );
  });
});

describe('runInspect', () => {
  it('the bundled capabilities: REST on 8080, MCP on 9090, as JSON; exit 0', async () => {
    const { code, out } = await inspect([CAPABILITIES], { json: true });
    expect(code).toBe(0);
    const t = JSON.parse(out.join('\n'));
    expect(t.rest.map((s: { port: number }) => s.port)).toEqual([8080]);
    expect(t.mcp.map((s: { port: number }) => s.port)).toEqual([9090]);
    expect(t.rest[0].routes).toContainEqual({
      method: 'GET',
      path: '/operations/bctrl/{operationId}',
      capability: 'operations',
      file: 'capabilities/operations.yaml',
      adapter: 'operations-rest',
      target: { kind: 'call', operation: 'bctrl.get-operation' },
    });
    const wait = t.mcp[0].tools.find((x: { name: string }) => x.name === 'bctrl-wait-for-operation');
    expect(wait.inputs).toEqual([
      { name: 'id', type: 'string', required: true },
      { name: 'maxWaitSeconds', type: 'number', required: false },
    ]);
    expect(t.files).toEqual({ loaded: 5, invalid: [], missing: [] });
  });

  it('a file with errors is left out as serve would, named on stderr, exit 1', async () => {
    const { code, out, err } = await inspect([INVALID, 'no/such.yaml'], { json: true });
    expect(code).toBe(1);
    const t = JSON.parse(out.join('\n'));
    expect(t.rest).toEqual([]);
    expect(t.files.invalid).toEqual([path.relative(process.cwd(), INVALID)]);
    expect(t.files.missing).toEqual(['no/such.yaml']);
    expect(err.join('\n')).toContain('not served (use --partial to serve their valid parts)');
    expect(err.join('\n')).toContain('no/such.yaml: error FILE_NOT_FOUND');
  });
});
