/**
 * @module cli/validate — `capgate validate <paths…>`: load, plan, print problems like a compiler
 * and a summary; `--json` prints one JSON object per file and a final summary object; `--summary`
 * prints the counts only. Files that are not Naftiko documents are counted as skipped, not valid.
 * Exit 0 valid, 1 any invalid file or missing path.
 */
import { loadCapabilities } from '../documents/index.ts';
import { expandPaths, nodeFileSystem, type FileSystem } from '../documents/files.ts';
import { formatProblem, type Problem, type Severity } from '../documents/problems.ts';
import { buildPlan } from '../plan/build.ts';
import { missingSecretProblems } from '../secrets/report.ts';

export interface ValidateOptions {
  readonly json: boolean;
  /** Validate each file on its own (no cross-file port/route/tool checks). */
  readonly each?: boolean;
  readonly quiet: boolean;
  /** Print only the counts (per status, severity and code), not the problems. */
  readonly summary?: boolean;
  readonly write: (line: string) => void;
  /** A status line for a terminal ('' clears it); absent, no progress is reported. */
  readonly progress?: (text: string) => void;
  /** Where bind variables are looked up (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export type FileStatus = 'valid' | 'invalid' | 'skipped' | 'missing';

export interface ValidateSummary {
  readonly files: number;
  readonly valid: number;
  readonly invalid: number;
  readonly skipped: number;
  readonly missing: number;
  readonly errors: number;
  readonly warnings: number;
  readonly info: number;
  /** Problem counts per severity, then per code (most frequent first). */
  readonly codes: Record<Severity, Record<string, number>>;
}

interface FileReport {
  readonly file: string;
  readonly status: FileStatus;
  readonly problems: Problem[];
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export async function runValidate(paths: string[], opts: ValidateOptions): Promise<number> {
  const reports = await check(paths, opts);
  const summary = summarize(reports);
  if (!opts.summary) for (const r of reports) printReport(r, opts);
  if (opts.json) opts.write(JSON.stringify({ summary }));
  else {
    opts.write(summaryLine(summary));
    if (opts.summary) for (const line of countLines(summary)) opts.write(line);
  }
  return summary.invalid || summary.missing ? 1 : 0;
}

/** Load and plan, reporting progress when asked; one report per file, then one per missing path. */
async function check(paths: string[], opts: ValidateOptions): Promise<FileReport[]> {
  const progress = opts.progress;
  let fs: FileSystem = nodeFileSystem;
  let total = 0;
  if (progress) {
    total = (await expandPaths(paths)).files.length;
    fs = countingReads(nodeFileSystem, total, (n) => progress(`validate: reading ${n}/${total} files`));
  }
  const { documents, missing } = await loadCapabilities(paths, fs);
  progress?.(`validate: checking ${total} files`);
  const plan = buildPlan(documents, { partial: true, isolated: opts.each });
  const bindWarnings = await missingSecretProblems(plan.capabilities, opts.env ?? process.env, 'warning');
  progress?.('');
  const byFile = new Map<string, Problem[]>();
  for (const d of documents) byFile.set(d.file, []);
  for (const p of [...plan.problems, ...bindWarnings]) byFile.get(p.file)?.push(p);
  const reports: FileReport[] = [...byFile].map(([file, problems]) => {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { file, status: statusOf(problems), problems };
  });
  for (const file of missing) reports.push({ file, status: 'missing', problems: [missingProblem(file)] });
  return reports;
}

function statusOf(problems: readonly Problem[]): FileStatus {
  if (problems.some((p) => p.severity === 'error')) return 'invalid';
  return problems.some((p) => p.code === 'NOT_NAFTIKO') ? 'skipped' : 'valid';
}

/** A path that does not exist, as a problem like any other (no position: line and column 0). */
function missingProblem(file: string): Problem {
  return {
    code: 'FILE_NOT_FOUND',
    severity: 'error',
    file,
    line: 0,
    column: 0,
    pointer: '',
    message: 'no such file or directory',
  };
}

/** Counts reads as files are loaded (parsing follows each read), reporting about every 1%. */
function countingReads(base: FileSystem, total: number, report: (n: number) => void): FileSystem {
  const step = Math.max(1, Math.floor(total / 100));
  let n = 0;
  report(0);
  return {
    ...base,
    readFile: async (file, maxBytes) => {
      const text = await base.readFile(file, maxBytes);
      n = Math.min(n + 1, total);
      if (n % step === 0 || n === total) report(n);
      return text;
    },
  };
}

function printReport(r: FileReport, opts: ValidateOptions): void {
  const count = (s: Severity) => r.problems.filter((p) => p.severity === s).length;
  if (opts.json) {
    opts.write(
      JSON.stringify({
        file: r.file,
        status: r.status,
        valid: r.status === 'valid',
        errors: count('error'),
        warnings: count('warning'),
        info: count('info'),
        problems: r.problems,
      }),
    );
    return;
  }
  if (r.status === 'missing') opts.write(`${r.file}: error FILE_NOT_FOUND no such file or directory`);
  else for (const p of r.problems) if (!opts.quiet || p.severity === 'error') opts.write(formatProblem(p));
}

export function summarize(reports: readonly FileReport[]): ValidateSummary {
  const status = (s: FileStatus) => reports.filter((r) => r.status === s).length;
  const codes: Record<Severity, Record<string, number>> = { error: {}, warning: {}, info: {} };
  for (const r of reports) for (const p of r.problems) codes[p.severity][p.code] = (codes[p.severity][p.code] ?? 0) + 1;
  const total = (s: Severity) => Object.values(codes[s]).reduce((a, b) => a + b, 0);
  for (const s of SEVERITIES)
    codes[s] = Object.fromEntries(Object.entries(codes[s]).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
  return {
    files: reports.length - status('missing'),
    valid: status('valid'),
    invalid: status('invalid'),
    skipped: status('skipped'),
    missing: status('missing'),
    errors: total('error'),
    warnings: total('warning'),
    info: total('info'),
    codes,
  };
}

/** `N files: X valid, Y invalid[, K skipped (…)][, M missing], W warnings`. */
export function summaryLine(s: ValidateSummary): string {
  const skipped = s.skipped ? `, ${s.skipped} skipped (not Naftiko documents)` : '';
  const missing = s.missing ? `, ${s.missing} missing` : '';
  return `${s.files} files: ${s.valid} valid, ${s.invalid} invalid${skipped}${missing}, ${s.warnings} warnings`;
}

/** Per severity its total, then each code with its count, aligned. */
function countLines(s: ValidateSummary): string[] {
  const width = Math.max(0, ...SEVERITIES.flatMap((sev) => Object.keys(s.codes[sev]).map((c) => c.length)));
  const totals: Record<Severity, number> = { error: s.errors, warning: s.warnings, info: s.info };
  return SEVERITIES.filter((sev) => totals[sev]).flatMap((sev) => [
    `${sev.padEnd(10)}${totals[sev]}`,
    ...Object.entries(s.codes[sev]).map(([code, n]) => `  ${code.padEnd(width + 2)}${n}`),
  ]);
}
