/**
 * A task tool that asks the user (`x-capgate-ask`) asks before it starts the upstream operation, in both eras: the
 * 2026-07-28 call answers `input_required` (no task, nothing submitted) until the answers come back, then creates
 * the task with them as arguments; a declined question submits nothing. On 2025-11-25 the question is put on the
 * task-augmented call's stream before the submission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { CreateTaskResultSchema } from '@modelcontextprotocol/sdk/experimental/tasks';
import { JOB_TASK, startJobsGateway, type JobsGateway } from '../helpers/jobs-gateway.ts';
import { pollUntilSettled, rpc, TASKS_EXTENSION } from '../helpers/mcp-tasks.ts';

const EXPOSES = `
    - type: mcp
      namespace: asking
      port: 9090
      description: Task tools that ask first.
      tools:
        - name: greet_later
          description: Asks for a name, then greets in a job.
          inputParameters:
            - { name: seconds, type: number, description: Job length. }
          call: jobs.submit
          with:
            kind: compute
            seconds: '{{seconds}}'
            text: 'Hello, {{name}}!'
          x-capgate-ask:
            questions:
              - key: user_name
                message: What is your name?
                properties: { name: { type: string } }
                required: [name]
          x-capgate-task:${JOB_TASK}
            required: true
        - name: wipe
          description: Deletes everything in a job, after a confirmation.
          inputParameters:
            - { name: label, type: string, description: What to wipe., required: true }
          call: jobs.submit
          with:
            kind: compute
            seconds: 0
            label: '{{label}}'
          x-capgate-ask:
            confirm: 'Wipe {{label}}?'
          x-capgate-task:${JOB_TASK}
`;

const CAPS = { elicitation: {}, extensions: { [TASKS_EXTENSION]: {} } };

let j: JobsGateway;
beforeAll(async () => {
  j = await startJobsGateway(EXPOSES);
});
afterAll(async () => {
  await j?.close();
});

describe('2026-07-28: a task tool asks before it submits', () => {
  it('round 1 is input_required without a task and submits nothing; round 2 creates the task with the answer', async () => {
    const before = j.up.jobs.submitted.length;
    const first = await rpc(j.gw.mcp, 'tools/call', { name: 'greet_later', arguments: { seconds: 0 } }, CAPS);
    const r1 = first.body.result;
    expect(r1.resultType).toBe('input_required');
    expect(r1.inputRequests.user_name).toMatchObject({
      method: 'elicitation/create',
      params: { message: 'What is your name?' },
    });
    expect(r1).not.toHaveProperty('taskId');
    expect(j.up.jobs.submitted.length).toBe(before);

    const second = await rpc(
      j.gw.mcp,
      'tools/call',
      {
        name: 'greet_later',
        arguments: { seconds: 0 },
        inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
        requestState: r1.requestState,
      },
      CAPS,
    );
    const r2 = second.body.result;
    expect(r2.resultType).toBe('task');
    expect(typeof r2.taskId).toBe('string');
    for (const k of ['requestState', 'inputRequests', 'result']) expect(r2).not.toHaveProperty(k);
    expect(j.up.jobs.submitted.slice(before)).toEqual([{ kind: 'compute', seconds: 0, text: 'Hello, Alice!' }]);
    const done = await pollUntilSettled(j.gw.mcp, r2.taskId);
    expect(done.result.status).toBe('completed');
    expect(JSON.stringify(done.result.result.content)).toContain('Hello, Alice!');
  });

  it('a declined confirmation is a cancelled tool result and nothing is submitted', async () => {
    const before = j.up.jobs.submitted.length;
    const first = (await rpc(j.gw.mcp, 'tools/call', { name: 'wipe', arguments: { label: 'disk' } }, CAPS)).body.result;
    expect(first.inputRequests.confirm_call.params.message).toBe('Wipe disk?');
    const declined = await rpc(
      j.gw.mcp,
      'tools/call',
      {
        name: 'wipe',
        arguments: { label: 'disk' },
        inputResponses: { confirm_call: { action: 'decline' } },
        requestState: first.requestState,
      },
      CAPS,
    );
    expect(declined.body.result).toMatchObject({ resultType: 'complete', isError: true });
    expect(declined.body.result._meta['capgate/error'].code).toBe('CANCELLED');
    expect(j.up.jobs.submitted.length).toBe(before);
  });

  it('a tool that runs only as a task still needs the extension first (-32021), before any question', async () => {
    const r = await rpc(j.gw.mcp, 'tools/call', { name: 'greet_later', arguments: {} }, { elicitation: {} });
    expect(r.body.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
    });
  });
});

describe('2025-11-25: a task-augmented call asks on its stream before it submits', () => {
  it('elicitation/create comes first, then the task is created with the answer', async () => {
    const before = j.up.jobs.submitted.length;
    const asked: unknown[] = [];
    const client = new Client({ name: 'ask-first', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params);
      // Asked before anything was submitted.
      expect(j.up.jobs.submitted.length).toBe(before);
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(j.gw.mcp)));
    try {
      const created = await client.request(
        { method: 'tools/call', params: { name: 'wipe', arguments: { label: 'attic' }, task: {} } },
        CreateTaskResultSchema,
      );
      expect(asked).toEqual([expect.objectContaining({ message: 'Wipe attic?' })]);
      expect(created.task.status).toBe('working');
      expect(j.up.jobs.submitted.slice(before)).toEqual([{ kind: 'compute', seconds: 0, label: 'attic' }]);
    } finally {
      await client.close();
    }
  });
});
