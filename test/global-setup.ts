/**
 * @module test/global-setup — before the suite: builds dist/ (`npm run build`), since tests that start
 * `bin/capgate.js` (stdio, the CLI, the demo) must run the code under test; and opens the suite's log file
 * (CAPGATE_LOG_FILE in every worker, inherited by every binary the tests start). After the suite: every line
 * logged is scanned for the secrets the tests use; one found fails the run.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { KNOWN_SECRETS } from './helpers/known-secrets.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    capgateLogFile: string;
  }
}

export default function setup(project: TestProject): () => void {
  execSync('npm run --silent build', { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'capgate-test-log-'));
  const file = path.join(dir, 'capgate.log');
  // Workers take it from here (test/setup-log.ts); they do not inherit this process's environment.
  project.provide('capgateLogFile', file);
  return () => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const lines = text.split('\n').filter(Boolean);
    const leaks = lines.flatMap((line, i) =>
      KNOWN_SECRETS.filter((s) => line.includes(s)).map((s) => `line ${i + 1} holds '${s}': ${line.slice(0, 300)}`),
    );
    if (leaks.length) throw new Error(`secrets in the log lines of the test suite:\n${leaks.slice(0, 20).join('\n')}`);
    if (lines.length < 100)
      throw new Error(`the suite logged only ${lines.length} lines to ${file}; the secret scan would prove nothing`);
    process.stdout.write(`log scan: ${lines.length} log lines of the suite, no secret in any\n`);
  };
}
