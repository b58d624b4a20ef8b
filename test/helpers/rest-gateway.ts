/**
 * @module test/helpers/rest-gateway — boot a gateway from one inline capability with chosen
 * GatewayOptions (Host allow-list, body limit …), its consumed namespaces pointed at a mock
 * upstream, listening on 127.0.0.1 port 0; plus a raw HTTP/1.1 client that sends a request line
 * and headers exactly as written (fetch would normalise the path and set Host itself).
 */
import http from 'node:http';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import type { Plan } from '../../src/plan/types.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway/gateway.ts';
import type { InvokeDeps } from '../../src/invoke/deps.ts';
import { overridesFor } from './start-gateway.ts';

export interface BootOptions {
  readonly upstream?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  readonly gateway?: GatewayOptions;
}

export interface Booted {
  /** `http://127.0.0.1:<port>` of the REST port. */
  readonly rest: string;
  readonly port: number;
  readonly plan: Plan;
  readonly runtime: InvokeDeps;
  readonly gateway: Gateway;
  stop(): Promise<void>;
}

export async function bootRest(yaml: string, opts: BootOptions = {}): Promise<Booted> {
  const plan = buildPlan([parseDocumentText('/tmp/rest-edge.yaml', yaml)]);
  const errors = plan.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => `${e.pointer}: ${e.message}`).join('\n'));
  const runtime = await createDeps(plan, {
    env: { ...(opts.env ?? {}) },
    overrides: overridesFor(plan.upstreams, opts.upstream),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const gateway = createGateway(plan, runtime, { restPort: 0, host: '127.0.0.1', ...opts.gateway });
  const listeners = await gateway.start();
  const rest = listeners.find((l) => l.kind === 'rest')!;
  return {
    rest: `http://127.0.0.1:${rest.port}`,
    port: rest.port,
    plan,
    runtime,
    gateway,
    async stop() {
      await gateway.stop();
      await runtime.http.close();
    },
  };
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** One request with the path and headers exactly as given (Host included: the caller names it). */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, setHost: false, agent: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
