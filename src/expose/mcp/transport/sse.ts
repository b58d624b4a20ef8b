/**
 * @module expose/mcp/transport/sse — a Server-Sent-Events reply: for one request, notifications (progress) first,
 * then the JSON-RPC response, then the stream ends; or a standing stream of notifications (list changes).
 */

const encoder = new TextEncoder();

export interface SseReply {
  response: Response;
  send(message: unknown): void;
  /** An SSE comment line: keeps idle proxies from closing a standing stream. */
  comment(text: string): void;
  close(): void;
}

/** `onCancel` fires when the client goes away before the stream ended (so the tool can be aborted). */
export function openSse(onCancel: () => void, headers?: Record<string, string>): SseReply {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      closed = true;
      onCancel();
    },
  });
  const response = new Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      ...headers,
    },
  });
  return {
    response,
    send(message) {
      if (closed) return;
      controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`));
    },
    comment(text) {
      if (closed) return;
      controller.enqueue(encoder.encode(`: ${text}\n\n`));
    },
    close() {
      if (closed) return;
      closed = true;
      controller.close();
    },
  };
}
