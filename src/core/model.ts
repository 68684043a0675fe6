// The environment model shared by every layer. Pure data: no `vscode`, no I/O.

/** Where a value was declared: 1-based line and column, as editors show them. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A span in one file. `end` is exclusive. Lines and columns are 1-based. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** A file plus, when known, the range inside it. `file` is a repository-relative POSIX path. */
export interface SourceLocation {
  file: string;
  range?: SourceRange;
}

/** How an environment was found. Mirrors the CLI's JSON `source` field. */
export type EnvironmentSource = 'config' | 'kargo' | 'argocd' | 'flux' | 'branches' | 'folders';

export interface ClusterRef {
  /** kubeconfig context name; null = none declared (cluster features off for this environment). */
  context: string | null;
  /** default namespace for namespaced objects without one; null = the context's namespace. */
  namespace: string | null;
}

export interface Environment {
  name: string;
  /** 0-based position in the promotion order (dev = 0 → prod = last). */
  order: number;
  /**
   * Where the desired state lives. null = the repository that holds the config/discovery.
   * Otherwise a path (another workspace folder, absolute or relative to this repository's root)
   * or a remote URL (read through a cached bare clone).
   */
  repo: string | null;
  /** Branch holding the desired state; null = the repository's current branch / working tree. */
  branch: string | null;
  /** Folder inside the repository (POSIX, no leading `./`, no trailing `/`); null = repository root. The first of `paths`. */
  path: string | null;
  /**
   * Every folder the environment is made of (one per application when several apps share the
   * environment: apps/web/overlays/prod, apps/api/overlays/prod). Absent or empty: `path` alone.
   * Read it through `environmentPaths`.
   */
  paths?: string[];
  /**
   * Helm values files (repository-relative) this environment adds over its chart's values.yaml,
   * in the order helm reads them: set when several environments read one chart folder, each with
   * a values file of its own (`charts/shop/values-prod.yaml`). Absent: the chart's values alone.
   */
  valuesFiles?: string[];
  cluster: ClusterRef;
  /** Writes (promotion into it, sync) need the environment's name typed. */
  protected: boolean;
  source: EnvironmentSource;
  /** Where the environment was declared (config entry, Application manifest, Flux Kustomization...). */
  declaredAt?: SourceLocation;
}

/** The folders of an environment: `paths` when set, else `[path]`; empty = the repository root. */
export function environmentPaths(env: Pick<Environment, 'path' | 'paths'>): string[] {
  if (env.paths && env.paths.length > 0) return env.paths;
  return env.path !== null ? [env.path] : [];
}

/** An error that says where: file, line, and what to do. Never thrown across the UI boundary. */
export interface LocatedProblem {
  message: string;
  location?: SourceLocation;
  severity: 'error' | 'warning';
  /** A short hint on what to do next. */
  hint?: string;
}

/** Formats a problem as `file:line:column: message (hint)` for logs and the CLI. */
export function formatProblem(problem: LocatedProblem): string {
  const where = problem.location
    ? problem.location.range
      ? `${problem.location.file}:${problem.location.range.start.line}:${problem.location.range.start.column}: `
      : `${problem.location.file}: `
    : '';
  const hint = problem.hint ? ` — ${problem.hint}` : '';
  return `${where}${problem.message}${hint}`;
}

/** Group/version/kind of a Kubernetes object. `group` is '' for the core group. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Identity of one object: stable key for maps across desired and live sides. */
export interface ResourceId extends GroupVersionKind {
  namespace: string | null;
  name: string;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `group/kind/namespace/name` — version left out so v1 and v1beta1 of one object collide on purpose. */
export function resourceKey(id: ResourceId): string {
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** Host kinds we can open pull requests on, inferred from a remote URL. */
export type HostKind = 'github' | 'github-enterprise' | 'gitlab' | 'gitea' | 'azure-devops' | 'bitbucket' | 'bitbucket-server' | 'unknown';

export interface CommitInfo {
  sha: string;
  shortSha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  date: string;
}

export interface BranchInfo {
  /** Short name without `refs/heads/` or `refs/remotes/<remote>/` (e.g. `env/staging`). */
  name: string;
  /** Full ref (`refs/heads/env/staging`, `refs/remotes/origin/env/staging`). */
  ref: string;
  remote: string | null;
  sha: string;
}
