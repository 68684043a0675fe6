// Finding an environment by name and rendering it at a commit, for the pipeline commands (sync,
// preview): the same discovery and renderers the extension and `drift --repo` use.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverEnvironments } from '../core/discovery';
import type { Environment, LocatedProblem } from '../core/model';
import type { RepoView } from '../core/repoView';
import { loadEnvironmentStates, type EnvironmentState } from '../git/environmentStates';
import { GitRepository } from '../git/gitRepository';
import { materializeRef } from '../git/materialize';
import { repositoryOpener } from '../git/repositoryEnvironments';
import { refView, workingTreeView } from '../git/repoViews';
import { environmentSource, renderEnvironment, type RenderResult } from '../render/renderEnvironment';
import { CliUsageError } from './cliSupport';

export const RENDER_CHECKOUTS = join(tmpdir(), 'gitops-env-render');

export interface LocatedEnvironment {
  repo: GitRepository;
  /** The repository holding the environment's files (its `repo:` when it names another). */
  envRepo: GitRepository;
  environment: Environment;
  state: EnvironmentState;
  /** The commit the environment's ref points at; null when the ref does not resolve. */
  revision: string | null;
}

/** Opens the repository and finds `name` (CliUsageError naming the known ones when absent). Dispose `repo` when done. */
export async function locateEnvironment(dir: string, name: string): Promise<LocatedEnvironment> {
  const repo = await GitRepository.open(resolve(dir));
  try {
    const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
    const discovery = await discoverEnvironments(workingTreeView(repo), { remoteUrls });
    const environment = discovery.environments.find((env) => env.name === name);
    if (!environment) {
      const known = discovery.environments.map((env) => env.name);
      throw new CliUsageError(`no environment "${name}" in ${dir}${known.length ? ` (environments: ${known.join(', ')})` : ''}`);
    }
    const opener = repositoryOpener(repo.root, undefined);
    const [state] = await loadEnvironmentStates(repo, [environment], {}, opener);
    const envRepo = environment.repo ? await opener(environment) : repo;
    const revision = state.ref ? await envRepo.resolve(state.ref) : null;
    return { repo, envRepo, environment, state, revision };
  } catch (error) {
    repo.dispose();
    throw error;
  }
}

/**
 * Renders the environment at `commit`, or — `commit` null and its branch checked out — as the
 * working tree has it (what the extension shows for a checked-out environment).
 */
export function renderAt(located: Pick<LocatedEnvironment, 'envRepo' | 'environment'>, commit: string | null, timeoutMs = 60_000): Promise<RenderResult> {
  const { envRepo, environment } = located;
  const view: RepoView = commit === null ? workingTreeView(envRepo) : refView(envRepo, commit);
  return renderEnvironment({
    view,
    ...environmentSource(environment),
    trusted: true,
    timeoutMs,
    materialize: commit === null ? async () => envRepo.root : () => materializeRef(envRepo, commit, RENDER_CHECKOUTS),
  });
}

/** Errors among render problems: any of them means the environment cannot be applied as Git declares it. */
export function renderErrors(problems: readonly LocatedProblem[]): LocatedProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

// Moved beside the renderers so the editor's Preview Impact reads the same sources.
export { environmentSourceFiles } from '../render/environmentSources';
