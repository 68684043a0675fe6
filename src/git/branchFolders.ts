// Lets discovery ask whether an environment branch holds its folder (branch prod-eu, folder
// envs/prod-eu), through `git ls-tree` limited to that folder.
import type { GitRepository } from './gitRepository';

/**
 * `folderOnBranch` for discoverEnvironments. A branch known only as `origin/<name>` is read there;
 * a branch that cannot be read at all is not called missing (the listing said it exists).
 */
export function folderOnBranchOf(repo: GitRepository): (branch: string, folder: string) => Promise<boolean> {
  return async (branch, folder) => {
    for (const ref of [branch, `origin/${branch}`]) {
      const entries = await repo.listTree(ref, folder).catch(() => undefined);
      if (entries) return entries.length > 0;
    }
    return true;
  };
}
