/**
 * @module test/cli/run-cli — runs the real `bin/capgate.js` (the compiled dist/ the global setup
 * builds) as a user would, and collects its exit code and output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/capgate.js');

export interface Ran {
  /** Exit code; null when the process had to be killed (it did not exit on its own). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `capgate <args>` to completion; a process still running after `timeoutMs` is killed. */
export function runCli(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: killed ? null : code, stdout, stderr });
    });
  });
}

/** Start `capgate <args>` and resolve once stderr matches `ready` (a long-running server). */
export function startCli(
  args: string[],
  ready: RegExp,
  timeoutMs = 20_000,
): Promise<{ child: ChildProcess; stderr: () => string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`capgate ${args.join(' ')} did not get ready:\n${stderr}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (ready.test(stderr)) {
        clearTimeout(timer);
        resolve({ child, stderr: () => stderr, exited });
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`capgate ${args.join(' ')} exited before it was ready:\n${stderr}`));
    });
  });
}

/** The environment without capgate's own settings, so the outer shell cannot change a test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // The suite's log file stays: every line the binaries log is scanned for secrets at the end of the run.
  for (const k of Object.keys(env)) if (k.startsWith('CAPGATE_') && k !== 'CAPGATE_LOG_FILE') delete env[k];
  return env;
}

/** A port held by another listener on 127.0.0.1, for the busy-port cases. */
export async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** True when the text carries a Node stack trace. */
export const hasStack = (text: string) => /^\s+at .+[:(]/m.test(text) || /node:internal|\.js:\d+:\d+\)?$/m.test(text);
