/**
 * @module expose/mcp/protocol/param-headers — `x-mcp-header` (SEP-2243): a tool argument whose schema names a header
 * is mirrored by the client in `Mcp-Param-<Name>` (plain, or `=?base64?…?=` for values a header cannot carry). When
 * the body has the argument, the header must be there and agree; a malformed Base64 value is refused too.
 */
import { isPlainObject } from '../../../common/json.ts';
import type { JsonObject, McpTool } from './types.ts';

interface ParamHeader {
  readonly arg: string;
  readonly header: string;
  readonly type: string;
}

const cache = new WeakMap<McpTool, readonly ParamHeader[]>();

/** The arguments of a tool that travel in headers too (read once per tool object). */
export function paramHeadersOf(tool: McpTool): readonly ParamHeader[] {
  let out = cache.get(tool);
  if (!out) {
    const props = isPlainObject(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
    out = Object.entries(props).flatMap(([arg, p]) =>
      isPlainObject(p) && typeof p['x-mcp-header'] === 'string'
        ? [{ arg, header: p['x-mcp-header'], type: typeof p.type === 'string' ? p.type : 'string' }]
        : [],
    );
    cache.set(tool, out);
  }
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The header's value: decoded from the Base64 sentinel, else literal; undefined when the sentinel is malformed. */
function decode(v: string): string | undefined {
  const m = /^=\?base64\?(.*)\?=$/.exec(v);
  if (!m) return v;
  return BASE64.test(m[1]) ? Buffer.from(m[1], 'base64').toString('utf8') : undefined;
}

function agrees(type: string, header: string, value: unknown): boolean {
  // Integers travel in decimal; compared as numbers so `007` and `7` agree, but an empty header is not 0.
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(header) && Number(header) === value;
  if (type === 'boolean') return header === String(value);
  return header === value;
}

/** The first disagreement between `Mcp-Param-*` headers and the arguments, as a sentence; undefined when none. */
export function paramHeaderProblem(
  tool: McpTool,
  args: JsonObject,
  headers: { get(name: string): string | null | undefined },
): string | undefined {
  for (const p of paramHeadersOf(tool)) {
    const value = args[p.arg];
    // Lower-case: the Node handler's header reader matches lower-case names only.
    const raw = headers.get(`mcp-param-${p.header.toLowerCase()}`)?.trim();
    if (raw === undefined || raw === null) {
      if (value === undefined || value === null) continue;
      return `the body carries argument ${p.arg} but the required Mcp-Param-${p.header} header is absent`;
    }
    const decoded = decode(raw);
    if (decoded === undefined) return `the Mcp-Param-${p.header} header carries an invalid Base64 value`;
    if (value === undefined || value === null) continue;
    if (!agrees(p.type, decoded, value))
      return `the Mcp-Param-${p.header} header does not match argument ${p.arg} of the body`;
  }
  return undefined;
}
