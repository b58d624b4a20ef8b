/**
 * @module test/helpers/mcp-tasks — raw 2026-07-28 requests for task tests: the `_meta` envelope (declaring the tasks
 * extension unless told otherwise) and the SEP-2243 headers, `Mcp-Name` included for tools/call and tasks/*.
 */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
export const WITH_TASKS = { extensions: { [TASKS_EXTENSION]: {} } };

export interface RpcReply {
  status: number;
  body: any;
}

export async function rpc(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  caps: Record<string, unknown> = WITH_TASKS,
  headers: Record<string, string> = {},
): Promise<RpcReply> {
  const name =
    typeof params.name === 'string' ? params.name : typeof params.taskId === 'string' ? params.taskId : undefined;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name !== undefined ? { 'mcp-name': name } : {}),
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': caps,
        },
      },
    }),
  });
  return { status: res.status, body: await res.json() };
}

/** tasks/get until the task leaves `working` (or `limitMs` passes); the last reply. */
export async function pollUntilSettled(url: string, taskId: string, limitMs = 10_000): Promise<any> {
  const until = Date.now() + limitMs;
  for (;;) {
    const r = await rpc(url, 'tasks/get', { taskId });
    if (r.body.error || r.body.result.status !== 'working' || Date.now() > until) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
}
