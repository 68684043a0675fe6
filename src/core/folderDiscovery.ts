// Layer 4 of discovery: one folder per environment (envs/dev, overlays/prod, k8s/overlays/staging …),
// and many applications with one folder per environment each (apps/<app>/overlays/<env>,
// <app>/<env>, <env>/<app>, Helm values-<env>.yaml per app): one environment per name, made of
// every application's folder.
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { compareByLadder, isProductionName, ladderRank } from './environmentLadder';
import type { LocatedProblem } from './model';
import { isSafeEnvironmentName } from './safeNames';
import { valuesFileWord } from './valuesFileName';

/** An environment made of folders (one, or one per application), declared at `declaredAt` when known. */
function folderEnvironment(name: string, paths: readonly string[], declaredAt: string | undefined): DiscoveredEnvironment {
  return {
    name,
    repo: null,
    branch: null,
    path: paths[0] ?? null,
    ...(paths.length > 1 ? { paths: [...paths] } : {}),
    cluster: { context: null, namespace: null },
    protected: isProductionName(name),
    source: 'folders',
    ...(declaredAt ? { declaredAt: { file: declaredAt } } : {}),
  };
}

/** Folder names that hold one subfolder per environment. */
export const ENVIRONMENT_CONTAINERS = ['envs', 'environments', 'overlays', 'clusters', 'deploy', 'k8s'];
/** Subfolders that sit beside environments without being one. */
const NOT_ENVIRONMENTS = new Set(['base', 'bases', 'common', 'shared', 'components', 'templates', 'flux-system', 'charts', 'crds']);
/** Folders whose subfolders are building blocks, not environments (kustomize components per tier or region). */
const NOT_CONTAINERS = new Set(['variants', 'components', 'base', 'bases', 'templates', 'charts', 'crds', 'patches']);
/** Folders never holding environments: code, docs, tests, tooling. */
const SKIPPED = new Set(['node_modules', 'vendor', '.git', '.github', '.gitlab', 'docs', 'doc', 'test', 'tests', 'testdata', 'examples', 'scripts', 'hack', 'src', 'third_party', 'dist', 'out', 'target']);
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const KUSTOMIZATION_FILE = /^(kustomization\.ya?ml|Kustomization)$/;
/** Deepest container looked at (apps/<app>/overlays is 3). */
const MAX_CONTAINER_DEPTH = 5;

interface Container {
  path: string;
  depth: number;
  /** Named like an environment container (`envs`, `overlays` …) at depth 1 or 2. */
  named: boolean;
  /** environment folder name → its kustomization file, or '' when it only holds manifests. */
  folders: Map<string, string>;
}

function join(container: string, name: string): string {
  return container === '' ? name : `${container}/${name}`;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function isManifest(file: string): boolean {
  return MANIFEST_FILE.test(file) || KUSTOMIZATION_FILE.test(file.slice(file.lastIndexOf('/') + 1));
}

/** Every folder with an environment-like subfolder holding manifests, up to MAX_CONTAINER_DEPTH deep. */
function collectContainers(files: readonly string[]): Map<string, Container> {
  const containers = new Map<string, Container>();
  for (const file of files) {
    if (!isManifest(file)) continue;
    const segments = file.split('/');
    for (let depth = 0; depth <= MAX_CONTAINER_DEPTH && depth + 2 <= segments.length; depth++) {
      const name = segments[depth];
      if (depth > 0 && (SKIPPED.has(segments[depth - 1].toLowerCase()) || segments[depth - 1].startsWith('.'))) break;
      if (depth > 0 && NOT_CONTAINERS.has(segments[depth - 1].toLowerCase())) continue;
      if (NOT_ENVIRONMENTS.has(name.toLowerCase()) || name.startsWith('.') || name.startsWith('_') || SKIPPED.has(name.toLowerCase())) continue;
      const path = segments.slice(0, depth).join('/');
      let container = containers.get(path);
      if (!container) {
        const named = depth >= 1 && depth <= 2 && ENVIRONMENT_CONTAINERS.includes(segments[depth - 1].toLowerCase());
        container = { path, depth, named, folders: new Map() };
        containers.set(path, container);
      }
      const isKustomization = segments.length === depth + 2 && KUSTOMIZATION_FILE.test(segments[depth + 1]);
      if (isKustomization) container.folders.set(name, file);
      else if (!container.folders.has(name)) container.folders.set(name, '');
    }
  }
  return containers;
}

function ladderNames(c: Container): string[] {
  return [...c.folders.keys()].filter((name) => ladderRank(name) !== null);
}

/**
 * Environment folders of the repository by name (lower case) → folder, from containers named like
 * `envs/`, `overlays/` … at depth 1 or 2, whatever the names. Used by branch discovery to pair a
 * branch with the folder of the same name (branch staging-eu, folder envs/staging-eu).
 */
export function environmentFolderIndex(files: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  const named = [...collectContainers(files).values()].filter((c) => c.named).sort((a, b) => a.depth - b.depth || (a.path < b.path ? -1 : 1));
  for (const container of named) {
    for (const name of container.folders.keys()) {
      if (isSafeEnvironmentName(name) && !index.has(name.toLowerCase())) index.set(name.toLowerCase(), join(container.path, name));
    }
  }
  return index;
}

/**
 * Environments from folders. A container is a folder whose subfolders holding manifests are named
 * like environments: a folder named `envs`, `overlays`, `k8s`… at the root or one level down with at
 * least one ladder name among its subfolders, or any folder (the root included) with at least two.
 * The container with most ladder-named subfolders wins (then a named one, then the shallower, then
 * the first alphabetically). Its sibling containers — same depth, one path segment apart, sharing an
 * environment name (apps/web/overlays and apps/api/overlays; web/ and api/) — are the other
 * applications of the same environments: each environment then holds every application's folder.
 * Other containers are reported, because environments must not mix unrelated folders. Unknown names
 * in a named container are kept and sorted after prod. An environment folder holding no manifest
 * itself but application subfolders (`<env>/<app>`) is made of those subfolders.
 * Without any container, Helm values files per environment (`<app>/values-<env>.yaml`) make
 * environments of the applications' folders.
 */
export function discoverFolderEnvironments(files: readonly string[]): LayerResult {
  const containers = collectContainers(files);
  const score = (c: Container): number => ladderNames(c).length;
  const ranked = [...containers.values()]
    .filter((c) => (c.named && score(c) > 0) || score(c) >= 2)
    .sort((a, b) => score(b) - score(a) || Number(b.named) - Number(a.named) || a.depth - b.depth || (a.path < b.path ? -1 : 1));
  const chosen = ranked[0];
  if (!chosen) return discoverValuesFileEnvironments(files);

  const chosenNames = new Set(ladderNames(chosen));
  const group = ranked.filter((c) => c === chosen || (c.depth === chosen.depth && oneSegmentApart(c.path, chosen.path) && ladderNames(c).some((n) => chosenNames.has(n))));
  const problems: LocatedProblem[] = [];
  // Containers inside a chosen one (prod/web/overlays under the root) are its applications' insides, not rivals.
  const others = ranked.filter((c) => !group.includes(c) && !group.some((g) => g.path === '' || c.path.startsWith(`${g.path}/`)));
  if (others.length > 0) {
    const list = others.slice(0, 3).map((c) => `${c.path}/`).join(', ');
    problems.push({
      severity: 'warning',
      message: `Environment folders found in several places; using ${group.map((c) => `${c.path || '.'}/`).join(', ')} and ignoring ${list}${others.length > 3 ? '…' : ''}`,
      hint: 'declare the environments in gitops.yaml to choose the folders',
    });
  }

  const multiApp = group.length > 1;
  const names = new Map<string, number>();
  for (const c of group) for (const name of c.folders.keys()) names.set(name, (names.get(name) ?? 0) + 1);
  // Unknown names count in a named container alone, or when several applications share them.
  const keep = (name: string): boolean => ladderRank(name) !== null || (multiApp ? (names.get(name) ?? 0) >= 2 : chosen.named);
  const folderFiles = subfolderIndex(files);
  const environments: DiscoveredEnvironment[] = [];
  for (const name of [...names.keys()].filter(keep).sort(compareByLadder)) {
    if (!isSafeEnvironmentName(name)) {
      problems.push({
        severity: 'warning',
        message: `Folder ${join(chosen.path, name)} is not used as an environment: its name has characters other than letters, digits, ".", "_" and "-"`,
        hint: 'rename the folder, or declare it in gitops.yaml under another name',
      });
      continue;
    }
    const members = group.filter((c) => c.folders.has(name)).sort((a, b) => (a.path < b.path ? -1 : 1));
    const paths = members.flatMap((c) => (multiApp ? [join(c.path, name)] : applicationFolders(join(c.path, name), folderFiles)));
    const kustomization = members.map((c) => c.folders.get(name)).find((f) => f);
    // Where it came from: its kustomization, else its first folder.
    environments.push(folderEnvironment(name, paths, kustomization ?? paths[0]));
  }
  return { environments, problems };
}

function oneSegmentApart(a: string, b: string): boolean {
  const sa = a.split('/');
  const sb = b.split('/');
  return sa.length === sb.length && sa.filter((s, i) => s !== sb[i]).length === 1;
}

/** folder → whether it holds a manifest directly, and its subfolders holding manifests at any depth. */
interface FolderFacts {
  direct: Set<string>;
  children: Map<string, Set<string>>;
}

function subfolderIndex(files: readonly string[]): FolderFacts {
  const direct = new Set<string>();
  const children = new Map<string, Set<string>>();
  for (const file of files) {
    if (!isManifest(file)) continue;
    let dir = dirOf(file);
    direct.add(dir);
    while (dir !== '') {
      const parent = dirOf(dir);
      let set = children.get(parent);
      if (!set) children.set(parent, (set = new Set()));
      if (set.has(dir)) break;
      set.add(dir);
      dir = parent;
    }
  }
  return { direct, children };
}

/** The environment folder itself, or its application subfolders when it holds no manifest of its own (`prod/web`, `prod/api`). */
function applicationFolders(folder: string, facts: FolderFacts): string[] {
  if (facts.direct.has(folder)) return [folder];
  const apps = [...(facts.children.get(folder) ?? [])].filter((f) => !NOT_ENVIRONMENTS.has(f.slice(f.lastIndexOf('/') + 1).toLowerCase())).sort();
  return apps.length > 0 ? apps : [folder];
}

/** `web/values-dev.yaml`, `api/values-prod.yaml` …: one environment per name, made of the applications' folders. */
function discoverValuesFileEnvironments(files: readonly string[]): LayerResult {
  const byName = new Map<string, { folders: Set<string>; first: string }>();
  for (const file of files) {
    const segments = file.split('/');
    if (segments.slice(0, -1).some((s) => SKIPPED.has(s.toLowerCase()) || s.startsWith('.'))) continue;
    const name = valuesFileWord(segments[segments.length - 1]);
    if (name === null || ladderRank(name) === null || !isSafeEnvironmentName(name)) continue;
    const entry = byName.get(name) ?? { folders: new Set<string>(), first: file };
    entry.folders.add(dirOf(file));
    // The first in path order, whatever order the files are listed in.
    if (file < entry.first) entry.first = file;
    byName.set(name, entry);
  }
  if (byName.size < 2) return { environments: [], problems: [] };
  const environments: DiscoveredEnvironment[] = [...byName.keys()].sort(compareByLadder).map((name) => {
    const entry = byName.get(name) as { folders: Set<string>; first: string };
    const paths = [...entry.folders].filter((f) => f !== '').sort();
    return folderEnvironment(name, paths, entry.first);
  });
  return { environments, problems: [] };
}
