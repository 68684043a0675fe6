// Layer 4 of discovery: one folder per environment (envs/dev, overlays/prod, k8s/overlays/staging …).
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { compareByLadder, isProductionName, ladderRank } from './environmentLadder';
import type { LocatedProblem } from './model';
import { isSafeEnvironmentName } from './safeNames';

/** Folder names that hold one subfolder per environment. */
export const ENVIRONMENT_CONTAINERS = ['envs', 'environments', 'overlays', 'clusters', 'deploy', 'k8s'];
/** Subfolders that sit beside environments without being one. */
const NOT_ENVIRONMENTS = new Set(['base', 'bases', 'common', 'shared', 'components', 'templates', 'flux-system']);
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const KUSTOMIZATION_FILE = /^(kustomization\.ya?ml|Kustomization)$/;

interface Container {
  path: string;
  depth: number;
  /** environment folder name → its kustomization file, or '' when it only holds manifests. */
  folders: Map<string, string>;
}

/**
 * Environments from folders. A container is a folder named like `envs`, `overlays`, `k8s`…, at the
 * root or one level down (`k8s/overlays`, `myapp/overlays`); its subfolders holding manifests or a
 * kustomization are the environments. Only containers with at least one ladder word among their
 * subfolders count (`k8s/deployments` + `k8s/services` is not a set of environments). When several
 * qualify, one is used — the one with most ladder-named subfolders, then the shallower, then the
 * first alphabetically — and the others are reported, because environments must not mix folders
 * of different applications. Unknown names in the chosen container are kept and sorted after prod.
 */
export function discoverFolderEnvironments(files: readonly string[]): LayerResult {
  const containers = new Map<string, Container>();
  for (const file of files) {
    if (!MANIFEST_FILE.test(file) && !KUSTOMIZATION_FILE.test(file.slice(file.lastIndexOf('/') + 1))) continue;
    const segments = file.split('/');
    for (let depth = 1; depth <= 2; depth++) {
      // container/<env>/…file: at least one segment below the environment folder.
      if (segments.length < depth + 2 || !ENVIRONMENT_CONTAINERS.includes(segments[depth - 1].toLowerCase())) continue;
      const env = segments[depth];
      if (NOT_ENVIRONMENTS.has(env.toLowerCase()) || env.startsWith('.') || env.startsWith('_')) continue;
      const path = segments.slice(0, depth).join('/');
      let container = containers.get(path);
      if (!container) {
        container = { path, depth, folders: new Map() };
        containers.set(path, container);
      }
      const isKustomization = segments.length === depth + 2 && KUSTOMIZATION_FILE.test(segments[depth + 1]);
      if (isKustomization) container.folders.set(env, file);
      else if (!container.folders.has(env)) container.folders.set(env, '');
    }
  }
  const score = (c: Container): number => [...c.folders.keys()].filter((name) => ladderRank(name) !== null).length;
  const ranked = [...containers.values()]
    .filter((c) => score(c) > 0)
    .sort((a, b) => score(b) - score(a) || a.depth - b.depth || (a.path < b.path ? -1 : 1));
  const chosen = ranked[0];
  if (!chosen) return { environments: [], problems: [] };

  const problems: LocatedProblem[] = [];
  if (ranked.length > 1) {
    const others = ranked.slice(1, 4).map((c) => `${c.path}/`).join(', ');
    problems.push({
      severity: 'warning',
      message: `Environment folders found in several places; using ${chosen.path}/ and ignoring ${others}${ranked.length > 4 ? '…' : ''}`,
      hint: 'declare the environments in gitops.yaml to choose the folders',
    });
  }
  const environments: DiscoveredEnvironment[] = [];
  for (const name of [...chosen.folders.keys()].sort(compareByLadder)) {
    if (!isSafeEnvironmentName(name)) {
      problems.push({
        severity: 'warning',
        message: `Folder ${chosen.path}/${name} is not used as an environment: its name has characters other than letters, digits, ".", "_" and "-"`,
        hint: 'rename the folder, or declare it in gitops.yaml under another name',
      });
      continue;
    }
    const kustomization = chosen.folders.get(name);
    environments.push({
      name,
      repo: null,
      branch: null,
      path: `${chosen.path}/${name}`,
      cluster: { context: null, namespace: null },
      protected: isProductionName(name),
      source: 'folders',
      ...(kustomization ? { declaredAt: { file: kustomization } } : {}),
    });
  }
  return { environments, problems };
}
