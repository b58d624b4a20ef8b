/**
 * A task's result is the tool's result: `x-capgate-content` shapes a completed task's content blocks exactly as it
 * shapes a plain call's (2026-07-28 tasks/get, 2025-11-25 tasks/result), while an operation that failed stays the
 * OPERATION_FAILED tool error (its answer is not fed to the content mapping).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { JOB_TASK, startJobsGateway, type JobsGateway } from '../helpers/jobs-gateway.ts';
import { pollUntilSettled, rpc } from '../helpers/mcp-tasks.ts';

const EXPOSES = `
    - type: mcp
      namespace: content
      port: 9090
      description: Task tools whose results are content blocks.
      tools:
        - name: compute
          description: A job whose answer is its result text.
          inputParameters:
            - { name: seconds, type: number, description: Job length., required: true }
            - { name: kind, type: string, description: compute or fail. }
          call: jobs.submit
          with:
            kind: '{{kind}}'
            seconds: '{{seconds}}'
            label: sum
          x-capgate-task:${JOB_TASK}
          x-capgate-content:
            - { type: text, from: $.result.text }
            - { type: text, from: $.status }
`;

const BLOCKS = [
  { type: 'text', text: 'Computed sum in 0 s.' },
  { type: 'text', text: 'completed' },
];

let j: JobsGateway;
beforeAll(async () => {
  j = await startJobsGateway(EXPOSES);
});
afterAll(async () => {
  await j?.close();
});

describe('x-capgate-content on a task tool', () => {
  it('a plain call answers the declared blocks', async () => {
    const r = await rpc(j.gw.mcp, 'tools/call', { name: 'compute', arguments: { seconds: 0, kind: 'compute' } }, {});
    expect(r.body.result.content).toEqual(BLOCKS);
  });

  it('2026-07-28: the completed task inlines the same blocks', async () => {
    const t = (await rpc(j.gw.mcp, 'tools/call', { name: 'compute', arguments: { seconds: 0, kind: 'compute' } })).body
      .result;
    expect(t.resultType).toBe('task');
    const done = await pollUntilSettled(j.gw.mcp, t.taskId);
    expect(done.result.status).toBe('completed');
    expect(done.result.result.content).toEqual(BLOCKS);
    expect(done.result.result.isError).toBeUndefined();
  });

  it('2026-07-28: a failed job is the OPERATION_FAILED tool error, not a mapping error', async () => {
    const t = (await rpc(j.gw.mcp, 'tools/call', { name: 'compute', arguments: { seconds: 0, kind: 'fail' } })).body
      .result;
    const done = await pollUntilSettled(j.gw.mcp, t.taskId);
    expect(done.result.status).toBe('completed');
    expect(done.result.result.isError).toBe(true);
    expect(done.result.result._meta['capgate/error'].code).toBe('OPERATION_FAILED');
    expect(done.result.result.content[0].text).toContain('The sum failed');
  });

  it('2025-11-25: tasks/result answers the same blocks', async () => {
    const client = new Client({ name: 'content', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(j.gw.mcp)));
    try {
      // The client asks for a task only for tools it has seen listed as task tools.
      await client.listTools();
      let result: any;
      let created = false;
      for await (const m of client.experimental.tasks.callToolStream(
        { name: 'compute', arguments: { seconds: 0, kind: 'compute' } },
        CallToolResultSchema,
      )) {
        if (m.type === 'taskCreated') created = true;
        if (m.type === 'result') result = m.result;
      }
      expect(created).toBe(true);
      expect(result.content).toEqual(BLOCKS);
    } finally {
      await client.close();
    }
  });
});
