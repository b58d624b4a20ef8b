/**
 * Compiling `x-capgate-task`: mistakes are located problems (file, line:column, pointer, hint), and a task handle
 * keeps only what its status and cancel calls read (a submitted body never travels in a task id).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';

const FILE = path.resolve('task-fixture.yaml');

function doc(task: string, inputs = '            - { name: domain, type: string, required: true }'): string {
  return `naftiko: '1.0.0-alpha2'
info:
  label: tasks
  description: x-capgate-task fixture
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: 'http://127.0.0.1:9/api'
      resources:
        - name: orders
          path: /orders
          operations:
            - name: submit
              method: POST
              outputRawFormat: json
              inputParameters:
                - { name: domain, in: body }
        - name: order
          path: /orders/{id}
          operations:
            - name: get
              method: GET
              outputRawFormat: json
              inputParameters:
                - { name: id, in: path }
        - name: order-answers
          path: /orders/{id}/answers
          operations:
            - name: answer
              method: POST
              outputRawFormat: json
              inputParameters:
                - { name: id, in: path }
                - { name: key, in: body }
                - { name: action, in: body }
                - { name: content, in: body }
  exposes:
    - type: mcp
      port: 9090
      namespace: t
      description: tasks
      tools:
        - name: buy
          description: Buy.
          inputParameters:
${inputs}
          call: up.submit
          with:
            domain: t.domain
          x-capgate-task:
${task}
`;
}

const problemsOf = (yaml: string) =>
  buildPlan([parseDocumentText(FILE, yaml)]).problems.filter((p) => p.severity === 'error');

describe('x-capgate-task', () => {
  it('a submitting element without a status call is TASK_INVALID, located, with a hint', () => {
    const yaml = doc(`            operationId: $.id
            until: $.status
            terminal: [done]`);
    const [p, ...rest] = problemsOf(yaml);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      code: 'TASK_INVALID',
      file: expect.stringMatching(/task-fixture\.yaml$/),
      pointer: '/capability/exposes/0/tools/0/x-capgate-task',
    });
    expect(p.line).toBe(yaml.split('\n').findIndex((l) => l.includes('x-capgate-task:')) + 1);
    expect(p.message).toMatch(/needs `status`/);
    expect(p.hint).toMatch(/status: \{ call:/);
  });

  it('operationId naming no input lists the inputs; no states at all says where to give them', () => {
    const problems = problemsOf(doc(`            operationId: tools.orderId`));
    expect(problems.map((p) => p.code)).toEqual(['TASK_INVALID', 'TASK_INVALID']);
    expect(problems[0]).toMatchObject({ pointer: '/capability/exposes/0/tools/0/x-capgate-task/operationId' });
    expect(problems[0].message).toMatch(/names no input/);
    expect(problems[0].hint).toBe('inputs: domain');
    expect(problems[1].message).toMatch(/`until` and `terminal`/);
  });

  it('a handle keeps what the status call reads, not the submitted body', () => {
    const plan = buildPlan([
      parseDocumentText(
        FILE,
        doc(`            operationId: $.id
            status:
              call: up.get
              with:
                id: '{{operationId}}'
            until: $.status
            terminal: [done, failed]
            failed: [failed]
            ttlMs: 60000`),
      ),
    ]);
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const task = plan.mcp[0].adapters[0].tools[0].operation.task!;
    expect(task.ttlMs).toBe(60_000);
    expect(task.keeps.has('operationid')).toBe(true);
    expect(task.keeps.has('domain')).toBe(false);
  });

  const SUBMITS = `            operationId: $.id
            status: { call: up.get, with: { id: '{{operationId}}' } }
            until: $.status
            terminal: [done, failed]
            failed: [failed]`;

  it('input: the states that ask, where the questions are (key, message, schema by default) and the answer call', () => {
    const plan = buildPlan([
      parseDocumentText(
        FILE,
        doc(`${SUBMITS}
            input:
              when: [needs_input]
              questions: $.pending
              answer:
                call: up.answer
                with: { id: '{{operationId}}', key: '{{key}}', action: '{{action}}', content: '{{content}}' }`),
      ),
    ]);
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const task = plan.mcp[0].adapters[0].tools[0].operation.task!;
    const input = task.input!;
    expect(input.when).toEqual(['needs_input']);
    expect(input.questions.source).toBe('$.pending');
    expect([input.key.source, input.message.source, input.schema.source]).toEqual(['$.key', '$.message', '$.schema']);
    expect(`${input.answer.op.upstream.namespace}.${input.answer.op.name}`).toBe('up.answer');
    // The handle keeps what the answer call reads from the task; the answer itself arrives with each reply.
    expect(task.keeps.has('operationid')).toBe(true);
    for (const name of ['key', 'action', 'content', 'domain']) expect(task.keeps.has(name)).toBe(false);
  });

  it('input: a state that asks but also ends the operation, or an unknown answer call, is located', () => {
    const yaml = doc(`${SUBMITS}
            input:
              when: [needs_input, done]
              questions: $.pending
              key: $.id
              answer: { call: up.reply }`);
    const problems = problemsOf(yaml);
    const task = '/capability/exposes/0/tools/0/x-capgate-task';
    expect(problems).toEqual([
      expect.objectContaining({ code: 'TASK_INVALID', pointer: `${task}/input/when/1` }),
      expect.objectContaining({ code: 'CALL_UNKNOWN_OPERATION', pointer: `${task}/input/answer/call` }),
    ]);
    expect(problems[0].message).toMatch(/'done' is terminal/);
    expect(problems[0].line).toBe(yaml.split('\n').findIndex((l) => l.includes('when: [needs_input, done]')) + 1);
  });

  it('input: when, questions and answer are required; no other keys (schema)', () => {
    const problems = problemsOf(
      doc(`${SUBMITS}
            input:
              questions: $.pending
              ask: yes`),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'SCHEMA')).toBe(true);
    expect(problems.map((p) => p.message).join(' ')).toMatch(/when|answer|ask/);
  });
});
