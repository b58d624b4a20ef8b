/**
 * @module simulator/amba — Amba admin operations endpoints (list with kind/status/limit/offset, get), the domain
 * purchase action that hands back an `operation_id` to poll, and `{error:{code,message}}` errors.
 */

import { Hono } from 'hono';
import { bearerToken, isUuid, newestFirst, type VendorContext } from './context.ts';
import { AMBA_OPERATIONS, AMBA_PROJECT_ID, type AmbaFixture } from './fixtures.ts';
import { newOperationId, startedAt, type StartedOperations } from './started.ts';
import { DEFAULT_RUNNING_MS } from './lifecycle.ts';

const STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
const KIND_MAX_LENGTH = 64;
const LIMIT_DEFAULT = 50;
const LIMIT_MIN = 1;
const LIMIT_MAX = 200;

type AmbaStatus = (typeof STATUSES)[number];

function ambaError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function operationView(ctx: VendorContext, f: AmbaFixture): Record<string, unknown> & { status: AmbaStatus } {
  const s = ctx.snapshot(f.id, f.schedule);
  // Amba has no cancelled/timed-out states; the fixtures never use them.
  const status: AmbaStatus =
    s.phase === 'pending' || s.phase === 'running' || s.phase === 'succeeded' ? s.phase : 'failed';
  return {
    id: f.id,
    kind: f.kind,
    status,
    failed_reason: status === 'failed' ? (f.failedReason ?? 'Operation failed.') : null,
    result: status === 'succeeded' ? (f.result ?? {}) : null,
    metadata: f.metadata,
    created_at: ctx.clock.iso(s.createdAt),
    updated_at: ctx.clock.iso(s.finishedAt ?? s.startedAt ?? s.createdAt),
  };
}

interface ListQuery {
  kind?: string;
  status?: AmbaStatus;
  limit: number;
  offset: number;
}

/** Validate list query parameters; a string result is the INVALID_QUERY message. */
function parseListQuery(q: Record<string, string | undefined>): ListQuery | string {
  const kind = q.kind || undefined;
  if (kind !== undefined && kind.length > KIND_MAX_LENGTH) return `kind must be at most ${KIND_MAX_LENGTH} characters.`;
  const status = q.status || undefined;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    return `status must be one of ${STATUSES.join(', ')}.`;
  }
  let limit = LIMIT_DEFAULT;
  if (q.limit !== undefined && q.limit !== '') {
    if (!/^-?\d+$/.test(q.limit)) return 'limit must be an integer.';
    // Out-of-range limits are clamped, not rejected, as documented.
    limit = Math.min(LIMIT_MAX, Math.max(LIMIT_MIN, Number(q.limit)));
  }
  let offset = 0;
  if (q.offset !== undefined && q.offset !== '') {
    if (!/^\d+$/.test(q.offset)) return 'offset must be a non-negative integer.';
    offset = Number(q.offset);
  }
  return { kind, status: status as AmbaStatus | undefined, limit, offset };
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A domain purchase: an operation that settles after the default schedule. A domain whose first label is `taken`
 * is not available, so its purchase fails.
 */
function purchase(ctx: VendorContext, domain: string, years: number): AmbaFixture {
  const taken = domain.split('.')[0] === 'taken';
  const expires = new Date(Date.parse(ctx.nowIso()) + years * 365 * 86_400_000).toISOString();
  return {
    id: newOperationId(),
    kind: 'domain_purchase',
    schedule: startedAt(ctx.clock.elapsed(), DEFAULT_RUNNING_MS, taken ? 'failed' : 'succeeded'),
    metadata: { domain, years },
    ...(taken
      ? { failedReason: 'Domain is not available for registration.' }
      : { result: { domain, expires_at: expires, auto_renew: true } }),
  };
}

/** Router for everything under `<sim>/amba/v1`. */
export function ambaRoutes(ctx: VendorContext, started: StartedOperations<AmbaFixture>): Hono {
  const all = () => [...AMBA_OPERATIONS, ...started.all()];
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (bearerToken(c.req.raw.headers) !== ctx.token) {
      return ambaError(401, 'UNAUTHORIZED', 'Missing or invalid bearer token.');
    }
    await next();
  });

  app.get('/admin/projects/:projectId/operations', (c) => {
    const query = parseListQuery(c.req.query());
    if (typeof query === 'string') return ambaError(400, 'INVALID_QUERY', query);
    if (c.req.param('projectId') !== AMBA_PROJECT_ID) return c.json({ data: [] });
    const rows = newestFirst(all())
      .filter((f) => query.kind === undefined || f.kind === query.kind)
      .map((f) => operationView(ctx, f))
      .filter((op) => query.status === undefined || op.status === query.status);
    return c.json({ data: rows.slice(query.offset, query.offset + query.limit) });
  });

  app.get('/admin/projects/:projectId/operations/:operationId', (c) => {
    const operationId = c.req.param('operationId');
    if (!isUuid(operationId)) return ambaError(400, 'INVALID_OPERATION_ID', 'operationId must be a valid UUID.');
    const f =
      c.req.param('projectId') === AMBA_PROJECT_ID
        ? (AMBA_OPERATIONS.find((op) => op.id === operationId.toLowerCase()) ?? started.find(operationId))
        : undefined;
    if (!f) return ambaError(404, 'NOT_FOUND', 'No such operation on this project.');
    return c.json({ data: operationView(ctx, f) });
  });

  // Side-effecting: answers 202 with the operation to poll (Location, Retry-After), never the outcome itself.
  app.post('/admin/projects/:projectId/domains/purchase', async (c) => {
    if (c.req.param('projectId') !== AMBA_PROJECT_ID) return ambaError(404, 'NOT_FOUND', 'No such project.');
    const body = (await c.req.json().catch(() => undefined)) as { domain?: unknown; years?: unknown } | undefined;
    const domain = typeof body?.domain === 'string' ? body.domain.toLowerCase() : '';
    if (!DOMAIN.test(domain)) return ambaError(400, 'INVALID_REQUEST', 'domain must be a valid domain name.');
    const years = body?.years === undefined ? 1 : body.years;
    if (typeof years !== 'number' || !Number.isInteger(years) || years < 1 || years > 10) {
      return ambaError(400, 'INVALID_REQUEST', 'years must be an integer from 1 to 10.');
    }
    const op = started.add(purchase(ctx, domain, years));
    const location = new URL(c.req.url);
    location.pathname = location.pathname.replace(/\/domains\/purchase$/, `/operations/${op.id}`);
    location.search = '';
    return c.json({ operation_id: op.id, status: 'pending' }, 202, {
      location: location.toString(),
      'retry-after': '1',
    });
  });

  app.all('*', () => ambaError(404, 'NOT_FOUND', 'No such endpoint.'));
  return app;
}
