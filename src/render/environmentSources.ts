// The files an environment's render reads, found without rendering: what decides whether a change
// (a pull request's diff) can change the environment at all. Shared by `gitops-env preview` and
// the editor's Preview Impact.
import type { Environment } from '../core/model';
import { environmentPaths } from '../core/model';
import type { RepoView } from '../core/repoView';
import { readKustomizeTree } from './kustomizeTree';
import { cleanFolder, isUnder, kustomizationFileIn } from './repoPaths';

/**
 * Every file under the environment's folders, plus — for a kustomization — every file its tree of
 * kustomizations reaches (a shared `../../base`). A change that touches none of them cannot change
 * the environment.
 */
export async function environmentSourceFiles(view: RepoView, environment: Pick<Environment, 'path' | 'paths'>): Promise<Set<string>> {
  const files = await view.listFiles();
  const fileSet = new Set(files);
  const folders = environmentPaths(environment);
  const sources = new Set<string>();
  for (const raw of folders.length > 0 ? folders : ['']) {
    const folder = cleanFolder(raw);
    for (const file of files) if (folder === '' || isUnder(file, folder)) sources.add(file);
    const kustomization = kustomizationFileIn(fileSet, folder);
    if (kustomization) for (const file of (await readKustomizeTree(view, fileSet, kustomization)).files) sources.add(file);
  }
  return sources;
}
