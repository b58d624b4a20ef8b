/**
 * capgate's MCP declarations end to end, on a real gateway over a mock upstream: content blocks from upstream
 * answers (by content type and x-capgate-content), binary resources, prompts that embed resources,
 * completion/complete (x-capgate-complete), -32021 (x-capgate-requires), logging, x-capgate-ask (input_required on
 * 2026-07-28, elicitation/create on 2025-11-25), x-mcp-header and tool input schemas in JSON Schema 2020-12.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { randomBytes } from 'node:crypto';
import { setRequestStateKey } from '../../../src/expose/mcp/index.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startGateway, type StartedGateway } from '../../helpers/start-gateway.ts';
import { call } from './wire.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const WAV = Buffer.from('UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=', 'base64');
const PDF = Buffer.from('%PDF-1.4 \x00\x01\x02 binary', 'latin1');

const YAML = `
naftiko: 1.0.0-alpha2
info: { label: MCP features, description: capgate MCP declarations under test }
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://up.invalid
      resources:
        - name: all
          path: /
          operations:
            - { name: png, method: GET, path: /png }
            - { name: wav, method: GET, path: /wav }
            - { name: report, method: GET, path: /report, outputRawFormat: json }
            - { name: doc, method: GET, path: /doc }
            - name: file
              method: GET
              path: /files/{id}
              inputParameters: [{ name: id, in: path }]
            - name: echo
              method: GET
              path: /echo
              inputParameters: [{ name: text, in: query }]
            - name: words
              method: GET
              path: /words
              outputRawFormat: json
              inputParameters: [{ name: prefix, in: query }]
            - name: remove
              method: DELETE
              path: /items/{id}
              inputParameters: [{ name: id, in: path }]
  exposes:
    - type: mcp
      namespace: feat
      port: 9090
      tools:
        - name: chart
          description: A chart image.
          call: up.png
        - name: jingle
          description: A sound.
          call: up.wav
        - name: report
          description: Summary, chart and data of one JSON answer.
          call: up.report
          x-capgate-content:
            - { type: text, from: $.summary }
            - { type: image, from: $.chart, mimeType: image/png }
            - { type: resource, from: $.data, uri: 'report://data', mimeType: application/json }
        - name: document
          description: The document, embedded.
          call: up.doc
          x-capgate-content: { type: resource, uri: 'doc://readme' }
        - name: missing-part
          description: Declares a value the answer lacks.
          call: up.report
          x-capgate-content: { type: text, from: $.nothing }
        - name: summarize
          description: Needs the client's model.
          call: up.echo
          with: { text: summarized }
          x-capgate-requires: [sampling]
        - name: greet
          description: Asks for a name first.
          call: up.echo
          with: { text: 'Hello, {{name}}!' }
          x-capgate-ask:
            questions:
              - key: who
                message: What is your name?
                properties: { name: { type: string } }
                required: [name]
        - name: remove
          description: Deletes an item.
          inputParameters:
            - { name: id, type: string, description: Item id, required: true }
          call: up.remove
          with: { id: '{{id}}' }
          x-capgate-ask:
            confirm: 'Delete item {{id}}?'
        - name: shout
          description: Echoes a word the client also sends in a header.
          inputParameters:
            - { name: word, type: string, description: The word, required: true, x-mcp-header: Word }
            - { name: times, type: integer, description: How often, required: false, x-mcp-header: Times }
          call: up.echo
          with: { text: '{{word}}' }
        - name: contact
          description: JSON Schema 2020-12 arguments.
          call: up.echo
          with: { text: 'contact {{name}}' }
          inputSchema:
            $schema: https://json-schema.org/draft/2020-12/schema
            $defs:
              address:
                $anchor: addressDef
                type: object
                properties: { city: { type: string } }
            properties:
              name: { type: string }
              address: { $ref: '#/$defs/address' }
              phone: { type: string }
              email: { type: string }
            required: [name]
            anyOf:
              - required: [phone]
              - required: [email]
            additionalProperties: false
      resources:
        - name: text
          label: Text
          uri: feat://text
          description: Plain text.
          mimeType: text/plain
          call: up.doc
        - name: logo
          label: Logo
          uri: feat://logo
          description: A PNG.
          call: up.png
        - name: file
          label: File
          uri: feat://files/{id}
          description: A PDF by id.
          call: up.file
          with: { id: '{{id}}' }
          x-capgate-complete:
            id: { values: ['7', '70', '8'] }
      prompts:
        - name: review
          label: Review
          description: Review a document.
          arguments:
            - name: uri
              description: The resource to review.
              x-capgate-complete: { values: ['feat://text', 'feat://logo'] }
            - name: topic
              description: The topic.
              required: false
              x-capgate-complete:
                call: up.words
                with: { prefix: '{{value}}' }
          template:
            - role: user
              x-capgate-resource: '{{uri}}'
            - role: user
              content: Please review the resource above.
`;

let upstream: MockUpstream;
let gw: StartedGateway;

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [
      { method: 'GET', path: '/png', reply: { headers: { 'content-type': 'image/png' }, body: PNG } },
      { method: 'GET', path: '/wav', reply: { headers: { 'content-type': 'audio/wav' }, body: WAV } },
      {
        method: 'GET',
        path: '/report',
        reply: { json: { summary: 'All good', chart: PNG.toString('base64'), data: { ok: true, n: 3 } } },
      },
      { method: 'GET', path: '/doc', reply: { body: 'The readme.' } },
      {
        method: 'GET',
        path: '/files/:id',
        reply: { headers: { 'content-type': 'application/pdf' }, body: PDF },
      },
      { method: 'GET', path: '/echo', reply: (req) => ({ body: req.searchParams.get('text') ?? '' }) },
      {
        method: 'GET',
        path: '/words',
        reply: (req) => ({
          json: ['test', 'testing', 'value'].filter((w) => w.startsWith(req.searchParams.get('prefix') ?? '')),
        }),
      },
      { method: 'DELETE', path: '/items/:id', reply: { status: 204 } },
    ],
  });
  gw = await startGateway(YAML, { upstream: upstream.url, mcpSessions: true });
});

afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

const toolCall = (name: string, args?: Record<string, unknown>, opts?: Parameters<typeof call>[3]) =>
  call(gw.mcp, 'tools/call', { name, ...(args ? { arguments: args } : {}) }, opts);

async function connect2025(onElicit?: (params: any) => unknown): Promise<Client> {
  const client = new Client(
    { name: 'features-test', version: '1.0.0' },
    { capabilities: onElicit ? { elicitation: {} } : {} },
  );
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, async (req) => onElicit(req.params) as any);
  await client.connect(new StreamableHTTPClientTransport(new URL(gw.mcp)));
  return client;
}

describe('content blocks from upstream answers', () => {
  it('an image/* or audio/* answer is an image or audio block with the bytes in base64', async () => {
    const image = (await toolCall('chart', {})).message.result;
    expect(image.content).toEqual([{ type: 'image', data: PNG.toString('base64'), mimeType: 'image/png' }]);
    const audio = (await toolCall('jingle', {})).message.result;
    expect(audio.content).toEqual([{ type: 'audio', data: WAV.toString('base64'), mimeType: 'audio/wav' }]);
  });

  it('x-capgate-content builds text, image and embedded resource blocks from values of one JSON answer', async () => {
    const r = (await toolCall('report', {})).message.result;
    expect(r.resultType).toBe('complete');
    expect(r.content).toEqual([
      { type: 'text', text: 'All good' },
      { type: 'image', data: PNG.toString('base64'), mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'report://data', mimeType: 'application/json', text: '{"ok":true,"n":3}' } },
    ]);
  });

  it('x-capgate-content embeds a whole text answer as a resource with the declared uri', async () => {
    const r = (await toolCall('document', {})).message.result;
    expect(r.content).toEqual([
      { type: 'resource', resource: { uri: 'doc://readme', mimeType: 'text/plain', text: 'The readme.' } },
    ]);
  });

  it('a declared value the answer lacks is a tool error naming the path, not a crash', async () => {
    const r = (await toolCall('missing-part', {})).message.result;
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toContain('$.nothing');
  });
});

describe('resources', () => {
  it('a binary answer is read as a base64 blob with its media type; text stays text', async () => {
    const logo = (await call(gw.mcp, 'resources/read', { uri: 'feat://logo' })).message.result;
    expect(logo.contents).toEqual([{ uri: 'feat://logo', mimeType: 'image/png', blob: PNG.toString('base64') }]);
    const file = (await call(gw.mcp, 'resources/read', { uri: 'feat://files/7' })).message.result;
    expect(file.contents[0]).toMatchObject({ uri: 'feat://files/7', mimeType: 'application/pdf' });
    expect(Buffer.from(file.contents[0].blob, 'base64').equals(PDF)).toBe(true);
    const text = (await call(gw.mcp, 'resources/read', { uri: 'feat://text' })).message.result;
    expect(text.contents).toEqual([{ uri: 'feat://text', mimeType: 'text/plain', text: 'The readme.' }]);
  });

  it('an unknown URI is -32602 with the URI in data (SEP-2164), never an empty result', async () => {
    const r = await call(gw.mcp, 'resources/read', { uri: 'feat://nope' });
    expect(r.message.error).toMatchObject({ code: -32602, data: { uri: 'feat://nope' } });
  });

  it('list results carry cache hints on 2026-07-28', async () => {
    for (const m of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']) {
      const r = (await call(gw.mcp, m)).message.result;
      expect(r, m).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    }
  });
});

describe('prompts that embed resources', () => {
  it('x-capgate-resource embeds the named resource (text or image) as a message', async () => {
    const text = (await call(gw.mcp, 'prompts/get', { name: 'review', arguments: { uri: 'feat://text' } })).message;
    expect(text.result.messages).toEqual([
      {
        role: 'user',
        content: { type: 'resource', resource: { uri: 'feat://text', mimeType: 'text/plain', text: 'The readme.' } },
      },
      { role: 'user', content: { type: 'text', text: 'Please review the resource above.' } },
    ]);
    const image = (await call(gw.mcp, 'prompts/get', { name: 'review', arguments: { uri: 'feat://logo' } })).message;
    expect(image.result.messages[0].content).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(image.result.messages[0].content.data).toBe(PNG.toString('base64'));
  });

  it('an embedded URI that names no resource is -32602', async () => {
    const r = await call(gw.mcp, 'prompts/get', { name: 'review', arguments: { uri: 'feat://nope' } });
    expect(r.message.error.code).toBe(-32602);
  });
});

describe('completion/complete', () => {
  const complete = (ref: Record<string, unknown>, name: string, value: string) =>
    call(gw.mcp, 'completion/complete', { ref, argument: { name, value } });

  it('declares completions and suggests declared values that start with what was typed', async () => {
    const discover = (await call(gw.mcp, 'server/discover')).message.result;
    expect(discover.capabilities.completions).toEqual({});
    const r = (await complete({ type: 'ref/prompt', name: 'review' }, 'uri', 'feat://t')).message.result;
    expect(r).toMatchObject({ resultType: 'complete', completion: { values: ['feat://text'] } });
    const t = (await complete({ type: 'ref/resource', uri: 'feat://files/{id}' }, 'id', '7')).message.result;
    expect(t.completion.values).toEqual(['7', '70']);
  });

  it('asks a consumed call with what was typed as {{value}}', async () => {
    const r = (await complete({ type: 'ref/prompt', name: 'review' }, 'topic', 'tes')).message.result;
    expect(r.completion.values).toEqual(['test', 'testing']);
    expect(upstream.requests.at(-1)?.searchParams.get('prefix')).toBe('tes');
  });

  it('an argument without completions has none; an unknown prompt is -32602', async () => {
    const none = await complete({ type: 'ref/resource', uri: 'feat://text' }, 'x', '');
    expect(none.message.result.completion.values).toEqual([]);
    const unknown = await complete({ type: 'ref/prompt', name: 'nope' }, 'uri', '');
    expect(unknown.message.error.code).toBe(-32602);
  });
});

describe('x-capgate-requires', () => {
  it('refuses a call whose request does not declare the capability with -32021 and HTTP 400, upstream untouched', async () => {
    const before = upstream.requests.length;
    const r = await toolCall('summarize', {}, { id: 41 });
    expect(r.status).toBe(400);
    expect(r.message).toMatchObject({
      id: 41,
      error: { code: -32021, data: { requiredCapabilities: { sampling: {} } } },
    });
    expect(upstream.requests.length).toBe(before);
  });

  it('runs the call when the request declares it', async () => {
    const r = await toolCall(
      'summarize',
      {},
      { meta: { 'io.modelcontextprotocol/clientCapabilities': { sampling: {} } } },
    );
    expect(r.message.result.content).toEqual([{ type: 'text', text: 'summarized' }]);
  });
});

describe('logging', () => {
  it('2026-07-28: no log message without a logLevel in _meta', async () => {
    const r = await toolCall('chart', {});
    expect(r.notifications).toEqual([]);
    expect(r.message.result.content[0].type).toBe('image');
  });

  it('2026-07-28: messages at or above the requested level, on the call stream before the result', async () => {
    const debug = await toolCall('chart', {}, { meta: { 'io.modelcontextprotocol/logLevel': 'debug' } });
    expect(debug.contentType).toMatch(/^text\/event-stream/);
    const levels = debug.notifications.filter((n) => n.method === 'notifications/message').map((n) => n.params.level);
    expect(levels).toEqual(['info', 'debug', 'info']);
    expect(debug.message.result.content[0].type).toBe('image');
    const warning = await toolCall('chart', {}, { meta: { 'io.modelcontextprotocol/logLevel': 'warning' } });
    expect(warning.notifications.filter((n) => n.method === 'notifications/message')).toEqual([]);
  });

  it('2026-07-28: a logLevel that is not a level is -32602', async () => {
    const r = await toolCall('chart', {}, { meta: { 'io.modelcontextprotocol/logLevel': 'loud' } });
    expect(r.message.error.code).toBe(-32602);
  });

  it('2025-11-25: logging/setLevel holds for the session; its calls are told to the client', async () => {
    const client = await connect2025();
    try {
      const messages: LoggingMessageNotification['params'][] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params));
      expect(client.getServerCapabilities()?.logging).toEqual({});
      await client.setLoggingLevel('info');
      await client.callTool({ name: 'chart', arguments: {} });
      expect(messages.map((m) => m.level)).toEqual(['info', 'info']);
      expect(String(messages[0].data)).toContain('chart: started');
    } finally {
      await client.close();
    }
  });
});

describe('2025-11-25 sessions and resource subscriptions', () => {
  it('subscribes and unsubscribes to a known resource; an unknown one is -32602', async () => {
    const client = await connect2025();
    try {
      expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
      await expect(client.subscribeResource({ uri: 'feat://text' })).resolves.toEqual({});
      await expect(client.unsubscribeResource({ uri: 'feat://text' })).resolves.toEqual({});
      await expect(client.subscribeResource({ uri: 'feat://nope' })).rejects.toThrow(/Unknown resource URI/);
    } finally {
      await client.close();
    }
  });

  it('a session the client ended is refused with 404', async () => {
    const init = await fetch(gw.mcp, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    const session = init.headers.get('mcp-session-id');
    expect(session).toMatch(/^[\x21-\x7e]+$/);
    await init.text();
    const del = await fetch(gw.mcp, { method: 'DELETE', headers: { 'mcp-session-id': session! } });
    expect(del.status).toBeLessThan(300);
    const after = await fetch(gw.mcp, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': session!,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });
});

describe('x-capgate-ask', () => {
  const ELICIT = { meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } };

  it('2026-07-28: asks with an input_required result, then calls with the answer and the signed requestState', async () => {
    const first = (await toolCall('greet', {}, ELICIT)).message.result;
    expect(first).toMatchObject({
      resultType: 'input_required',
      inputRequests: {
        who: {
          method: 'elicitation/create',
          params: { message: 'What is your name?', requestedSchema: { properties: { name: { type: 'string' } } } },
        },
      },
    });
    expect(typeof first.requestState).toBe('string');
    const second = await call(
      gw.mcp,
      'tools/call',
      {
        name: 'greet',
        arguments: {},
        inputResponses: { who: { action: 'accept', content: { name: 'Ada' } } },
        requestState: first.requestState,
      },
      ELICIT,
    );
    expect(second.message.result).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'Hello, Ada!' }],
    });
  });

  it('2026-07-28: a tampered requestState, or one for other arguments, is -32602', async () => {
    const first = (await toolCall('remove', { id: 'a' }, ELICIT)).message.result;
    expect(first.inputRequests.confirm_call.params.message).toBe('Delete item a?');
    const yes = { confirm_call: { action: 'accept', content: { confirm: true } } };
    const tampered = await call(
      gw.mcp,
      'tools/call',
      { name: 'remove', arguments: { id: 'a' }, inputResponses: yes, requestState: `${first.requestState}x` },
      ELICIT,
    );
    expect(tampered.message.error.code).toBe(-32602);
    const other = await call(
      gw.mcp,
      'tools/call',
      { name: 'remove', arguments: { id: 'b' }, inputResponses: yes, requestState: first.requestState },
      ELICIT,
    );
    expect(other.message.error).toMatchObject({ code: -32602 });
    expect(other.message.error.message).toMatch(/another call or other arguments/);
  });

  it('2026-07-28: a client that did not declare elicitation is refused with -32021, nothing called', async () => {
    const before = upstream.requests.length;
    const r = await toolCall('greet', {});
    expect(r.status).toBe(400);
    expect(r.message.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { elicitation: {} } } });
    expect(upstream.requests.length).toBe(before);
  });

  it('2026-07-28: replicas given the same digestKey accept each other’s requestState; another key does not', async () => {
    const digestKey = 'replica-shared-key-7f3a';
    const a = await startGateway(YAML, { upstream: upstream.url, digestKey });
    try {
      const first = (await call(a.mcp, 'tools/call', { name: 'greet', arguments: {} }, ELICIT)).message.result;
      const retry = (url: string) =>
        call(
          url,
          'tools/call',
          {
            name: 'greet',
            arguments: {},
            inputResponses: { who: { action: 'accept', content: { name: 'Bo' } } },
            requestState: first.requestState,
          },
          ELICIT,
        );
      setRequestStateKey(randomBytes(32)); // a replica started without the shared key
      expect((await retry(a.mcp)).message.error.code).toBe(-32602);
      const b = await startGateway(YAML, { upstream: upstream.url, digestKey });
      try {
        expect((await retry(b.mcp)).message.result.content).toEqual([{ type: 'text', text: 'Hello, Bo!' }]);
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
    }
  });

  it('2025-11-25: asks with elicitation/create on the call stream; accept calls, decline cancels', async () => {
    const asked: any[] = [];
    let answer: unknown = { action: 'accept', content: { confirm: true } };
    const client = await connect2025((params) => {
      asked.push(params);
      return answer;
    });
    try {
      const done = await client.callTool({ name: 'remove', arguments: { id: 'x1' } });
      expect(asked[0]).toMatchObject({ message: 'Delete item x1?' });
      expect(done.isError).toBeFalsy();
      expect(upstream.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/items/x1' });
      answer = { action: 'decline' };
      const before = upstream.requests.length;
      const declined = await client.callTool({ name: 'remove', arguments: { id: 'x2' } });
      expect(declined.isError).toBe(true);
      expect(upstream.requests.length).toBe(before);
    } finally {
      await client.close();
    }
  });
});

describe('x-mcp-header', () => {
  const shout = (args: Record<string, unknown>, headers: Record<string, string>) =>
    toolCall('shout', args, { headers });

  it('lists the header name on the argument schema', async () => {
    const tools = (await call(gw.mcp, 'tools/list')).message.result.tools;
    const props = tools.find((t: any) => t.name === 'shout').inputSchema.properties;
    expect(props.word).toMatchObject({ type: 'string', 'x-mcp-header': 'Word' });
    expect(props.times).toMatchObject({ type: 'integer', 'x-mcp-header': 'Times' });
  });

  it('accepts headers that agree with the body: plain, Base64-encoded, integers compared as numbers', async () => {
    const plain = await shout({ word: 'hey' }, { 'Mcp-Param-Word': 'hey' });
    expect(plain.message.result.content[0].text).toBe('hey');
    const b64 = await shout({ word: 'Hello' }, { 'Mcp-Param-Word': '=?base64?SGVsbG8=?=' });
    expect(b64.message.result.content[0].text).toBe('Hello');
    const n = await shout({ word: 'a', times: 7 }, { 'Mcp-Param-Word': 'a', 'Mcp-Param-Times': '07' });
    expect(n.status).toBe(200);
  });

  it('refuses a missing, different or malformed header with 400 and -32020, before the upstream', async () => {
    const before = upstream.requests.length;
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ word: 'hey' }, {}],
      [{ word: 'hey' }, { 'Mcp-Param-Word': 'ho' }],
      [{ word: 'Hello' }, { 'Mcp-Param-Word': '=?base64?SGVsbG8?=' }],
      [{ word: 'Hello' }, { 'Mcp-Param-Word': '=?base64?SGVs!!!bG8=?=' }],
      [
        { word: 'a', times: 7 },
        { 'Mcp-Param-Word': 'a', 'Mcp-Param-Times': '' },
      ],
    ];
    for (const [args, headers] of cases) {
      const r = await shout(args, headers);
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(r.message.error.code).toBe(-32020);
    }
    expect(upstream.requests.length).toBe(before);
  });
});

describe('tool input schemas in JSON Schema 2020-12', () => {
  it('lists the declared schema as written ($schema, $defs, $ref, anyOf) with type object', async () => {
    const tools = (await call(gw.mcp, 'tools/list')).message.result.tools;
    const schema = tools.find((t: any) => t.name === 'contact').inputSchema;
    expect(schema).toMatchObject({
      type: 'object',
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { address: { $anchor: 'addressDef' } },
      properties: { address: { $ref: '#/$defs/address' } },
      anyOf: [{ required: ['phone'] }, { required: ['email'] }],
      additionalProperties: false,
    });
  });

  it('validates arguments against it: anyOf and additionalProperties are enforced', async () => {
    const ok = await toolCall('contact', { name: 'Ada', email: 'a@example.org', address: { city: 'London' } });
    expect(ok.message.result.content[0].text).toBe('contact Ada');
    for (const args of [{ name: 'Ada' }, { name: 'Ada', email: 'a@example.org', extra: 1 }]) {
      const bad = await toolCall('contact', args);
      const refused = bad.message.error?.code === -32602 || bad.message.result?.isError === true;
      expect(refused, JSON.stringify(args)).toBe(true);
    }
  });
});
