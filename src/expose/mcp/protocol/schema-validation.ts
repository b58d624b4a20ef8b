/**
 * @module expose/mcp/protocol/schema-validation — compiles each tool's input/output JSON Schema once (Ajv, draft
 * 2020-12, common/json-schema.ts) and keeps the validators with the tool.
 */
import type { ValidateFunction } from 'ajv';
import { compileSchema } from '../../../common/json-schema.ts';
import type { McpTool } from './types.ts';

export interface ToolValidators {
  input: ValidateFunction;
  output?: ValidateFunction;
}

const compiled = new WeakMap<McpTool, ToolValidators>();

/** Validators of a tool object, compiled on first call and cached for the life of that object. */
export function validatorsOf(tool: McpTool): ToolValidators {
  let v = compiled.get(tool);
  if (!v) {
    v = {
      input: compileSchema(tool.inputSchema),
      ...(tool.outputSchema && { output: compileSchema(tool.outputSchema) }),
    };
    compiled.set(tool, v);
  }
  return v;
}
