/**
 * @module test/helpers/gateway-process — a real `capgate serve` process (bin/capgate.js, the compiled dist/) on the
 * bundled capabilities, wired to a simulator like the demo, with the environment a test gives it (CAPGATE_TASK_KEY
 * above all). Several started from the same files and key behave as replicas.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoEnv, demoOverrides } from '../../src/cli/demo.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/capgate.js');
export const CAPABILITIES_DIR = path.join(ROOT, 'capabilities');

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` of the REST port. */
  readonly rest: string;
  /** `http://127.0.0.1:<port>/mcp`. */
  readonly mcp: string;
  stderr(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** `paths`: the capability files or folders to serve (default: the bundled capabilities). */
export function startGatewayProcess(
  simUrl: string,
  env: Record<string, string> = {},
  paths: readonly string[] = [CAPABILITIES_DIR],
): Promise<GatewayProcess> {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  // The suite's log file stays: the teardown scans every line the gateways logged for secrets.
  for (const k of Object.keys(clean)) if (k.startsWith('CAPGATE_') && k !== 'CAPGATE_LOG_FILE') delete clean[k];
  const upstreams = demoOverrides(simUrl).flatMap((o) => ['--upstream', o]);
  const args = [
    BIN,
    'serve',
    ...paths,
    '--rest-port',
    '0',
    '--mcp-port',
    '0',
    '--no-watch',
    '--no-control',
    ...upstreams,
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...demoEnv(clean), CAPGATE_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`capgate serve did not get ready:\n${stderr}`));
    }, 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      const rest = /"url":"(http:\/\/[^"]+?)","msg":"capgate REST listening/.exec(stderr)?.[1];
      const mcp = /"url":"(http:\/\/[^"]+?\/mcp)","msg":"capgate MCP listening/.exec(stderr)?.[1];
      if (!rest || !mcp) return;
      clearTimeout(timer);
      resolve({
        rest,
        mcp,
        stderr: () => stderr,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`capgate serve exited (${code}) before it was ready:\n${stderr}`));
    });
  });
}
