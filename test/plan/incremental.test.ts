/** Building a plan again with a cache re-plans only new document objects, and cross-file problems never pile up. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan, type PlanCache } from '../../src/plan/build.ts';

const doc = (name: string, route: string) =>
  parseDocumentText(
    path.resolve(`${name}.yaml`),
    `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: rest
      port: 8080
      namespace: ${name}
      resources:
        - path: ${route}
          operations:
            - method: GET
              outputParameters: [{ name: v, type: string, value: ok }]
`,
  );

describe('incremental planning', () => {
  it('reuses the plan of a document seen before and plans a new one', () => {
    const cache: PlanCache = new WeakMap();
    const a = doc('a', '/a');
    const b = doc('b', '/b');
    const first = buildPlan([a, b], { cache });
    const b2 = doc('b', '/b2');
    const second = buildPlan([a, b2], { cache });
    const routeOf = (p: typeof first, specPath: string) => p.rest[0].routes.find((r) => r.specPath === specPath)!;
    expect(routeOf(second, '/a').operation).toBe(routeOf(first, '/a').operation);
    expect(routeOf(second, '/b2')).toBeDefined();
    expect(second.rest[0].routes.map((r) => r.specPath).sort()).toEqual(['/a', '/b2']);
  });

  it('reports a cross-file clash once per build, however often the same documents are built', () => {
    const cache: PlanCache = new WeakMap();
    const a = doc('a', '/same');
    const b = doc('b', '/same');
    buildPlan([a, b], { cache });
    const again = buildPlan([a, b], { cache });
    expect(again.problems.filter((p) => p.code === 'ROUTE_DUPLICATE')).toHaveLength(1);
    expect(b.sink.problems.filter((p) => p.code === 'ROUTE_DUPLICATE')).toHaveLength(0);
  });
});
