/**
 * @module test/helpers/mcp-tasks — raw 2026-07-28 requests for task tests: the `_meta` envelope (declaring the tasks
 * extension unless told otherwise) and the SEP-2243 headers, `Mcp-Name` included for tools/call and tasks/*.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient } from '@modelcontextprotocol/ext-tasks/client';

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

/**
 * An `@modelcontextprotocol/ext-tasks` session on a 2026-07-28 endpoint: the SDK v2 client negotiates, and the
 * extension's raw dispatch frames each request with the `_meta` envelope and the SEP-2243 headers (the SDK v2
 * client's own codecs reject task shapes). Sessions given the same `endpointId` treat their URLs as one endpoint
 * (replicas), so a task reference from one resumes on another.
 */
export async function extTasksSession(url: string, endpointId = 'capgate-test') {
  const clientInfo = { name: 'capgate-tests', version: '0' };
  const clientCapabilities = {};
  const client = new Client(clientInfo, { capabilities: clientCapabilities, versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  let id = 1;
  const rawDispatch = async (request: any, options?: any) => {
    const p = request.params ?? {};
    const name =
      request.method === 'tools/call' ? p.name : String(request.method).startsWith('tasks/') ? p.taskId : undefined;
    const res = await fetch(url, {
      method: 'POST',
      signal: options?.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': p._meta['io.modelcontextprotocol/protocolVersion'],
        'mcp-method': request.method,
        ...(name !== undefined ? { 'mcp-name': name } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: id++, ...request }),
    });
    const msg = (await res.json()) as any;
    return msg.error ? { kind: 'error', error: msg.error } : { kind: 'result', result: msg.result };
  };
  const tasks = createTaskSessionFromClient(
    client as any,
    {
      endpointId,
      rawDispatch,
      v2RequestFraming: { protocolVersion: '2026-07-28', clientInfo, clientCapabilities },
    } as any,
  );
  return {
    tasks,
    close: async () => {
      await tasks.close();
      await client.close();
    },
  };
}

/**
 * Open a 2026-07-28 `subscriptions/listen` stream with the given filter and read its JSON-RPC messages until
 * `enough` says so (or `limitMs` passes); the stream is closed after. A non-stream answer is returned as `reply`.
 */
export async function listenUntil(
  url: string,
  notifications: Record<string, unknown>,
  enough: (messages: any[]) => boolean,
  caps: Record<string, unknown> = WITH_TASKS,
  limitMs = 10_000,
): Promise<{ status: number; messages: any[]; reply?: any }> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), limitMs);
  const res = await fetch(url, {
    method: 'POST',
    signal: ctrl.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'subscriptions/listen',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 'listen-1',
      method: 'subscriptions/listen',
      params: {
        notifications,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': caps,
        },
      },
    }),
  });
  const messages: any[] = [];
  try {
    if (!res.headers.get('content-type')?.includes('text/event-stream')) {
      return { status: res.status, messages, reply: await res.json() };
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as any as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('\n');
        if (data) messages.push(JSON.parse(data));
      }
      if (enough(messages)) break;
    }
  } catch (err) {
    if (!ctrl.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return { status: res.status, messages };
}
