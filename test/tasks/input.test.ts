/**
 * Operations that ask questions while they run (`x-capgate-task.input`): the task waits in `input_required` with the
 * upstream's open questions (2026-07-28 `inputRequests` on tasks/get, 2025-11-25 elicitation on tasks/result, REST
 * `questions` on the status URL), and each answer goes to the declared answer call, checked against its question's
 * schema first (a wrong one is refused and never reaches the upstream). Partial answers leave the other questions
 * open; answers to keys that are not open are ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { JOB_TASK, startJobsGateway, type JobsGateway } from '../helpers/jobs-gateway.ts';
import { listenUntil, pollUntilSettled, rpc } from '../helpers/mcp-tasks.ts';

const INPUT = `
            input:
              when: [input_required]
              questions: $.questions
              answer:
                call: jobs.answer
                with: { id: '{{operationId}}', key: '{{key}}', action: '{{action}}', content: '{{content}}' }`;

/** The same keys four columns deeper (under a REST operation). */
const deeper = (yaml: string) => yaml.replace(/\n/g, '\n    ');

const EXPOSES = `
    - type: mcp
      namespace: asking
      port: 9090
      description: Jobs that ask while they run.
      tools:
        - name: delete_file
          description: Deletes a file once the job's question is answered.
          inputParameters:
            - { name: filename, type: string, description: The file., required: true }
          call: jobs.submit
          with: { kind: confirm, seconds: 0, filename: '{{filename}}' }
          x-capgate-task:${JOB_TASK}${INPUT}
          x-capgate-content: { type: text, from: $.result.text }
        - name: survey
          description: Asks two questions at once.
          inputSchema: { type: object, properties: {} }
          call: jobs.submit
          with: { kind: survey, seconds: 0 }
          x-capgate-task:${JOB_TASK}${INPUT}
    - type: rest
      namespace: asking-rest
      port: 8080
      description: The same over REST.
      resources:
        - path: /deletions
          name: deletions
          operations:
            - method: POST
              name: delete-file
              inputParameters:
                - { name: filename, in: body, type: string, description: The file., required: true }
              call: jobs.submit
              with: { kind: confirm, seconds: 0, filename: rest.filename }
              x-capgate-task:${deeper(JOB_TASK + INPUT)}
`;

let j: JobsGateway;
beforeAll(async () => {
  j = await startJobsGateway(EXPOSES);
});
afterAll(async () => {
  await j?.close();
});

const start = async (name: string, args: Record<string, unknown>) => {
  const r = await rpc(j.gw.mcp, 'tools/call', { name, arguments: args });
  expect(r.body.result.resultType).toBe('task');
  return r.body.result.taskId as string;
};
const get = async (taskId: string) => (await rpc(j.gw.mcp, 'tasks/get', { taskId })).body;
const update = (taskId: string, inputResponses: unknown) => rpc(j.gw.mcp, 'tasks/update', { taskId, inputResponses });

describe('2026-07-28: input_required, inputRequests and tasks/update', () => {
  it('tasks/get shows the open question as an elicitation request; a valid answer resumes the job to its end', async () => {
    const taskId = await start('delete_file', { filename: 'a.txt' });
    const asked = (await get(taskId)).result;
    expect(asked).toMatchObject({ status: 'input_required', statusMessage: 'waiting for an answer: Delete a.txt?' });
    expect(asked.inputRequests).toEqual({
      confirm: {
        method: 'elicitation/create',
        params: {
          mode: 'form',
          message: 'Delete a.txt?',
          requestedSchema: {
            type: 'object',
            properties: { confirm: { type: 'boolean', title: 'Delete' } },
            required: ['confirm'],
          },
        },
      },
    });
    for (const k of ['result', 'error', 'requestState']) expect(asked).not.toHaveProperty(k);

    const ack = await update(taskId, { confirm: { action: 'accept', content: { confirm: true } } });
    expect(Object.keys(ack.body.result).sort()).toEqual(['_meta', 'resultType']);
    expect(ack.body.result.resultType).toBe('complete');
    expect(j.up.jobs.answered.at(-1)).toMatchObject({ key: 'confirm', action: 'accept', content: { confirm: true } });
    const done = await pollUntilSettled(j.gw.mcp, taskId);
    expect(done.result.status).toBe('completed');
    expect(done.result.result.content).toEqual([{ type: 'text', text: 'Deleted a.txt.' }]);
  });

  it('an answer that does not match the question is -32602 and never reaches the upstream', async () => {
    const taskId = await start('delete_file', { filename: 'b.txt' });
    const before = j.up.jobs.answered.length;
    for (const wrong of [
      { action: 'accept', content: { confirm: 'yes' } },
      { action: 'accept' },
      { action: 'maybe' },
      'yes',
    ]) {
      const r = await update(taskId, { confirm: wrong });
      expect(r.body.error).toMatchObject({ code: -32602, data: { code: 'INPUT_INVALID' } });
      expect(r.body.error.message).toMatch(/'confirm'/);
    }
    expect(j.up.jobs.answered.length).toBe(before);
    expect((await get(taskId)).result.status).toBe('input_required');
    // Not an object at all.
    expect((await update(taskId, [1])).body.error.code).toBe(-32602);
  });

  it('partial answers leave the other question open; the job ends once both are answered', async () => {
    const taskId = await start('survey', {});
    const first = (await get(taskId)).result;
    expect(Object.keys(first.inputRequests)).toEqual(['name', 'confirm']);
    await update(taskId, { name: { action: 'accept', content: { name: 'Ada' } } });
    const after = (await get(taskId)).result;
    expect(after.status).toBe('input_required');
    expect(Object.keys(after.inputRequests)).toEqual(['confirm']);
    await update(taskId, { confirm: { action: 'accept', content: { confirm: true } } });
    const done = await pollUntilSettled(j.gw.mcp, taskId);
    expect(done.result.status).toBe('completed');
    expect(JSON.stringify(done.result.result)).toContain('Done for Ada.');
  });

  it('answers to keys that are not open are acknowledged and ignored; a decline goes to the upstream', async () => {
    const taskId = await start('delete_file', { filename: 'c.txt' });
    const before = j.up.jobs.answered.length;
    const ack = await update(taskId, { 'unknown-key': { ignored: true } });
    expect(ack.body.result.resultType).toBe('complete');
    expect(j.up.jobs.answered.length).toBe(before);
    await update(taskId, { confirm: { action: 'decline' }, other: { action: 'accept', content: {} } });
    expect(j.up.jobs.answered.slice(before)).toEqual([expect.objectContaining({ key: 'confirm', action: 'decline' })]);
    const done = await pollUntilSettled(j.gw.mcp, taskId);
    expect(done.result.result.content).toEqual([{ type: 'text', text: 'Kept c.txt: deletion not confirmed.' }]);
  });

  it('a task waiting for input can be cancelled', async () => {
    const taskId = await start('delete_file', { filename: 'd.txt' });
    expect((await get(taskId)).result.status).toBe('input_required');
    expect((await rpc(j.gw.mcp, 'tasks/cancel', { taskId })).body.result.resultType).toBe('complete');
    expect((await get(taskId)).result.status).toBe('cancelled');
  });

  it('notifications/tasks carry the inputRequests of a task that asks', async () => {
    const taskId = await start('delete_file', { filename: 'e.txt' });
    const heard = await listenUntil(j.gw.mcp, { taskIds: [taskId] }, (m) =>
      m.some((x) => x.method === 'notifications/tasks'),
    );
    const n = heard.messages.find((x) => x.method === 'notifications/tasks');
    expect(n.params).toMatchObject({ taskId, status: 'input_required' });
    expect(Object.keys(n.params.inputRequests)).toEqual(['confirm']);
    await rpc(j.gw.mcp, 'tasks/cancel', { taskId });
  });

  it('a client without tasks is not held waiting for an answer it cannot give: the call ends at the question', async () => {
    const started = Date.now();
    const r = await rpc(j.gw.mcp, 'tools/call', { name: 'survey', arguments: {} }, {});
    expect(Date.now() - started).toBeLessThan(5000);
    const value = JSON.parse(r.body.result.content[0].text);
    expect(value).toMatchObject({ status: 'input_required', done: false });
    expect(value.questions.map((q: { key: string }) => q.key)).toEqual(['name', 'confirm']);
  });

  it('a tool with x-capgate-content that ends at a question answers the state, not a mapping error', async () => {
    const r = await rpc(j.gw.mcp, 'tools/call', { name: 'delete_file', arguments: { filename: 'c.txt' } }, {});
    expect(r.body.result.isError).toBeFalsy();
    const value = JSON.parse(r.body.result.content[0].text);
    expect(value).toMatchObject({ status: 'input_required', done: false });
    expect(value.questions.map((q: { key: string }) => q.key)).toEqual(['confirm']);
  });
});

describe('2025-11-25: tasks/result asks with elicitation/create', () => {
  it('the SDK v1 client answers the question on the tasks/result stream and gets the result', async () => {
    const asked: any[] = [];
    const client = new Client({ name: 'input', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params);
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(j.gw.mcp)));
    try {
      await client.listTools();
      const seen: any[] = [];
      for await (const m of client.experimental.tasks.callToolStream(
        { name: 'delete_file', arguments: { filename: 'f.txt' } },
        CallToolResultSchema,
      ))
        seen.push(m);
      const taskId = seen[0].task.taskId;
      expect(seen.map((m) => m.type)).toContain('taskCreated');
      expect(asked).toEqual([
        expect.objectContaining({
          message: 'Delete f.txt?',
          requestedSchema: expect.objectContaining({ required: ['confirm'] }),
          _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
        }),
      ]);
      const last = seen.at(-1);
      expect(last.type).toBe('result');
      expect(last.result.content).toEqual([{ type: 'text', text: 'Deleted f.txt.' }]);
    } finally {
      await client.close();
    }
  });
  it('a session that offered no elicitation is told so (-32021) instead of being sent questions; nothing is answered', async () => {
    // Only a session remembers what the client declared at initialize.
    const s = await startJobsGateway(EXPOSES, { mcpSessions: true });
    const client = new Client({ name: 'no-elicitation', version: '1.0.0' }, { capabilities: {} });
    const asked: unknown[] = [];
    client.fallbackRequestHandler = async (req) => {
      asked.push(req);
      return {};
    };
    await client.connect(new StreamableHTTPClientTransport(new URL(s.gw.mcp)));
    try {
      await client.listTools();
      const seen: any[] = [];
      for await (const m of client.experimental.tasks.callToolStream(
        { name: 'delete_file', arguments: { filename: 'n.txt' } },
        CallToolResultSchema,
      ))
        seen.push(m);
      expect(seen[0].type).toBe('taskCreated');
      const last = seen.at(-1);
      expect(last.type).toBe('error');
      expect(last.error.code).toBe(-32021);
      expect(String(last.error.message)).toMatch(/elicitation/);
      expect(asked).toEqual([]);
      expect(s.up.jobs.answered).toEqual([]);
    } finally {
      await client.close();
      await s.close();
    }
  });
});

describe('REST: questions on the status URL, answered with POST', () => {
  it('202, then input_required with the questions; a wrong answer is 400, a right one resumes the job', async () => {
    const created = await fetch(`${j.gw.rest}/deletions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ filename: 'g.txt' }),
    });
    expect(created.status).toBe(202);
    const url = `${j.gw.rest}${created.headers.get('location')}`;
    const asked = await (await fetch(url)).json();
    expect(asked).toMatchObject({
      status: 'input_required',
      vendorStatus: 'input_required',
      questions: [{ key: 'confirm', message: 'Delete g.txt?', schema: { required: ['confirm'] } }],
    });
    const post = (body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const before = j.up.jobs.answered.length;
    const wrong = await post(JSON.stringify({ confirm: { action: 'accept', content: { confirm: 1 } } }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).code).toBe('INPUT_INVALID');
    expect((await post('not json')).status).toBe(400);
    expect(j.up.jobs.answered.length).toBe(before);
    const ok = await post(JSON.stringify({ confirm: { action: 'accept', content: { confirm: true } } }));
    expect(ok.status).toBe(200);
    const state = await ok.json();
    expect(['working', 'completed']).toContain(state.status);
    const done = await (await fetch(url, { headers: { prefer: 'wait=5' } })).json();
    expect(done).toMatchObject({ status: 'completed', result: { result: { text: 'Deleted g.txt.' } } });
  });
});
