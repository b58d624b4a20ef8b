/**
 * @module test/helpers/start-gateway — boot a real capgate gateway from inline YAML: the files
 * are written to a fresh temp dir, loaded and planned like `capgate serve` does, every consumed
 * namespace is pointed at a mock upstream through runtime overrides (keeping the baseUri's own
 * path, so `http://up/v2` becomes `<mock>/v2`), and REST + MCP listen on 127.0.0.1 port 0.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCapabilities } from '../../src/documents/index.ts';
import { buildPlan } from '../../src/plan/build.ts';
import type { Plan, UpstreamPlan } from '../../src/plan/types.ts';
import type { Problem } from '../../src/documents/problems.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createTelemetry } from '../../src/gateway/telemetry.ts';
import { testLogger } from './test-log.ts';
import { createGateway, type Gateway } from '../../src/gateway/gateway.ts';
import type { InvokeDeps } from '../../src/invoke/deps.ts';
import type { HttpClient } from '../../src/consume/http.ts';

export interface StartOptions {
  /** Base URL every consumed namespace is sent to (a mock upstream's `url`). */
  readonly upstream?: string;
  /** Per-namespace base URLs; win over `upstream`. Used as given (no path is appended). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Environment the binds read (the process environment is never used). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra files written next to the capability (e.g. `secrets.yaml`). */
  readonly files?: Readonly<Record<string, string>>;
  readonly partial?: boolean;
  /** Start even when the plan has errors (default: throw, so table mistakes surface). */
  readonly allowErrors?: boolean;
  /** The upstream client (e.g. one with short timeouts); closed by `stop()`. Default: the gateway's own. */
  readonly http?: HttpClient;
  /** Give 2025-era MCP clients sessions (GatewayOptions.mcpSessions). */
  readonly mcpSessions?: boolean;
  /** GatewayOptions.digestKey (also signs MCP requestState). */
  readonly digestKey?: string;
}

export interface StartedGateway {
  /** `http://127.0.0.1:<port>` of the merged REST port ('' when there is no REST adapter). */
  readonly rest: string;
  /** `http://127.0.0.1:<port>/mcp` ('' when there is no MCP adapter). */
  readonly mcp: string;
  readonly plan: Plan;
  readonly runtime: InvokeDeps;
  /** The runtime's live namespace → base URL overrides (read per request; tests may change them). */
  readonly overrides: Map<string, string>;
  readonly gateway: Gateway;
  readonly warnings: readonly Problem[];
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startGateway(yaml: string, opts: StartOptions = {}): Promise<StartedGateway> {
  const dir = await mkdtemp(path.join(tmpdir(), 'capgate-bb-'));
  try {
    const file = path.join(dir, 'capability.yaml');
    await writeFile(file, yaml);
    for (const [name, text] of Object.entries(opts.files ?? {})) {
      const target = path.join(dir, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    const { documents } = await loadCapabilities([file]);
    const plan = buildPlan(documents, { partial: opts.partial });
    const errors = plan.problems.filter((p) => p.severity === 'error');
    if (errors.length && !opts.allowErrors) {
      throw new Error(`capability has errors:\n${errors.map((e) => `${e.pointer}: ${e.message}`).join('\n')}`);
    }
    const overrides = overridesFor(plan.upstreams, opts.upstream, opts.overrides);
    // Metrics and request logs as `serve` has them: every request of the black-box tables is logged (and scanned for secrets).
    const telemetry = createTelemetry({ log: testLogger(), processMetrics: false });
    const runtime = await createDeps(plan, {
      env: { ...(opts.env ?? {}) },
      overrides,
      http: opts.http,
      observer: telemetry,
    });
    const gateway = createGateway(plan, runtime, {
      restPort: 0,
      mcpPort: 0,
      host: '127.0.0.1',
      observer: telemetry,
      ...(opts.mcpSessions ? { mcpSessions: true } : {}),
      ...(opts.digestKey !== undefined ? { digestKey: opts.digestKey } : {}),
    });
    const listeners = await gateway.start();
    const rest = listeners.find((l) => l.kind === 'rest')?.url ?? '';
    const mcp = listeners.find((l) => l.kind === 'mcp')?.url ?? '';
    return {
      rest,
      mcp,
      plan,
      runtime,
      overrides,
      gateway,
      dir,
      warnings: plan.problems.filter((p) => p.severity === 'warning'),
      async stop() {
        await gateway.stop();
        await runtime.http.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Every consumed namespace → `base` + the path part of its own baseUri; explicit ones win. */
export function overridesFor(
  upstreams: readonly UpstreamPlan[],
  base: string | undefined,
  explicit: Readonly<Record<string, string>> = {},
): Map<string, string> {
  const out = new Map<string, string>();
  if (base) for (const u of upstreams) out.set(u.namespace, base.replace(/\/+$/, '') + basePath(u));
  for (const [ns, url] of Object.entries(explicit)) out.set(ns, url);
  return out;
}

/** The path of a baseUri, placeholders filled with `x` (`https://{{HOST}}/v1/` → `/v1`). */
export function basePath(u: UpstreamPlan): string {
  if (!u.baseUri) return '';
  const text = u.baseUri.source.replace(/\{\{[^{}]*\}\}|\{[^{}]*\}/g, 'x');
  try {
    const p = new URL(text).pathname.replace(/\/+$/, '');
    return p === '/' ? '' : p;
  } catch {
    return '';
  }
}
