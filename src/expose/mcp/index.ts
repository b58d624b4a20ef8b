/** @module expose/mcp — public face of the MCP protocol layer: Streamable HTTP app, stdio server, tool-list check, and the endpoint contract types. */
export { createMcpApp, createMcpState } from './http-app.ts';
export { createMcpFastPath, type NodeHandler } from './node-fast.ts';
export { serveStdio, type StdioIo, type StdioOptions } from './stdio.ts';
export { validateToolList } from './validate-tools.ts';
export type {
  JsonObject, ToolCallContext, ToolResult, ToolAnnotations, McpTool, McpResource, McpPrompt,
  McpCacheHints, McpEndpoint, McpRegistry, McpAppOptions,
} from './types.ts';
