/**
 * @module gateway/service — the gateway over time: capability files loaded and planned, served, and reloaded when
 * they change. A reload reads again only what changed (documents/cache.ts), plans only those documents (the plan
 * cache), resolves secrets, and swaps the new plan in (gateway.update). A file whose new version has errors keeps
 * serving its last good version; its errors are logged and shown in the status. Reloads run one at a time; requests
 * for a reload made while one runs are merged into the next.
 */
import { DocumentCache } from '../documents/cache.ts';
import type { FileSystem } from '../documents/files.ts';
import type { LoadedDocument } from '../documents/load.ts';
import { formatProblem, type Problem } from '../documents/problems.ts';
import { silentLogger, type Logger } from '../common/log.ts';
import { buildPlan, type PlanCache } from '../plan/build.ts';
import type { Plan } from '../plan/types.ts';
import { missingSecretProblems } from '../secrets/report.ts';
import { createDeps, type DepsOptions, type LiveDeps } from './deps.ts';
import { createGateway, DEFAULT_HOST, type Gateway, type GatewayOptions } from './gateway.ts';
import { adapterAuth } from './adapter-auth.ts';
import {
  ALL_CONTROL_ENDPOINTS,
  createControlApp,
  DEFAULT_CONTROL_PORT,
  statusDocument,
  type ControlSource,
} from './control.ts';
import { createTelemetry, type Telemetry } from './telemetry.ts';
import type { Listener, NodeHandler, PortWish, SyncReport } from './listeners.ts';
import { planHasTasks } from './tasks.ts';

export interface ServiceOptions {
  readonly paths: readonly string[];
  /** Serve the valid parts of files that have errors (their broken elements are dropped). */
  readonly partial?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly deps?: Omit<DepsOptions, 'env'>;
  readonly gateway?: Omit<GatewayOptions, 'log'>;
  readonly log?: Logger;
  readonly fs?: FileSystem;
  /**
   * The control listener when no file declares a control adapter: where it listens (default 127.0.0.1:9091), or
   * false for none. A declared control adapter is served as declared (its port moved by `port` when given).
   */
  readonly control?: { readonly port?: number; readonly host?: string } | false;
  /** Metrics and request logs (default: a new one logging to `log`). */
  readonly telemetry?: Telemetry;
}

export interface ReloadReport {
  readonly reason: string;
  /** ISO time the reload finished. */
  readonly at: string;
  readonly durationMs: number;
  /** Files read again. */
  readonly reloaded: readonly string[];
  /** Files whose new version was refused (errors): their last good version keeps serving. */
  readonly rejected: ReadonlyArray<{ readonly file: string; readonly problems: readonly Problem[] }>;
  readonly ports: SyncReport;
  /** No refused file and no port that failed to open. */
  readonly ok: boolean;
}

export interface ServiceStatus {
  readonly files: ReadonlyArray<{ readonly file: string; readonly problems: readonly Problem[] }>;
  readonly listeners: readonly Listener[];
  readonly lastReload?: ReloadReport;
  readonly reloads: { readonly ok: number; readonly failed: number };
}

export class Service {
  readonly #opts: ServiceOptions;
  readonly #log: Logger;
  readonly #documents: DocumentCache;
  readonly #plans: PlanCache = new WeakMap();
  /** The last version of each file that planned without errors, by absolute path. */
  readonly #lastGood = new Map<string, LoadedDocument>();
  #plan!: Plan;
  #deps!: LiveDeps;
  #gateway!: Gateway;
  #files: readonly string[] = [];
  #rejected = new Map<string, readonly Problem[]>();
  #lastReload: ReloadReport | undefined;
  #reloads = { ok: 0, failed: 0 };
  #running: Promise<unknown> = Promise.resolve();
  #telemetry!: Telemetry;
  #control: { key: string; handler: NodeHandler } | undefined;
  #started = false;
  #stopping = false;
  readonly #startedAt = new Date().toISOString();
  #next: { changed: Set<string>; reasons: Set<string>; done: Promise<ReloadReport> } | undefined;

  private constructor(opts: ServiceOptions) {
    this.#opts = opts;
    this.#log = opts.log ?? silentLogger;
    this.#documents = new DocumentCache(opts.paths, opts.fs);
  }

  /** Load and plan every file, report every problem, resolve secrets; nothing listens yet. */
  static async create(opts: ServiceOptions): Promise<Service> {
    const service = new Service(opts);
    const snapshot = await service.#documents.refresh();
    for (const m of snapshot.missing)
      service.#log.error({ code: 'FILE_NOT_FOUND', file: m }, `${m}: error FILE_NOT_FOUND no such file or directory`);
    service.#files = snapshot.files;
    const { plan } = service.#choose(snapshot.documents, new Set(snapshot.reloaded));
    service.#plan = plan;
    for (const p of plan.problems) if (p.severity !== 'info') logProblem(service.#log, p);
    const env = opts.env ?? process.env;
    for (const p of await missingSecretProblems(plan.capabilities, env, 'error')) logProblem(service.#log, p);
    const telemetry = opts.telemetry ?? createTelemetry({ log: service.#log });
    service.#telemetry = telemetry;
    telemetry.serving(plan);
    service.#deps = await createDeps(plan, { ...opts.deps, env, observer: telemetry });
    service.#gateway = createGateway(plan, service.#deps, {
      ...opts.gateway,
      observer: telemetry,
      log: (line) => service.#log.error(line),
      control: (p) => service.#controlWish(p),
    });
    if (!opts.gateway?.taskKey && planHasTasks(plan)) {
      service.#log.warn(
        'CAPGATE_TASK_KEY is not set: task ids and REST task status URLs are signed with a key made for this process, so they stop working when it restarts and on other replicas; give every replica the same CAPGATE_TASK_KEY (32+ characters)',
      );
    }
    return service;
  }

  /** The control listener for a plan: the declared adapter's, else the default one (unless disabled). */
  #controlWish(plan: Plan): PortWish | undefined {
    const wanted = this.#opts.control;
    if (wanted === false) return undefined;
    const declared = plan.control;
    const host = declared?.address ?? wanted?.host ?? DEFAULT_HOST;
    const port = wanted?.port ?? declared?.port ?? DEFAULT_CONTROL_PORT;
    const endpoints = declared?.endpoints ?? ALL_CONTROL_ENDPOINTS;
    const auth = declared?.adapter.auth ? adapterAuth(declared.adapter, this.#deps) : undefined;
    const key = JSON.stringify([host, port, endpoints, declared?.adapter.source ?? null]);
    if (this.#control?.key !== key) {
      const { handler } = createControlApp(this.#controlSource(), {
        bindAddress: host,
        allowedHosts: this.#opts.gateway?.allowedHosts,
        endpoints,
        auth,
      });
      this.#control = { key, handler };
    }
    // The default listener may find its port taken (another gateway on this machine): serving goes on without it.
    return {
      kind: 'control',
      host,
      port,
      handler: this.#control.handler,
      optional: declared === undefined && wanted?.port === undefined,
    };
  }

  #controlSource(): ControlSource {
    return {
      plan: () => this.#plan,
      ready: () => this.#started && !this.#stopping,
      listeners: () => this.#gateway.listeners(),
      status: () => this.#statusDocument(),
      metrics: async () => ({
        contentType: this.#telemetry.registry.contentType,
        text: await this.#telemetry.metrics(),
      }),
      reload: () => this.reload([], 'control'),
    };
  }

  #statusDocument(): object {
    const st = this.status();
    return statusDocument(this.#plan, st.files, {
      startedAt: this.#startedAt,
      listeners: st.listeners,
      reloads: st.reloads,
      ...(st.lastReload
        ? {
            lastReload: {
              ...st.lastReload,
              rejected: st.lastReload.rejected.map((r) => ({ file: r.file, codes: r.problems.map((p) => p.code) })),
            },
          }
        : {}),
    });
  }

  get telemetry(): Telemetry {
    return this.#telemetry;
  }

  get plan(): Plan {
    return this.#plan;
  }

  get deps(): LiveDeps {
    return this.#deps;
  }

  get gateway(): Gateway {
    return this.#gateway;
  }

  /** Every file read (capability files and the files they import), to watch. */
  get files(): readonly string[] {
    return this.#files;
  }

  /** Open the ports of the plan; throws when one cannot be opened. */
  async start(): Promise<Listener[]> {
    const listeners = await this.#gateway.start();
    this.#started = true;
    return listeners;
  }

  /**
   * Reload: `changed` names files a watcher saw change (stamps find the others). Resolves when the new plan serves.
   * A reload asked for while another runs is merged with any other waiting one and runs next.
   */
  reload(changed: Iterable<string> = [], reason = 'request'): Promise<ReloadReport> {
    if (this.#next) {
      for (const c of changed) this.#next.changed.add(c);
      this.#next.reasons.add(reason);
      return this.#next.done;
    }
    const next = {
      changed: new Set(changed),
      reasons: new Set([reason]),
      done: undefined as unknown as Promise<ReloadReport>,
    };
    next.done = this.#running.then(() => {
      this.#next = undefined;
      return this.#reload(next.changed, [...next.reasons].join(', '));
    });
    this.#next = next;
    this.#running = next.done.catch(() => undefined);
    return next.done;
  }

  status(): ServiceStatus {
    const byFile = new Map<string, Problem[]>();
    for (const p of this.#plan.problems)
      if (p.severity !== 'info') (byFile.get(p.file) ?? byFile.set(p.file, []).get(p.file)!).push(p);
    for (const [file, problems] of this.#rejected) byFile.set(file, [...(byFile.get(file) ?? []), ...problems]);
    return {
      files: [...byFile].map(([file, problems]) => ({ file, problems })),
      listeners: this.#gateway.listeners(),
      ...(this.#lastReload ? { lastReload: this.#lastReload } : {}),
      reloads: { ...this.#reloads },
    };
  }

  /** Stop accepting, let requests in flight finish for at most `graceMs`, close upstream connections. */
  async stop(graceMs = 0): Promise<void> {
    this.#stopping = true;
    this.#deps.drain();
    await this.#gateway.stop(graceMs);
    await this.#deps.http.close();
  }

  async #reload(changed: Set<string>, reason: string): Promise<ReloadReport> {
    const started = performance.now();
    try {
      const snapshot = await this.#documents.refresh(changed);
      this.#files = snapshot.files;
      const { plan, rejected } = this.#choose(snapshot.documents, new Set(snapshot.reloaded));
      await this.#deps.refresh(plan);
      const ports = await this.#gateway.update(plan);
      this.#plan = plan;
      const reloaded = [...snapshot.reloaded];
      const reloadedFiles = new Set(snapshot.documents.filter((d) => snapshot.reloaded.has(d.path)).map((d) => d.file));
      for (const p of plan.problems) if (p.severity !== 'info' && reloadedFiles.has(p.file)) logProblem(this.#log, p);
      for (const r of rejected) for (const p of r.problems) logProblem(this.#log, p);
      for (const f of ports.failed)
        this.#log.error({ kind: f.wish.kind, port: f.wish.port, host: f.wish.host }, f.error);
      for (const l of ports.opened)
        this.#log.info({ kind: l.kind, url: l.url }, `capgate ${l.kind.toUpperCase()} listening on ${l.url}`);
      for (const l of ports.closed)
        this.#log.info({ kind: l.kind, url: l.url }, `capgate ${l.kind.toUpperCase()} closed ${l.url}`);
      const report = this.#report(reason, started, reloaded, rejected, ports);
      this.#telemetry.reloaded(report.ok, plan);
      this.#log.info(
        { reason, durationMs: report.durationMs, reloaded: reloaded.length, rejected: rejected.length, ok: report.ok },
        `reload: ${reloaded.length} file(s) read again${rejected.length ? `, ${rejected.length} refused (last good version kept)` : ''}`,
      );
      return report;
    } catch (err) {
      this.#reloads.failed++;
      this.#telemetry.reloaded(false, this.#plan);
      this.#log.error({ reason, err }, 'reload failed: the plan being served is unchanged');
      throw err;
    }
  }

  #report(
    reason: string,
    started: number,
    reloaded: string[],
    rejected: ReloadReport['rejected'],
    ports: SyncReport,
  ): ReloadReport {
    const ok = rejected.length === 0 && ports.failed.length === 0;
    if (ok) this.#reloads.ok++;
    else this.#reloads.failed++;
    const report: ReloadReport = {
      reason,
      at: new Date().toISOString(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      reloaded,
      rejected,
      ports,
      ok,
    };
    this.#lastReload = report;
    return report;
  }

  /**
   * The plan to serve from these documents. Unless partial plans are wanted, a document that now has errors is
   * replaced by its last good version when there is one (its problems are reported as refused); one that never
   * planned cleanly stays out, as at start.
   */
  #choose(
    documents: readonly LoadedDocument[],
    reloaded: ReadonlySet<string>,
  ): { plan: Plan; rejected: ReloadReport['rejected'] } {
    const partial = this.#opts.partial === true;
    let plan = buildPlan(documents, { partial, cache: this.#plans });
    const present = new Set(documents.map((d) => d.path));
    const presentFiles = new Set(documents.map((d) => d.file));
    for (const path of this.#lastGood.keys()) if (!present.has(path)) this.#lastGood.delete(path);
    for (const file of this.#rejected.keys()) if (!presentFiles.has(file)) this.#rejected.delete(file);
    const rejected: Array<{ file: string; problems: readonly Problem[] }> = [];
    const chosen = documents.map((d) => {
      if (!plan.invalidFiles.has(d.file)) {
        this.#lastGood.set(d.path, d);
        this.#rejected.delete(d.file);
        return d;
      }
      const good = this.#lastGood.get(d.path);
      if (partial || !good || good === d) return d;
      if (reloaded.has(d.path)) {
        const problems = plan.problems.filter((p) => p.file === d.file && p.severity === 'error');
        rejected.push({ file: d.file, problems });
        this.#rejected.set(d.file, problems);
      }
      return good;
    });
    if (chosen.some((d, i) => d !== documents[i])) plan = buildPlan(chosen, { partial, cache: this.#plans });
    return { plan, rejected };
  }
}

/** One problem as a log line: the compiler-style text, and its parts as fields. */
export function logProblem(log: Logger, p: Problem): void {
  const fields = {
    code: p.code,
    file: p.file,
    line: p.line,
    column: p.column,
    pointer: p.pointer,
    ...(p.hint ? { hint: p.hint } : {}),
  };
  if (p.severity === 'error') log.error(fields, formatProblem(p));
  else log.warn(fields, formatProblem(p));
}
