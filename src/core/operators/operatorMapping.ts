// Ties each Argo CD / Flux object to the environment it deploys: the one whose repository (compared
// by remote identity, so https, ssh and `.git` spellings agree), branch and folder it reads. Flux
// objects a mapped Kustomization applied (HelmReleases, infrastructure Kustomizations) belong to the
// same environment, and so do the sources they read. Everything else — another repository, a folder
// no environment declares, a Helm chart — is "other applications", with the reason.
import { environmentPaths, type Environment } from '../model';
import { remoteIdentity } from '../remoteUrl';
import type { ObjectPointer, OperatorSource, OperatorStatus } from './operatorTypes';

/** Why an object belongs to its environment. */
export type OperatorMatch = 'path' | 'clusterFolder' | 'appliedBy' | 'source';

export interface MappedOperator {
  status: OperatorStatus;
  match: OperatorMatch;
}

export interface UnmappedOperator {
  status: OperatorStatus;
  reason: string;
}

export interface OperatorMapping {
  /** Environment name → its operator objects; environments with none are absent. */
  byEnvironment: ReadonlyMap<string, MappedOperator[]>;
  /** "Other applications". */
  other: UnmappedOperator[];
}

export interface OperatorMappingOptions {
  /**
   * URLs of the workspace repository's remotes: an environment without `repo:` lives there. Without
   * them any URL may be this repository and only branch and folder decide.
   */
  localRemoteUrls?: readonly string[];
}

const MATCH_SCORE = { path: 10, clusterFolder: 5 } as const;

function dirOf(file: string): string | null {
  const slash = file.lastIndexOf('/');
  return slash > 0 ? file.slice(0, slash) : null;
}

function pointerKey(context: string | null, p: ObjectPointer): string {
  return `${context ?? ''}|${p.kind}|${p.namespace ?? ''}|${p.name}`;
}

function statusKey(status: OperatorStatus): string {
  return pointerKey(status.context, status.ref);
}

interface EnvironmentTarget {
  environment: Environment;
  /** Identities of the environment's repository; null = cannot be told, any repository may be it. */
  identities: ReadonlySet<string> | null;
  /** Flux: the cluster folder the environment was declared in (`clusters/staging`). */
  clusterFolder: string | null;
}

function targetsOf(environments: readonly Environment[], options: OperatorMappingOptions): EnvironmentTarget[] {
  const local = new Set((options.localRemoteUrls ?? []).map(remoteIdentity).filter((r): r is string => r !== null));
  return environments.map((environment) => {
    let identities: ReadonlySet<string> | null;
    if (environment.repo === null) identities = local.size > 0 ? local : null;
    else {
      const identity = remoteIdentity(environment.repo);
      // A local folder as `repo:` has no URL to compare; folder and branch still decide.
      identities = identity === null ? null : new Set([identity]);
    }
    const clusterFolder = environment.source === 'flux' && environment.declaredAt ? dirOf(environment.declaredAt.file) : null;
    return { environment, identities, clusterFolder };
  });
}

type Verdict = { environment: Environment; match: 'path' | 'clusterFolder'; score: number } | { reason: string };

function judge(status: OperatorStatus, source: OperatorSource, targets: readonly EnvironmentTarget[]): Verdict {
  if (source.chart !== undefined && source.url !== null && source.path === null) return { reason: `deploys Helm chart ${source.chart} from ${source.url}` };
  if (source.repoIdentity === null) {
    const what = source.sourceRef ? `${source.sourceRef.kind} ${source.sourceRef.name}` : 'no source';
    return { reason: source.url === null ? `reads ${what}, whose repository is unknown` : `reads ${source.url}, which is not a Git repository URL` };
  }
  const sameRepo = targets.filter((t) => t.identities === null || t.identities.has(source.repoIdentity ?? ''));
  if (sameRepo.length === 0) return { reason: `reads another repository (${source.url})` };
  let best: { environment: Environment; match: 'path' | 'clusterFolder'; score: number } | null = null;
  for (const target of sameRepo) {
    const env = target.environment;
    if (env.branch !== null && source.branch !== null && env.branch !== source.branch) continue;
    const match = (source.path === env.path || (source.path !== null && environmentPaths(env).includes(source.path))) ? 'path' : target.clusterFolder !== null && source.path === target.clusterFolder ? 'clusterFolder' : null;
    if (match === null) continue;
    let score = MATCH_SCORE[match];
    if (env.branch !== null && env.branch === source.branch) score += 2;
    if (status.context !== null && env.cluster.context === status.context) score += 3;
    // Ties go to the first environment in promotion order (input order).
    if (!best || score > best.score) best = { environment: env, match, score };
  }
  if (best) return best;
  const where = source.path === null ? 'the repository root' : `folder ${source.path}`;
  const branch = source.branch ?? source.revision;
  return { reason: `reads ${where}${branch ? ` at ${branch}` : ''}, which no environment declares` };
}

/** Maps operator objects (of any number of clusters) to environments. */
export function mapOperatorsToEnvironments(
  statuses: readonly OperatorStatus[],
  environments: readonly Environment[],
  options: OperatorMappingOptions = {},
): OperatorMapping {
  const targets = targetsOf(environments, options);
  const assigned = new Map<string, { environment: string; match: OperatorMatch }[]>();
  const reasons = new Map<string, string>();
  const assign = (status: OperatorStatus, environment: string, match: OperatorMatch): void => {
    const list = assigned.get(statusKey(status)) ?? [];
    if (!list.some((a) => a.environment === environment)) list.push({ environment, match });
    assigned.set(statusKey(status), list);
  };

  // 1. Objects that deploy a folder: Applications, Kustomizations, HelmReleases from Git.
  for (const status of statuses) {
    if (status.ref.kind === 'GitRepository' || status.ref.kind === 'OCIRepository') continue;
    let firstReason: string | null = null;
    for (const source of status.sources) {
      const verdict = judge(status, source, targets);
      if ('environment' in verdict) {
        assign(status, verdict.environment.name, verdict.match);
        break;
      }
      firstReason ??= verdict.reason;
    }
    if (!assigned.has(statusKey(status))) reasons.set(statusKey(status), firstReason ?? 'has no source');
  }

  // 2. What a mapped Kustomization applied belongs to its environment, transitively.
  const byKey = new Map(statuses.map((s) => [statusKey(s), s]));
  for (let changed = true, rounds = 0; changed && rounds < 16; rounds++) {
    changed = false;
    for (const status of statuses) {
      if (assigned.has(statusKey(status)) || !status.appliedBy) continue;
      const parent = assigned.get(pointerKey(status.context, status.appliedBy));
      if (!parent || !byKey.has(pointerKey(status.context, status.appliedBy))) continue;
      for (const p of parent) assign(status, p.environment, 'appliedBy');
      changed = true;
    }
  }

  // 3. Sources go with every environment whose objects read them.
  for (const status of statuses) {
    if (assigned.has(statusKey(status))) continue;
    if (status.ref.kind !== 'GitRepository' && status.ref.kind !== 'OCIRepository') continue;
    for (const reader of statuses) {
      const environments = assigned.get(statusKey(reader));
      if (!environments || reader.context !== status.context) continue;
      const reads = reader.sources.some((s) => [s.sourceRef, s.origin].some((p) => p && p.kind === status.ref.kind && p.name === status.ref.name && (p.namespace ?? status.ref.namespace) === status.ref.namespace));
      if (reads) for (const e of environments) assign(status, e.environment, 'source');
    }
    if (!assigned.has(statusKey(status))) {
      const url = status.sources[0]?.url;
      const identity = status.sources[0]?.repoIdentity ?? null;
      const known = identity !== null && targets.some((t) => t.identities === null || t.identities.has(identity));
      reasons.set(statusKey(status), known ? 'a source no environment reads' : `reads another repository (${url ?? 'unknown URL'})`);
    }
  }

  const byEnvironment = new Map<string, MappedOperator[]>();
  const other: UnmappedOperator[] = [];
  for (const status of statuses) {
    const environments = assigned.get(statusKey(status));
    if (!environments) {
      other.push({ status, reason: reasons.get(statusKey(status)) ?? 'no environment matches' });
      continue;
    }
    for (const { environment, match } of environments) {
      const list = byEnvironment.get(environment) ?? [];
      list.push({ status, match });
      byEnvironment.set(environment, list);
    }
  }
  return { byEnvironment, other };
}
