import { describe, expect, it } from 'vitest';
import { validateToolList } from '../../../src/expose/mcp/index.ts';
import type { McpTool } from '../../../src/expose/mcp/protocol/types.ts';

const call = async () => ({ ok: true as const, value: null });
const good: McpTool = {
  name: 'get_ship.v2-x',
  description: 'Fine',
  inputSchema: { type: 'object', properties: { a: { type: 'string' } } },
  outputSchema: { type: 'object' },
  annotations: { readOnlyHint: true },
  call,
};

describe('validateToolList', () => {
  it('accepts a well-formed list, including draft-07 $schema and x- keywords', () => {
    const t2: McpTool = {
      ...good,
      name: 'other',
      inputSchema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { a: { type: 'string', 'x-mcp-header': 'A' } },
      },
    };
    expect(validateToolList([good, t2])).toEqual([]);
  });

  it('reports each bad tool without hiding the others', () => {
    const bad: McpTool[] = [
      { ...good, name: 'has space' },
      { ...good, name: 'x'.repeat(129) },
      { ...good, name: 'nodesc', description: '  ' },
      { ...good, name: 'notobject', inputSchema: { type: 'string' } },
      { ...good, name: 'outarray', outputSchema: { type: 'array' } },
      { ...good, name: 'hint', annotations: { readOnlyHint: 'yes' as unknown as boolean } },
      { ...good, name: 'nocompile', inputSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } },
      {
        ...good,
        name: 'cyclic',
        inputSchema: (() => {
          const s: Record<string, unknown> = { type: 'object' };
          s.self = s;
          return s;
        })(),
      },
      good,
      { ...good },
    ];
    const problems = validateToolList(bad);
    const byTool = (n: string) =>
      problems
        .filter((p) => p.tool === n)
        .map((p) => p.problem)
        .join(' | ');
    expect(byTool('has space')).toContain('name');
    expect(byTool('x'.repeat(129))).toContain('name');
    expect(byTool('nodesc')).toContain('description');
    expect(byTool('notobject')).toContain('inputSchema');
    expect(byTool('outarray')).toContain('outputSchema');
    expect(byTool('hint')).toContain('readOnlyHint');
    expect(byTool('nocompile')).toContain('does not compile');
    expect(byTool('cyclic')).toContain('serialisable');
    expect(byTool(good.name)).toBe('duplicate tool name');
  });
});
