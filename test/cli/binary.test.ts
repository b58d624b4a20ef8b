/**
 * The `capgate` binary as a new user meets it: help and version on every command (exit 0, nothing
 * started), usage errors (one line naming the problem, the command's usage, exit 2), bad and busy
 * ports (a clear line, exit 2 or 1, never a stack trace), and the demo's printed URLs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStack, holdPort, ROOT, runCli, startCli } from './run-cli.ts';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const COMMANDS = ['validate', 'inspect', 'serve', 'simulate', 'demo'];

describe('capgate --help and --version', () => {
  it('the binary prints its help and the package version, exit 0', async () => {
    const [help, version, short] = await Promise.all([runCli(['--help']), runCli(['--version']), runCli(['-v'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: capgate');
    for (const c of COMMANDS) expect(help.stdout).toContain(c);
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(short.stdout).toBe(`${VERSION}\n`);
  });

  it.each(COMMANDS)('%s --help prints its usage and options, exit 0, and starts nothing', async (cmd) => {
    // A command that started a server would still be running when the timeout kills it (code null).
    const r = await runCli([cmd, '--help'], { timeoutMs: 10_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Usage: capgate ${cmd} `));
    expect(r.stdout).not.toMatch(/listening|simulator on/);
  });

  it('serve --help lists every serve option with its environment variable', async () => {
    const r = await runCli(['serve', '--help']);
    for (const text of [
      '--upstream',
      '--rest-port',
      'CAPGATE_REST_PORT',
      '--mcp-port',
      'CAPGATE_MCP_PORT',
      '--host',
      'CAPGATE_HOST',
      '--partial',
      '--stdio',
      'CAPGATE_UPSTREAM_TIMEOUT_MS',
    ])
      expect(r.stdout).toContain(text);
  });

  it('demo --help shows the serve options too (one shared declaration)', async () => {
    const r = await runCli(['demo', '--help']);
    for (const text of ['--sim-port', '--rest-port', '--mcp-port', '--upstream', '--partial'])
      expect(r.stdout).toContain(text);
  });
});

describe('capgate usage errors', () => {
  it.each(COMMANDS)('%s --frobnicate: one line naming the option, the usage, exit 2', async (cmd) => {
    const r = await runCli([cmd, '--frobnicate', 'capabilities'], { timeoutMs: 10_000 });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe("error: unknown option '--frobnicate'");
    expect(r.stderr).toContain(`usage: capgate ${cmd} `);
    expect(hasStack(r.stderr)).toBe(false);
  });

  it('an unknown command is named, with a suggestion and the usage, exit 2', async () => {
    const r = await runCli(['serv', 'capabilities']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown command 'serv'");
    expect(r.stderr).toContain('(Did you mean serve?)');
    expect(r.stderr).toContain('usage: capgate ');
  });

  it('no command, or a command without its paths, is a usage error (exit 2)', async () => {
    const [none, validate, serve] = await Promise.all([runCli([]), runCli(['validate']), runCli(['serve'])]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: capgate');
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain("error: missing required argument 'paths'");
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain("error: missing required argument 'paths'");
  });
});

describe('capgate validate through the binary', () => {
  it('stderr that is not a terminal gets no progress; stdout has the problems and the summary', async () => {
    const r = await runCli(['validate', '--quiet', 'capabilities']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('5 files: 5 valid, 0 invalid, 8 warnings\n');
  });
});

describe('ports', () => {
  it.each([
    ['simulate', '--port', 'abc'],
    ['simulate', '--port', '70000'],
    ['demo', '--sim-port', '-1'],
    ['serve', '--rest-port', '8080.5'],
    ['serve', '--mcp-port', 'x'],
    ['inspect', '--rest-port', '65536'],
  ])('%s %s %s: the option and the rule, exit 2, no stack trace, nothing started', async (cmd, flag, value) => {
    const r = await runCli([cmd, flag, value, 'capabilities'], { timeoutMs: 10_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `error: option '${flag} <port>' argument '${value}' is invalid. A port is an integer from 0 to 65535.`,
    );
    expect(hasStack(r.stderr)).toBe(false);
  });

  it('a bad port in the environment is named too (CAPGATE_REST_PORT), exit 2', async () => {
    const r = await runCli(['serve', 'capabilities'], { env: { CAPGATE_REST_PORT: 'eighty' } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      "error: environment variable CAPGATE_REST_PORT 'eighty' is invalid. A port is an integer from 0 to 65535.",
    );
  });

  describe('a busy port: one line naming port and host, exit 1, no stack trace', () => {
    let held: { port: number; close: () => Promise<void> };
    beforeAll(async () => {
      held = await holdPort();
    });
    afterAll(async () => {
      await held?.close();
    });

    const busy = () => `error port ${held.port} on 127.0.0.1 is already in use`;

    it('simulate --port', async () => {
      const r = await runCli(['simulate', '--port', String(held.port)]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(busy());
    });

    it("demo --sim-port (the simulator's port)", async () => {
      const r = await runCli(['demo', '--sim-port', String(held.port), '--rest-port', '0', '--mcp-port', '0']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(busy());
      expect(hasStack(r.stderr)).toBe(false);
    });

    it("demo --rest-port (the gateway's port): the simulator is stopped again", async () => {
      const r = await runCli(['demo', '--sim-port', '0', '--rest-port', String(held.port), '--mcp-port', '0']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(busy());
      expect(hasStack(r.stderr)).toBe(false);
    });

    it('serve --mcp-port', async () => {
      const r = await runCli(['serve', '--rest-port', '0', '--mcp-port', String(held.port), 'capabilities']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(busy());
      expect(hasStack(r.stderr)).toBe(false);
    });
  });
});

describe('capgate demo', () => {
  it('prints the real URLs of its listeners and try-it commands that work on them', async () => {
    const demo = await startCli(
      ['demo', '--sim-port', '0', '--rest-port', '0', '--mcp-port', '0'],
      /--tool-name bctrl-wait-for-operation .*\n/,
    );
    try {
      const log = demo.stderr();
      const rest = /^ {2}REST +(http:\S+)$/m.exec(log)?.[1];
      const mcp = /^ {2}MCP +(http:\S+)$/m.exec(log)?.[1];
      const sim = /^ {2}simulator +(http:\S+)$/m.exec(log)?.[1];
      expect(rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(mcp).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect(sim).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The listeners were asked for any free port, so none of the defaults may appear.
      expect(log).not.toMatch(/:8080|:9090|:8787/);
      const curls = [...log.matchAll(/curl -s (?:-H 'Prefer: wait=\d+' )?(http:\S+)/g)].map((m) => m[1]);
      expect(curls.length).toBeGreaterThanOrEqual(2);
      for (const url of curls) {
        expect(url.startsWith(`${rest}/`)).toBe(true);
        const res = await fetch(url);
        expect(res.status).toBe(200);
      }
      const purchase = /curl -si -X POST (http:\S+) -H 'Prefer: respond-async'/.exec(log)?.[1];
      expect(purchase?.startsWith(`${rest}/`)).toBe(true);
      const started = await fetch(purchase!, {
        method: 'POST',
        headers: { prefer: 'respond-async', 'content-type': 'application/json' },
        body: JSON.stringify({ domain: 'acme-robotics.dev' }),
      });
      expect(started.status).toBe(202);
      expect(started.headers.get('location')).toMatch(/^\/_capgate\/tasks\//);
      expect(log).toContain(`--cli ${mcp} --transport http --method tools/list`);
    } finally {
      demo.child.kill('SIGTERM');
      expect(await demo.exited).toBe(0);
    }
  });
});
