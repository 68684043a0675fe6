// `gitops-env preview --base REF --head REF`: what a change (a pull request) does to every
// environment whose sources it touches — rendered objects before → after, field by field — and,
// where the environment's cluster answers, what applying the head would change live (server
// dry-run: drift it would overwrite, objects the server refuses). Markdown for a PR comment, or JSON.
// Exit: 0 preview made, 1 a render or dry-run failed, 2 usage error.
import { resolve } from 'node:path';
import { discoverEnvironments } from '../core/discovery';
import type { KubeObject } from '../core/drift/driftTypes';
import { environmentPaths, formatProblem, type Environment } from '../core/model';
import { diffObjectSets, type ObjectChangeReport } from '../core/preview/objectDiff';
import { previewJson, previewMarkdown, type EnvironmentPreview } from '../core/preview/previewReport';
import { resolveBranchRef } from '../git/environmentStates';
import { gitText } from '../git/gitProcess';
import { GitRepository } from '../git/gitRepository';
import { refView } from '../git/repoViews';
import type { RenderResult } from '../render/renderEnvironment';
import { CliUsageError, parseArgs, safeIO, type CliIO } from './cliSupport';
import { environmentSourceFiles, renderAt, renderErrors } from './environmentRender';

export const PREVIEW_USAGE = `Usage:
  gitops-env preview --repo DIR --base REF --head REF [--kubeconfig FILE] [--format markdown|json]
`;

interface PreviewFlags {
  repo: string;
  base: string;
  head: string;
  kubeconfig?: string;
  format: 'markdown' | 'json';
}

function parsePreviewFlags(argv: string[]): PreviewFlags {
  const { flags, positional } = parseArgs(argv, { values: ['repo', 'base', 'head', 'kubeconfig', 'format'], booleans: [] });
  if (positional.length > 0) throw new CliUsageError(`unexpected argument "${positional[0]}"`);
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const base = value('base');
  const head = value('head');
  if (!base || !head) throw new CliUsageError('--base REF and --head REF are required');
  const format = value('format') ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') throw new CliUsageError(`--format must be markdown or json, not "${format}"`);
  return { repo: value('repo') ?? '.', base, head, kubeconfig: value('kubeconfig'), format };
}

/** True when `file` is `folder` or inside it (folder '' = the repository root). */
function inside(file: string, folder: string): boolean {
  return folder === '' || file === folder || file.startsWith(`${folder}/`);
}

interface Touched {
  environment: Environment;
  head: RenderResult;
  base: KubeObject[];
  problems: string[];
}

/**
 * Whether the change touches the environment's sources (at base or at head: a file it stops
 * reading counts too) — read from the kustomization trees, nothing rendered. Then both renders.
 */
async function compareEnvironment(repo: GitRepository, environment: Environment, baseSha: string, headSha: string, changed: readonly string[]): Promise<Touched | null> {
  const baseView = refView(repo, baseSha);
  const [headSources, baseSources] = await Promise.all([environmentSourceFiles(refView(repo, headSha), environment), environmentSourceFiles(baseView, environment)]);
  if (!changed.some((file) => headSources.has(file) || baseSources.has(file))) return null;
  const located = { envRepo: repo, environment };
  const folders = environmentPaths(environment);
  // A folder the base does not have yet: the environment is new, every object is added.
  const baseFiles = await baseView.listFiles();
  const existedAtBase = folders.length === 0 || folders.some((folder) => baseFiles.some((file) => inside(file, folder)));
  const [head, baseRender] = await Promise.all([renderAt(located, headSha), existedAtBase ? renderAt(located, baseSha) : Promise.resolve(null)]);
  const problems = renderErrors(head.problems).map((p) => `head: ${formatProblem(p)}`);
  if (baseRender) problems.push(...renderErrors(baseRender.problems).map((p) => `base: ${formatProblem(p)}`));
  return { environment, head, base: baseRender ? baseRender.objects.map((o) => o.object) : [], problems };
}

/** `refs/heads/prod`, `refs/remotes/origin/prod`, `origin/prod` → `prod`: how a pipeline may name a pull request's target. */
function branchNameOf(ref: string, remotes: readonly string[]): string {
  let name = ref.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\//, '');
  for (const remote of remotes) if (name.startsWith(`${remote}/`)) name = name.slice(remote.length + 1);
  return name;
}

/**
 * Environments this change can reach: in this repository, and on the branch the change goes
 * into. The base named as a branch picks the environments of that branch (branches that happen
 * to point at the same commit are other environments); a base given as a commit picks those
 * whose branch is at it. Environments on no branch are always candidates.
 */
async function candidates(repo: GitRepository, environments: readonly Environment[], base: string, baseSha: string): Promise<Environment[]> {
  const branches = await repo.branches();
  const remotes = [...new Set(branches.map((b) => b.remote).filter((r): r is string => r !== null))];
  const baseBranch = branchNameOf(base, remotes);
  const byName = environments.some((environment) => environment.branch === baseBranch);
  const out: Environment[] = [];
  for (const environment of environments) {
    if (environment.repo) continue;
    if (environment.branch && byName && environment.branch !== baseBranch) continue;
    if (environment.branch && !byName) {
      const ref = resolveBranchRef(environment.branch, branches);
      if (!ref || (await repo.resolve(ref)) !== baseSha) continue;
    }
    out.push(environment);
  }
  return out;
}

async function liveImpact(preview: EnvironmentPreview, touched: Touched, kubeconfig: string | undefined, gitChanges: ObjectChangeReport[]): Promise<void> {
  const { environment } = touched;
  const { ClusterError } = await import('../cluster/clusterError');
  const { openSyncConnection } = await import('../cluster/sync/syncConnection');
  const { previewLive } = await import('../cluster/sync/livePreview');
  let connection: ReturnType<typeof openSyncConnection>;
  try {
    if (!environment.cluster.context && !kubeconfig) {
      preview.cluster = { status: 'none', objects: [], message: 'the environment names no cluster context' };
      return;
    }
    connection = openSyncConnection({ kubeconfig, context: environment.cluster.context });
  } catch (error) {
    preview.cluster = { status: 'none', objects: [], message: error instanceof Error ? error.message : String(error) };
    return;
  }
  const namespace = environment.cluster.namespace ?? connection.namespace ?? 'default';
  const headKeys = new Set(touched.head.objects.map((o) => `${o.id.group}/${o.id.kind}/${o.id.namespace ?? ''}/${o.id.name}`));
  const removed = touched.base.filter((object) => {
    const apiVersion = String(object.apiVersion ?? '');
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const metadata = (object.metadata ?? {}) as { namespace?: string; name?: string };
    return !headKeys.has(`${group}/${String(object.kind)}/${metadata.namespace ?? ''}/${metadata.name ?? ''}`);
  });
  try {
    await connection.client.request('GET', '/version', { timeoutMs: 5000 });
    const objects = await previewLive(connection, { environment: environment.name, namespace, head: touched.head.objects.map((o) => o.object), removed, gitChanges });
    preview.cluster = { status: 'checked', objects };
    for (const refused of objects.filter((o) => o.change === 'refused')) preview.problems.push(`the server refuses ${refused.kind} ${refused.namespace ? `${refused.namespace}/` : ''}${refused.name}: ${refused.error ?? ''}`);
  } catch (error) {
    const hint = error instanceof ClusterError && error.hint ? ` — ${error.hint}` : '';
    preview.cluster = { status: 'unreachable', objects: [], message: `${connection.context} at ${connection.client.serverUrl}: ${error instanceof Error ? error.message : String(error)}${hint}` };
  }
}

export async function runPreviewCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  let flags: PreviewFlags;
  try {
    flags = parsePreviewFlags(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`gitops-env preview: ${error.message}\n\n${PREVIEW_USAGE}`);
    return 2;
  }
  let repo: GitRepository;
  try {
    repo = await GitRepository.open(resolve(flags.repo));
  } catch (error) {
    io.err(`gitops-env preview: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const [baseSha, headSha] = await Promise.all([repo.resolve(flags.base), repo.resolve(flags.head)]);
    if (!baseSha || !headSha) {
      io.err(`gitops-env preview: unknown ref ${!baseSha ? flags.base : flags.head}\n`);
      return 2;
    }
    const changed = (await gitText(repo.root, ['diff', '--name-only', '-z', '--no-renames', baseSha, headSha, '--'])).split('\0').filter(Boolean);
    const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
    const discovery = await discoverEnvironments(refView(repo, headSha), { remoteUrls });
    const reachable = changed.length === 0 ? [] : await candidates(repo, discovery.environments, flags.base, baseSha);
    const touched = (await Promise.all(reachable.map((env) => compareEnvironment(repo, env, baseSha, headSha, changed)))).filter((t): t is Touched => t !== null);
    const environments = await Promise.all(
      touched.map(async (t): Promise<EnvironmentPreview> => {
        const objects = diffObjectSets(t.base, t.head.objects.map((o) => o.object));
        const preview: EnvironmentPreview = { name: t.environment.name, objects, cluster: { status: 'none', objects: [] }, problems: [...t.problems] };
        if (t.problems.length === 0) await liveImpact(preview, t, flags.kubeconfig, objects);
        return preview;
      }),
    );
    const report = { base: flags.base, head: flags.head, environments };
    io.out(flags.format === 'json' ? `${JSON.stringify(previewJson(report), null, 2)}\n` : previewMarkdown(report));
    for (const env of environments) for (const problem of env.problems) io.err(`${env.name}: ${problem}\n`);
    return environments.some((env) => env.problems.length > 0) ? 1 : 0;
  } finally {
    repo.dispose();
  }
}
