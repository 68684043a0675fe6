// `gitops-env drift`: what differs between Git and a cluster, in three forms —
//   --desired FILE --live FILE   offline, two files of objects matched by identity;
//   --repo DIR --env NAME        an environment rendered as the extension renders it, against its cluster;
//   -f FILE|DIR                  manifests (a kustomization is built) against a cluster: `kubectl diff -f`.
// Exit codes as kubectl diff: 0 in sync, 1 drift found, 2 error or a resource that could not be compared.
// Secret values never reach the output: the engine masks them before anything here sees them.
import { stat } from 'node:fs/promises';
import { FileTooLargeError, readTextFileBounded } from '../git/boundedFile';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { compareResource, countStatuses, objectId } from '../core/drift/compare';
import type { DesiredResource, DriftMode, EnvironmentDrift, KubeObject, ResourceDrift } from '../core/drift/driftTypes';
import type { IgnoreRule } from '../core/drift/ignoreRules';
import { discoverEnvironments } from '../core/discovery';
import { MAX_MANIFEST_BYTES, parseManifests, type ParsedManifest } from '../core/manifest';
import { formatProblem, resourceKey, type LocatedProblem } from '../core/model';
import type { RepoView } from '../core/repoView';
import { ClusterError } from '../cluster/clusterError';
import { ClusterManager } from '../cluster/clusterManager';
import { toDesiredResources } from '../cluster/drift/desiredResources';
import { driftExitCode, driftReportJson, driftReportText, type OutputOptions } from '../cluster/drift/driftReportOutput';
import { loadEnvironmentDriftRules } from '../cluster/drift/environmentRules';
import { EnvironmentDriftService } from '../cluster/drift/environmentDriftService';
import { directoryView } from '../git/directoryView';
import { loadEnvironmentStates } from '../git/environmentStates';
import { folderOnBranchOf } from '../git/branchFolders';
import { GitRepository } from '../git/gitRepository';
import { materializeRef } from '../git/materialize';
import { repositoryOpener } from '../git/repositoryEnvironments';
import { refView, workingTreeView } from '../git/repoViews';
import { environmentSource, renderEnvironment, type RenderResult } from '../render/renderEnvironment';
import { CliUsageError, parseArgs, safeIO, tooLargeProblem, type CliIO } from './cliSupport';

export const DRIFT_USAGE = `Usage:
  gitops-env drift --desired FILE --live FILE [--json] [--ignore-aggregated-roles]
  gitops-env drift --repo DIR --env NAME [--kubeconfig FILE] [--context NAME] [--mode server|local] [--json]
  gitops-env drift -f FILE|DIR [--kubeconfig FILE] [--context NAME] [--namespace NS] [--mode server|local] [--json]

Options: --selector SELECTOR (live objects with these labels and not in Git are reported as extra),
--request-timeout SECONDS (per cluster request; default 10), --dry-run-all (server mode: dry-run every
object, not only those a local comparison finds different; for clusters whose webhooks change objects on every apply).
Exit code: 0 in sync, 1 drift found (drifted, missing or extra), 2 error or a resource that could not be compared.
`;

interface Prepared {
  desired: DesiredResource[];
  problems: LocatedProblem[];
  display: OutputOptions;
}

interface ClusterTarget {
  kubeconfig?: string;
  context?: string;
  namespace?: string | null;
  mode: DriftMode;
  ignoreRules: IgnoreRule[];
  extraSelector?: string;
  extraTrackingApp?: string;
  timeoutMs: number;
  readSource?: (path: string) => Promise<string | undefined>;
  /** Server mode: dry-run every object, not only those a local comparison finds different. */
  dryRunAll?: boolean;
}

/** Tool configuration (kustomization files, our own config) sits next to manifests and is no cluster object. */
const TOOL_API_VERSION = /^(kustomize\.config\.k8s\.io|config\.kubernetes\.io|gitops-environments)\//;

function readProblem(file: string, error: unknown): LocatedProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const what = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot read: ${(error as Error).message}`;
  return { severity: 'error', message: what, location: { file } };
}

/** Parses a file of objects (YAML or JSON, many documents, `kind: List`); documents that are not objects become problems. */
async function readObjects(file: string, problems: LocatedProblem[]): Promise<ParsedManifest[]> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      problems.push({ severity: 'error', message: 'is a directory', location: { file }, hint: 'pass a file, or use -f DIR' });
      return [];
    }
    const parsed = parseManifests(readTextFileBounded(file, MAX_MANIFEST_BYTES), file);
    problems.push(...parsed.problems);
    const objects: ParsedManifest[] = [];
    for (const manifest of parsed.manifests) {
      if (manifest.id) objects.push(manifest);
      else if (!TOOL_API_VERSION.test(String(manifest.object.apiVersion ?? ''))) {
        problems.push({ severity: 'error', message: 'this document has no apiVersion, kind or metadata.name; it is not compared', location: { file, range: manifest.kindRange } });
      }
    }
    return objects;
  } catch (error) {
    problems.push(error instanceof FileTooLargeError ? tooLargeProblem(file, error) : readProblem(file, error));
    return [];
  }
}

function summarize(resources: ResourceDrift[], problems: string[]): EnvironmentDrift {
  return { mode: 'local', approximate: true, resources, counts: countStatuses(resources), problems };
}

/** Offline: each desired object against the live object of the same identity (a desired object without namespace matches the only live one of its kind and name). */
async function compareFiles(desiredFile: string, liveFile: string, ignoreAggregatedRoles: boolean, problems: LocatedProblem[]): Promise<EnvironmentDrift> {
  const [desired, live] = await Promise.all([readObjects(desiredFile, problems), readObjects(liveFile, problems)]);
  const liveByKey = new Map<string, KubeObject>();
  const liveByName = new Map<string, KubeObject[]>();
  for (const manifest of live) {
    const id = objectId(manifest.object);
    liveByKey.set(resourceKey(id), manifest.object);
    const loose = `${id.group}/${id.kind}/${id.name}`;
    liveByName.set(loose, [...(liveByName.get(loose) ?? []), manifest.object]);
  }
  const resources = desired.map((manifest) => {
    const id = objectId(manifest.object);
    let match = liveByKey.get(resourceKey(id));
    if (!match && id.namespace === null) {
      const candidates = liveByName.get(`${id.group}/${id.kind}/${id.name}`) ?? [];
      if (candidates.length === 1) match = candidates[0];
    }
    const drift = compareResource({ desired: { object: manifest.object, manifest }, live: match, options: { mode: 'local', ignoreAggregatedRoles } });
    const liveNamespace = match ? objectId(match).namespace : null;
    if (drift.id.namespace === null && liveNamespace !== null) {
      drift.id = { ...drift.id, namespace: liveNamespace };
      drift.key = resourceKey(drift.id);
    }
    return drift;
  });
  return summarize(resources, []);
}

function relativeToCwd(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? file : shown;
}

/** The nearest folder at or above `dir` holding `.git`; `dir` itself when there is none. */
async function enclosingRepository(dir: string): Promise<string> {
  for (let current = dir; ; current = dirname(current)) {
    if (await stat(join(current, '.git')).then(() => true, () => false)) return current;
    if (dirname(current) === current) return dir;
  }
}

/**
 * `-f`: one manifest file, or a folder rendered like an environment (kustomize when it has a
 * kustomization). `onObject` sees each object of a plain folder as soon as it is read.
 */
async function prepareFiles(target: string, timeoutMs: number, onObject?: (object: KubeObject) => void): Promise<Prepared & { readSource?: (path: string) => Promise<string | undefined> }> {
  const problems: LocatedProblem[] = [];
  const full = resolve(target);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(full)).isDirectory();
  } catch (error) {
    return { desired: [], problems: [readProblem(target, error)], display: {} };
  }
  if (!isDirectory) {
    const manifests = await readObjects(target, problems);
    return { desired: manifests.map((manifest) => ({ object: manifest.object, manifest })), problems, display: {} };
  }
  // The view starts at the enclosing repository, so an overlay's `../../base` is inside it and
  // objects are located in the base files (as kustomize reads them).
  const root = await enclosingRepository(full);
  const folder = relative(root, full).split(sep).join('/');
  const view = directoryView(root);
  const rendered = await renderEnvironment({
    view,
    path: folder === '' ? null : folder,
    trusted: true,
    materialize: async () => root,
    timeoutMs: Math.max(timeoutMs, 30_000),
    onObject: onObject && ((object) => onObject(object.object)),
  });
  const readSource = (path: string): Promise<string | undefined> => view.readFile(path);
  return {
    desired: await toDesiredResources(rendered.objects, readSource, { contentHash: false }),
    problems: [...problems, ...rendered.problems],
    display: { displayPath: (file) => relativeToCwd(join(root, ...file.split('/'))) },
    readSource,
  };
}

/** What an environment's declaration says about its cluster side (before it is rendered). */
interface EnvironmentClusterInfo {
  target: Partial<ClusterTarget>;
  context: string | null;
  configMode: DriftMode | null;
}

/**
 * `--repo/--env`: the environment as the extension renders it (working tree when checked out,
 * else at its ref). `beforeRender` learns the cluster side first and may return a handler that
 * sees each object as soon as it is read (the CLI starts listing its kind).
 */
async function prepareEnvironment(
  dir: string,
  name: string,
  timeoutMs: number,
  beforeRender?: (info: EnvironmentClusterInfo) => ((object: KubeObject) => void) | undefined,
): Promise<Prepared & EnvironmentClusterInfo> {
  const repo = await GitRepository.open(resolve(dir));
  try {
    const view = workingTreeView(repo);
    const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
    const discovery = await discoverEnvironments(view, { remoteUrls, folderOnBranch: folderOnBranchOf(repo) });
    const environment = discovery.environments.find((env) => env.name === name);
    if (!environment) {
      const known = discovery.environments.map((env) => env.name);
      throw new CliUsageError(`no environment "${name}" in ${dir}${known.length ? ` (environments: ${known.join(', ')})` : ''}`);
    }
    const [state] = await loadEnvironmentStates(repo, [environment], {}, repositoryOpener(repo.root, undefined));
    const problems: LocatedProblem[] = [...state.problems];
    if (!state.ref) return { desired: [], problems, display: {}, target: {}, context: environment.cluster.context, configMode: null };
    const envRepo = environment.repo ? await repositoryOpener(repo.root, undefined)(environment) : repo;
    const ref = state.ref;
    const envView: RepoView = state.checkedOut ? view : refView(envRepo, ref);
    const rules = await loadEnvironmentDriftRules(view, environment);
    const info: EnvironmentClusterInfo = {
      target: { namespace: environment.cluster.namespace, ignoreRules: rules.ignoreRules, extraSelector: rules.extraSelector, extraTrackingApp: rules.extraTrackingApp },
      context: environment.cluster.context,
      configMode: rules.mode,
    };
    const onObject = beforeRender?.(info);
    const rendered: RenderResult = await renderEnvironment({
      view: envView,
      ...environmentSource(environment),
      trusted: true,
      timeoutMs: Math.max(timeoutMs, 30_000),
      materialize: state.checkedOut ? async () => envRepo.root : () => materializeRef(envRepo, ref, join(tmpdir(), 'gitops-env-render')),
      onObject: onObject && ((object) => onObject(object.object)),
    });
    const readSource = (path: string): Promise<string | undefined> => envView.readFile(path);
    return {
      desired: await toDesiredResources(rendered.objects, readSource, { contentHash: false }),
      problems: [...problems, ...rendered.problems, ...rules.problems],
      display: {},
      ...info,
    };
  } finally {
    repo.dispose();
  }
}

/** The cluster side of one drift run: made before Git is read, so the cluster can list meanwhile. */
interface ClusterSession {
  service: EnvironmentDriftService;
  dispose(): void;
}

function openClusterSession(target: ClusterTarget): ClusterSession {
  const manager = new ClusterManager({ path: target.kubeconfig }, { minBackoffMs: 200, maxBackoffMs: 2000, watch: false });
  let service: EnvironmentDriftService;
  try {
    const context = target.context ?? manager.currentContext();
    if (!context) throw new ClusterError('config', 'the kubeconfig names no current context; pass --context');
    service = newDriftService(manager, context, target);
  } catch (error) {
    manager.dispose();
    throw error;
  }
  let disposed = false;
  return {
    service,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      service.dispose();
      manager.dispose();
    },
  };
}

/**
 * The session opened before Git is read, or why it could not be: a kubeconfig that cannot be used
 * is reported after the files' own problems, so the caller keeps the error for later.
 */
type EarlySession = { session: ClusterSession } | { error: unknown };

function tryOpenClusterSession(target: ClusterTarget): EarlySession {
  try {
    return { session: openClusterSession(target) };
  } catch (error) {
    return { error };
  }
}

/** The early session's service, or its error thrown now (when the comparison needs it). */
function sessionOrThrow(early: EarlySession | undefined): ClusterSession | undefined {
  if (early && 'error' in early) throw early.error;
  return early?.session;
}

async function compareWithCluster(desired: DesiredResource[], target: ClusterTarget, opened?: ClusterSession): Promise<{ drift: EnvironmentDrift; notes: string[] }> {
  const session = opened ?? openClusterSession(target);
  try {
    const service = session.service;
    service.setDesired(desired);
    const report = await service.compute();
    const notes: string[] = [];
    if (report.fallbackReason) notes.push(`compared locally instead of with a server-side dry-run: ${report.fallbackReason}`);
    notes.push(...report.freshness.problems);
    return { drift: report.drift, notes };
  } finally {
    session.dispose();
  }
}

function newDriftService(manager: ClusterManager, context: string, target: ClusterTarget): EnvironmentDriftService {
  return new EnvironmentDriftService({
    manager,
    context,
    defaultNamespace: target.namespace ?? null,
    mode: target.mode,
    ignoreRules: target.ignoreRules,
    extraSelector: target.extraSelector,
    extraTrackingApp: target.extraTrackingApp,
    autoRecompute: false,
    requestTimeoutMs: target.timeoutMs,
    listTimeoutMs: target.timeoutMs,
    readSource: target.readSource,
    dryRunAll: target.dryRunAll,
    oneShot: true,
  });
}

function parseMode(value: string | true | undefined): DriftMode | undefined {
  if (value === undefined) return undefined;
  if (value === 'server' || value === 'local') return value;
  throw new CliUsageError(`--mode must be server or local, not "${String(value)}"`);
}

function parseTimeout(value: string | true | undefined): number {
  if (value === undefined) return 10_000;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(value));
  if (!match) throw new CliUsageError(`--request-timeout must be a number of seconds (or 500ms, 2s, 1m), not "${String(value)}"`);
  const amount = Number(match[1]);
  const ms = match[2] === 'ms' ? amount : match[2] === 'm' ? amount * 60_000 : amount * 1000;
  if (ms <= 0) throw new CliUsageError('--request-timeout must be more than 0');
  return ms;
}

/** kubectl's `-f` spelling, and `-n`, become the long options parseArgs reads. */
function expandShortFlags(argv: string[]): string[] {
  return argv.flatMap((arg) => (arg === '-f' ? ['--filename'] : arg === '-n' ? ['--namespace'] : arg.startsWith('-f=') ? [`--filename=${arg.slice(3)}`] : [arg]));
}

function output(io: CliIO, drift: EnvironmentDrift, json: boolean, display: OutputOptions, notes: string[]): void {
  if (json) io.out(`${JSON.stringify(driftReportJson(drift, display), null, 2)}\n`);
  else io.out(driftReportText(drift, display));
  for (const note of notes) io.err(`note: ${note}\n`);
}

export async function runDriftCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  let flags: Map<string, string | true>;
  try {
    const parsed = parseArgs(expandShortFlags(argv), {
      values: ['desired', 'live', 'repo', 'env', 'kubeconfig', 'context', 'mode', 'filename', 'namespace', 'selector', 'request-timeout'],
      booleans: ['json', 'ignore-aggregated-roles', 'dry-run-all'],
    });
    if (parsed.positional.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positional[0]}"`);
    flags = parsed.flags;
    const forms = [flags.has('desired') || flags.has('live'), flags.has('repo') || flags.has('env'), flags.has('filename')].filter(Boolean).length;
    if (forms !== 1) throw new CliUsageError(forms === 0 ? 'say what to compare' : 'use one form at a time');
    if (flags.has('desired') !== flags.has('live')) throw new CliUsageError('--desired and --live go together');
    if (flags.has('repo') !== flags.has('env')) throw new CliUsageError('--repo and --env go together');
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`gitops-env drift: ${error.message}\n\n${DRIFT_USAGE}`);
    return 2;
  }
  const json = flags.has('json');
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const problems: LocatedProblem[] = [];
  let drift: EnvironmentDrift;
  let display: OutputOptions = {};
  let notes: string[] = [];
  try {
    const mode = parseMode(flags.get('mode'));
    const timeoutMs = parseTimeout(flags.get('request-timeout'));
    if (flags.has('desired')) {
      drift = await compareFiles(value('desired') as string, value('live') as string, flags.has('ignore-aggregated-roles'), problems);
    } else if (flags.has('filename')) {
      let readSource: ((path: string) => Promise<string | undefined>) | undefined;
      const target: ClusterTarget = {
        kubeconfig: value('kubeconfig'),
        context: value('context'),
        namespace: value('namespace') ?? null,
        mode: mode ?? 'server',
        ignoreRules: [],
        extraSelector: value('selector'),
        timeoutMs,
        readSource: (path) => readSource?.(path) ?? Promise.resolve(undefined),
        dryRunAll: flags.has('dry-run-all'),
      };
      // The cluster lists each kind while the rest of the manifests are read.
      const early = tryOpenClusterSession(target);
      const opened = 'session' in early ? early.session : undefined;
      try {
        const prepared = await prepareFiles(value('filename') as string, timeoutMs, opened && ((object) => opened.service.prefetch(object)));
        problems.push(...prepared.problems);
        display = prepared.display;
        readSource = prepared.readSource;
        ({ drift, notes } = await compareWithCluster(prepared.desired, target, sessionOrThrow(early)));
      } finally {
        opened?.dispose();
      }
    } else {
      // An environment that names no context is compared in the kubeconfig's current one, as sync
      // applies it there (and as --help says).
      const targetOf = (info: EnvironmentClusterInfo): ClusterTarget | undefined => {
        return {
          kubeconfig: value('kubeconfig'),
          context: value('context') ?? info.context ?? undefined,
          namespace: value('namespace') ?? info.target.namespace ?? null,
          mode: mode ?? info.configMode ?? 'server',
          ignoreRules: info.target.ignoreRules ?? [],
          extraSelector: value('selector') ?? info.target.extraSelector,
          extraTrackingApp: value('selector') === undefined ? info.target.extraTrackingApp : undefined,
          timeoutMs,
          dryRunAll: flags.has('dry-run-all'),
        };
      };
      // As for -f: the cluster lists while the environment is rendered (a plain folder object by
      // object). The target is learnt before rendering; an environment that is not rendered
      // (no ref) still gets its target from what prepareEnvironment returns.
      let target: ClusterTarget | undefined;
      let early: EarlySession | undefined;
      try {
        const prepared = await prepareEnvironment(value('repo') as string, value('env') as string, timeoutMs, (info) => {
          target = targetOf(info);
          if (!target) return undefined;
          early = tryOpenClusterSession(target);
          if (!('session' in early)) return undefined;
          const { service } = early.session;
          return (object) => service.prefetch(object);
        });
        problems.push(...prepared.problems);
        target ??= targetOf(prepared);
        if (!target) throw new CliUsageError(`environment "${value('env')}" names no cluster context; declare cluster: { context: … } in gitops.yaml, or pass --context`);
        ({ drift, notes } = await compareWithCluster(prepared.desired, target, sessionOrThrow(early)));
      } finally {
        if (early && 'session' in early) early.session.dispose();
      }
    }
  } catch (error) {
    for (const problem of problems) io.err(`${problem.severity}: ${formatProblem(problem)}\n`);
    if (error instanceof CliUsageError) {
      io.err(`gitops-env drift: ${error.message}\n`);
      return 2;
    }
    const hint = error instanceof ClusterError && error.hint ? ` — ${error.hint}` : '';
    io.err(`gitops-env drift: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
    return 2;
  }
  for (const problem of problems) io.err(`${problem.severity}: ${formatProblem(problem)}\n`);
  output(io, drift, json, display, notes);
  for (const resource of drift.resources) {
    if (resource.status === 'Unknown' && json) io.err(`unknown: ${resource.id.kind} ${resource.id.namespace ? `${resource.id.namespace}/` : ''}${resource.id.name}: ${resource.reason ?? ''}\n`);
  }
  const code = driftExitCode(drift);
  return problems.some((p) => p.severity === 'error') ? 2 : code;
}
