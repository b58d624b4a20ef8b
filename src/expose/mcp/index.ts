/**
 * @module expose/mcp — public face of the MCP exposer: endpoints built from the plan, Streamable HTTP (Node handler
 * and web app), stdio, and the endpoint contract types.
 */
export {
  buildEndpoints,
  createEndpointBuilder,
  serverNameOf,
  type EndpointAuth,
  type BuildEndpointsOptions,
  type EndpointBuilder,
} from './endpoints.ts';
export { createLiveRegistry, type LiveRegistry, type ListChange } from './protocol/registry.ts';
export { createMcpHttp, type McpHttp } from './transport/http-app.ts';
export type { NodeHandler } from './transport/node-handler.ts';
export { serveStdio, type StdioIo, type StdioOptions, type StdioServer } from './transport/stdio.ts';
export { validateToolList } from './protocol/tool-list-check.ts';
export { setRequestStateKey } from './protocol/ask.ts';
export type {
  JsonObject,
  ToolCallContext,
  ToolResult,
  ToolAnnotations,
  McpTool,
  McpResource,
  McpPrompt,
  McpCacheHints,
  McpEndpoint,
  McpRegistry,
  McpAppOptions,
} from './protocol/types.ts';
