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
    expect(parseServeArgs(['caps', '--nope'], {})).toEqual({ error: 'unknown option --nope' });
    expect(parseServeArgs(['caps', '--rest-port', '70000'], {})).toHaveProperty('error');
    expect(parseServeArgs([], {})).toHaveProperty('error');
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
