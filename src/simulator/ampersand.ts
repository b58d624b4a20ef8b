/**
 * @module simulator/ampersand — Ampersand operation endpoints (get, logs, list per installation, backfill progress),
 * a read trigger that starts an operation and answers its id, with RFC 9457 problems.
 */

import { Hono, type Context } from 'hono';
import type { Snapshot } from './lifecycle.ts';
import { bearerToken, newestFirst, type VendorContext } from './context.ts';
import {
  AMPERSAND_CONFIG_ID,
  AMPERSAND_INSTALLATION_ID,
  AMPERSAND_INTEGRATION_ID,
  AMPERSAND_OPERATIONS,
  AMPERSAND_PROJECT,
  type AmpersandFixture,
} from './fixtures.ts';
import { newOperationId, startedAt, type StartedOperations } from './started.ts';
import { DEFAULT_RUNNING_MS } from './lifecycle.ts';

const PAGE_SIZE_DEFAULT = 200;
const PAGE_SIZE_MAX = 1000;

type Problem = { status: number; title: string; detail: string; remedy?: string };

function problem(ctx: VendorContext, p: Problem): Response {
  const body = {
    type: `https://httpstatuses.com/${p.status}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    subsystem: 'api',
    time: ctx.nowIso(),
    requestId: ctx.requestId(),
    ...(p.remedy ? { remedy: p.remedy } : {}),
    retryable: false,
  };
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

const notFound = (detail: string, remedy?: string): Problem => ({ status: 404, title: 'Not Found', detail, remedy });
const badRequest = (detail: string, remedy?: string): Problem => ({
  status: 400,
  title: 'Bad Request',
  detail,
  remedy,
});

function statusOf(s: Snapshot): 'in_progress' | 'success' | 'failure' {
  if (s.phase === 'pending' || s.phase === 'running') return 'in_progress';
  return s.phase === 'succeeded' ? 'success' : 'failure';
}

function recordsProcessed(f: AmpersandFixture, s: Snapshot): number {
  const p = f.progress ?? {};
  if (p.perSecond !== undefined) return Math.floor((s.runningFor / 1000) * p.perSecond);
  return Math.floor((p.total ?? 0) * Math.min(s.fraction, p.stopsAt ?? 1));
}

function progressOf(f: AmpersandFixture, s: Snapshot): Record<string, unknown> {
  return {
    installationId: AMPERSAND_INSTALLATION_ID,
    objectName: f.object,
    operationId: f.id,
    recordsProcessed: recordsProcessed(f, s),
    ...(f.progress?.total !== undefined ? { recordsEstimatedTotal: f.progress.total } : {}),
  };
}

function operationView(ctx: VendorContext, f: AmpersandFixture): Record<string, unknown> {
  const s = ctx.snapshot(f.id, f.schedule);
  const status = statusOf(s);
  const metadata: Record<string, unknown> = { objects: [f.object] };
  // The vendor reports read progress for every read, terminal or not.
  if (f.actionType === 'read' && f.progress) metadata.progress = progressOf(f, s);
  if (status === 'success' && f.successfulRecordIds) metadata.successfulRecordIds = f.successfulRecordIds;
  if (status === 'failure' && f.retryAttempts && s.finishedAt !== undefined) {
    metadata.retry = { attempts: f.retryAttempts, lastAttempt: ctx.clock.iso(s.finishedAt) };
  }
  const result = status === 'success' ? f.result.success : status === 'failure' ? f.result.failure : undefined;
  return {
    projectId: AMPERSAND_PROJECT.id,
    integrationId: AMPERSAND_INTEGRATION_ID,
    installationId: AMPERSAND_INSTALLATION_ID,
    configId: AMPERSAND_CONFIG_ID,
    actionType: f.actionType,
    status,
    id: f.id,
    ...(result !== undefined ? { result } : {}),
    metadata,
    createTime: ctx.clock.iso(s.createdAt),
  };
}

function logsView(ctx: VendorContext, f: AmpersandFixture): Record<string, unknown>[] {
  const s = ctx.snapshot(f.id, f.schedule);
  const entry = (at: number, severity: string, message: Record<string, unknown>) => ({
    timestamp: ctx.clock.iso(at),
    severity,
    message: { ...message, operation_id: f.id },
  });
  const logs = [entry(s.createdAt, 'INFO', { msg: `${f.actionType} operation accepted for [${f.object}]` })];
  if (s.startedAt === undefined) return logs;
  logs.push(entry(s.startedAt, 'INFO', { msg: `${f.actionType} operation started for [${f.object}]` }));
  if (f.actionType === 'read' && f.progress) {
    const at = s.finishedAt ?? s.startedAt + s.runningFor;
    logs.push(
      entry(at, 'DEBUG', { msg: 'read progress', details: { recordsProcessed: String(recordsProcessed(f, s)) } }),
    );
  }
  if (s.finishedAt === undefined) return logs;
  if (statusOf(s) === 'success') {
    logs.push(entry(s.finishedAt, 'INFO', { msg: f.result.success ?? 'operation completed' }));
  } else {
    logs.push(entry(s.finishedAt, 'ERROR', { msg: 'operation failed', error: f.result.failure ?? 'unknown error' }));
  }
  return logs;
}

const projectMatches = (p: string) => p === AMPERSAND_PROJECT.id || p === AMPERSAND_PROJECT.name;
const installationMatches = (c: Context) =>
  projectMatches(c.req.param('projectIdOrName') ?? '') &&
  c.req.param('integrationId') === AMPERSAND_INTEGRATION_ID &&
  c.req.param('installationId') === AMPERSAND_INSTALLATION_ID;

const encodePageToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64');
function decodePageToken(token: string): number | undefined {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

function parsePageSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return PAGE_SIZE_DEFAULT;
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= PAGE_SIZE_MAX ? n : undefined;
}

function findOperation(c: Context, started: StartedOperations<AmpersandFixture>): AmpersandFixture | undefined {
  if (!projectMatches(c.req.param('projectIdOrName') ?? '')) return undefined;
  const id = c.req.param('operationId') ?? '';
  return AMPERSAND_OPERATIONS.find((f) => f.id === id) ?? started.find(id);
}

/** Records a triggered read processes; reading an object named `restricted` fails like a permissions error. */
const TRIGGERED_RECORDS = 1200;

function triggeredRead(ctx: VendorContext, objectName: string): AmpersandFixture {
  const fails = objectName === 'restricted';
  return {
    id: newOperationId(),
    actionType: 'read',
    object: objectName,
    schedule: startedAt(ctx.clock.elapsed(), DEFAULT_RUNNING_MS, fails ? 'failed' : 'succeeded'),
    progress: { total: TRIGGERED_RECORDS, ...(fails ? { stopsAt: 0.25 } : {}) },
    result: fails
      ? { failure: `[${objectName}] Read failed: provider returned 403 (insufficient field permissions)` }
      : { success: `[${objectName}] Read ${TRIGGERED_RECORDS} records` },
  };
}

const OPERATION_REMEDY = 'Verify the operation ID and project are correct, or list operations to find a valid ID.';
const INSTALLATION_REMEDY = 'Verify the project, integration and installation IDs.';

/** Router for everything under `<sim>/ampersand/v1`. */
export function ampersandRoutes(ctx: VendorContext, started: StartedOperations<AmpersandFixture>): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const presented = c.req.header('x-api-key') ?? bearerToken(c.req.raw.headers);
    if (presented !== ctx.token) {
      return problem(ctx, {
        status: 401,
        title: 'Unauthorized',
        detail: 'Missing or invalid API key.',
        remedy: 'Send a valid API key in the X-Api-Key header or as a Bearer token.',
      });
    }
    await next();
  });

  app.get('/projects/:projectIdOrName/operations/:operationId', (c) => {
    const f = findOperation(c, started);
    if (!f) return problem(ctx, notFound('Operation not found for the given operation ID.', OPERATION_REMEDY));
    return c.json(operationView(ctx, f));
  });

  app.get('/projects/:projectIdOrName/operations/:operationId/logs', (c) => {
    const f = findOperation(c, started);
    if (!f) return problem(ctx, notFound('Operation not found for the given operation ID.', OPERATION_REMEDY));
    return c.json(logsView(ctx, f));
  });

  app.get('/projects/:projectIdOrName/integrations/:integrationId/installations/:installationId/operations', (c) => {
    if (!installationMatches(c)) return problem(ctx, notFound('Installation not found.', INSTALLATION_REMEDY));
    const pageSize = parsePageSize(c.req.query('pageSize'));
    if (pageSize === undefined) {
      return problem(ctx, badRequest(`pageSize must be an integer between 1 and ${PAGE_SIZE_MAX}.`));
    }
    const token = c.req.query('pageToken');
    const offset = token ? decodePageToken(token) : 0;
    if (offset === undefined) {
      return problem(
        ctx,
        badRequest('pageToken is not valid.', 'Pass the nextPageToken from a previous response unchanged.'),
      );
    }
    const all = newestFirst([...AMPERSAND_OPERATIONS, ...started.all()]);
    const page = all.slice(offset, offset + pageSize).map((f) => operationView(ctx, f));
    const next = offset + pageSize;
    const done = next >= all.length;
    return c.json({ results: page, pagination: done ? { done } : { done, nextPageToken: encodePageToken(next) } });
  });

  app.get(
    '/projects/:projectIdOrName/integrations/:integrationId/installations/:installationId/objects/:objectName/backfill-progress',
    (c) => {
      if (!installationMatches(c)) return problem(ctx, notFound('Installation not found.', INSTALLATION_REMEDY));
      const objectName = c.req.param('objectName');
      const f = newestFirst(AMPERSAND_OPERATIONS).find(
        (op) => op.actionType === 'read' && op.object === objectName && op.progress,
      );
      if (!f) return problem(ctx, notFound(`No backfill operation found for object ${objectName}.`));
      const s = ctx.snapshot(f.id, f.schedule);
      const updatedAt = s.finishedAt ?? (s.startedAt !== undefined ? s.startedAt + s.runningFor : s.createdAt);
      return c.json({
        ...progressOf(f, s),
        createTime: ctx.clock.iso(s.createdAt),
        updateTime: ctx.clock.iso(updatedAt),
      });
    },
  );

  // Starts a read of one object now and answers the id of the operation doing it.
  app.post(
    '/projects/:projectIdOrName/integrations/:integrationId/installations/:installationId/objects/:objectName/trigger-read',
    (c) => {
      if (!installationMatches(c)) return problem(ctx, notFound('Installation not found.', INSTALLATION_REMEDY));
      const objectName = c.req.param('objectName');
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(objectName)) {
        return problem(ctx, badRequest('objectName must be a lower-case object name.'));
      }
      const op = started.add(triggeredRead(ctx, objectName));
      return c.json({ operationId: op.id }, 200);
    },
  );

  app.all('*', () => problem(ctx, notFound('No such endpoint.')));
  return app;
}
