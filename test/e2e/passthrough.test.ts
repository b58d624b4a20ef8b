/**
 * End to end: the vendor-shaped REST routes of the bundled capabilities answer with the vendor's
 * JSON body unchanged, as the seed capability did (`mapping: $.`): a field the vendor adds later
 * reaches REST clients, and a field the vendor leaves out is not invented as `null`. The MCP tools
 * of the same operations keep their typed structuredContent, valid against their outputSchema.
 * A test upstream between the gateway and the simulator adds an unknown field to every object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';
import { startMockUpstream } from '../helpers/mock-upstream.ts';
import { createAjv } from '../../src/common/ajv.ts';
import {
  AMBA_PROJECT_ID,
  AMPERSAND_INSTALLATION_ID as INSTALLATION,
  AMPERSAND_INTEGRATION_ID as INTEGRATION,
  AMPERSAND_PROJECT,
} from '../../src/simulator/index.ts';

const FUTURE = 'x_added_by_vendor_later';
const PROJECT = AMPERSAND_PROJECT.name;
const AMPERSAND_OP = '3efc0f0f-4bb9-498f-996c-9893d98ca4b5';
const AMBA_OP = '3c6d0f4a-9e5b-4c1a-98fa-6e4a2b0c8d5f';
const CHAINLOOP_OP = 'd4f6b8c0-5e7a-4c9d-9f3b-4a6c8d0e2f5b';
const BCTRL_OP = 'b5a69788-7584-4c3d-8a59-e8f7a6b5c4d3';
const BCTRL_LIVE = 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9';
const installation = `/v1/projects/${PROJECT}/integrations/${INTEGRATION}/installations/${INSTALLATION}`;

/** Every JSON object in `v` gets the unknown field. */
function addFuture(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(addFuture);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = addFuture(x);
    out[FUTURE] = { since: 'v2' };
    return out;
  }
  return v;
}

let s: Stack;
/** The last body the vendor (simulator + unknown fields) sent, by upstream path. */
const sent = new Map<string, unknown>();
let outputSchemas: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  s = await startStack(undefined, {
    async between(simUrl) {
      return startMockUpstream({
        async catchAll(req) {
          const res = await fetch(`${simUrl}${req.path}${req.query ? `?${req.query}` : ''}`, {
            headers: { authorization: req.headers.authorization ?? '' },
          });
          const body = addFuture(await res.json());
          if (res.ok) sent.set(req.path, body);
          return { status: res.status, json: body, headers: { 'content-type': res.headers.get('content-type')! } };
        },
      });
    },
  });
  const { tools } = await s.mcp.listTools();
  outputSchemas = new Map(tools.flatMap((t) => (t.outputSchema ? [[t.name, t.outputSchema]] : [])));
});
afterAll(async () => {
  await s?.close();
});

/** The tool's structuredContent: valid against its listed outputSchema and free of the unknown top-level field. */
async function typedTool(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await s.call(name, args);
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  const schema = outputSchemas.get(name);
  expect(schema, `${name} lists an outputSchema`).toBeDefined();
  const validate = createAjv({ strict: false }).compile(schema!);
  expect(validate(r.structuredContent), JSON.stringify(validate.errors)).toBe(true);
  expect(r.structuredContent).not.toHaveProperty(FUTURE);
  return r.structuredContent;
}

describe('vendor REST routes pass the vendor body through; MCP stays typed', () => {
  it.each([
    ['ampersand get operation', `/v1/projects/${PROJECT}/operations/${AMPERSAND_OP}`],
    ['ampersand list operations', `${installation}/operations?pageSize=2`],
    ['ampersand backfill progress', `${installation}/objects/lead/backfill-progress`],
    ['ampersand operation logs', `/v1/projects/${PROJECT}/operations/${AMPERSAND_OP}/logs`],
    ['amba get operation', `/amba/projects/${AMBA_PROJECT_ID}/operations/${AMBA_OP}`],
    ['amba list operations', `/amba/projects/${AMBA_PROJECT_ID}/operations?limit=2`],
    ['chainloop get operation', `/chainloop/operations/${CHAINLOOP_OP}`],
    ['bctrl get operation', `/bctrl/operations/${BCTRL_OP}`],
  ])('%s: the REST body is exactly what the vendor sent, unknown fields included', async (_name, route) => {
    sent.clear();
    const rest = await s.get(route);
    expect(rest.status).toBe(200);
    expect(sent.size).toBe(1);
    const [vendorBody] = sent.values();
    expect(rest.body).toEqual(vendorBody);
    expect(JSON.stringify(rest.body)).toContain(FUTURE);
  });

  it('fields the vendor leaves out stay out on REST, while the MCP tool reports them as null', async () => {
    // Ampersand sends metadata.retry only after retries; this operation had none.
    const rest = await s.get(`/v1/projects/${PROJECT}/operations/${AMPERSAND_OP}`);
    expect(rest.body.metadata).not.toHaveProperty('retry');
    const tool = await typedTool('ampersand-get-operation', { projectIdOrName: PROJECT, operationId: AMPERSAND_OP });
    expect(tool).toMatchObject({ id: AMPERSAND_OP, status: 'success', metadata: { retry: null } });
  });

  it.each([
    ['ampersand-get-operation', { projectIdOrName: PROJECT, operationId: AMPERSAND_OP }],
    [
      'ampersand-list-operations',
      { projectIdOrName: PROJECT, integrationId: INTEGRATION, installationId: INSTALLATION, pageSize: 2 },
    ],
    [
      'ampersand-get-backfill-progress',
      { projectIdOrName: PROJECT, integrationId: INTEGRATION, installationId: INSTALLATION, objectName: 'lead' },
    ],
    ['ampersand-list-logs-operation', { projectIdOrName: PROJECT, operationId: AMPERSAND_OP }],
    ['amba-get-operation', { projectId: AMBA_PROJECT_ID, operationId: AMBA_OP }],
    ['amba-list-operations', { projectId: AMBA_PROJECT_ID, limit: 2 }],
    ['chainloop-get-operation', { operation_id: CHAINLOOP_OP }],
    ['bctrl-get-operation', { id: BCTRL_OP }],
  ])('%s keeps typed structuredContent matching its outputSchema', async (name, args) => {
    await typedTool(name, args);
  });

  it('REST Prefer: wait returns the settled vendor body plus done, unknown fields included', async () => {
    s.sim.reset();
    const r = await s.get(`/bctrl/operations/${BCTRL_LIVE}`, { prefer: 'wait=10' });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('wait=10');
    expect(r.body).toEqual({ ...(sent.get(`/bctrl/v1/operations/${BCTRL_LIVE}`) as object), done: true });
    expect(r.body).toHaveProperty(FUTURE);
  });

  it('the normalised operations.yaml model stays typed on REST', async () => {
    const r = await s.get(`/operations/bctrl/${BCTRL_OP}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ provider: 'bctrl', id: BCTRL_OP });
    expect(r.body).not.toHaveProperty(FUTURE);
  });
});
