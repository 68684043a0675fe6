// Layer 3 of discovery: one branch per environment (dev, staging, prod, or env/dev …).
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { isProductionName, ladderRank } from './environmentLadder';
import type { BranchInfo } from './model';
import { isSafeEnvironmentName } from './safeNames';

/** Prefixes that say "this branch is an environment" on their own: any name below them counts. */
const ENVIRONMENT_PREFIXES = ['env/', 'environment/', 'environments/'];
/** Prefixes also used for other things (release stages, deploy tooling): only ladder words below them count. */
const LADDER_PREFIXES = ['stage/', 'deploy/'];

/**
 * The environment a branch stands for, or null. Rules, strictest first so feature branches never
 * become environments:
 * - no prefix: the whole name is one ladder word, optionally with digits (`dev`, `staging`, `qa2`);
 *   `dev-fix-login` or `prod-eu` are not environments without a prefix;
 * - `env/`, `environment/`, `environments/`: any safe single-segment name (`env/demo`, `env/prod-eu`);
 * - `stage/`, `deploy/`: a single-segment name containing a ladder word (`deploy/prod-eu`).
 */
export function environmentOfBranch(branch: string): string | null {
  const lower = branch.toLowerCase();
  for (const prefix of ENVIRONMENT_PREFIXES) {
    if (lower.startsWith(prefix)) return singleSafeSegment(branch.slice(prefix.length));
  }
  for (const prefix of LADDER_PREFIXES) {
    if (lower.startsWith(prefix)) {
      const name = singleSafeSegment(branch.slice(prefix.length));
      return name !== null && ladderRank(name) !== null ? name : null;
    }
  }
  return /^[A-Za-z]+\d*$/.test(branch) && ladderRank(branch) !== null ? branch : null;
}

function singleSafeSegment(name: string): string | null {
  return !name.includes('/') && isSafeEnvironmentName(name) ? name : null;
}

/** Local first; among remote-tracking branches `origin` first, then by remote name. */
function preference(b: BranchInfo): string {
  return b.remote === null ? '0' : b.remote === 'origin' ? '1' : `2${b.remote}`;
}

/**
 * Environments from branch names. A local branch and its remote-tracking twin (`staging`,
 * `origin/staging`) are one environment; `branch` is the short name, which the git adapter resolves
 * to the local branch when it exists, else to the remote-tracking one. When a bare and a prefixed
 * branch name the same environment (`staging`, `env/staging`), the bare one is listed first and
 * wins (the other is reported as a duplicate).
 */
export function discoverBranchEnvironments(branches: readonly BranchInfo[]): LayerResult {
  const best = new Map<string, BranchInfo>();
  for (const branch of branches) {
    const existing = best.get(branch.name);
    if (!existing || preference(branch) < preference(existing)) best.set(branch.name, branch);
  }
  const candidates = [...best.values()]
    .map((b) => ({ branch: b.name, env: environmentOfBranch(b.name) }))
    .filter((c): c is { branch: string; env: string } => c.env !== null)
    .sort((a, b) => a.branch.length - b.branch.length || (a.branch < b.branch ? -1 : 1));
  const environments: DiscoveredEnvironment[] = candidates.map(({ branch, env }) => ({
    name: env,
    repo: null,
    branch,
    path: null,
    cluster: { context: null, namespace: null },
    protected: isProductionName(env),
    source: 'branches',
  }));
  return { environments, problems: [] };
}
