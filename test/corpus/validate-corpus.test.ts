import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCapabilities } from '../../src/documents/index.ts';
import { expandPaths } from '../../src/documents/files.ts';
import { buildPlan } from '../../src/plan/build.ts';
import type { Problem } from '../../src/documents/problems.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const shared = path.resolve(repoRoot, '../shared');
const corpus = path.join(shared, 'corpus');
const tutorial = path.join(shared, 'reference/naftiko/tutorial');

describe.skipIf(!existsSync(corpus))('real corpus in ../shared/corpus (skipped when it is absent)', () => {
  it('validates every file without crashing; violations fixtures are rejected; counts are printed', async () => {
    const { files } = await expandPaths([corpus]);
    const { documents, missing } = await loadCapabilities([corpus]);
    expect(missing).toEqual([]);
    const plan = buildPlan(documents, { partial: true, isolated: true });
    // Every file yields a result.
    expect(documents.map((d) => d.path).sort()).toEqual(files);
    const byFile = new Map<string, Problem[]>(documents.map((d) => [d.file, []]));
    for (const p of plan.problems) byFile.get(p.file)!.push(p);
    expect(plan.problems.filter((p) => p.code === 'PLAN_FAILED' || p.code === 'ELEMENT_INVALID')).toEqual([]);

    let valid = 0;
    let warned = 0;
    let skipped = 0;
    const invalidByCode = new Map<string, number>();
    const errorsByCode = new Map<string, number>();
    for (const problems of byFile.values()) {
      const errors = problems.filter((p) => p.severity === 'error');
      if (problems.some((p) => p.code === 'NOT_NAFTIKO')) skipped++;
      if (!errors.length) {
        if (problems.some((p) => p.severity === 'warning')) warned++;
        else valid++;
        continue;
      }
      for (const code of new Set(errors.map((p) => p.code)))
        invalidByCode.set(code, (invalidByCode.get(code) ?? 0) + 1);
      for (const p of errors) errorsByCode.set(p.code, (errorsByCode.get(p.code) ?? 0) + 1);
    }
    const invalid = byFile.size - valid - warned;
    const sorted = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `  ${String(n).padStart(4)} ${c}`)
        .join('\n');
    console.log(
      `corpus: ${byFile.size} files: ${valid} valid, ${warned} valid with warnings, ${invalid} invalid (${skipped} not Naftiko documents)\n` +
        `invalid files by error code (a file counts once per code):\n${sorted(invalidByCode)}\nerrors by code:\n${sorted(errorsByCode)}`,
    );
    expect(valid + warned + invalid).toBe(files.length);

    const violations = documents.filter((d) => d.path.endsWith('-violations.yml'));
    expect(violations.length).toBeGreaterThan(0);
    for (const d of violations) expect(plan.invalidFiles.has(d.file), d.file).toBe(true);

    const ampersand = documents.filter((d) => d.path.endsWith('/capabilities/ampersand-operation.yaml'));
    for (const d of ampersand) expect(byFile.get(d.file)!.filter((p) => p.severity === 'error')).toEqual([]);
  }, 120_000);
});

describe.skipIf(!existsSync(corpus))(
  'real files rejected only for harmless forms (skipped without ../shared/corpus)',
  () => {
    it.each([
      ['api-evangelist__discord/capabilities/discord-users.yaml', undefined],
      ['api-evangelist__hubspot/capabilities/shared/crm-companies-api.yaml', undefined],
      ['api-evangelist__google-ads/capabilities/google-ads-campaigns.yaml', undefined],
      ['api-evangelist__anthropic/capabilities/managed-agents-sessions.yaml', undefined],
      ['api-evangelist__bandwidth/capabilities/mfa-mfa.yaml', 'BIND_IMPLICIT_ENV'],
      ['api-evangelist__servicenow/capabilities/contact-contact.yaml', 'BIND_IMPLICIT_ENV'],
      ['api-evangelist__anthropic/capabilities/anthropic-capability.yaml', 'AUTH_FIELD_ALIAS'],
      ['api-evangelist__gravitee/capabilities/shared/gravitee-access-management.yaml', 'AUTH_FIELD_ALIAS'],
      ['api-evangelist__apigee/capabilities/shared/api-hub.yaml', 'EXPOSE_EMPTY'],
    ])('%s is valid on its own (warning: %s)', async (file, warning) => {
      const { documents } = await loadCapabilities([path.join(corpus, file)]);
      const plan = buildPlan(documents, { partial: true, isolated: true });
      const own = plan.problems.filter((p) => p.file === documents[0].file);
      expect(own.filter((p) => p.severity === 'error')).toEqual([]);
      if (warning) expect(own.map((p) => p.code)).toContain(warning);
    });

    it('a form body is read as formUrlEncoded in a file that stays invalid for its off-spec workflow block', async () => {
      const { documents } = await loadCapabilities([
        path.join(corpus, 'api-evangelist__stytch/capabilities/m2m-service-authentication.yaml'),
      ]);
      const problems = buildPlan(documents, { partial: true, isolated: true }).problems;
      expect(problems.map((p) => p.code)).toContain('BODY_TYPE_ALIAS');
      expect(problems.filter((p) => p.severity === 'error').map((p) => p.pointer)).toEqual(['/capability/workflow']);
    });
  },
);

describe.skipIf(!existsSync(tutorial))('naftiko tutorial steps in ../shared/reference (skipped when absent)', () => {
  const steps = existsSync(tutorial)
    ? readdirSync(tutorial)
        .filter((f) => /^step-.*\.yml$/.test(f))
        .sort()
    : [];
  it('has the 11 steps', () => expect(steps).toHaveLength(11));
  it.each(steps)('%s is valid on its own', async (step) => {
    const { documents } = await loadCapabilities([path.join(tutorial, step)]);
    const plan = buildPlan(documents, { partial: true });
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(plan.capabilities).toHaveLength(1);
  });
});

describe('seed capability', () => {
  it('capabilities/ampersand-operation.yaml has no errors', async () => {
    const { documents } = await loadCapabilities([path.join(repoRoot, 'capabilities/ampersand-operation.yaml')]);
    expect(buildPlan(documents).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
