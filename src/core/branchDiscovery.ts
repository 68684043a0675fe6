// Layer 3 of discovery: one branch per environment (dev, prod-eu, env/staging …), and the
// branch-per-environment layout whose every branch holds the folder of each environment
// (branch staging-eu, folder envs/staging-eu): the environment is that pair.
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { isProductionName, ladderRank } from './environmentLadder';
import { environmentFolderIndex } from './folderDiscovery';
import type { BranchInfo, LocatedProblem } from './model';
import { isSafeEnvironmentName } from './safeNames';

/** Prefixes that say "this branch is an environment" on their own: any name below them counts. */
const ENVIRONMENT_PREFIXES = ['env/', 'envs/', 'environment/', 'environments/'];
/** Prefixes also used for other things (release stages, deploy tooling): only ladder words below them count. */
const LADDER_PREFIXES = ['stage/', 'deploy/'];
/** Never an environment on its own merit, whatever folders they hold. */
const NEVER = new Set(['main', 'master', 'trunk', 'head', 'gh-pages', 'hotfix', 'release', 'tenant', 'tenants']);
/** Words that make a branch a piece of work rather than a place (`dev-fix-login`, `prod-hotfix`). */
const WORK_WORDS = new Set([
  'fix', 'fixes', 'hotfix', 'bugfix', 'bug', 'feature', 'feat', 'patch', 'update', 'upgrade', 'bump', 'wip', 'tmp', 'temp',
  'backup', 'bak', 'old', 'copy', 'revert', 'merge', 'refactor', 'cleanup', 'release', 'rollback', 'hack', 'poc', 'draft',
  'try', 'experiment', 'test', 'tests', 'tenant', 'renovate', 'dependabot', 'deps', 'chore', 'docs', 'ci', 'to', 'from',
]);
/** A word of a region or zone (`eu`, `us`, `west`, `1`, `eu1`, `asia`): several suffix words must all be like this. */
const REGION_WORD = /^(?:[a-z]{1,2}\d*|\d+|asia|apac|emea|latam|amer|east|west|north|south|central|europe|africa|global|[a-z]+\d+)$/;
/** Variant words teams put after a tier (`perf-large`, `prod-canary`, `prod-blue`). */
const VARIANT_WORDS = new Set(['small', 'medium', 'large', 'xlarge', 'xl', 'big', 'mini', 'canary', 'blue', 'green', 'primary', 'secondary', 'dr', 'edge', 'internal', 'external', 'public', 'private', 'gov', 'shared', 'lite', 'full', 'ha']);

/**
 * The environment a branch stands for, by its name alone, or null. Rules, strictest first so work
 * branches never become environments:
 * - `env/`, `envs/`, `environment/`, `environments/`: any safe single-segment name (`env/demo`);
 * - `stage/`, `deploy/`: a single-segment name containing a ladder word (`deploy/prod-eu`);
 * - no prefix: a ladder word first (digits allowed: `qa2`), then at most three `-<region or variant>`
 *   words that look like a region or zone (`prod-eu`, `prod-eu-west-1`) or one variant word
 *   (`perf-large`, `prod-canary`). `main`, `master`, `feature/*`, `release-*`, `renovate/*`,
 *   `dev-fix-login`, tenant branches never match.
 * A ladder word with one other word (`staging-acme`) is only an environment when another tier
 * shares that lane (`prod-acme`) or its folder exists: see discoverBranchEnvironments.
 */
export function environmentOfBranch(branch: string): string | null {
  const parts = branchParts(branch);
  if (parts === null || parts.prefixed) return parts?.name ?? null;
  const rest = parts.rest;
  if (rest.length === 0 || rest.every((w) => REGION_WORD.test(w)) || (rest.length === 1 && VARIANT_WORDS.has(rest[0]))) return parts.name;
  return null;
}

/**
 * A branch's environment name and the words after its ladder word, or null when it cannot be an
 * environment at all (work branches, other prefixes, more than three suffix words, a work word).
 */
function branchParts(branch: string): { name: string; rest: string[]; prefixed: boolean } | null {
  const lower = branch.toLowerCase();
  for (const prefix of ENVIRONMENT_PREFIXES) {
    if (lower.startsWith(prefix)) {
      const name = singleSafeSegment(branch.slice(prefix.length));
      return name === null ? null : { name, rest: [], prefixed: true };
    }
  }
  for (const prefix of LADDER_PREFIXES) {
    if (lower.startsWith(prefix)) {
      const name = singleSafeSegment(branch.slice(prefix.length));
      return name !== null && ladderRank(name) !== null ? { name, rest: [], prefixed: true } : null;
    }
  }
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+){0,4}$/.test(branch) || NEVER.has(lower)) return null;
  const words = lower.split(/[-_]/);
  // The ladder word comes first, alone or written in two (`pre-prod-eu`).
  const tierWords = ladderRank(words[0]) !== null && /^[a-z]+\d*$/.test(words[0]) ? 1 : words.length > 1 && ladderRank(`${words[0]}${words[1]}`) !== null && ladderRank(words[0]) === null ? 2 : 0;
  if (tierWords === 0) return null;
  const rest = words.slice(tierWords);
  if (rest.length > 3 || rest.some((w) => WORK_WORDS.has(w) || ladderRank(w) !== null)) return null;
  return isSafeEnvironmentName(branch) ? { name: branch, rest, prefixed: false } : null;
}

/**
 * Branches of the form `<tier>-<word>` whose word is no known region or variant, kept when at least
 * two tiers share the word (`staging-acme` and `prod-acme` are lane acme; `dev-login` alone is work).
 */
function sharedLaneBranches(names: readonly string[]): Set<string> {
  const byLane = new Map<string, Set<number>>();
  const lanes = new Map<string, string>();
  for (const name of names) {
    const parts = branchParts(name);
    if (!parts || parts.prefixed || parts.rest.length !== 1 || environmentOfBranch(name) !== null) continue;
    const lane = parts.rest[0];
    const ranks = byLane.get(lane) ?? new Set<number>();
    ranks.add(ladderRank(name) ?? -1);
    byLane.set(lane, ranks);
    lanes.set(name, lane);
  }
  return new Set([...lanes].filter(([, lane]) => (byLane.get(lane)?.size ?? 0) >= 2).map(([name]) => name));
}

function singleSafeSegment(name: string): string | null {
  return !name.includes('/') && isSafeEnvironmentName(name) ? name : null;
}

/** Local first; among remote-tracking branches `origin` first, then by remote name. */
function preference(b: BranchInfo): string {
  return b.remote === null ? '0' : b.remote === 'origin' ? '1' : `2${b.remote}`;
}

export interface BranchDiscoveryInput {
  branches: readonly BranchInfo[];
  /** Files of the working tree (the checked-out branch): where environment folders are looked for. */
  files?: readonly string[];
  /**
   * Tells whether `branch` holds `folder`. When given, each branch environment's folder is checked
   * on its own branch (a missing one is reported); without it, the working tree is the evidence.
   */
  folderOnBranch?: (branch: string, folder: string) => Promise<boolean>;
}

/**
 * Environments from branch names. A local branch and its remote-tracking twin (`staging`,
 * `origin/staging`) are one environment; `branch` is the short name, which the git adapter resolves
 * to the local branch when it exists, else to the remote-tracking one. When a bare and a prefixed
 * branch name the same environment (`staging`, `env/staging`), the bare one is listed first and
 * wins (the other is reported as a duplicate).
 *
 * When the repository has a folder per environment (`envs/<name>/`, found in the working tree),
 * a branch named like one of them is that environment on that branch, with that folder as its
 * path, even without a ladder word (`demo` with `envs/demo/`).
 */
export async function discoverBranchEnvironments(input: BranchDiscoveryInput): Promise<LayerResult> {
  const { branches, files = [], folderOnBranch } = input;
  const folders = environmentFolderIndex(files);
  const best = new Map<string, BranchInfo>();
  for (const branch of branches) {
    const existing = best.get(branch.name);
    if (!existing || preference(branch) < preference(existing)) best.set(branch.name, branch);
  }
  const lanes = sharedLaneBranches([...best.keys()]);
  const candidates = [...best.values()]
    .map((b) => {
      const byName = environmentOfBranch(b.name) ?? (lanes.has(b.name) ? b.name : null);
      return { branch: b.name, env: byName ?? byFolder(b.name, folders), onlyByFolder: byName === null };
    })
    .filter((c): c is { branch: string; env: string; onlyByFolder: boolean } => c.env !== null)
    .sort((a, b) => a.branch.length - b.branch.length || (a.branch < b.branch ? -1 : 1));
  const problems: LocatedProblem[] = [];
  const found = await Promise.all(
    candidates.map(async ({ branch, env, onlyByFolder }): Promise<DiscoveredEnvironment | null> => {
      let path = folders.get(env.toLowerCase()) ?? null;
      if (path !== null && folderOnBranch && !(await folderOnBranch(branch, path).catch(() => true))) {
        // Named like no environment and without its folder: just a branch.
        if (onlyByFolder) return null;
        problems.push({
          severity: 'warning',
          message: `Branch ${branch} has no ${path}/ folder, unlike the working tree; environment "${env}" uses the whole branch`,
          location: { file: path },
          hint: `add ${path}/ to branch ${branch}, or declare the environment's folder in gitops.yaml`,
        });
        path = null;
      }
      return {
        name: env,
        repo: null,
        branch,
        path,
        cluster: { context: null, namespace: null },
        protected: isProductionName(env),
        source: 'branches',
        ...(path !== null ? { declaredAt: { file: path } } : {}),
      };
    }),
  );
  return { environments: found.filter((e): e is DiscoveredEnvironment => e !== null), problems };
}

/** A plain branch name that is also the name of an environment folder (`demo` beside `envs/demo/`). */
function byFolder(branch: string, folders: ReadonlyMap<string, string>): string | null {
  if (branch.includes('/') || NEVER.has(branch.toLowerCase()) || !isSafeEnvironmentName(branch)) return null;
  return folders.has(branch.toLowerCase()) ? branch : null;
}
