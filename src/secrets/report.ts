/**
 * @module secrets/report — located problems for bind variables that have no value: warnings for
 * `validate`, errors for `serve` (which still starts; the upstreams needing them answer 503). A
 * bind file that exists but cannot be used (a FIFO, a device, too large, unparseable) is an error
 * for both: no deployment step will fix it.
 */
import { escapeSegment } from '../common/json-pointer.ts';
import type { Problem, Severity } from '../documents/problems.ts';
import { resolveSecrets } from './resolve.ts';
import type { SecretOwner } from './types.ts';

export async function missingSecretProblems(
  owners: readonly SecretOwner[],
  env: NodeJS.ProcessEnv,
  severity: Severity,
): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const owner of owners) {
    const { missing, unusable } = await resolveSecrets(owner, env);
    for (const [name, why] of missing) {
      const bind = owner.binds.find((b) => name in b.keys);
      const pos = bind?.keyPositions?.[name] ?? { line: 1, column: 1 };
      const pointer = bind
        ? (bind.keyPointers?.[name] ?? `${bind.source.pointer}/keys/${escapeSegment(name)}`)
        : '/binds';
      const broken = unusable?.has(name) === true;
      out.push({
        code: broken ? 'BIND_FILE_INVALID' : 'BIND_MISSING_VALUE',
        severity: broken ? 'error' : severity,
        file: owner.file,
        line: pos.line,
        column: pos.column,
        pointer,
        message: `bind variable ${name}: ${why}`,
        hint: broken
          ? 'point `location` at a regular YAML or JSON file of keys; upstreams that need it answer 503 until then'
          : 'set it before `capgate serve`; upstreams that need it answer 503 until then',
      });
    }
  }
  return out;
}
