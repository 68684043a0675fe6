// Finds a repository's environments, in promotion order, trusting sources in this order:
// (0) gitops.yaml / gitops.yml at the root — it wins even with problems, which are passed through;
// (1) Kargo Stages (their freight graph is the promotion order), with clusters from Argo CD;
// (2) Argo CD Application / ApplicationSet manifests (generators expanded offline);
// (3) Flux Kustomizations (one environment per cluster folder);
// (4) one branch per environment (dev, prod-eu, env/staging, origin/prod …), paired with the
//     environment's folder when every branch holds one (branch qa, folder envs/qa);
// (5) one folder per environment (envs/dev, overlays/prod …), or per environment across many
//     applications (apps/<app>/overlays/<env>, <app>/<env>, <env>/<app>, values-<env>.yaml).
// The first layer that finds at least one environment decides. Never throws.
//
// Cost on large repositories: only the root config is read when present; otherwise only YAML files
// outside vendored/tooling folders are read, and only those containing `argoproj.io`, `fluxcd.io`
// or `kargo.akuity.io` next to a matching `kind:` line are parsed (plus the files an ApplicationSet
// git files generator names). Branch and folder layers read no file at all.
import { withOwnValuesFiles } from './promotion/environmentFiles';
import { discoverArgoEnvironments } from './argoDiscovery';
import { discoverBranchEnvironments } from './branchDiscovery';
import { CONFIG_FILE_NAMES, parseGitopsConfig } from './config';
import { orderDiscovered, type LayerResult } from './discoveryLayer';
import { discoverFluxEnvironments } from './fluxDiscovery';
import { discoverFolderEnvironments } from './folderDiscovery';
import { discoverKargoEnvironments } from './kargoDiscovery';
import { parseManifests, type ParsedManifest } from './manifest';
import type { BranchInfo, Environment, EnvironmentSource, LocatedProblem } from './model';
import type { RepoView } from './repoView';

// Re-exported because issue 2 names discovery as the ladder's home; it lives in environmentLadder.ts.
export { ladderRank } from './environmentLadder';

export interface DiscoveryResult {
  environments: Environment[];
  /** The layer the environments came from; null when none was found. */
  source: EnvironmentSource | null;
  problems: LocatedProblem[];
  /** `gitops.yaml` or `gitops.yml` when the repository has one (even a broken one), else null. */
  configFile: string | null;
}

export interface DiscoveryOptions {
  /**
   * URLs of the repository's remotes. Lets an Argo CD `repoURL` or a Flux `GitRepository` URL be
   * recognised as this repository (repo = null) rather than another one to clone.
   */
  remoteUrls?: readonly string[];
  /**
   * Whether `branch` holds `folder` (git ls-tree). Lets branch discovery check each environment
   * branch for its folder (branch prod-eu, folder envs/prod-eu) and report a missing one; without
   * it the working tree's folders are the evidence.
   */
  folderOnBranch?: (branch: string, folder: string) => Promise<boolean>;
}

/** Folders never holding a repository's own GitOps manifests (dependencies, CI, editor settings). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'vendor', '.git', '.github', '.gitlab', '.circleci', '.vscode', '.idea', 'dist', 'out', 'target', 'third_party', 'testdata']);
/** YAML files that are never Argo CD or Flux objects: tool configs, Helm values, Flux's CRD bundle. */
const SKIPPED_FILE = /^(kustomization|chart|values([-_.].*)?|gotk-components|docker-compose.*|mkdocs|renovate|codecov)\.ya?ml$/i;
const ARGO_KIND = /^\s*(?:-\s+)?kind:\s*["']?(?:Application|ApplicationSet)["']?\s*(?:#.*)?$/m;
const FLUX_KIND = /^\s*(?:-\s+)?kind:\s*["']?(?:Kustomization|GitRepository|ArtifactGenerator)["']?\s*(?:#.*)?$/m;
const KARGO_KIND = /^\s*(?:-\s+)?kind:\s*["']?(?:Stage|PromotionTask|ClusterPromotionTask)["']?\s*(?:#.*)?$/m;
/** Files read at the same time; the git adapter serves them from one `cat-file` process. */
const READ_CONCURRENCY = 16;

/**
 * True when a file may hold Argo CD or Flux objects worth reading: YAML, not a dotfile, not under a
 * skipped folder, not a tool config, and not a Helm chart's template (unrendered templates are not
 * YAML yet).
 */
function isCandidate(path: string, chartDirs: ReadonlySet<string>): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  const segments = path.split('/');
  const name = segments[segments.length - 1];
  if (name.startsWith('.') || SKIPPED_FILE.test(name)) return false;
  for (let i = 0; i < segments.length - 1; i++) {
    if (SKIPPED_FOLDERS.has(segments[i])) return false;
    if ((segments[i] === 'templates' || segments[i] === 'charts') && chartDirs.has(segments.slice(0, i).join('/'))) return false;
  }
  return true;
}

async function readAll(view: RepoView, paths: readonly string[], onText: (path: string, text: string) => void): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++];
      const text = await Promise.resolve()
        .then(() => view.readFile(path))
        .catch(() => undefined);
      if (text !== undefined) onText(path, text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
}

/**
 * Discovers the environments of the repository behind `view`. Never throws: unreadable files,
 * malformed manifests and a failing branch listing become problems and discovery goes on.
 * Problems found in manifests during discovery are warnings: discovery itself still succeeded.
 */
export async function discoverEnvironments(view: RepoView, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const problems: LocatedProblem[] = [];
  let files: readonly string[];
  try {
    files = await view.listFiles();
  } catch (error) {
    return { environments: [], source: null, configFile: null, problems: [{ severity: 'error', message: `Cannot list the repository's files: ${(error as Error).message}`, hint: 'check that the folder is readable' }] };
  }
  const fileSet = new Set(files);

  const configFiles = CONFIG_FILE_NAMES.filter((name) => fileSet.has(name));
  if (configFiles.length > 0) {
    const configFile = configFiles[0];
    if (configFiles.length > 1) {
      problems.push({ severity: 'warning', message: `Both ${configFiles.join(' and ')} exist; ${configFiles[1]} is ignored`, location: { file: configFiles[1] }, hint: `delete one of them` });
    }
    const text = await Promise.resolve()
      .then(() => view.readFile(configFile))
      .catch((error: unknown) => {
      problems.push({ severity: 'error', message: `Cannot read ${configFile}: ${(error as Error).message}`, location: { file: configFile }, hint: 'check the file permissions' });
      return undefined;
    });
    if (text === undefined) return { environments: [], source: 'config', configFile, problems };
    const parsed = parseGitopsConfig(text, configFile);
    return { environments: withOwnValuesFiles(parsed.environments, files), source: 'config', configFile, problems: [...problems, ...parsed.problems] };
  }

  let branchList: Promise<readonly BranchInfo[]> | undefined;
  const branches = (): Promise<readonly BranchInfo[]> => {
    branchList ??= Promise.resolve()
      .then(() => view.branches())
      .catch((error: unknown) => {
      problems.push({ severity: 'warning', message: `Cannot list branches: ${(error as Error).message}`, hint: 'branch environments are not discovered' });
      return [];
    });
    return branchList;
  };

  const chartDirs = new Set(files.filter((f) => /(^|\/)Chart\.ya?ml$/.test(f)).map((f) => f.slice(0, Math.max(0, f.lastIndexOf('/')))));
  const argoManifests: ParsedManifest[] = [];
  const fluxManifests: ParsedManifest[] = [];
  const kargoManifests: ParsedManifest[] = [];
  await readAll(
    view,
    files.filter((f) => isCandidate(f, chartDirs)),
    (path, text) => {
      const argo = text.includes('argoproj.io') && ARGO_KIND.test(text);
      const flux = text.includes('fluxcd.io') && FLUX_KIND.test(text);
      const kargo = text.includes('kargo.akuity.io') && KARGO_KIND.test(text);
      if (!argo && !flux && !kargo) return;
      const parsed = parseManifests(text, path);
      for (const problem of parsed.problems) problems.push({ ...problem, severity: 'warning' });
      if (argo) argoManifests.push(...parsed.manifests);
      if (flux) fluxManifests.push(...parsed.manifests);
      if (kargo) kargoManifests.push(...parsed.manifests);
    },
  );
  // Reads finish in any order; sort so results do not depend on timing.
  const byPosition = (a: ParsedManifest, b: ParsedManifest): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.docIndex - b.docIndex);
  argoManifests.sort(byPosition);
  fluxManifests.sort(byPosition);
  kargoManifests.sort(byPosition);

  const readFile = (path: string): Promise<string | undefined> =>
    Promise.resolve()
      .then(() => view.readFile(path))
      .catch(() => undefined);
  let argoResult: Promise<LayerResult> | undefined;
  const argo = (): Promise<LayerResult> => (argoResult ??= discoverArgoEnvironments({ manifests: argoManifests, files, readFile }, options));
  const layers: Array<[EnvironmentSource, () => Promise<LayerResult> | LayerResult]> = [
    ['kargo', async () => withArgoClusters(discoverKargoEnvironments(kargoManifests), argoManifests.length > 0 ? await argo() : undefined)],
    ['argocd', argo],
    ['flux', () => discoverFluxEnvironments(fluxManifests, { remoteUrls: options.remoteUrls, branches })],
    ['branches', async () => discoverBranchEnvironments({ branches: await branches(), files, folderOnBranch: options.folderOnBranch })],
    ['folders', () => discoverFolderEnvironments(files)],
  ];
  for (const [source, run] of layers) {
    let result: LayerResult;
    try {
      result = await run();
    } catch (error) {
      // Defensive: one layer's bug must not hide the others' environments.
      problems.push({ severity: 'warning', message: `Discovery from ${source} failed: ${(error as Error).message}`, hint: 'declare the environments in gitops.yaml' });
      continue;
    }
    problems.push(...result.problems);
    if (result.environments.length > 0) {
      const environments = withOwnValuesFiles(orderDiscovered(result.environments, problems, result.ordered === true), files);
      return { environments, source, configFile: null, problems };
    }
  }
  return { environments: [], source: null, configFile: null, problems };
}

/**
 * Kargo Stages say nothing about clusters; the Argo CD Applications they sync usually do. A Stage
 * takes the cluster of the Argo CD environment of the same name (list element `stage: dev`, or an
 * Application folder named after it). Argo CD's problems are not repeated: they are its layer's.
 */
function withArgoClusters(kargo: LayerResult, argo: LayerResult | undefined): LayerResult {
  if (!argo) return kargo;
  const byName = new Map(argo.environments.map((e) => [e.name.toLowerCase(), e]));
  return {
    ...kargo,
    environments: kargo.environments.map((env) => {
      const match = byName.get(env.name.toLowerCase());
      return match && env.cluster.context === null && env.cluster.namespace === null ? { ...env, cluster: { ...match.cluster } } : env;
    }),
  };
}
