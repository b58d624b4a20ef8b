/** @module expose/mcp — public face of the MCP protocol layer: Streamable HTTP app, stdio server, tool-list check, and the endpoint contract types. */
export { createMcpApp, createMcpState } from './transport/http-app.ts';
export { createMcpFastPath, type NodeHandler } from './transport/node-handler.ts';
export { serveStdio, type StdioIo, type StdioOptions } from './transport/stdio.ts';
export { validateToolList } from './protocol/tool-list-check.ts';
export type {
  JsonObject, ToolCallContext, ToolResult, ToolAnnotations, McpTool, McpResource, McpPrompt,
  McpCacheHints, McpEndpoint, McpRegistry, McpAppOptions,
} from './protocol/types.ts';
