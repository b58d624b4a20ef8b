// Upstream stub for the capgate benchmarks: GET /v1/operations/<id> answers a fixed ~1 KB JSON
// document (built once at start-up); anything else is a 404. Node `http`, keep-alive, no delay
// unless DELAY_MS is set. Prints `upstream listening on <url> body=<n>B` on stdout when ready.
// Usage: PORT=0 node bench/rest/upstream.mjs
import http from 'node:http';

const PORT = Number(process.env.PORT ?? 0);
const DELAY_MS = Number(process.env.DELAY_MS ?? 0);

/** A long-running job record, padded to roughly 1 KB of JSON. */
function makeDocument() {
  const doc = {
    id: 'job-20c1e5d7-9b4a-4f3e-8d21-6a7b0c9e4f15',
    status: 'in_progress',
    type: 'database.migrate',
    submittedAt: '2026-02-03T08:14:09.271Z',
    lastModifiedAt: '2026-02-03T08:15:52.630Z',
    progress: { percent: 61, phase: 4, phases: 9, detail: 'copying table invoices (chunk 118 of 193)' },
    target: { kind: 'database', name: 'billing-primary', region: 'us-east-2', zone: 'us-east-2b' },
    metadata: {
      owner: 'migrations-bot@example.invalid',
      traceId: '4b9e2f70-13ac-4d55-b6e8-92f0a1c3d7e4',
      labels: { team: 'payments', env: 'staging', service: 'billing', priority: 'p2' },
      options: { batchSize: 5000, parallelism: 4, dryRun: false, verify: true, lockTimeoutMs: 1500 },
      events: [
        { time: '2026-02-03T08:14:09.271Z', phase: 'accepted' },
        { time: '2026-02-03T08:14:11.804Z', phase: 'snapshot' },
        { time: '2026-02-03T08:14:30.116Z', phase: 'copying' },
      ],
      comment: '',
    },
    links: { self: '/v1/operations/job-20c1e5d7-9b4a-4f3e-8d21-6a7b0c9e4f15', abort: '/v1/operations/job-20c1e5d7-9b4a-4f3e-8d21-6a7b0c9e4f15/abort' },
  };
  // Pad the free-text field so the document is ~1 KB, like a typical single-resource GET.
  doc.metadata.comment = 'lorem ipsum '.repeat(Math.max(0, Math.ceil((1080 - JSON.stringify(doc).length) / 12))).trim();
  return Buffer.from(JSON.stringify(doc));
}

const BODY = makeDocument();
const MISSING = Buffer.from('{"error":"no such operation"}');
const PREFIX = '/v1/operations/';

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const ok = req.method === 'GET' && req.url.startsWith(PREFIX) && req.url.length > PREFIX.length && !req.url.includes('/', PREFIX.length);
  if (!ok) return reply(res, 404, MISSING);
  if (DELAY_MS > 0) setTimeout(reply, DELAY_MS, res, 200, BODY);
  else reply(res, 200, BODY);
});
server.keepAliveTimeout = 120_000; // outlive every client pool's idle timeout
server.headersTimeout = 121_000;
server.listen(PORT, '127.0.0.1', () => {
  console.log(`upstream listening on http://127.0.0.1:${server.address().port} body=${BODY.length}B`);
});
process.on('SIGTERM', () => process.exit(0));
