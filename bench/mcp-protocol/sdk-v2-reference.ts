/** @module bench/mcp-protocol/sdk-v2-reference — an SDK v2 createMcpHandler server with one echo tool, used to compare wire output and CPU cost with capgate's hand-rolled layer. */
import { McpServer, createMcpHandler, fromJsonSchema } from '@modelcontextprotocol/server';

export function createSdkV2Handler() {
  const factory = () => {
    const server = new McpServer({ name: 'capgate', version: '0.1.0' }, { capabilities: { tools: { listChanged: true } } });
    server.registerTool('echo', {
      title: 'Echo',
      description: 'Echo a message',
      inputSchema: fromJsonSchema({ type: 'object', properties: { msg: { type: 'string' } }, required: ['msg'] }),
      outputSchema: fromJsonSchema({ type: 'object', properties: { msg: { type: 'string' } }, required: ['msg'] }),
      annotations: { readOnlyHint: true },
    }, async (args: any) => ({ content: [{ type: 'text', text: JSON.stringify({ msg: args.msg }) }], structuredContent: { msg: args.msg } }));
    return server;
  };
  return createMcpHandler(factory as any);
}
