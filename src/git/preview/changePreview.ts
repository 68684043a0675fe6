// Previewing a change — a pull request, a branch — as `gitops-env preview` and the editor's Preview
// Impact both show it: the environments of the repository whose sources the base → head diff
// touches, each rendered at both ends and diffed object by object. Rendering is the caller's (the
// CLI renders with everything allowed, the editor with its settings and workspace trust), and so
// is the live half — what applying head would change in the cluster — through the `live` hook, so
// this module needs neither a cluster client nor VS Code.
import { discoverEnvironments } from '../../core/discovery';
import type { KubeObject } from '../../core/drift/driftTypes';
import { environmentPaths, formatProblem, type Environment, type LocatedProblem } from '../../core/model';
import { diffObjectSets } from '../../core/preview/objectDiff';
import type { EnvironmentPreview, PreviewReport } from '../../core/preview/previewReport';
import type { RenderResult } from '../../render/renderEnvironment';
import { environmentSourceFiles } from '../../render/environmentSources';
import { resolveBranchRef } from '../environmentStates';
import { gitText } from '../gitProcess';
import type { GitRepository } from '../gitRepository';
import { refView } from '../repoViews';

/** One environment the change reaches, rendered at both ends. */
export interface TouchedEnvironment {
  environment: Environment;
  head: RenderResult;
  /** The base render; null when the environment's folders do not exist at base (a new environment). */
  base: RenderResult | null;
  /** Render errors, prefixed `head:` / `base:`; any of them means no live check. */
  problems: string[];
}

export interface ChangePreview extends PreviewReport {
  baseSha: string;
  headSha: string;
  touched: TouchedEnvironment[];
}

export interface ChangePreviewRequest {
  base: string;
  head: string;
  /** Renders an environment of this repository at a commit. */
  render: (environment: Environment, commit: string) => Promise<RenderResult>;
  /** Fills `preview.cluster` (and may add problems) for an environment that rendered cleanly. */
  live?: (preview: EnvironmentPreview, touched: TouchedEnvironment) => Promise<void>;
}

/** A ref of the request that does not resolve in the repository. */
export class UnknownRefError extends Error {
  constructor(readonly ref: string) {
    super(`unknown ref ${ref}`);
    this.name = 'UnknownRefError';
  }
}

/** True when `file` is `folder` or inside it (folder '' = the repository root). */
function inside(file: string, folder: string): boolean {
  return folder === '' || file === folder || file.startsWith(`${folder}/`);
}

function renderErrors(problems: readonly LocatedProblem[]): LocatedProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

/** The objects of a render, as the diff takes them. */
export function renderedObjects(render: RenderResult | null): KubeObject[] {
  return render ? render.objects.map((o) => o.object) : [];
}

/**
 * Whether the change touches the environment's sources (at base or at head: a file it stops
 * reading counts too) — read from the kustomization trees, nothing rendered. Then both renders.
 */
async function compareEnvironment(repo: GitRepository, request: ChangePreviewRequest, environment: Environment, baseSha: string, headSha: string, changed: readonly string[]): Promise<TouchedEnvironment | null> {
  const baseView = refView(repo, baseSha);
  const [headSources, baseSources] = await Promise.all([environmentSourceFiles(refView(repo, headSha), environment), environmentSourceFiles(baseView, environment)]);
  if (!changed.some((file) => headSources.has(file) || baseSources.has(file))) return null;
  const folders = environmentPaths(environment);
  // A folder the base does not have yet: the environment is new, every object is added.
  const baseFiles = await baseView.listFiles();
  const existedAtBase = folders.length === 0 || folders.some((folder) => baseFiles.some((file) => inside(file, folder)));
  const [head, base] = await Promise.all([request.render(environment, headSha), existedAtBase ? request.render(environment, baseSha) : Promise.resolve(null)]);
  const problems = renderErrors(head.problems).map((p) => `head: ${formatProblem(p)}`);
  if (base) problems.push(...renderErrors(base.problems).map((p) => `base: ${formatProblem(p)}`));
  return { environment, head, base, problems };
}

/** `refs/heads/prod`, `refs/remotes/origin/prod`, `origin/prod` → `prod`: how a pipeline may name a pull request's target. */
export function branchNameOf(ref: string, remotes: readonly string[]): string {
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

/**
 * The preview of `base` → `head`: every touched environment with its object changes (Secrets
 * masked by the diff), render problems, and — through `live` — its cluster impact. Environments
 * the change does not touch are absent. Throws UnknownRefError for a ref that does not resolve.
 */
export async function previewChange(repo: GitRepository, request: ChangePreviewRequest): Promise<ChangePreview> {
  const [baseSha, headSha] = await Promise.all([repo.resolve(request.base), repo.resolve(request.head)]);
  if (!baseSha) throw new UnknownRefError(request.base);
  if (!headSha) throw new UnknownRefError(request.head);
  const changed = (await gitText(repo.root, ['diff', '--name-only', '-z', '--no-renames', baseSha, headSha, '--'])).split('\0').filter(Boolean);
  const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
  const discovery = await discoverEnvironments(refView(repo, headSha), { remoteUrls });
  const reachable = changed.length === 0 ? [] : await candidates(repo, discovery.environments, request.base, baseSha);
  const touched = (await Promise.all(reachable.map((env) => compareEnvironment(repo, request, env, baseSha, headSha, changed)))).filter((t): t is TouchedEnvironment => t !== null);
  const environments = await Promise.all(
    touched.map(async (t): Promise<EnvironmentPreview> => {
      const objects = diffObjectSets(renderedObjects(t.base), renderedObjects(t.head));
      const preview: EnvironmentPreview = { name: t.environment.name, objects, cluster: { status: 'none', objects: [] }, problems: [...t.problems] };
      if (t.problems.length === 0 && request.live) await request.live(preview, t);
      return preview;
    }),
  );
  return { base: request.base, head: request.head, baseSha, headSha, touched, environments };
}
