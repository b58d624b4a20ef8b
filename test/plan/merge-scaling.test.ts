/**
 * Merging many documents onto one REST and one MCP port costs time in proportion to the number of routes and tools:
 * a reload re-merges every cached document plan, so a cost that grows with the square of the folder blocks serving.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import type { LoadedDocument } from '../../src/documents/load.ts';
import { buildPlan, type PlanCache } from '../../src/plan/build.ts';

/** Document `ns` serving the routes and tools numbered `i`. */
const doc = (i: number, ns = String(i)): LoadedDocument =>
  parseDocumentText(
    path.resolve(`merge-${ns}.yaml`),
    `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: rest
      port: 8080
      namespace: rest-${ns}
      resources:
        - path: /c${i}/items/{id}
          operations:
            - method: GET
              outputParameters: [{ name: v, type: string, value: ok }]
        - path: /c${i}/items/{id}/summary
          operations:
            - method: GET
              outputParameters: [{ name: v, type: string, value: ok }]
    - type: mcp
      port: 9090
      namespace: mcp-${ns}
      description: Tools of ${i}.
      tools:
        - name: get-${i}
          description: One.
          outputParameters: [{ name: v, type: string, value: ok }]
        - name: list-${i}
          description: Two.
          outputParameters: [{ name: v, type: string, value: ok }]
`,
  );

/**
 * The fastest of seven builds of documents already planned (what a reload does with unchanged files), in ms; the
 * fastest, because a build is short enough for one garbage collection or compilation to double it.
 */
function rebuildMs(docs: readonly LoadedDocument[], cache: PlanCache): number {
  let best = Infinity;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    buildPlan(docs, { cache });
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('merging documents onto shared ports', () => {
  it('builds the plan of 2,000 unchanged documents again in a small fraction of the time planning them took', () => {
    const cache: PlanCache = new WeakMap();
    const all = Array.from({ length: 2000 }, (_, i) => doc(i));
    const t0 = performance.now();
    const plan = buildPlan(all, { cache });
    const firstMs = performance.now() - t0;
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(plan.rest[0].routes).toHaveLength(4000);
    expect(plan.mcp[0].adapters.flatMap((a) => a.tools)).toHaveLength(4000);
    // Planning is linear in the documents; merging them must be too, or it outgrows planning as the folder grows
    // (with a scan of the routes and tools so far, rebuilding took more than half as long as the first build).
    const againMs = rebuildMs(all, cache);
    expect(againMs).toBeLessThan(firstMs / 4);
  }, 60_000);

  it('still reports a route and a tool served twice on one port', () => {
    const plan = buildPlan([doc(1), doc(2), doc(1, 'copy')]);
    const clashes = plan.problems.filter((p) => p.file.endsWith('merge-copy.yaml')).map((p) => p.code);
    expect(clashes.sort()).toEqual(['ROUTE_DUPLICATE', 'ROUTE_DUPLICATE', 'TOOL_DUPLICATE', 'TOOL_DUPLICATE']);
    expect(plan.problems.filter((p) => !p.file.endsWith('merge-copy.yaml'))).toEqual([]);
  });
});
