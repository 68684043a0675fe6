// Everything one repository says about its environments: discovery (or gitops.yaml) plus each
// environment's Git state. Shared by the extension and the CLI.
import { isAbsolute, resolve } from 'node:path';
import { discoverEnvironments, type DiscoveryResult } from '../core/discovery';
import type { Environment } from '../core/model';
import { loadEnvironmentStates, type EnvironmentState, type StateOptions } from './environmentStates';
import { GitRepository } from './gitRepository';
import { folderOnBranchOf } from './branchFolders';
import type { RemoteRepoCache } from './remoteRepoCache';
import { workingTreeView } from './repoViews';

export interface RepositoryEnvironments {
  repo: GitRepository;
  discovery: DiscoveryResult;
  states: EnvironmentState[];
  currentBranch: string | null;
}

function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^/\s]+@[^/\s]+:/.test(value);
}

/** Opens the repository an environment's `repo:` names: a remote URL (cached bare clone) or a folder. */
export function repositoryOpener(
  root: string,
  remoteCache: RemoteRepoCache | undefined,
  openFolder: (dir: string) => Promise<GitRepository> = (dir) => GitRepository.open(dir),
): (environment: Environment) => Promise<GitRepository> {
  const opened = new Map<string, Promise<GitRepository>>();
  return (environment) => {
    const target = environment.repo as string;
    let pending = opened.get(target);
    if (!pending) {
      if (looksLikeUrl(target)) {
        if (!remoteCache) return Promise.reject(new Error(`remote repositories need a cache folder (${environment.name})`));
        pending = remoteCache.get(target);
      } else {
        pending = openFolder(isAbsolute(target) ? target : resolve(root, target));
      }
      pending.catch(() => opened.delete(target));
      opened.set(target, pending);
    }
    return pending;
  };
}

export async function loadRepositoryEnvironments(
  repo: GitRepository,
  options: StateOptions & { remoteCache?: RemoteRepoCache; withStates?: boolean } = {},
): Promise<RepositoryEnvironments> {
  const view = workingTreeView(repo);
  // Remote URLs let discovery tell Argo CD Applications of this repository from those of others.
  const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
  const [discovery, currentBranch] = await Promise.all([discoverEnvironments(view, { remoteUrls, folderOnBranch: folderOnBranchOf(repo) }), repo.currentBranch()]);
  const states =
    options.withStates === false
      ? []
      : await loadEnvironmentStates(repo, discovery.environments, options, repositoryOpener(repo.root, options.remoteCache));
  return { repo, discovery, states, currentBranch };
}
