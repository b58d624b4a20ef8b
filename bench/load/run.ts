/**
 * @module bench/load — load + validate + plan time and peak RSS over the real corpus
 * (`../shared/corpus`, scaled to ≥ 1000 documents by loading it more than once).
 * Run: `node --import tsx bench/load/run.ts [corpusDir] [--min 1000] [--rounds 3]`.
 * Each round runs in a fresh child process, so the first-use cost (schema compile) is counted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandPaths } from '../../src/documents/files.ts';
import { loadCapabilities } from '../../src/documents/index.ts';
import type { LoadedDocument } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const corpus = path.resolve(
  args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? path.resolve(root, '../shared/corpus'),
);
const min = opt('--min', 1000);
const rounds = opt('--rounds', 3);

interface Sample {
  cpuMs: number;
  files: number;
  docs: number;
  copies: number;
  loadMs: number;
  planMs: number;
  totalMs: number;
  rssMb: number;
  errors: number;
  warnings: number;
}

/** One measured run (in this process): load `copies` independent stores of the corpus, then plan all documents. */
async function measure(copies: number): Promise<Sample> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { files } = await expandPaths([corpus]);
  const documents: LoadedDocument[] = [];
  for (let c = 0; c < copies; c++) {
    const { documents: docs } = await loadCapabilities([corpus]);
    documents.push(...docs);
  }
  const t1 = performance.now();
  const plan = buildPlan(documents, { partial: true, isolated: true });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  const errors = plan.problems.filter((p) => p.severity === 'error').length;
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    files: files.length,
    docs: documents.length,
    copies,
    loadMs: t1 - t0,
    planMs: t2 - t1,
    totalMs: t2 - t0,
    rssMb: process.resourceUsage().maxRSS / 1024,
    errors,
    warnings: plan.problems.length - errors,
  };
}

if (process.env.CAPGATE_BENCH_CHILD) {
  const s = await measure(Number(process.env.CAPGATE_BENCH_CHILD));
  process.stdout.write(JSON.stringify(s) + '\n');
} else {
  if (!existsSync(corpus)) {
    console.error(`corpus not found: ${corpus}`);
    process.exit(2);
  }
  const { files } = await expandPaths([corpus]);
  const scaled = Math.max(1, Math.ceil(min / files.length));
  const rows: Array<{ label: string; s: Sample }> = [];
  for (const copies of [...new Set([1, scaled])]) {
    for (let r = 0; r < rounds; r++) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), corpus], {
        cwd: root,
        env: { ...process.env, CAPGATE_BENCH_CHILD: String(copies) },
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      if (out.status !== 0) {
        console.error(out.stderr);
        process.exit(1);
      }
      rows.push({ label: `${copies}× corpus`, s: JSON.parse(out.stdout.trim().split('\n').pop()!) as Sample });
    }
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `corpus: ${corpus} (${files.length} files), node ${process.version}, ${rounds} rounds per size, fresh process each`,
  );
  console.log(
    '| documents | load ms | plan ms | total ms (median) | total ms (min–max) | CPU ms (median) | peak RSS MB | errors | warnings |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const label of [...new Set(rows.map((r) => r.label))]) {
    const ss = rows.filter((r) => r.label === label).map((r) => r.s);
    const tot = ss.map((s) => s.totalMs);
    console.log(
      `| ${ss[0].docs} (${label}) | ${median(ss.map((s) => s.loadMs)).toFixed(0)} | ${median(ss.map((s) => s.planMs)).toFixed(0)} | ${median(tot).toFixed(0)} | ${Math.min(...tot).toFixed(0)}–${Math.max(...tot).toFixed(0)} | ${median(ss.map((s) => s.cpuMs)).toFixed(0)} | ${median(ss.map((s) => s.rssMb)).toFixed(0)} | ${ss[0].errors} | ${ss[0].warnings} |`,
    );
  }
}
