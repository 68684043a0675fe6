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
import type { RepoView } from '../../core/repoView';
import type { RenderResult } from '../../render/renderEnvironment';
import { environmentSourceFiles } from '../../render/environmentSources';
import { KUSTOMIZATION_FILES } from '../../render/repoPaths';
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
  /**
   * Renders an environment of this repository at a commit. `view` is the preview's own view of
   * that commit, shared by every environment and by the touched-sources check: a renderer that
   * reads through it reads each file once however many environments share it (a common base).
   */
  render: (environment: Environment, commit: string, view: RepoView) => Promise<RenderResult>;
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

/**
 * A ref view that reads each file once: the preview reads the same kustomizations and bases for
 * every environment, at both ends, for the touched check and again for the render — as many
 * `git cat-file` round trips as files, times environments, without it. A commit is immutable,
 * so nothing goes stale; the cache lives as long as one preview.
 */
export function sharedCommitView(repo: GitRepository, commit: string): RepoView {
  const view = refView(repo, commit);
  const texts = new Map<string, Promise<string | undefined>>();
  return {
    listFiles: () => view.listFiles(),
    branches: () => view.branches(),
    readFile(path: string): Promise<string | undefined> {
      let text = texts.get(path);
      if (!text) {
        text = view.readFile(path);
        texts.set(path, text);
        // A failed read is not kept: the next reader retries.
        text.catch(() => texts.delete(path));
      }
      return text;
    },
  };
}

const KUSTOMIZATION_NAMES: ReadonlySet<string> = new Set(KUSTOMIZATION_FILES);

/**
 * The view the touched check reads sources through: kustomizations as they are, every other file
 * empty. Which files a kustomization tree reaches follows from the kustomizations alone (an
 * entry is a file or a folder by the file list, never by what the file holds), so the source set
 * is the same — without parsing every manifest of a 300-object base at both ends for each
 * environment, which was most of the preview's own time (test: previewSources.test.ts).
 */
export function kustomizationsOnlyView(view: RepoView): RepoView {
  let present: Promise<ReadonlySet<string>> | undefined;
  return {
    listFiles: () => view.listFiles(),
    branches: () => view.branches(),
    async readFile(path: string): Promise<string | undefined> {
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (KUSTOMIZATION_NAMES.has(name)) return view.readFile(path);
      // Present but not read: empty. Absent stays absent.
      present ??= view.listFiles().then((files) => new Set(files));
      return (await present).has(path) ? '' : undefined;
    },
  };
}

/** The objects of a render, as the diff takes them. */
export function renderedObjects(render: RenderResult | null): KubeObject[] {
  return render ? render.objects.map((o) => o.object) : [];
}

/** Both ends of the change, each with its shared view. */
interface Ends {
  baseSha: string;
  headSha: string;
  baseView: RepoView;
  headView: RepoView;
  /** The same commits for the touched check: kustomizations only (kustomizationsOnlyView). */
  baseSources: RepoView;
  headSources: RepoView;
}

/**
 * Whether the change touches the environment's sources (at base or at head: a file it stops
 * reading counts too) — read from the kustomization trees, nothing rendered. Then both renders.
 */
async function touches(environment: Environment, ends: Ends, changed: readonly string[]): Promise<boolean> {
  // A changed file under the environment's own folders settles it without reading any kustomization.
  const folders = environmentPaths(environment);
  if (folders.length > 0 && changed.some((file) => folders.some((folder) => folder !== '' && inside(file, folder)))) return true;
  const [headSources, baseSources] = await Promise.all([environmentSourceFiles(ends.headSources, environment), environmentSourceFiles(ends.baseSources, environment)]);
  return changed.some((file) => headSources.has(file) || baseSources.has(file));
}

async function compareEnvironment(request: ChangePreviewRequest, environment: Environment, ends: Ends, changed: readonly string[]): Promise<TouchedEnvironment | null> {
  const { baseSha, headSha, baseView, headView } = ends;
  if (!(await touches(environment, ends, changed))) return null;
  const folders = environmentPaths(environment);
  // A folder the base does not have yet: the environment is new, every object is added.
  const baseFiles = await baseView.listFiles();
  const existedAtBase = folders.length === 0 || folders.some((folder) => baseFiles.some((file) => inside(file, folder)));
  const [head, base] = await Promise.all([request.render(environment, headSha, headView), existedAtBase ? request.render(environment, baseSha, baseView) : Promise.resolve(null)]);
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
/** Both ends resolved, the files the change touches, and the environments it can reach. */
async function changeScope(repo: GitRepository, base: string, head: string): Promise<{ ends: Ends; changed: string[]; reachable: Environment[] }> {
  const [baseSha, headSha] = await Promise.all([repo.resolve(base), repo.resolve(head)]);
  if (!baseSha) throw new UnknownRefError(base);
  if (!headSha) throw new UnknownRefError(head);
  const changed = (await gitText(repo.root, ['diff', '--name-only', '-z', '--no-renames', baseSha, headSha, '--'])).split('\0').filter(Boolean);
  const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
  const baseView = sharedCommitView(repo, baseSha);
  const headView = sharedCommitView(repo, headSha);
  const ends: Ends = { baseSha, headSha, baseView, headView, baseSources: kustomizationsOnlyView(baseView), headSources: kustomizationsOnlyView(headView) };
  const discovery = await discoverEnvironments(ends.headView, { remoteUrls });
  const reachable = changed.length === 0 ? [] : await candidates(repo, discovery.environments, base, baseSha);
  return { ends, changed, reachable };
}

/**
 * The names of the environments whose sources `base` → `head` touches — what previewChange would
 * report, without rendering anything: how the Environments view places someone else's pull
 * request under the environments it changes. Throws UnknownRefError for a ref that does not resolve.
 */
export async function touchedEnvironments(repo: GitRepository, base: string, head: string): Promise<string[]> {
  const { ends, changed, reachable } = await changeScope(repo, base, head);
  const hits = await Promise.all(reachable.map((environment) => touches(environment, ends, changed)));
  return reachable.filter((_, i) => hits[i]).map((environment) => environment.name);
}

export async function previewChange(repo: GitRepository, request: ChangePreviewRequest): Promise<ChangePreview> {
  const { ends, changed, reachable } = await changeScope(repo, request.base, request.head);
  const { baseSha, headSha } = ends;
  const touched = (await Promise.all(reachable.map((env) => compareEnvironment(request, env, ends, changed)))).filter((t): t is TouchedEnvironment => t !== null);
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
