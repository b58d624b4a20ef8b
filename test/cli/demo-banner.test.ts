/**
 * The demo's "try it" lines are commands people paste: they must name real routes of the bundled capabilities on the
 * URLs the demo listens on, and use the MCP Inspector's command-line mode the way it parses arguments.
 */
import { describe, expect, it } from 'vitest';
import { demoBanner } from '../../src/cli/demo.ts';
import type { Plan } from '../../src/plan/types.ts';

const started = {
  plan: { rest: [] } as unknown as Plan,
  urls: ['http://127.0.0.1:8080', 'http://127.0.0.1:9090/mcp'],
};

describe('demo banner', () => {
  const lines = demoBanner(started, 'http://127.0.0.1:8787', true);

  it('lists where the demo listens', () => {
    expect(lines).toContain('  REST       http://127.0.0.1:8080');
    expect(lines).toContain('  MCP        http://127.0.0.1:9090/mcp');
    expect(lines).toContain('  simulator  http://127.0.0.1:8787');
  });

  it('starts a task with Prefer: respond-async on the purchase route', () => {
    const start = lines.find((l) => l.includes('respond-async'));
    expect(start).toMatch(
      /curl -si -X POST http:\/\/127\.0\.0\.1:8080\/amba\/projects\/[0-9a-f-]{36}\/domains\/purchase /,
    );
  });

  it('calls the Inspector in CLI mode over HTTP, one --tool-arg per argument', () => {
    const call = lines.find((l) => l.includes('--method tools/call'))!;
    expect(call).toContain('npx -y @modelcontextprotocol/inspector --cli http://127.0.0.1:9090/mcp --transport http');
    expect(call.match(/--tool-arg /g)).toHaveLength(2);
  });

  it('has no "try it" lines for files other than the bundled ones', () => {
    expect(demoBanner(started, 'http://127.0.0.1:8787', false).some((l) => l.includes('curl'))).toBe(false);
  });
});
