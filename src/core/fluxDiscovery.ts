// Layer 2 of discovery: Flux `Kustomization`s and their sources (`GitRepository`, or an
// `ExternalArtifact` cut out of the repository by an `ArtifactGenerator`).
//
// The rule: an environment is a cluster folder — the folder holding a cluster's Flux Kustomizations
// (clusters/staging), with bootstrap's `flux-system` subfolder counted as part of its parent.
// - name: the folder's name (`staging`);
// - paths: the folders reconciled by the cluster's own Kustomizations — the one named `apps` first,
//   else the first not named like infrastructure (`infra…`) — leaving out `flux-system`, the cluster
//   folder itself and folders reconciled by several clusters (shared infrastructure/controllers);
//   the cluster folder itself when nothing is its own. `path` is the first;
// - with a `clusters/` folder, only folders under it are clusters; a folder whose Kustomizations
//   all read another branch or repository (a tenant's GitRepository) is a source, not a cluster;
// - branch: the `GitRepository`'s `spec.ref.branch` (Flux's default `master` when `ref` is absent;
//   null when it follows a tag, semver range or commit). Bootstrap's `flux-system` GitRepository is
//   written at bootstrap time and is often absent from the repository (or a placeholder): then the
//   branch is `main` when the repository has one, else `master` when it has one, else `main`,
//   `flux bootstrap`'s default;
// - repo: null for the repository bootstrap syncs (`flux-system`) and for URLs matching this
//   repository's remotes; another GitRepository's URL otherwise;
// - cluster: no kubeconfig context is declared in Flux manifests, so context is null; the namespace
//   is the chosen Kustomization's `targetNamespace` when it has one.
// A folder reconciled by another cluster's Kustomization (tenants/…) is not a cluster folder.
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { isProductionName, ladderRank } from './environmentLadder';
import type { ParsedManifest } from './manifest';
import type { BranchInfo, LocatedProblem } from './model';
import { remoteIdentity, stripUrlCredentials } from './remoteUrl';
import { branchNameProblem, isSafeEnvironmentName, normalizeRepoPath } from './safeNames';

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const FLUX_SOURCE_EXTENSIONS_GROUP = 'source.extensions.fluxcd.io';

export interface FluxDiscoveryOptions {
  remoteUrls?: readonly string[];
  /** Branches of the repository, read only when bootstrap's GitRepository is not in it. */
  branches?: () => Promise<readonly BranchInfo[]>;
}

interface FluxKustomization {
  manifest: ParsedManifest;
  name: string;
  /** Cluster folder the file belongs to. */
  home: string;
  sourceKind: string;
  sourceName: string;
  /** `spec.path` normalized, relative to the source's root; '' = root. */
  path: string;
  targetNamespace: string | null;
}

interface Resolved {
  repo: string | null;
  branch: string | null;
  /** Folder in the repository; null when it cannot be told. */
  path: string | null;
  /** Why the source could not be followed; reported only for the Kustomization an environment uses. */
  problem?: LocatedProblem;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** The cluster folder of a file: its folder, or the parent of bootstrap's `flux-system` folder. */
function homeOf(file: string): string {
  const dir = dirOf(file);
  if (dir === 'flux-system') return '';
  return dir.endsWith('/flux-system') ? dir.slice(0, -'/flux-system'.length) : dir;
}

function within(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function byGroupKind(manifests: readonly ParsedManifest[], group: string, kind: string): ParsedManifest[] {
  return manifests.filter((m) => m.id?.group === group && m.id.kind === kind);
}

/** Prefers the object declared in the same cluster folder, then any object of that name. */
function findNamed(list: readonly ParsedManifest[], name: string, home: string): ParsedManifest | undefined {
  const named = list.filter((m) => m.id?.name === name);
  return named.find((m) => homeOf(m.file) === home) ?? named[0];
}

/**
 * Maps a path inside an ExternalArtifact back to the repository through the ArtifactGenerator's
 * `copy` rules (`from: "@monorepo/apps/staging/**"`, `to: "@artifact/staging/"`), longest `to` first.
 * Returns the source alias with the repository path, or undefined when no directory copy covers it.
 */
export function mapArtifactPath(copies: readonly unknown[], artifactPath: string): { alias: string; path: string } | undefined {
  let best: { alias: string; path: string; length: number } | undefined;
  for (const copy of copies) {
    if (!isRecord(copy)) continue;
    const from = /^@([^/]+)\/?(.*)$/.exec(str(copy.from) ?? '');
    const to = /^@artifact\/?(.*)$/.exec(str(copy.to) ?? '');
    if (!from || !to) continue;
    const fromDir = from[2].replace(/\/?\*\*(\/\*)?$/, '').replace(/\/\*$/, '').replace(/\/+$/, '');
    // Only whole-directory copies can be followed; a glob left in the middle names no single folder.
    if (/[*?[{]/.test(fromDir)) continue;
    const toDir = to[1].replace(/\/+$/, '');
    if (!within(artifactPath, toDir)) continue;
    if (best && best.length >= toDir.length) continue;
    const rest = toDir === '' ? artifactPath : artifactPath.slice(toDir.length).replace(/^\//, '');
    best = { alias: from[1], path: [fromDir, rest].filter((p) => p !== '').join('/'), length: toDir.length };
  }
  return best ? { alias: best.alias, path: best.path } : undefined;
}

/** Branch followed by a GitRepository's `spec.ref`; Flux defaults to `master` without one. */
function branchOfGitRepository(repo: ParsedManifest): string | null {
  const spec = isRecord(repo.object.spec) ? repo.object.spec : {};
  if (!isRecord(spec.ref)) return 'master';
  const ref = spec.ref;
  if (str(ref.tag) || str(ref.semver)) return null;
  const name = str(ref.name);
  if (name !== null) return name.startsWith('refs/heads/') && !branchNameProblem(name.slice(11)) ? name.slice(11) : null;
  // A commit pinned on a branch is still that branch's content at a fixed point: not a moving branch.
  if (str(ref.commit)) return null;
  const branch = str(ref.branch);
  return branch !== null && !branchNameProblem(branch) ? branch : null;
}

/**
 * Environments from Flux manifests (see the rule at the top of this file). Never throws; manifests
 * it cannot follow become warnings.
 */
export async function discoverFluxEnvironments(manifests: readonly ParsedManifest[], options: FluxDiscoveryOptions = {}): Promise<LayerResult> {
  const problems: LocatedProblem[] = [];
  const gitRepositories = byGroupKind(manifests, FLUX_SOURCE_GROUP, 'GitRepository');
  const generators = byGroupKind(manifests, FLUX_SOURCE_EXTENSIONS_GROUP, 'ArtifactGenerator');
  const kustomizations: FluxKustomization[] = [];
  for (const manifest of byGroupKind(manifests, FLUX_KUSTOMIZE_GROUP, 'Kustomization')) {
    const spec = isRecord(manifest.object.spec) ? manifest.object.spec : {};
    const sourceRef = isRecord(spec.sourceRef) ? spec.sourceRef : {};
    const rawPath = str(spec.path) ?? '';
    const normalized = normalizeRepoPath(rawPath);
    if (!normalized.ok) {
      problems.push({ severity: 'warning', message: `Flux Kustomization "${manifest.id?.name}": path "${rawPath}" ${normalized.reason}`, location: { file: manifest.file, range: manifest.rangeOf('/spec/path') }, hint: 'use a path relative to the source root' });
      continue;
    }
    kustomizations.push({
      manifest,
      name: manifest.id?.name ?? '',
      home: homeOf(manifest.file),
      sourceKind: str(sourceRef.kind) ?? 'GitRepository',
      sourceName: str(sourceRef.name) ?? '',
      path: normalized.path ?? '',
      targetNamespace: str(spec.targetNamespace),
    });
  }
  if (kustomizations.length === 0) return { environments: [], problems };

  const remotes = new Set((options.remoteUrls ?? []).map(remoteIdentity).filter((r): r is string => r !== null));
  let bootstrapBranch: Promise<string> | undefined;
  const defaultBranch = (): Promise<string> => {
    bootstrapBranch ??= (async () => {
      const names = new Set((options.branches ? await options.branches().catch(() => []) : []).map((b) => b.name));
      return names.has('main') ? 'main' : names.has('master') ? 'master' : 'main';
    })();
    return bootstrapBranch;
  };

  const gitSource = async (name: string, home: string, path: string): Promise<Resolved> => {
    const repo = findNamed(gitRepositories, name, home);
    if (!repo) {
      if (name === 'flux-system') return { repo: null, branch: await defaultBranch(), path: path || null };
      return { repo: null, branch: null, path: path || null };
    }
    const url = str(isRecord(repo.object.spec) ? repo.object.spec.url : undefined);
    const identity = url ? remoteIdentity(url) : null;
    const own = name === 'flux-system' || url === null || (identity !== null && remotes.has(identity));
    return { repo: own ? null : stripUrlCredentials(url), branch: branchOfGitRepository(repo), path: path || null };
  };

  const resolve = async (k: FluxKustomization): Promise<Resolved> => {
    if (k.sourceKind === 'GitRepository') return gitSource(k.sourceName, k.home, k.path);
    if (k.sourceKind === 'ExternalArtifact') {
      const viaGenerator = followArtifact(generators, k);
      if (viaGenerator) return gitSource(viaGenerator.gitRepository, viaGenerator.home, viaGenerator.path);
    }
    return {
      repo: null,
      branch: null,
      path: null,
      problem: {
        severity: 'warning',
        message: `Flux Kustomization "${k.name}" reconciles ${k.sourceKind} "${k.sourceName}"; the folder it reads in this repository cannot be told`,
        location: { file: k.manifest.file, range: k.manifest.rangeOf('/spec/sourceRef') },
        hint: 'declare the environment in gitops.yaml with its path',
      },
    };
  };

  const resolved = new Map<FluxKustomization, Resolved>();
  for (const k of kustomizations) resolved.set(k, await resolve(k));

  // Cluster folders, with folders reconciled from elsewhere merged into (or dropped from) their owner.
  const homes = [...new Set(kustomizations.map((k) => k.home))];
  const owner = new Map<string, string | null>(homes.map((h) => [h, h]));
  for (const home of homes) {
    // Root-level Flux objects are bootstrap plumbing pointing at a cluster folder, not its owner.
    const reconcilers = kustomizations.filter((k) => {
      const path = resolved.get(k)?.path;
      return k.home !== home && k.home !== '' && resolved.get(k)?.repo === null && typeof path === 'string' && within(home, path);
    });
    if (reconcilers.length === 0) continue;
    const ancestor = reconcilers.map((k) => k.home).filter((h) => within(home, h)).sort((a, b) => b.length - a.length)[0];
    owner.set(home, ancestor ?? null);
  }

  const membersOf = (home: string): FluxKustomization[] =>
    kustomizations.filter((k) => {
      let h: string | null | undefined = k.home;
      // Follow merges up to the owning cluster folder.
      for (let i = 0; i < 8 && h !== undefined && h !== null && owner.get(h) !== h; i++) h = owner.get(h);
      return h === home;
    });
  let clusterHomes = homes.filter((home) => owner.get(home) === home && home !== '');
  // With a clusters/ folder, folders elsewhere (tenants/…, a tenant's sync) are sources, not clusters.
  const underClusters = clusterHomes.filter((home) => /(^|\/)clusters?\//.test(home));
  if (underClusters.length > 0) clusterHomes = underClusters;
  // Outside clusters/, a folder whose Kustomizations all read another branch of this repository
  // (a tenant's GitRepository) and whose name is no environment word is a source, not a cluster.
  const bootstrap = await defaultBranch();
  clusterHomes = clusterHomes.filter((home) => {
    if (underClusters.length > 0 || ladderRank(baseName(home)) !== null) return true;
    const members = membersOf(home);
    return !(members.length > 0 && members.every((k) => {
      const r = resolved.get(k);
      return k.sourceKind === 'GitRepository' && k.sourceName !== 'flux-system' && r !== undefined && r.repo === null && r.branch !== null && r.branch !== bootstrap;
    }));
  });
  // A folder reconciled by more than one cluster (infrastructure/controllers) is shared plumbing, no cluster's own.
  const usedBy = new Map<string, Set<string>>();
  for (const home of clusterHomes) {
    for (const k of membersOf(home)) {
      const r = resolved.get(k);
      if (r?.repo !== null || r.path === null) continue;
      const set = usedBy.get(r.path) ?? new Set<string>();
      set.add(home);
      usedBy.set(r.path, set);
    }
  }

  const environments: DiscoveredEnvironment[] = [];
  for (const home of clusterHomes) {
    const members = membersOf(home);
    const candidates = members.filter((k) => k.name !== 'flux-system' && resolved.get(k)?.path !== home);
    const shared = (path: string | null): boolean => path !== null && (usedBy.get(path)?.size ?? 0) >= 2;
    const own = candidates.filter((k) => {
      const r = resolved.get(k);
      return r !== undefined && (r.repo !== null || (r.path !== null && !shared(r.path)));
    });
    const pick = (list: FluxKustomization[]): FluxKustomization | undefined => list.find((k) => k.name === 'apps') ?? list.find((k) => !/infra/i.test(k.name)) ?? list[0];
    const chosen = pick(own) ?? pick(candidates) ?? members.find((k) => resolved.get(k)?.path === home) ?? members[0];
    const name = baseName(home);
    if (!isSafeEnvironmentName(name)) {
      problems.push({ severity: 'warning', message: `Flux cluster folder ${home} is not used as an environment: its name is not a safe environment name`, location: { file: chosen.manifest.file }, hint: 'rename the folder, or declare the environment in gitops.yaml' });
      continue;
    }
    const target = resolved.get(chosen) ?? { repo: null, branch: null, path: null };
    if (target.problem) problems.push(target.problem);
    // The environment's own folders, the chosen one first (infrastructure only when nothing else is
    // its own); the cluster folder when it has none, or when its only folder is shared by clusters.
    const appLike = own.filter((k) => !/infra/i.test(k.name));
    const ownPaths = [chosen, ...(appLike.length > 0 ? appLike : own)]
      .filter((k) => own.includes(k) && (resolved.get(k)?.repo ?? null) === target.repo && (resolved.get(k)?.branch ?? null) === target.branch)
      .map((k) => resolved.get(k)?.path)
      .filter((p, i, all): p is string => typeof p === 'string' && all.indexOf(p) === i);
    const useHome = ownPaths.length === 0 && (candidates.length === 0 || shared(target.path));
    const paths = ownPaths.length > 0 ? ownPaths : useHome ? [home] : target.path !== null ? [target.path] : [];
    environments.push({
      name,
      repo: useHome ? null : target.repo,
      branch: target.branch,
      path: paths[0] ?? null,
      ...(paths.length > 1 ? { paths } : {}),
      cluster: { context: null, namespace: chosen.targetNamespace },
      protected: isProductionName(name),
      source: 'flux',
      declaredAt: { file: chosen.manifest.file, range: chosen.manifest.range },
    });
  }
  return { environments, problems };
}

/**
 * Follows an ExternalArtifact to the GitRepository and folder it is cut from: the ArtifactGenerator
 * producing an artifact of that name (same cluster folder first), its copy rules, and the source
 * behind the rule's `@alias`. Undefined when any step is missing or is not Git.
 */
function followArtifact(generators: readonly ParsedManifest[], k: FluxKustomization): { gitRepository: string; home: string; path: string } | undefined {
  const artifactOf = (g: ParsedManifest): Record<string, unknown> | undefined => {
    const spec = isRecord(g.object.spec) ? g.object.spec : {};
    const artifacts = Array.isArray(spec.artifacts) ? spec.artifacts : [];
    return artifacts.find((a): a is Record<string, unknown> => isRecord(a) && a.name === k.sourceName);
  };
  const producing = generators.filter((g) => artifactOf(g) !== undefined);
  const generator = producing.find((g) => homeOf(g.file) === k.home) ?? producing[0];
  if (!generator) return undefined;
  const artifact = artifactOf(generator);
  const mapped = artifact && Array.isArray(artifact.copy) ? mapArtifactPath(artifact.copy, k.path) : undefined;
  if (!mapped) return undefined;
  const spec = isRecord(generator.object.spec) ? generator.object.spec : {};
  const source = (Array.isArray(spec.sources) ? spec.sources : []).find((s): s is Record<string, unknown> => isRecord(s) && s.alias === mapped.alias);
  const name = source ? str(source.name) : null;
  if (!source || name === null || (str(source.kind) ?? 'GitRepository') !== 'GitRepository') return undefined;
  return { gitRepository: name, home: homeOf(generator.file), path: mapped.path };
}
