/**
 * @module expose/mcp/transport/http-app — MCP over Streamable HTTP for both protocol eras: one
 * state, two doors to the same routing (http-route.ts). The Node handler is what a listening
 * server uses; the Hono app serves web Requests (in-process tests, other runtimes).
 */
import { Hono } from 'hono';
import type { McpAppOptions, McpRegistry } from '../protocol/types.ts';
import { toResponse } from './http-out.ts';
import { createMcpState, routeFailure, routeMcp, type McpHttpState } from './http-route.ts';
import { WebInbound } from './inbound.ts';
import { createNodeHandler, type NodeHandler } from './node-handler.ts';

export interface McpHttp {
  readonly state: McpHttpState;
  readonly app: Hono;
  readonly handler: NodeHandler;
}

/**
 * Streamable HTTP for every endpoint of the registry (read per request, so a swapped endpoint list applies at once).
 */
export function createMcpHttp(registry: McpRegistry, opts: McpAppOptions): McpHttp {
  const state = createMcpState(registry, opts);
  const app = new Hono();
  app.all('*', async (c) => {
    const req = new WebInbound(c.req.raw);
    try {
      return toResponse(await routeMcp(state, req));
    } catch (err) {
      return toResponse(routeFailure(err, req));
    }
  });
  return { state, app, handler: createNodeHandler(state) };
}
