// `gitops-env sync`: the push model for a pipeline. Renders an environment at its branch's commit
// and applies it server-side under our field manager as one ApplySet; optionally prunes what Git
// dropped, waits for health, and rolls back to the last revision that synced healthy.
// Exit: 0 applied (and healthy with --wait), 1 apply error / unreachable / not healthy, 2 usage or config.
import type { KubeObject } from '../core/drift/driftTypes';
import type { HealthStatus } from '../core/health/healthStatus';
import { formatProblem, type ResourceId } from '../core/model';
import type { SyncHealth } from '../core/sync/syncPlan';
import { CliUsageError, parseArgs, safeIO, type CliIO } from './cliSupport';
import { locateEnvironment, renderAt, renderErrors, type LocatedEnvironment } from './environmentRender';

export const SYNC_USAGE = `Usage:
  gitops-env sync --repo DIR --env NAME [--kubeconfig FILE] [--context NAME] [--prune] [--wait] [--timeout SECONDS]
                  [--dry-run] [--confirm NAME] [--on-failure rollback] [--json]
`;

interface SyncFlags {
  repo: string;
  env: string;
  kubeconfig?: string;
  context?: string;
  prune: boolean;
  wait: boolean;
  timeoutMs: number;
  dryRun: boolean;
  confirm?: string;
  rollback: boolean;
  json: boolean;
}

interface SyncReport {
  environment: string;
  revision: string | null;
  applied: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string; action: string }>;
  pruned: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string }>;
  health: SyncHealth;
  /** Argo CD's roll-up word before the contract narrows it: Suspended shows here (health says Progressing). */
  healthDetail: HealthStatus;
  /** Objects whose rollout is paused (Suspended): they wait until someone resumes them. */
  suspended: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string }>;
  rolledBack: string | null;
  dryRun: boolean;
  errors: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string; message: string }>;
  /** Why the sync stopped as a whole (an unreachable cluster, a refused ApplySet); null when it did not. */
  error: string | null;
}

function parseSyncFlags(argv: string[]): SyncFlags {
  const { flags, positional } = parseArgs(argv, {
    values: ['repo', 'env', 'kubeconfig', 'context', 'timeout', 'confirm', 'on-failure'],
    booleans: ['prune', 'wait', 'dry-run', 'json'],
  });
  if (positional.length > 0) throw new CliUsageError(`unexpected argument "${positional[0]}"`);
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const env = value('env');
  if (!env) throw new CliUsageError('--env NAME is required');
  const timeoutText = value('timeout') ?? '300';
  const seconds = Number(timeoutText);
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || !(seconds > 0)) throw new CliUsageError(`--timeout must be a number of seconds above 0, not "${timeoutText}"`);
  const onFailure = value('on-failure');
  if (onFailure !== undefined && onFailure !== 'rollback') throw new CliUsageError(`--on-failure takes "rollback", not "${onFailure}"`);
  if (onFailure && !flags.has('wait')) throw new CliUsageError('--on-failure rollback needs --wait (health decides whether the sync failed)');
  if (onFailure && flags.has('dry-run')) throw new CliUsageError('--on-failure rollback does nothing with --dry-run');
  return {
    repo: value('repo') ?? '.',
    env,
    kubeconfig: value('kubeconfig'),
    context: value('context'),
    prune: flags.has('prune'),
    wait: flags.has('wait'),
    timeoutMs: seconds * 1000,
    dryRun: flags.has('dry-run'),
    confirm: value('confirm'),
    rollback: onFailure === 'rollback',
    json: flags.has('json'),
  };
}

function where(ref: { kind: string; namespace: string | null; name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function refOf(id: ResourceId): SyncReport['suspended'][number] {
  return { apiVersion: id.group ? `${id.group}/${id.version}` : id.version, kind: id.kind, namespace: id.namespace, name: id.name };
}

/** Puts a health snapshot in the report: the contract's word, Argo CD's, and what is paused. */
function recordHealth(report: SyncReport, snapshot: { health: SyncHealth; detail: HealthStatus; suspended: ResourceId[] }): void {
  report.health = snapshot.health;
  report.healthDetail = snapshot.detail;
  report.suspended = snapshot.suspended.map(refOf);
}

/** " (suspended: Deployment shop/web and 2 more)" when rollouts are paused, else nothing. */
function suspendedNote(report: SyncReport): string {
  if (report.suspended.length === 0) return '';
  const more = report.suspended.length > 1 ? ` and ${report.suspended.length - 1} more` : '';
  return ` (suspended: ${where(report.suspended[0])}${more})`;
}

function printText(io: CliIO, report: SyncReport): void {
  const verb = (action: string): string => (report.dryRun ? `would be ${action}` : action);
  for (const object of report.applied) io.out(`${where(object)} ${verb(object.action)}\n`);
  for (const object of report.pruned) io.out(`${where(object)} ${verb('pruned')}\n`);
  const counts = ['created', 'configured', 'unchanged'].map((action) => `${report.applied.filter((o) => o.action === action).length} ${action}`).join(', ');
  const short = report.revision ? report.revision.slice(0, 12) : 'working tree';
  io.out(`${report.environment} at ${short}: ${counts}, ${report.pruned.length} pruned${report.dryRun ? ' (dry run: nothing was changed)' : `; health ${report.health}${suspendedNote(report)}`}\n`);
  if (report.rolledBack) io.out(`rolled back to ${report.rolledBack}\n`);
}

/** Renders at `revision`; render errors end the sync before anything reaches the cluster. */
async function renderObjects(located: LocatedEnvironment, revision: string, io: CliIO): Promise<KubeObject[] | null> {
  const rendered = await renderAt(located, revision);
  for (const problem of rendered.problems) io.err(`${problem.severity}: ${formatProblem(problem)}\n`);
  if (renderErrors(rendered.problems).length > 0) {
    io.err(`gitops-env sync: ${located.environment.name} did not render at ${revision.slice(0, 12)}; nothing was applied\n`);
    return null;
  }
  return rendered.objects.map((object) => object.object);
}

export async function runSyncCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  let flags: SyncFlags;
  try {
    flags = parseSyncFlags(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`gitops-env sync: ${error.message}\n\n${SYNC_USAGE}`);
    return 2;
  }
  let located: LocatedEnvironment;
  try {
    located = await locateEnvironment(flags.repo, flags.env);
  } catch (error) {
    io.err(`gitops-env sync: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    return await syncLocated(located, flags, io);
  } finally {
    located.repo.dispose();
    if (located.envRepo !== located.repo) located.envRepo.dispose();
  }
}

/** The cluster layer's modules, loaded only when a sync gets as far as the cluster (they carry @kubernetes/client-node). */
async function clusterModules(): Promise<{
  ClusterError: typeof import('../cluster/clusterError').ClusterError;
  openSyncConnection: typeof import('../cluster/sync/syncConnection').openSyncConnection;
  EnvironmentSync: typeof import('../cluster/sync/environmentSync').EnvironmentSync;
  assessApplied: typeof import('../cluster/sync/healthWait').assessApplied;
  assessReturned: typeof import('../cluster/sync/healthWait').assessReturned;
  waitHealthy: typeof import('../cluster/sync/healthWait').waitHealthy;
}> {
  const { ClusterError } = await import('../cluster/clusterError');
  const { openSyncConnection } = await import('../cluster/sync/syncConnection');
  const { EnvironmentSync } = await import('../cluster/sync/environmentSync');
  const { assessApplied, assessReturned, waitHealthy } = await import('../cluster/sync/healthWait');
  return { ClusterError, openSyncConnection, EnvironmentSync, assessApplied, assessReturned, waitHealthy };
}

type PreparedCluster =
  | { configError: string }
  | {
      modules: Awaited<ReturnType<typeof clusterModules>>;
      connection: ReturnType<Awaited<ReturnType<typeof clusterModules>>['openSyncConnection']>;
      /** GET /version: rejects when the cluster cannot be reached (awaited only once the render succeeded). */
      reachable: Promise<unknown>;
    };

/** Loads the cluster layer, opens the connection and starts a reachability check; a kubeconfig problem is `configError` (exit 2). */
async function prepareCluster(flags: SyncFlags, environmentContext: string | null | undefined, signal: AbortSignal): Promise<PreparedCluster> {
  const modules = await clusterModules();
  let connection: ReturnType<typeof modules.openSyncConnection>;
  try {
    connection = modules.openSyncConnection({ kubeconfig: flags.kubeconfig, context: flags.context ?? environmentContext });
  } catch (error) {
    const hint = error instanceof modules.ClusterError && error.hint ? ` — ${error.hint}` : '';
    return { configError: `${error instanceof Error ? error.message : String(error)}${hint}` };
  }
  const reachable = signal.aborted
    ? Promise.reject(new modules.ClusterError('cancelled', 'the sync stopped before reaching the cluster'))
    : connection.client.request('GET', '/version', { timeoutMs: Math.min(flags.timeoutMs, 10_000), signal });
  reachable.catch(() => undefined); // reported when awaited; a failed render must not leave it unhandled
  return { modules, connection, reachable };
}

async function syncLocated(located: LocatedEnvironment, flags: SyncFlags, io: CliIO): Promise<number> {
  const { environment } = located;
  if (environment.protected && !flags.dryRun && flags.confirm !== environment.name) {
    io.err(`gitops-env sync: ${environment.name} is protected; pass --confirm ${environment.name} to apply it (nothing was applied)\n`);
    return 2;
  }
  if (flags.confirm !== undefined && flags.confirm !== environment.name) {
    io.err(`gitops-env sync: --confirm "${flags.confirm}" does not name the environment "${environment.name}" (nothing was applied)\n`);
    return 2;
  }
  for (const problem of located.state.problems) io.err(`${problem.severity}: ${formatProblem(problem)}\n`);
  if (!located.revision) {
    io.err(`gitops-env sync: cannot resolve the commit of ${environment.name}; nothing was applied\n`);
    return 2;
  }
  const revision = located.revision;
  // The cluster side (module load, connection, reachability) gets ready while Git renders: the
  // render waits on git processes, so the two overlap instead of adding up. The render goes
  // first, up to its first git process; the cluster side starts on the next turn of the event
  // loop. Nothing is written before the render succeeds.
  const rendering = renderObjects(located, revision, io);
  const stopPreparing = new AbortController();
  const cluster = new Promise<void>((resolve) => setImmediate(resolve)).then(() => prepareCluster(flags, located.environment.cluster.context, stopPreparing.signal));
  cluster.catch(() => undefined); // awaited once the render succeeded; not at all when it failed
  const objects = await rendering;
  if (!objects) {
    stopPreparing.abort(); // a pending reachability check must not hold the process open
    // A pipeline reading --json still gets the contract's shape: nothing applied, health unknown.
    if (flags.json) {
      const empty: SyncReport = { environment: environment.name, revision, applied: [], pruned: [], health: 'Unknown', healthDetail: 'Unknown', suspended: [], rolledBack: null, dryRun: flags.dryRun, errors: [], error: null };
      io.out(`${JSON.stringify(empty, null, 2)}\n`);
    }
    return 1;
  }

  const prepared = await cluster;
  if ('configError' in prepared) {
    io.err(`gitops-env sync: ${prepared.configError}\n`);
    return 2;
  }
  const { connection, modules, reachable } = prepared;
  const { ClusterError, EnvironmentSync, assessApplied, assessReturned, waitHealthy } = modules;
  const requestTimeoutMs = Math.min(15_000, flags.timeoutMs);
  const started = Date.now();
  const remaining = (): number => Math.max(1000, flags.timeoutMs - (Date.now() - started));
  const namespace = environment.cluster.namespace ?? connection.namespace ?? 'default';
  const sync = new EnvironmentSync(connection);
  // The repository's identity on the set: the same in every clone, different for another repository.
  const source = (await located.envRepo.rootCommits(revision))[0] ?? null;
  const report: SyncReport = { environment: environment.name, revision, applied: [], pruned: [], health: 'Unknown', healthDetail: 'Unknown', suspended: [], rolledBack: null, dryRun: flags.dryRun, errors: [], error: null };
  const finish = (code: number): number => {
    for (const failure of report.errors) io.err(`error: ${where(failure)}: ${failure.message}\n`);
    if (flags.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else printText(io, report);
    return code;
  };
  try {
    // Reachability first, bounded by the timeout: a cluster that is down fails fast and plainly.
    await reachable;
    const run = async (target: KubeObject[], rev: string): Promise<Awaited<ReturnType<typeof sync.sync>>> =>
      sync.sync({
        environment: environment.name,
        revision: rev,
        objects: target,
        prune: flags.prune,
        dryRun: flags.dryRun,
        namespace,
        source,
        requestTimeoutMs,
        establishTimeoutMs: remaining(),
        log: (line) => io.err(`${line}\n`),
      });
    const outcome = await run(objects, revision);
    for (const note of outcome.notes) io.err(`note: ${note}\n`);
    report.applied = outcome.applied;
    report.pruned = outcome.pruned;
    report.errors = outcome.failures;
    if (flags.dryRun) return finish(outcome.failures.length > 0 ? 1 : 0);
    if (outcome.failures.length > 0) {
      // Nothing applied: no object to judge, and "Healthy" of an empty set would read as success.
      if (outcome.results.length === 0) report.health = 'Unknown';
      else recordHealth(report, await assessApplied(connection, outcome.results));
      return finish(1);
    }
    const snapshot = flags.wait
      ? await waitHealthy(connection, outcome.results, { timeoutMs: remaining(), progress: (line) => io.err(`waiting: ${line}\n`) })
      : assessReturned(outcome.results);
    recordHealth(report, snapshot);
    // Paused rollouts do not finish by waiting: say so on stderr, where a pipeline's log shows it.
    for (const ref of report.suspended) io.err(`note: ${where(ref)} is Suspended (paused): it rolls out only once resumed\n`);
    if (snapshot.health === 'Healthy') {
      await sync.markHealthy(outcome, revision, requestTimeoutMs);
      const code = finish(0);
      return code;
    }
    if (!flags.wait) return finish(0);
    io.err(`gitops-env sync: ${environment.name} is ${snapshot.health}${suspendedNote(report)} after ${Math.round(flags.timeoutMs / 1000)} s\n`);
    if (flags.rollback) {
      const target = outcome.previous.healthyRevision;
      if (!target) io.err('gitops-env sync: no earlier revision synced healthy; nothing to roll back to\n');
      else if (target === revision) io.err(`gitops-env sync: ${revision.slice(0, 12)} is itself the last healthy revision; nothing to roll back to\n`);
      else {
        io.err(`gitops-env sync: rolling back ${environment.name} to ${target.slice(0, 12)}, the last revision that synced healthy\n`);
        const previousObjects = await renderObjects(located, target, io);
        if (previousObjects) {
          const back = await run(previousObjects, target);
          report.errors.push(...back.failures);
          report.rolledBack = target;
          const after = await waitHealthy(connection, back.results, { timeoutMs: Math.max(remaining(), 30_000), progress: (line) => io.err(`waiting (rollback): ${line}\n`) });
          io.err(`gitops-env sync: rolled back to ${target.slice(0, 12)}; health ${after.health}\n`);
        }
      }
    }
    return finish(1);
  } catch (error) {
    const hint = error instanceof ClusterError && error.hint ? ` — ${error.hint}` : '';
    const server = connection.client.serverUrl;
    report.error = `${environment.name} (${connection.context} at ${server}): ${error instanceof Error ? error.message : String(error)}${hint}`;
    io.err(`gitops-env sync: ${report.error}\n`);
    return finish(1);
  }
}
