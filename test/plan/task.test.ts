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
});
