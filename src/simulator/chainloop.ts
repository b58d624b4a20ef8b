/**
 * @module simulator/chainloop — Chainloop AsyncOperationsService GetOperation, an evidence evaluation that starts an
 * async operation, with gRPC-status JSON errors.
 */

import { Hono } from 'hono';
import type { Phase } from './lifecycle.ts';
import { bearerToken, isUuid, type VendorContext } from './context.ts';
import {
  CHAINLOOP_OPERATIONS,
  CHAINLOOP_PROJECT_ID,
  CHAINLOOP_PROJECT_VERSION_ID,
  type ChainloopFixture,
} from './fixtures.ts';
import { newOperationId, startedAt, type StartedOperations } from './started.ts';
import { DEFAULT_RUNNING_MS } from './lifecycle.ts';

/** gRPC status codes used by the documented error bodies. */
const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, UNAUTHENTICATED: 16 } as const;

const STATUS: Record<Phase, string> = {
  pending: 'ASYNC_OPERATION_STATUS_PENDING',
  running: 'ASYNC_OPERATION_STATUS_RUNNING',
  succeeded: 'ASYNC_OPERATION_STATUS_COMPLETED',
  failed: 'ASYNC_OPERATION_STATUS_FAILED',
  cancelled: 'ASYNC_OPERATION_STATUS_FAILED',
  timed_out: 'ASYNC_OPERATION_STATUS_FAILED',
};

function grpcError(httpStatus: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ code, message, details: [] }), {
    status: httpStatus,
    headers: { 'content-type': 'application/json' },
  });
}

function operationView(ctx: VendorContext, f: ChainloopFixture): Record<string, unknown> {
  const s = ctx.snapshot(f.id, f.schedule);
  const completed = s.phase === 'succeeded';
  const failed = s.finishedAt !== undefined && !completed;
  // Unset timestamps are omitted, as protobuf JSON does for unset messages; strings stay present.
  return {
    id: f.id,
    kind: f.kind,
    status: STATUS[s.phase],
    output: completed && f.output ? Buffer.from(JSON.stringify(f.output)).toString('base64') : '',
    error_message: failed ? (f.errorMessage ?? 'operation failed') : '',
    created_at: ctx.clock.iso(s.createdAt),
    ...(s.startedAt !== undefined ? { started_at: ctx.clock.iso(s.startedAt) } : {}),
    ...(s.finishedAt !== undefined ? { finished_at: ctx.clock.iso(s.finishedAt) } : {}),
    resource_id: f.resourceId,
    resource_type: f.resourceType,
    project_id: CHAINLOOP_PROJECT_ID,
    project_version_id: CHAINLOOP_PROJECT_VERSION_ID,
  };
}

/** Router for everything under `<sim>/chainloop`. */
export function chainloopRoutes(ctx: VendorContext, started: StartedOperations<ChainloopFixture>): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (bearerToken(c.req.raw.headers) !== ctx.token) {
      return grpcError(401, GRPC.UNAUTHENTICATED, 'unauthenticated: missing or invalid bearer token');
    }
    await next();
  });

  app.get('/v1/operations/:operation_id', (c) => {
    const id = c.req.param('operation_id');
    if (!isUuid(id)) return grpcError(400, GRPC.INVALID_ARGUMENT, 'invalid operation_id: must be a UUID');
    const f = CHAINLOOP_OPERATIONS.find((op) => op.id === id.toLowerCase()) ?? started.find(id);
    if (!f) return grpcError(404, GRPC.NOT_FOUND, 'async operation not found');
    return c.json({ operation: operationView(ctx, f) });
  });

  // Evaluating evidence runs as an async operation; the answer is that operation, still pending. Evidence whose id
  // starts with 0000 cannot be parsed, so its evaluation fails.
  app.post('/v1/evidence/:resource_id/evaluate', (c) => {
    const resourceId = c.req.param('resource_id');
    if (!isUuid(resourceId)) return grpcError(400, GRPC.INVALID_ARGUMENT, 'invalid resource_id: must be a UUID');
    const fails = resourceId.startsWith('0000');
    const op = started.add({
      id: newOperationId(),
      kind: 'evidence_evaluation',
      schedule: startedAt(ctx.clock.elapsed(), DEFAULT_RUNNING_MS, fails ? 'failed' : 'succeeded'),
      resourceId: resourceId.toLowerCase(),
      resourceType: 'evidence',
      ...(fails
        ? { errorMessage: 'evidence could not be parsed: unsupported attestation format' }
        : { output: { evaluation: 'passed', policies_evaluated: 12, violations: 0 } }),
    });
    return c.json({ operation: operationView(ctx, op) });
  });

  app.all('*', () => grpcError(404, GRPC.NOT_FOUND, 'Not Found'));
  return app;
}
