/**
 * @module simulator/fixtures — the fixed, documented data set each simulated vendor serves.
 *
 * Schedules are relative to simulator start (`reset()` restarts them) and are multiplied by
 * `timeScale`. "live" = created at start, pending 1 s, running 3 s, then terminal.
 * "settled" = created N minutes before start, already terminal. "forever" = pending 1 s, then
 * running without end. "on demand" = pending 1 s, running 6 s, then terminal; a read that finds it
 * settled for 5 s or more starts a fresh run at that read (unless the read before it saw the run still going: a
 * poller gets its outcome), so whoever tries it, whenever, can watch it run (the demo's operation to watch:
 * `Prefer: wait` on REST, a wait tool's progress on MCP).
 *
 * Ampersand (project 4f6b1c2e-8a3d-4e5f-9b7a-2c1d0e9f8a7b, name `demo-project`; integration
 * 113e9685-9a51-42cc-8662-9d9725b17f14; installation 66438162-5299-4669-a41d-85c5a3b1a83e):
 *   c1e5a7d2-3b4f-4a6e-8d9c-0f1e2d3c4b5a  read contact       live → success; recordsProcessed 0→5000 of 5000
 *   2b8d4f6a-1c3e-4d5f-a7b9-c0d1e2f3a4b5  read account       forever in_progress; +120 records/s, no estimated total
 *   7a8b9c0d-1e2f-4a5b-8c9d-0e1f2a3b4c5d  write contact      live → success; successfulRecordIds
 *   e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b  read opportunity   live → failure; progress stalls at 960 of 2400
 *   3efc0f0f-4bb9-498f-996c-9893d98ca4b5  read contact       settled 15 min ago → success (no new data)
 *   5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f  subscribe contact  settled 45 min ago → success
 *   8f9e0d1c-2b3a-4c5d-9e6f-7a8b9c0d1e2f  write account      settled 2 h ago → failure
 *   0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d  read lead          settled 6 h ago → success (842 records)
 *
 * Amba (project 9d2f6c1a-5b4e-4c3d-8a2f-1e0d9c8b7a6f):
 *   0f3a9c1e-6d2b-4e8f-a5c7-3b1d9e7f5a2c  domain_purchase       live → succeeded
 *   1a4b8d2e-7c3f-4a9e-b6d8-4c2e0f8a6b3d  domain_purchase       live → failed (domain taken)
 *   2b5c9e3f-8d4a-4b0f-87e9-5d3f1a9b7c4e  domain_transfer       forever running
 *   3c6d0f4a-9e5b-4c1a-98fa-6e4a2b0c8d5f  dns_verification      settled 10 min ago → succeeded
 *   4d7e1a5b-0f6c-4d2b-a90b-7f5b3c1d9e6a  domain_purchase       settled 30 min ago → succeeded
 *   5e8f2b6c-1a7d-4e3c-b01c-8a6c4d2e0f7b  ssl_certificate_issue settled 90 min ago → failed
 *   6f9a3c7d-2b8e-4f4d-812d-9b7d5e3f1a8c  domain_renewal        settled 3 h ago → succeeded
 *   7a0b4d8e-3c9f-4a5e-923e-0c8e6f4a2b9d  domain_purchase       settled 1 day ago → failed
 *
 * Chainloop (project 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e, version 1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f):
 *   a1c3e5f7-2b4d-4f6a-8c0e-1d3f5a7b9c2e  evidence_evaluation live → COMPLETED (output = base64 JSON)
 *   b2d4f6a8-3c5e-4a7b-9d1f-2e4a6b8c0d3f  risk_assessment     live → FAILED
 *   c3e5a7b9-4d6f-4b8c-8e2a-3f5b7c9d1e4a  evidence_evaluation forever RUNNING
 *   d4f6b8c0-5e7a-4c9d-9f3b-4a6c8d0e2f5b  risk_assessment     settled 20 min ago → COMPLETED
 *   e5a7c9d1-6f8b-4d0e-8a4c-5b7d9e1f3a6c  evidence_evaluation settled 2 h ago → FAILED
 *
 * bctrl (workspace 6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d):
 *   f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9  browser     live → succeeded; progress step 1→5 of 5
 *   e2d3c4b5-a697-4869-9786-b5c4d3e2f1a0  browser     live → failed at step 3 of 4
 *   d3c4b5a6-9786-4a5b-a877-c6d5e4f3a2b1  desktop     forever running; step 1→2 of 3, then stays at 2 while the
 * heartbeat advances
 *   c4b5a697-8695-4b4c-b968-d7e6f5a4b3c2  spreadsheet live → cancelled (cancelling for the last quarter)
 *   b5a69788-7584-4c3d-8a59-e8f7a6b5c4d3  browser     settled 25 min ago → timed_out
 *   a6978869-6473-4d2e-9b4a-f9a8b7c6d5e4  browser     settled 4 h ago → succeeded
 *   9e8d7c6b-5a49-4838-a726-1f0e9d8c7b6a  browser     on demand → succeeded; progress step 1→6 of 6 over 6 s
 */

import { live, onDemand, settled, type Schedule } from './lifecycle.ts';

const forever = (): Schedule => live('succeeded', Infinity);

// ---------------------------------------------------------------- Ampersand

export const AMPERSAND_PROJECT = { id: '4f6b1c2e-8a3d-4e5f-9b7a-2c1d0e9f8a7b', name: 'demo-project' } as const;
export const AMPERSAND_INTEGRATION_ID = '113e9685-9a51-42cc-8662-9d9725b17f14';
export const AMPERSAND_INSTALLATION_ID = '66438162-5299-4669-a41d-85c5a3b1a83e';
export const AMPERSAND_CONFIG_ID = 'a1b2c3d4-e5f6-4789-a012-3456789abcde';

export interface AmpersandFixture {
  id: string;
  actionType: 'read' | 'write' | 'subscribe';
  object: string;
  schedule: Schedule;
  /** Read progress: estimated total (absent for providers without estimates) and, when the run never ends, a rate. */
  progress?: { total?: number; stopsAt?: number; perSecond?: number };
  result: { success?: string; failure?: string };
  successfulRecordIds?: string[];
  retryAttempts?: number;
}

export const AMPERSAND_OPERATIONS: readonly AmpersandFixture[] = [
  {
    id: 'c1e5a7d2-3b4f-4a6e-8d9c-0f1e2d3c4b5a',
    actionType: 'read',
    object: 'contact',
    schedule: live('succeeded'),
    progress: { total: 5000 },
    result: { success: '[contact] Read 5000 records' },
  },
  {
    id: '2b8d4f6a-1c3e-4d5f-a7b9-c0d1e2f3a4b5',
    actionType: 'read',
    object: 'account',
    schedule: forever(),
    progress: { perSecond: 120 },
    result: {},
  },
  {
    id: '7a8b9c0d-1e2f-4a5b-8c9d-0e1f2a3b4c5d',
    actionType: 'write',
    object: 'contact',
    schedule: live('succeeded'),
    successfulRecordIds: ['001xx000003DGbYAAW', '001xx000003DGbZAAW'],
    result: { success: 'Batch write completed (2 succeeded, 0 failed)' },
  },
  {
    id: 'e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b',
    actionType: 'read',
    object: 'opportunity',
    schedule: live('failed'),
    progress: { total: 2400, stopsAt: 0.4 },
    retryAttempts: 3,
    result: { failure: '[opportunity] Read failed: provider returned 403 (insufficient field permissions)' },
  },
  {
    id: '3efc0f0f-4bb9-498f-996c-9893d98ca4b5',
    actionType: 'read',
    object: 'contact',
    schedule: settled('succeeded', 15),
    progress: { total: 0 },
    result: { success: '[contact] No new data found' },
  },
  {
    id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
    actionType: 'subscribe',
    object: 'contact',
    schedule: settled('succeeded', 45),
    result: { success: '[contact] Subscription created' },
  },
  {
    id: '8f9e0d1c-2b3a-4c5d-9e6f-7a8b9c0d1e2f',
    actionType: 'write',
    object: 'account',
    schedule: settled('failed', 120),
    retryAttempts: 2,
    result: { failure: 'Batch write completed (0 succeeded, 3 failed)' },
  },
  {
    id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    actionType: 'read',
    object: 'lead',
    schedule: settled('succeeded', 360),
    progress: { total: 842 },
    result: { success: '[lead] Read 842 records' },
  },
];

// ---------------------------------------------------------------- Amba

export const AMBA_PROJECT_ID = '9d2f6c1a-5b4e-4c3d-8a2f-1e0d9c8b7a6f';

export interface AmbaFixture {
  id: string;
  kind: string;
  schedule: Schedule;
  metadata: Record<string, unknown>;
  result?: Record<string, unknown>;
  failedReason?: string;
}

export const AMBA_OPERATIONS: readonly AmbaFixture[] = [
  {
    id: '0f3a9c1e-6d2b-4e8f-a5c7-3b1d9e7f5a2c',
    kind: 'domain_purchase',
    schedule: live('succeeded'),
    metadata: { domain: 'acme-robotics.dev' },
    result: { domain: 'acme-robotics.dev', expires_at: '2027-06-01T00:00:00.000Z', auto_renew: true },
  },
  {
    id: '1a4b8d2e-7c3f-4a9e-b6d8-4c2e0f8a6b3d',
    kind: 'domain_purchase',
    schedule: live('failed'),
    metadata: { domain: 'example.com' },
    failedReason: 'Domain is not available for registration.',
  },
  {
    id: '2b5c9e3f-8d4a-4b0f-87e9-5d3f1a9b7c4e',
    kind: 'domain_transfer',
    schedule: forever(),
    metadata: { domain: 'acme-legacy.io', from_registrar: 'other-registrar' },
  },
  {
    id: '3c6d0f4a-9e5b-4c1a-98fa-6e4a2b0c8d5f',
    kind: 'dns_verification',
    schedule: settled('succeeded', 10),
    metadata: { domain: 'acme-robotics.dev' },
    result: { verified: true, records_checked: 3 },
  },
  {
    id: '4d7e1a5b-0f6c-4d2b-a90b-7f5b3c1d9e6a',
    kind: 'domain_purchase',
    schedule: settled('succeeded', 30, 0),
    metadata: { domain: 'acme-robotics.app' },
    result: { domain: 'acme-robotics.app', expires_at: '2027-05-31T00:00:00.000Z', auto_renew: true },
  },
  {
    id: '5e8f2b6c-1a7d-4e3c-b01c-8a6c4d2e0f7b',
    kind: 'ssl_certificate_issue',
    schedule: settled('failed', 90),
    metadata: { domain: 'shop.acme-robotics.dev' },
    failedReason: 'DNS challenge record was not found before the deadline.',
  },
  {
    id: '6f9a3c7d-2b8e-4f4d-812d-9b7d5e3f1a8c',
    kind: 'domain_renewal',
    schedule: settled('succeeded', 180),
    metadata: { domain: 'acme.dev' },
    result: { domain: 'acme.dev', expires_at: '2028-01-15T00:00:00.000Z' },
  },
  {
    id: '7a0b4d8e-3c9f-4a5e-923e-0c8e6f4a2b9d',
    kind: 'domain_purchase',
    schedule: settled('failed', 1440),
    metadata: { domain: 'acme.ai' },
    failedReason: 'Payment method was declined.',
  },
];

// ---------------------------------------------------------------- Chainloop

export const CHAINLOOP_PROJECT_ID = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
export const CHAINLOOP_PROJECT_VERSION_ID = '1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f';

export interface ChainloopFixture {
  id: string;
  kind: string;
  schedule: Schedule;
  resourceId: string;
  resourceType: string;
  /** JSON written, base64-encoded, into `output` once completed. */
  output?: Record<string, unknown>;
  errorMessage?: string;
}

export const CHAINLOOP_OPERATIONS: readonly ChainloopFixture[] = [
  {
    id: 'a1c3e5f7-2b4d-4f6a-8c0e-1d3f5a7b9c2e',
    kind: 'evidence_evaluation',
    schedule: live('succeeded'),
    resourceId: 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0',
    resourceType: 'evidence',
    output: { evaluation: 'passed', policies_evaluated: 12, violations: 0 },
  },
  {
    id: 'b2d4f6a8-3c5e-4a7b-9d1f-2e4a6b8c0d3f',
    kind: 'risk_assessment',
    schedule: live('failed'),
    resourceId: 'e1d2c3b4-a596-4877-9665-b4a3c2d1e0f1',
    resourceType: 'risk_assessment',
    errorMessage: 'SBOM attachment could not be parsed: unsupported CycloneDX spec version 0.9',
  },
  {
    id: 'c3e5a7b9-4d6f-4b8c-8e2a-3f5b7c9d1e4a',
    kind: 'evidence_evaluation',
    schedule: forever(),
    resourceId: 'd2c3b4a5-9687-4766-a554-c3b2a1d0e9f2',
    resourceType: 'evidence',
  },
  {
    id: 'd4f6b8c0-5e7a-4c9d-9f3b-4a6c8d0e2f5b',
    kind: 'risk_assessment',
    schedule: settled('succeeded', 20),
    resourceId: 'c3b4a596-8776-4655-b443-d2c1b0a9f8e3',
    resourceType: 'risk_assessment',
    output: { risk_level: 'low', findings: 2 },
  },
  {
    id: 'e5a7c9d1-6f8b-4d0e-8a4c-5b7d9e1f3a6c',
    kind: 'evidence_evaluation',
    schedule: settled('failed', 120),
    resourceId: 'b4a59687-7665-4544-a332-e1d0c9b8a7f4',
    resourceType: 'evidence',
    errorMessage: 'policy engine timed out after 300s',
  },
];

// ---------------------------------------------------------------- bctrl

export const BCTRL_WORKSPACE_ID = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';
/** The on-demand run the demo points at: long enough to watch, and it runs again for a later reader. */
export const BCTRL_WATCH_ID = '9e8d7c6b-5a49-4838-a726-1f0e9d8c7b6a';

export interface BctrlFixture {
  id: string;
  runtime: string;
  runtimeId: string;
  runtimeKind: 'browser' | 'desktop' | 'spreadsheet';
  schedule: Schedule;
  /** The calls the run executes, in order; progress walks through them. */
  calls: string[];
  /** For failures: the 0-based step that fails and the error reported. */
  failure?: { step: number; code: string; message: string };
}

export const BCTRL_OPERATIONS: readonly BctrlFixture[] = [
  {
    id: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9',
    runtime: 'chromium',
    runtimeKind: 'browser',
    runtimeId: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    schedule: live('succeeded'),
    calls: ['page.goto', 'page.fill', 'page.click', 'page.waitForSelector', 'page.extract'],
  },
  {
    id: 'e2d3c4b5-a697-4869-9786-b5c4d3e2f1a0',
    runtime: 'chromium',
    runtimeKind: 'browser',
    runtimeId: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    schedule: live('failed'),
    calls: ['page.goto', 'page.fill', 'page.click', 'page.extract'],
    failure: { step: 2, code: 'UNKNOWN_REF', message: 'No element matches ref "e42" on the current page' },
  },
  {
    id: 'd3c4b5a6-9786-4a5b-a877-c6d5e4f3a2b1',
    runtime: 'ubuntu-desktop',
    runtimeKind: 'desktop',
    runtimeId: '1e2f3a4b-5c6d-4e7f-9a8b-9c0d1e2f3a4b',
    schedule: forever(),
    calls: ['desktop.launch', 'desktop.waitForWindow', 'desktop.screenshot'],
  },
  {
    id: 'c4b5a697-8695-4b4c-b968-d7e6f5a4b3c2',
    runtime: 'sheets',
    runtimeKind: 'spreadsheet',
    runtimeId: '2f3a4b5c-6d7e-4f8a-8b9c-0d1e2f3a4b5c',
    schedule: live('cancelled'),
    calls: ['sheet.open', 'sheet.readRange', 'sheet.writeRange', 'sheet.save'],
  },
  {
    id: 'b5a69788-7584-4c3d-8a59-e8f7a6b5c4d3',
    runtime: 'chromium',
    runtimeKind: 'browser',
    runtimeId: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    schedule: settled('timed_out', 25, 600_000),
    calls: ['page.goto', 'page.waitForSelector'],
    failure: { step: 1, code: 'TIMEOUT', message: 'Operation exceeded its 600s deadline' },
  },
  {
    id: 'a6978869-6473-4d2e-9b4a-f9a8b7c6d5e4',
    runtime: 'chromium',
    runtimeKind: 'browser',
    runtimeId: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    schedule: settled('succeeded', 240),
    calls: ['page.goto', 'page.screenshot'],
  },
  {
    id: BCTRL_WATCH_ID,
    runtime: 'chromium',
    runtimeKind: 'browser',
    runtimeId: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    schedule: onDemand('succeeded', 6000, 5000),
    calls: ['page.goto', 'page.fill', 'page.click', 'page.waitForSelector', 'page.screenshot', 'page.extract'],
  },
];
