/**
 * stdio reads lines in linear time with a 4 MiB cap (an over-long line is answered with an error and reading
 * resumes at the next newline), and answers the requests still running when its input ends before `ended`
 * resolves, cutting off, with an error reply, those that outlive the drain bound.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, serveStdio, type StdioOptions } from '../../../src/expose/mcp/transport/stdio.ts';
import { fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';

function harness(opts: StdioOptions = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: any[] = [];
  let buf = '';
  stdout.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  const log = newLog();
  const server = serveStdio(staticRegistry([fleetEndpoint(log)]), { stdin, stdout }, opts);
  const waitFor = async (pred: (l: any) => boolean, ms = 4000) => {
    for (const end = Date.now() + ms; Date.now() < end;) {
      const hit = lines.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no matching line among ${JSON.stringify(lines).slice(0, 300)}`);
  };
  return { stdin, lines, log, server, waitFor };
}

const ping = (id: number) => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`;
const call = (id: number, name: string, args: Record<string, unknown>) =>
  `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } })}\n`;

describe('stdio line limits', () => {
  it('the cap is the HTTP body cap, 4 MiB', () => {
    expect(MAX_LINE_BYTES).toBe(4 * 1024 * 1024);
  });

  it('answers an over-long line with an error and resynchronises at the next newline', async () => {
    const h = harness();
    const pad = 'x'.repeat(MAX_LINE_BYTES);
    h.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad } })}\n`);
    h.stdin.write(ping(2));
    expect((await h.waitFor((l) => l.id === 2)).result).toEqual({});
    const err = h.lines.find((l) => l.error);
    expect(err).toMatchObject({ id: null, error: { code: -32000 } });
    expect(err.error.message).toContain(String(MAX_LINE_BYTES));
    expect(h.lines.some((l) => l.id === 1)).toBe(false);
    await h.server.close();
  });

  it('skips a 20 MB line in linear time, answering it once, as soon as it passes the cap', async () => {
    const h = harness();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const started = Date.now();
    for (let sent = 0; sent < 20e6; sent += chunk.length) h.stdin.write(chunk);
    h.stdin.write('\n');
    h.stdin.write(ping(3));
    await h.waitFor((l) => l.id === 3, 4000);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(h.lines.filter((l) => l.error)).toHaveLength(1);
    await h.server.close();
  });

  it('reads a line split across many chunks, multi-byte characters included', async () => {
    const h = harness();
    const bytes = Buffer.from(call(4, 'get-ship', { imo: 'IMO-é😀' }).replace('\n', '\r\n'));
    for (const b of bytes) h.stdin.write(Buffer.from([b]));
    expect((await h.waitFor((l) => l.id === 4)).result.structuredContent).toEqual({
      imo: 'IMO-é😀',
      name: 'Northern Star',
    });
    await h.server.close();
  });

  it('answers a last line that has no newline when the input ends', async () => {
    const h = harness();
    h.stdin.end(ping(5).trimEnd());
    await h.server.ended;
    expect(h.lines).toEqual([{ jsonrpc: '2.0', id: 5, result: {} }]);
  });
});

describe('stdio at the end of its input', () => {
  it('answers every request still running before `ended` resolves', async () => {
    const h = harness();
    for (let id = 10; id < 14; id++) h.stdin.write(call(id, 'slow-count', { steps: 2, delayMs: 100 }));
    h.stdin.end();
    await h.server.ended;
    expect(h.lines.map((l) => l.id).sort()).toEqual([10, 11, 12, 13]);
    expect(h.lines.every((l) => l.result?.structuredContent === undefined && !l.result?.isError)).toBe(true);
    expect(h.log.aborted).toEqual([]);
  });

  it('cuts off, with an error reply, a request that outlives the drain bound', async () => {
    const h = harness({ drainMs: 50 });
    h.stdin.write(call(20, 'wait-for-abort', {}));
    h.stdin.write(call(21, 'slow-count', { steps: 1, delayMs: 1 }));
    h.stdin.end();
    const t0 = Date.now();
    await h.server.ended;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(h.lines.find((l) => l.id === 21).result).toBeDefined();
    expect(h.lines.find((l) => l.id === 20)).toMatchObject({ error: { code: -32000 } });
    for (let i = 0; i < 100 && h.log.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(h.log.aborted).toEqual(['wait-for-abort']);
    // The cancelled call's own late answer is not written a second time.
    await new Promise((r) => setTimeout(r, 20));
    expect(h.lines.filter((l) => l.id === 20)).toHaveLength(1);
  });

  it('close() cuts off what is running at once by default', async () => {
    const h = harness();
    h.stdin.write(call(30, 'wait-for-abort', {}));
    await new Promise((r) => setTimeout(r, 20));
    await h.server.close();
    await h.server.ended;
    expect(h.lines).toMatchObject([{ id: 30, error: { code: -32000 } }]);
  });
});
