// Layer 1 of discovery: Argo CD `Application` and `ApplicationSet` manifests in the repository.
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { isProductionName } from './environmentLadder';
import type { ParsedManifest } from './manifest';
import type { LocatedProblem, SourceLocation } from './model';
import { remoteIdentity, stripUrlCredentials } from './remoteUrl';
import { branchNameProblem, isSafeEnvironmentName, normalizeRepoPath } from './safeNames';

export const ARGO_GROUP = 'argoproj.io';

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

/** Replaces `{{key}}`, `{{ .key }}`, `{{values.x}}` / `{{.values.x}}` by list-element values; leaves other templates untouched. */
export function substituteTemplate(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{\{-?\s*\.?([A-Za-z_][A-Za-z0-9_.-]*)\s*-?\}\}/g, (whole, key: string) => {
    let value: unknown = params;
    for (const part of key.split('.')) value = isRecord(value) ? value[part] : undefined;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : whole;
  });
}

function substituteDeep(value: unknown, params: Record<string, unknown>): unknown {
  if (typeof value === 'string') return substituteTemplate(value, params);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, params));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, params)]));
  return value;
}

interface Candidate {
  name: string;
  parts: ApplicationParts;
  declaredAt: SourceLocation;
}

/**
 * Environments from Argo CD manifests: one per Application (named after it) and, for an
 * ApplicationSet with list generators, one per list element — named by the element's `env`,
 * `environment` or `stage` value, else by the rendered Application name. Rules:
 * - `targetRevision` gives the branch (see branchFromRevision); `path` the folder;
 * - `repoURL` is this repository (repo = null) when it matches one of `remoteUrls`; without remote
 *   URLs, when `path` is a folder of this repository; otherwise the environment reads `repoURL`;
 * - the cluster is `destination.name` (as kubeconfig context) and `destination.namespace`; a
 *   `destination.server` URL names no context, so context stays null;
 * - an app-of-apps (an Application whose folder holds other Applications of this repository) is
 *   plumbing, not an environment, and is skipped.
 */
export function discoverArgoEnvironments(manifests: readonly ParsedManifest[], files: readonly string[], options: ArgoDiscoveryOptions = {}): LayerResult {
  const problems: LocatedProblem[] = [];
  const candidates: Candidate[] = [];
  const argo = manifests.filter((m) => m.id?.group === ARGO_GROUP && (m.id.kind === 'Application' || m.id.kind === 'ApplicationSet'));
  const applicationDirs = new Set(argo.filter((m) => m.id?.kind === 'Application').map((m) => dirOf(m.file)));

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
      candidates.push({ name: id.name, parts, declaredAt: { file: manifest.file, range: manifest.range } });
    } else {
      candidates.push(...applicationSetCandidates(manifest, problems));
    }
  }

  const remotes = new Set((options.remoteUrls ?? []).map(remoteIdentity).filter((r): r is string => r !== null));
  const folders = folderSet(files);
  const environments: DiscoveredEnvironment[] = [];
  for (const candidate of candidates) {
    const env = toEnvironment(candidate, remotes, options.remoteUrls !== undefined, folders, applicationDirs, problems);
    if (env) environments.push(env);
  }
  return { environments, problems };
}

function applicationSetCandidates(manifest: ParsedManifest, problems: LocatedProblem[]): Candidate[] {
  const name = manifest.id?.name ?? '';
  const spec = manifest.object.spec;
  if (!isRecord(spec) || !isRecord(spec.template) || !Array.isArray(spec.generators)) {
    problems.push(manifestProblem(manifest, '/spec', `ApplicationSet "${name}" has no template or generators`, 'add spec.generators and spec.template'));
    return [];
  }
  const template = spec.template;
  const out: Candidate[] = [];
  const skipped = new Set<string>();
  spec.generators.forEach((generator, g) => {
    if (!isRecord(generator)) return;
    const list = generator.list;
    if (!isRecord(list) || !Array.isArray(list.elements)) {
      for (const kind of Object.keys(generator)) if (kind !== 'selector') skipped.add(kind === 'list' ? 'list.elementsYaml' : kind);
      return;
    }
    list.elements.forEach((element, e) => {
      if (!isRecord(element)) return;
      const pointer = `/spec/generators/${g}/list/elements/${e}`;
      const rendered = substituteDeep(template, element) as Record<string, unknown>;
      const metadata = isRecord(rendered.metadata) ? rendered.metadata : {};
      const envName = str(element.env) ?? str(element.environment) ?? str(element.stage) ?? str(metadata.name);
      if (envName === null) {
        problems.push(
          manifestProblem(manifest, pointer, `ApplicationSet "${name}": cannot tell the environment name of list element ${e + 1}`, 'give each element an "env" key, or declare the environments in gitops.yaml'),
        );
        return;
      }
      const parts = partsOf(rendered.spec);
      if (!parts) return;
      out.push({ name: envName, parts, declaredAt: { file: manifest.file, range: manifest.rangeOf(pointer) } });
    });
  });
  if (skipped.size > 0) {
    problems.push(
      manifestProblem(
        manifest,
        '/spec/generators',
        `ApplicationSet "${name}": ${[...skipped].join(', ')} generators are not expanded; only list elements become environments`,
        'declare the environments in gitops.yaml if some are missing',
      ),
    );
  }
  return out;
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
  return {
    name,
    repo: sameRepo || repoUrl === null ? null : stripUrlCredentials(repoUrl),
    branch: branchFromRevision(source.targetRevision),
    path,
    cluster: { context: str(parts.destination.name), namespace: str(parts.destination.namespace) },
    protected: isProductionName(name),
    source: 'argocd',
    declaredAt,
  };
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
