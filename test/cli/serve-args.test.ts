/** `capgate serve` options: flags, environment, and rejected values. */
import { describe, expect, it } from 'vitest';
import { httpOptionsFromEnv, parseServeArgs } from '../../src/cli/serve-options.ts';

describe('serve arguments', () => {
  it('parses flags over the environment defaults', () => {
    const a = parseServeArgs(['caps', '--upstream', 'ns=http://x', '--rest-port', '0', '--partial'], {
      CAPGATE_MCP_PORT: '9191',
    });
    expect(a).toMatchObject({
      paths: ['caps'],
      upstreams: ['ns=http://x'],
      restPort: 0,
      mcpPort: 9191,
      partial: true,
      stdio: false,
    });
  });

  it('rejects unknown options, bad ports and missing paths', () => {
    expect(parseServeArgs(['caps', '--nope'], {})).toEqual({ error: "unknown option '--nope'" });
    expect(parseServeArgs(['caps', '--rest-port', '70000'], {})).toEqual({
      error: "option '--rest-port <port>' argument '70000' is invalid. A port is an integer from 0 to 65535.",
    });
    expect(parseServeArgs([], {})).toEqual({ error: "missing required argument 'paths'" });
  });

  it('a flag wins over its environment variable; a bad environment value names the variable', () => {
    expect(parseServeArgs(['caps', '--rest-port', '81'], { CAPGATE_REST_PORT: '80' })).toMatchObject({ restPort: 81 });
    expect(parseServeArgs(['caps'], { CAPGATE_REST_PORT: '80', CAPGATE_HOST: '0.0.0.0' })).toMatchObject({
      restPort: 80,
      host: '0.0.0.0',
    });
    expect(parseServeArgs(['caps'], { CAPGATE_MCP_PORT: '9o90' })).toEqual({
      error: "environment variable CAPGATE_MCP_PORT '9o90' is invalid. A port is an integer from 0 to 65535.",
    });
  });

  it('--upstream repeats; options may come before or after the paths', () => {
    expect(
      parseServeArgs(['--upstream', 'a=http://a', 'caps', 'more', '--upstream', 'b=http://b', '--stdio'], {}),
    ).toEqual({
      paths: ['caps', 'more'],
      upstreams: ['a=http://a', 'b=http://b'],
      partial: false,
      stdio: true,
      watch: true,
      control: true,
    });
  });

  it('reads upstream limits from the environment and refuses nonsense', () => {
    expect(httpOptionsFromEnv({})).toEqual({});
    expect(httpOptionsFromEnv({ CAPGATE_UPSTREAM_TIMEOUT_MS: '1500', CAPGATE_UPSTREAM_CONNECTIONS: '64' })).toEqual({
      requestTimeoutMs: 1500,
      connectionsPerOrigin: 64,
    });
    expect(httpOptionsFromEnv({ CAPGATE_MAX_RESPONSE_BYTES: '-1' })).toEqual({
      error: "CAPGATE_MAX_RESPONSE_BYTES must be a positive integer (got '-1')",
    });
  });
});
