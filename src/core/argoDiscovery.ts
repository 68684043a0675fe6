// Layer 1 of discovery: Argo CD `Application` and `ApplicationSet` manifests in the repository.
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { expandGenerator, substituteDeep, type ExpansionInput, type GeneratorProblem } from './appsetExpansion';
import { isProductionName, ladderRank } from './environmentLadder';
import type { ParsedManifest } from './manifest';
import { environmentPaths, type LocatedProblem, type SourceLocation } from './model';
import { remoteIdentity, stripUrlCredentials } from './remoteUrl';
import { branchNameProblem, isSafeEnvironmentName, normalizeRepoPath } from './safeNames';
import { valuesFileWord } from './valuesFileName';

export const ARGO_GROUP = 'argoproj.io';

// Kept exported here: tests and callers used them from this module before generators moved out.
export { substituteTemplate } from './appsetExpansion';

export interface ArgoDiscoveryOptions {
  /** URLs of this repository's remotes; a `repoURL` matching one of them means "this repository". */
  remoteUrls?: readonly string[];
}

/** The parts of an Application spec discovery reads. */
interface ApplicationParts {
  source: Record<string, unknown> | null;
  destination: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or null; an ApplicationSet placeholder left unrendered (`{{…}}`) says nothing, so it is null too. */
function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' && !value.includes('{{') ? value.trim() : null;
}

/**
 * The branch an Argo CD `targetRevision` follows, or null when it pins something else: empty or
 * `HEAD` (the default branch, whatever it is called), a commit SHA, a version tag (`v1.2.3`, `1.0`),
 * a semver range (`1.*`, `>=1.0`), or a non-branch ref (`refs/tags/…`, `refs/pull/…`).
 */
export function branchFromRevision(revision: unknown): string | null {
  const rev = str(revision);
  if (rev === null || rev === 'HEAD') return null;
  if (rev.startsWith('refs/heads/')) return branchFromRevision(rev.slice('refs/heads/'.length));
  if (rev.startsWith('refs/')) return null;
  if (/^[0-9a-f]{7,40}$/i.test(rev) && /\d/.test(rev)) return null;
  if (/^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$/.test(rev)) return null;
  if (/[*^~<>=|\s]/.test(rev)) return null;
  return branchNameProblem(rev) ? null : rev;
}

/**
 * The Git source that holds the manifests, or null when there is none. Among `spec.source` and
 * `spec.sources`, entries with `chart:` are Helm chart repositories, and entries with only `ref:`
 * provide Helm value files to another source; neither holds the environment's manifests.
 */
function pickSource(spec: Record<string, unknown>): Record<string, unknown> | null {
  const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(isRecord);
  const git = sources.filter((s) => str(s.chart) === null && !(str(s.ref) !== null && str(s.path) === null));
  return git.find((s) => str(s.path) !== null) ?? git[0] ?? null;
}

function partsOf(spec: unknown): ApplicationParts | null {
  if (!isRecord(spec)) return null;
  return { source: pickSource(spec), destination: isRecord(spec.destination) ? spec.destination : {} };
}

interface Candidate {
  name: string;
  /** The environment's name when the generator's parameters say it (`env`, `environment`, `stage`). */
  explicitEnv: string | null;
  parts: ApplicationParts;
  declaredAt: SourceLocation;
}

export interface ArgoDiscoveryInput {
  manifests: readonly ParsedManifest[];
  files: readonly string[];
  /** Text of a repository file, for git files generators. */
  readFile?: (path: string) => Promise<string | undefined>;
}

/**
 * Environments from Argo CD manifests: one per Application (named after it) and, for an
 * ApplicationSet, one per generated Application (list, git directories and files, matrix, merge
 * expanded offline) — named by the parameters' `env`, `environment` or `stage` value, else by the
 * rendered Application name. Rules:
 * - `targetRevision` gives the branch (see branchFromRevision); `path` the folder;
 * - many applications per environment (apps/web/overlays/prod, apps/api/overlays/prod): when
 *   several Applications share the environment word of their folder (or of their Helm value files),
 *   they are grouped into one environment of that name holding every application's folder;
 * - `repoURL` is this repository (repo = null) when it matches one of `remoteUrls`; without remote
 *   URLs, when `path` is a folder of this repository; otherwise the environment reads `repoURL`;
 * - the cluster is `destination.name` (as kubeconfig context) and `destination.namespace`; a
 *   `destination.server` URL names no context, so context stays null;
 * - an app-of-apps (an Application whose folder holds other Applications of this repository) is
 *   plumbing, not an environment, and is skipped;
 * - a catalogue (applications that name no environment, all sent to one destination) has no
 *   environments: it is reported, not turned into one environment per application.
 */
export async function discoverArgoEnvironments(input: ArgoDiscoveryInput, options: ArgoDiscoveryOptions = {}): Promise<LayerResult> {
  const { manifests, files } = input;
  const problems: LocatedProblem[] = [];
  const candidates: Candidate[] = [];
  const argo = manifests.filter((m) => m.id?.group === ARGO_GROUP && (m.id.kind === 'Application' || m.id.kind === 'ApplicationSet'));
  const applicationDirs = new Set(argo.filter((m) => m.id?.kind === 'Application').map((m) => dirOf(m.file)));
  const remotes = new Set((options.remoteUrls ?? []).map(remoteIdentity).filter((r): r is string => r !== null));
  const folders = folderSet(files);
  const expansion: Omit<ExpansionInput, 'goTemplate'> = {
    files,
    folders,
    readFile: input.readFile ?? (() => Promise.resolve(undefined)),
    isThisRepository: (url) => url === null || options.remoteUrls === undefined || remotes.size === 0 || (remoteIdentity(url) !== null && remotes.has(remoteIdentity(url) as string)),
  };

  for (const manifest of argo) {
    const id = manifest.id;
    if (!id) continue;
    const spec = manifest.object.spec;
    if (id.kind === 'Application') {
      const parts = partsOf(spec);
      if (!parts) {
        problems.push(manifestProblem(manifest, '/spec', `Application "${id.name}" has no spec`, 'add spec.source and spec.destination'));
        continue;
      }
      candidates.push({ name: id.name, explicitEnv: null, parts, declaredAt: { file: manifest.file, range: manifest.range } });
    } else {
      candidates.push(...(await applicationSetCandidates(manifest, expansion, problems)));
    }
  }

  const found: DiscoveredEnvironment[] = [];
  for (const candidate of candidates) {
    const env = toEnvironment(candidate, remotes, options.remoteUrls !== undefined, folders, applicationDirs, problems);
    if (env) found.push(env);
  }
  const environments = groupByEnvironment(found, candidates, problems);
  if (isCatalogue(environments, candidates)) {
    problems.push({
      severity: 'warning',
      message: `${environments.length === 1 ? 'The Argo CD application' : `${environments.length} Argo CD applications`} (${environments.slice(0, 3).map((e) => e.name).join(', ')}${environments.length > 3 ? '…' : ''}) name${environments.length === 1 ? 's' : ''} no environment and deploy${environments.length === 1 ? 's' : ''} to one destination: a catalogue of applications, not environments`,
      location: environments[0].declaredAt,
      hint: 'declare the environments in gitops.yaml if this repository has some',
    });
    return { environments: [], problems };
  }
  return { environments, problems };
}

/** The environment word of a folder or Helm value file: its last segment holding a ladder word (`apps/web/overlays/prod-eu` → `prod-eu`). */
function environmentWordOf(parts: ApplicationParts): string | null {
  const source = parts.source ?? {};
  const path = str(source.path);
  const segments = path ? path.split('/').filter((s) => s !== '' && s !== '.') : [];
  for (let i = segments.length - 1; i >= 0; i--) if (ladderRank(segments[i]) !== null && isSafeEnvironmentName(segments[i])) return segments[i];
  const helm = isRecord(source.helm) ? source.helm : {};
  const valueFiles = Array.isArray(helm.valueFiles) ? helm.valueFiles : [];
  for (const file of valueFiles) {
    const base = typeof file === 'string' ? file.slice(file.lastIndexOf('/') + 1) : '';
    const word = valuesFileWord(base);
    if (word && ladderRank(word) !== null && isSafeEnvironmentName(word)) return word;
  }
  return null;
}

/**
 * Folds Applications of one environment into one: by their explicit environment parameter, or by
 * the environment word of their folders when at least two Applications share it. The first keeps
 * its place; the others add their folders to `paths`. Differing branches or clusters are reported.
 */
function groupByEnvironment(found: DiscoveredEnvironment[], candidates: readonly Candidate[], problems: LocatedProblem[]): DiscoveredEnvironment[] {
  const byCandidate = new Map(candidates.map((c) => [c.declaredAt, c]));
  const wordCount = new Map<string, number>();
  const word = (env: DiscoveredEnvironment): string | null => {
    const c = env.declaredAt ? byCandidate.get(env.declaredAt) : undefined;
    return c ? environmentWordOf(c.parts) : null;
  };
  for (const env of found) {
    const w = word(env)?.toLowerCase();
    if (w) wordCount.set(w, (wordCount.get(w) ?? 0) + 1);
  }
  const groups = new Map<string, DiscoveredEnvironment>();
  const out: DiscoveredEnvironment[] = [];
  for (const env of found) {
    const w = word(env);
    const explicit = env.declaredAt ? byCandidate.get(env.declaredAt)?.explicitEnv ?? null : null;
    const name = explicit ?? (w !== null && (wordCount.get(w.toLowerCase()) ?? 0) >= 2 ? w : env.name);
    const key = name.toLowerCase();
    const group = groups.get(key);
    if (!group) {
      const first = { ...env, name, protected: env.protected || isProductionName(name) };
      groups.set(key, first);
      out.push(first);
      continue;
    }
    const paths = environmentPaths(group);
    const more = environmentPaths(env).filter((p) => !paths.includes(p));
    if (more.length === 0) {
      problems.push({
        severity: 'warning',
        message: `Environment "${name}" was found twice (first in ${group.declaredAt?.file ?? 'another manifest'}); this one is ignored`,
        location: env.declaredAt,
        hint: 'declare the environments in gitops.yaml to choose exactly which ones exist',
      });
      continue;
    }
    if (env.branch !== group.branch || (env.repo ?? '') !== (group.repo ?? '')) {
      problems.push({
        severity: 'warning',
        message: `Environment "${name}": application folder ${env.path ?? '(root)'} follows ${env.repo ?? 'this repository'} ${env.branch ?? 'HEAD'}, unlike ${group.path ?? '(root)'} (${group.repo ?? 'this repository'} ${group.branch ?? 'HEAD'}); it is listed with the environment's first branch`,
        location: env.declaredAt,
        hint: 'declare the environment in gitops.yaml to choose its branch',
      });
    }
    const all = [...paths, ...more];
    group.paths = all;
    group.path = all[0] ?? null;
    // Each Application's values files belong to its own chart; helm is given them per folder only
    // when there is one folder.
    if (all.length > 1) delete group.valuesFiles;
    // Applications of one environment often sit in a namespace each: the environment then has no single one.
    if (group.cluster.context === null && env.cluster.context !== null) group.cluster = { ...env.cluster };
    else if (group.cluster.namespace !== env.cluster.namespace) group.cluster = { ...group.cluster, namespace: null };
  }
  return out;
}

/** Applications that name no environment anywhere and all go to one destination (or none). */
function isCatalogue(environments: readonly DiscoveredEnvironment[], candidates: readonly Candidate[]): boolean {
  if (environments.length === 0) return false;
  if (candidates.some((c) => c.explicitEnv !== null)) return false;
  if (environments.some((e) => ladderRank(e.name) !== null || environmentPaths(e).some((p) => ladderRank(p) !== null))) return false;
  const destinations = new Set(environments.map((e) => `${e.cluster.context ?? ''}`));
  return destinations.size <= 1;
}

async function applicationSetCandidates(manifest: ParsedManifest, expansion: Omit<ExpansionInput, 'goTemplate'>, problems: LocatedProblem[]): Promise<Candidate[]> {
  const name = manifest.id?.name ?? '';
  const spec = manifest.object.spec;
  if (!isRecord(spec) || !isRecord(spec.template) || !Array.isArray(spec.generators)) {
    problems.push(manifestProblem(manifest, '/spec', `ApplicationSet "${name}" has no template or generators`, 'add spec.generators and spec.template'));
    return [];
  }
  const template = spec.template;
  const input: ExpansionInput = { ...expansion, goTemplate: spec.goTemplate === true };
  const out: Candidate[] = [];
  const generatorProblems: GeneratorProblem[] = [];
  let produced = 0;
  for (let g = 0; g < spec.generators.length; g++) {
    const sets = await expandGenerator(spec.generators[g], `/spec/generators/${g}`, input, generatorProblems);
    for (const { params, pointer } of sets) {
      produced++;
      const rendered = substituteDeep(template, params) as Record<string, unknown>;
      const metadata = isRecord(rendered.metadata) ? rendered.metadata : {};
      const explicitEnv = str(lookupParam(params, 'env')) ?? str(lookupParam(params, 'environment')) ?? str(lookupParam(params, 'stage'));
      const appName = str(metadata.name);
      const envName = explicitEnv ?? appName;
      if (envName === null) {
        const element = /\/elements\/(\d+)$/.exec(pointer);
        problems.push(
          manifestProblem(
            manifest,
            pointer,
            `ApplicationSet "${name}": cannot tell the environment name of ${element ? `list element ${Number(element[1]) + 1}` : 'a generated application'}`,
            'give each element an "env" key, or declare the environments in gitops.yaml',
          ),
        );
        continue;
      }
      const parts = partsOf(rendered.spec);
      if (!parts) continue;
      out.push({ name: envName, explicitEnv, parts, declaredAt: { file: manifest.file, range: manifest.rangeOf(pointer) } });
    }
  }
  for (const problem of generatorProblems) {
    problems.push(manifestProblem(manifest, problem.pointer, `ApplicationSet "${name}": ${problem.message}`, problem.hint));
  }
  if (produced === 0 && generatorProblems.length === 0) {
    problems.push(manifestProblem(manifest, '/spec/generators', `ApplicationSet "${name}": its generators produce no application from this repository's files`, 'check the generator paths, or declare the environments in gitops.yaml'));
  }
  return out;
}

/** A parameter by name, top level or under `values` (fasttemplate's `values.env`, goTemplate's `.values.env`). */
function lookupParam(params: Record<string, unknown>, key: string): unknown {
  if (params[key] !== undefined) return params[key];
  if (params[`values.${key}`] !== undefined) return params[`values.${key}`];
  return isRecord(params.values) ? params.values[key] : undefined;
}

function toEnvironment(
  candidate: Candidate,
  remotes: Set<string>,
  remotesKnown: boolean,
  folders: Set<string>,
  applicationDirs: Set<string>,
  problems: LocatedProblem[],
): DiscoveredEnvironment | null {
  const { name, parts, declaredAt } = candidate;
  if (!isSafeEnvironmentName(name)) {
    problems.push({
      severity: 'warning',
      message: `Argo CD application "${name}" is not used as an environment: the name is not a safe environment name`,
      location: declaredAt,
      hint: 'environment names use letters, digits, ".", "_", "-" (at most 63); declare it in gitops.yaml under a shorter name',
    });
    return null;
  }
  const source = parts.source;
  if (!source) {
    problems.push({
      severity: 'warning',
      message: `Argo CD application "${name}" is not used as an environment: it deploys a Helm chart from a chart repository, not a folder in Git`,
      location: declaredAt,
      hint: 'declare it in gitops.yaml with the folder that holds its values, if there is one',
    });
    return null;
  }
  const repoUrl = str(source.repoURL);
  const rawPath = str(source.path);
  let path: string | null = null;
  if (rawPath !== null) {
    const normalized = normalizeRepoPath(rawPath);
    if (normalized.ok) path = normalized.path;
    else problems.push({ severity: 'warning', message: `Argo CD application "${name}": path "${rawPath}" ${normalized.reason}; the repository root is used`, location: declaredAt, hint: 'use a path relative to the repository root' });
  }
  const identity = repoUrl ? remoteIdentity(repoUrl) : null;
  const sameRepo = repoUrl === null || (identity !== null && remotes.has(identity)) || (!remotesKnown && path !== null && folders.has(path));
  const folder = path ?? '';
  if (sameRepo && [...applicationDirs].some((dir) => folder === '' || dir === folder || dir.startsWith(`${folder}/`))) return null;
  const environment: DiscoveredEnvironment = {
    name,
    repo: sameRepo || repoUrl === null ? null : stripUrlCredentials(repoUrl),
    branch: branchFromRevision(source.targetRevision),
    path,
    cluster: { context: str(parts.destination.name), namespace: str(parts.destination.namespace) },
    protected: isProductionName(name),
    source: 'argocd',
    declaredAt,
  };
  const valuesFiles = helmValueFiles(source, folder);
  if (valuesFiles.length > 0) environment.valuesFiles = valuesFiles;
  return environment;
}

/**
 * `spec.source.helm.valueFiles` as repository paths: each relative to the chart's folder, as
 * Argo CD reads them. A URL, a `$ref/…` of another source, or a path that leaves the repository
 * is not a file of this checkout and is left out (helm renders without it, as before).
 */
function helmValueFiles(source: Record<string, unknown>, folder: string): string[] {
  const helm = isRecord(source.helm) ? source.helm : {};
  // The list may name files that do not exist (Argo CD skips them); without a file listing here,
  // the files are found by their names instead (withOwnValuesFiles).
  if (helm.ignoreMissingValueFiles === true) return [];
  const listed = Array.isArray(helm.valueFiles) ? helm.valueFiles : [];
  const out: string[] = [];
  for (const entry of listed) {
    if (typeof entry !== 'string' || entry === '' || entry.startsWith('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('/')) continue;
    const resolved = resolveInRepo(folder, entry);
    if (resolved !== null) out.push(resolved);
  }
  return out;
}

/** `relative` from `folder`, `..` and `.` resolved; null when it leaves the repository or names its root. */
function resolveInRepo(folder: string, relative: string): string | null {
  const segments = folder === '' ? [] : folder.split('/');
  for (const segment of relative.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') segments.push(segment);
    else if (segments.pop() === undefined) return null;
  }
  return segments.length > 0 ? segments.join('/') : null;
}

function manifestProblem(manifest: ParsedManifest, pointer: string, message: string, hint: string): LocatedProblem {
  return { severity: 'warning', message, hint, location: { file: manifest.file, range: manifest.rangeOf(pointer) } };
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Every folder that holds a file, directly or below. */
function folderSet(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    let dir = dirOf(file);
    while (dir !== '' && !out.has(dir)) {
      out.add(dir);
      dir = dirOf(dir);
    }
  }
  return out;
}
