/**
 * @module cli/validate — `capgate validate <paths…>`: load, plan, print problems like a
 * compiler and a summary; `--json` prints one JSON object per file. Exit 0 valid, 1 invalid.
 */
import { loadCapabilities } from '../documents/index.ts';
import { formatProblem, type Problem } from '../documents/problems.ts';
import { buildPlan } from '../plan/build.ts';
import { missingSecretProblems } from '../secrets/report.ts';

export interface ValidateOptions {
  readonly json: boolean;
  /** Validate each file on its own (no cross-file port/route/tool checks). */
  readonly each?: boolean;
  readonly quiet: boolean;
  readonly write: (line: string) => void;
}

export async function runValidate(paths: string[], opts: ValidateOptions): Promise<number> {
  const { documents, missing } = await loadCapabilities(paths);
  const plan = buildPlan(documents, { partial: true, isolated: opts.each });
  const bindWarnings = await missingSecretProblems(plan.capabilities, process.env, 'warning');
  const byFile = new Map<string, Problem[]>();
  for (const d of documents) byFile.set(d.file, []);
  for (const p of [...plan.problems, ...bindWarnings]) byFile.get(p.file)?.push(p);
  let invalid = 0;
  let warnings = 0;
  let skipped = 0;
  for (const [file, problems] of byFile) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    const errors = problems.filter((p) => p.severity === 'error').length;
    if (errors) invalid++;
    else if (problems.some((p) => p.code === 'NOT_NAFTIKO')) skipped++;
    warnings += problems.filter((p) => p.severity === 'warning').length;
    if (opts.json)
      opts.write(JSON.stringify({ file, valid: errors === 0, errors, warnings: problems.length - errors, problems }));
    else if (!opts.quiet || errors)
      for (const p of problems) if (!opts.quiet || p.severity === 'error') opts.write(formatProblem(p));
  }
  for (const m of missing) opts.write(`${m}: error FILE_NOT_FOUND no such file or directory`);
  const total = byFile.size;
  const note = skipped ? ` (${skipped} not Naftiko documents, skipped)` : '';
  if (!opts.json)
    opts.write(`${total} files: ${total - invalid} valid, ${invalid} invalid, ${warnings} warnings${note}`);
  return invalid || missing.length ? 1 : 0;
}
