/**
 * @module invoke/invoke — the one execution path shared by every exposer: inputs + `with` → action
 * (call, wait, steps, aggregate function, mock, forward) → shaped result. Errors are thrown as
 * GatewayErrors; exposers map them to their protocol in one place each.
 */
import type { OperationPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import { applyMock } from '../mapping/output.ts';
import { callOperation } from '../consume/call.ts';
import { scopeLookup } from '../mapping/scope.ts';
import { applyWith } from './apply-with.ts';
import { shapeResponse } from './upstream-result.ts';
import { runSteps } from './steps.ts';
import { waitForOperation } from './wait.ts';
import { forward } from './forward.ts';
import { submitAndWait } from './task.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';

export type { InvokeRequest, InvokeResult } from './types.ts';

export async function invoke(op: OperationPlan, req: InvokeRequest, deps: InvokeDeps): Promise<InvokeResult> {
  const scope = applyWith(op.with, req.params);
  const action = op.action;
  switch (action.kind) {
    case 'call': {
      if (op.wait && req.waitMs !== undefined) return waitForOperation(op, action.op, scope, req, deps);
      // A submitting element asked to wait submits, then follows the operation it started.
      if (op.task?.submit && req.waitMs !== undefined) return submitAndWait(op, req, deps);
      const res = await callOperation(action.op, scope, deps, { signal: req.signal, trace: req.trace });
      return shapeResponse(action.op, res, op.output, scopeLookup(scope));
    }
    case 'function': {
      // The function runs with the caller's scope; its own outputs win, the caller's are the fallback.
      const fn = action.fn;
      const fnOp: OperationPlan = { ...fn, output: fn.output ?? op.output, wait: fn.wait ?? op.wait };
      return invoke(fnOp, { ...req, params: scope }, deps);
    }
    case 'steps':
      return runSteps(op, action, scope, req, deps);
    case 'mock': {
      const value = op.mockOutput ? applyMock(op.mockOutput, scopeLookup(scope)) : undefined;
      return value === undefined
        ? { status: 204, body: { kind: 'empty' } }
        : { status: 200, body: { kind: 'json', value } };
    }
    case 'forward':
      return forward(action, req, deps);
  }
}
