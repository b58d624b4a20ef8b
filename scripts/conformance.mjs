#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite (pinned in .ci/conformance) against capgate:
 *  - the conformance fixture (`npm run conformance:serve`): both requirement sets, 2026-07-28 (which also runs the
 *    tasks extension scenarios) and 2025-11-25, every scenario judged;
 *  - the bundled demo (`capgate demo`): the scenarios that need no fixture, at both wires.
 * Each scenario passes when none of its checks failed. Failures are compared with
 * test/fixtures/conformance/expected-failures.yaml: an unexpected failure, or an expected one that now passes,
 * fails the run. Prints one summary line last; exit 1 on any mismatch.
 *
 * Usage: node scripts/conformance.mjs [--fixture-only | --demo-only] [--keep <dir>] [--node <path>]
 * The suite needs Node >= 22: the binary given with --node (CI passes the Node 24 of .ci/node24), else the Node 24 of
 * .ci/node24 when installed, else this node if new enough. The servers under test run on the Node that runs npm.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUITE_DIR = path.join(ROOT, '.ci/conformance');
const SUITE = path.join(SUITE_DIR, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const NODE24 = path.join(ROOT, '.ci/node24/node_modules/node/bin/node');
const EXPECTED = path.join(ROOT, 'test/fixtures/conformance/expected-failures.yaml');
const REVISIONS = ['2026-07-28', '2025-11-25'];

/** Scenarios of each wire that need none of the suite's fixtures: the demo must pass them. */
const FIXTURE_FREE = {
  '2026-07-28': [
    'server-stateless',
    'tools-list',
    'server-sse-multiple-streams',
    'resources-list',
    'prompts-list',
    'sep-2164-resource-not-found',
    'dns-rebinding-protection',
    'caching',
    'http-header-validation',
    'input-required-result-unsupported-methods',
  ],
  '2025-11-25': [
    'server-initialize',
    'server-session-lifecycle',
    'logging-set-level',
    'ping',
    'tools-list',
    'server-sse-multiple-streams',
    'resources-list',
    'prompts-list',
    'dns-rebinding-protection',
  ],
};

const args = process.argv.slice(2);
const only = args.includes('--fixture-only') ? 'fixture' : args.includes('--demo-only') ? 'demo' : undefined;
const keepAt = args.indexOf('--keep');
const nodeAt = args.indexOf('--node');
const outRoot = keepAt >= 0 ? path.resolve(args[keepAt + 1]) : mkdtempSync(path.join(tmpdir(), 'capgate-conf-'));

/** The Node binary that runs the suite, and its version (checked: the suite does not load on Node 20). */
function nodeForSuite() {
  let node;
  if (nodeAt >= 0) node = path.resolve(args[nodeAt + 1] ?? '');
  else if (existsSync(NODE24)) node = NODE24;
  else if (Number(process.versions.node.split('.')[0]) >= 22) node = process.execPath;
  else fail('the conformance suite needs Node >= 22: run `npm ci --prefix .ci/node24` (Node 24 from the npm registry)');
  const r = spawnSync(node, ['--version'], { encoding: 'utf8' });
  const version = r.stdout?.trim() ?? '';
  if (r.status !== 0 || !/^v\d+/.test(version)) fail(`${node} is not a working Node binary`);
  if (Number(version.slice(1).split('.')[0]) < 22)
    fail(`the conformance suite needs Node >= 22, ${node} is ${version}`);
  return { node, version };
}

function suiteVersion() {
  try {
    return JSON.parse(readFileSync(path.join(SUITE_DIR, 'package.json'), 'utf8')).devDependencies[
      '@modelcontextprotocol/conformance'
    ];
  } catch {
    return '(unknown version)';
  }
}

function ensureSuite() {
  if (existsSync(SUITE)) return;
  console.log('conformance: installing the pinned suite into .ci/conformance');
  const r = spawnSync('npm', ['ci', '--prefix', SUITE_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(SUITE)) fail('could not install .ci/conformance');
}

function fail(message) {
  console.error(`conformance: ${message}`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start a server command and resolve with its MCP URL once it prints it. */
function start(command, argv, pattern, label) {
  const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in 30 s:\n${out}`)), 30_000);
    const onData = (chunk) => {
      out += chunk.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => stopChild(child) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}) before listening:\n${out}`));
    });
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    // The npm wrapper and the server under it form one process group: end both.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000).unref();
  });
}

/** Run the suite; returns { scenario → { failed: [check ids], checks } } read from checks.json. */
function runSuite(node, url, suiteArgs, outDir) {
  const r = spawnSync(node, [SUITE, 'server', '--url', url, ...suiteArgs, '-o', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) fail(`could not run the suite: ${r.error.message}`);
  const results = {};
  if (!existsSync(outDir)) fail(`the suite wrote no results:\n${r.stdout}\n${r.stderr}`);
  for (const dir of readdirSync(outDir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T/.exec(dir);
    const file = path.join(outDir, dir, 'checks.json');
    if (!m || !existsSync(file)) continue;
    const checks = JSON.parse(readFileSync(file, 'utf8'));
    results[m[1]] = {
      failed: checks.filter((c) => c.status === 'FAILURE').map((c) => c.id),
      checks: checks.length,
    };
  }
  return results;
}

function loadExpected() {
  const doc = yaml.load(readFileSync(EXPECTED, 'utf8')) ?? {};
  const out = {};
  for (const target of ['fixture', 'demo']) {
    for (const rev of REVISIONS) {
      const entries = doc?.[target]?.[rev] ?? [];
      out[`${target} ${rev}`] = new Set(entries);
    }
  }
  return out;
}

/**
 * Compare one run with its expectations. An entry is a scenario ("tools-call-sampling": the scenario fails) or a
 * check ("server-stateless:sep-2575-…": exactly that check fails, the scenario's other checks pass).
 */
function judge(label, results, expected, scenarios) {
  const unexpected = [];
  const stale = [];
  let passed = 0;
  let expectedFailures = 0;
  const names = scenarios ?? Object.keys(results);
  for (const name of names) {
    const r = results[name];
    if (!r) {
      unexpected.push(`${name}: did not run`);
      continue;
    }
    const failed = r.failed;
    if (expected.has(name)) {
      if (failed.length === 0) stale.push(name);
      else expectedFailures++;
      continue;
    }
    const allowedChecks = [...expected].filter((e) => e.startsWith(`${name}:`)).map((e) => e.slice(name.length + 1));
    const surprising = failed.filter((id) => !allowedChecks.includes(id));
    for (const id of allowedChecks) if (!failed.includes(id)) stale.push(`${name}:${id}`);
    if (surprising.length) unexpected.push(`${name}: ${surprising.join(', ')}`);
    else if (failed.length === 0) passed++;
    else expectedFailures++;
  }
  for (const e of expected) {
    const scenario = e.split(':')[0];
    if (!names.includes(scenario)) stale.push(`${e} (not run)`);
  }
  console.log(
    `${label}: ${passed}/${names.length} scenarios pass` +
      (expectedFailures ? `, ${expectedFailures} expected failures` : ''),
  );
  for (const u of unexpected) console.log(`  UNEXPECTED FAILURE ${u}`);
  for (const s of stale) console.log(`  NOW PASSES (remove from expected-failures.yaml) ${s}`);
  return { passed, total: names.length, expectedFailures, bad: unexpected.length + stale.length };
}

async function main() {
  const { node, version } = nodeForSuite();
  console.log(`conformance: suite ${suiteVersion()} on Node ${version} (${node})`);
  ensureSuite();
  const expected = loadExpected();
  const started = Date.now();
  const totals = [];

  if (only !== 'demo') {
    const port = await freePort();
    const server = await start(
      'npm',
      ['run', '--silent', 'conformance:serve', '--', '--mcp-port', String(port)],
      /MCP listening on (http:\/\/\S+)/,
      'conformance:serve',
    );
    try {
      for (const rev of REVISIONS) {
        const results = runSuite(node, server.url, ['--requirements', rev], path.join(outRoot, `fixture-${rev}`));
        totals.push(judge(`fixture ${rev}`, results, expected[`fixture ${rev}`]));
      }
    } finally {
      await server.stop();
    }
  }

  if (only !== 'fixture') {
    const demo = await start(
      process.execPath,
      ['bin/capgate.js', 'demo', '--sim-port', '0', '--rest-port', '0', '--mcp-port', '0'],
      /capgate MCP listening on (http[^"\s]+)/,
      'capgate demo',
    );
    try {
      for (const rev of REVISIONS) {
        const results = runSuite(node, demo.url, ['--requirements', rev], path.join(outRoot, `demo-${rev}`));
        totals.push(judge(`demo ${rev} (fixture-free)`, results, expected[`demo ${rev}`], FIXTURE_FREE[rev]));
      }
    } finally {
      await demo.stop();
    }
  }

  if (keepAt < 0) rmSync(outRoot, { recursive: true, force: true });
  else console.log(`conformance: checks.json files kept under ${outRoot}`);
  const passed = totals.reduce((n, t) => n + t.passed, 0);
  const total = totals.reduce((n, t) => n + t.total, 0);
  const expectedFailures = totals.reduce((n, t) => n + t.expectedFailures, 0);
  const bad = totals.reduce((n, t) => n + t.bad, 0);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `conformance: ${passed}/${total} scenarios passed, ${expectedFailures} expected failures, ${bad} unexpected (${secs} s)`,
  );
  process.exit(bad ? 1 : 0);
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
