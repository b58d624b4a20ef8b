/**
 * @module test/helpers/jobs-gateway — a gateway over the job API of the conformance fixture upstream
 * (test/fixtures/conformance/jobs.ts): the consumed operations (submit, read, cancel, answer) written once, the
 * exposed tools and routes given by each test, and the upstream's log of what it received.
 */
import { startUpstream, type RunningUpstream } from '../fixtures/conformance/upstream.ts';
import { startGateway, type StartOptions, type StartedGateway } from './start-gateway.ts';

const CONSUMES = `
  consumes:
    - type: http
      namespace: jobs
      baseUri: http://jobs.invalid
      resources:
        - name: jobs
          path: /jobs
          operations:
            - name: submit
              method: POST
              outputRawFormat: json
              inputParameters:
                - { name: kind, in: body }
                - { name: seconds, in: body }
                - { name: label, in: body }
                - { name: text, in: body }
                - { name: filename, in: body }
        - name: job
          path: /jobs/{id}
          operations:
            - name: get
              method: GET
              outputRawFormat: json
              inputParameters:
                - { name: id, in: path }
        - name: job-cancel
          path: /jobs/{id}/cancel
          operations:
            - name: cancel
              method: POST
              outputRawFormat: json
              inputParameters:
                - { name: id, in: path }
        - name: job-answers
          path: /jobs/{id}/answers
          operations:
            - name: answer
              method: POST
              outputRawFormat: json
              inputParameters:
                - { name: id, in: path }
                - { name: key, in: body }
                - { name: action, in: body }
                - { name: content, in: body }
`;

/** The states of a job and its status and cancel calls, as `x-capgate-task` keys (indented for a tool). */
export const JOB_TASK = `
            operationId: $.id
            status: { call: jobs.get, with: { id: '{{operationId}}' } }
            cancel: { call: jobs.cancel, with: { id: '{{operationId}}' } }
            until: $.status
            terminal: [completed, failed, cancelled]
            failed: [failed]
            cancelled: [cancelled]
            error: $.error.message
            pollIntervalMs: 100`;

/** A capability with the job API consumed and `exposes` as given (YAML, indented under `exposes:`). */
export function jobsCapability(exposes: string): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: jobs
  description: Tools and routes over a job API.
capability:${CONSUMES}
  exposes:
${exposes}
`;
}

export interface JobsGateway {
  readonly gw: StartedGateway;
  readonly up: RunningUpstream;
  close(): Promise<void>;
}

export async function startJobsGateway(
  exposes: string,
  opts: Omit<StartOptions, 'upstream'> = {},
): Promise<JobsGateway> {
  const up = await startUpstream();
  try {
    const gw = await startGateway(jobsCapability(exposes), { ...opts, upstream: up.url });
    return {
      gw,
      up,
      async close() {
        await gw.stop();
        await up.close();
      },
    };
  } catch (err) {
    await up.close();
    throw err;
  }
}
