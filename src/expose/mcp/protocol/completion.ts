/**
 * @module expose/mcp/protocol/completion — `completion/complete`: suggestions for a prompt argument or a resource
 * template variable, from what the endpoint declares (fixed values or a consumed call); none when it declares none.
 */
import { isPlainObject } from '../../../common/json.ts';
import { invalidParams } from './jsonrpc.ts';
import { toRpcError } from './errors.ts';
import type { EndpointView } from './view.ts';
import type { JsonObject } from './types.ts';

/** MCP caps one answer at 100 values. */
const MAX_VALUES = 100;

export async function complete(view: EndpointView, params: unknown): Promise<JsonObject> {
  if (!isPlainObject(params) || !isPlainObject(params.ref) || !isPlainObject(params.argument))
    throw invalidParams('ref and argument are required');
  const { ref, argument } = params;
  const name = argument.name;
  const value = typeof argument.value === 'string' ? argument.value : '';
  if (typeof name !== 'string') throw invalidParams('argument.name is required');
  let values: string[] = [];
  try {
    if (ref.type === 'ref/prompt') {
      const prompt = typeof ref.name === 'string' ? view.prompts.get(ref.name) : undefined;
      if (!prompt) throw invalidParams(`Unknown prompt: ${String(ref.name)}`);
      const arg = prompt.arguments.find((a) => a.name === name);
      if (arg?.complete) values = await arg.complete(value);
    } else if (ref.type === 'ref/resource') {
      const uri = ref.uri;
      const t = view.templates.find((m) => m.resource.uriTemplate === uri);
      const r = t?.resource ?? view.staticResources.find((s) => s.uri === uri);
      if (!r) throw invalidParams(`Unknown resource: ${String(uri)}`);
      if (r.complete) values = await r.complete(name, value);
    } else {
      throw invalidParams(`ref.type must be ref/prompt or ref/resource`);
    }
  } catch (err) {
    throw toRpcError(err);
  }
  return {
    completion: { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES },
  };
}
