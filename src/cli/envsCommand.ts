// `gitops-env envs [--repo DIR] [--json]`: the environments in promotion order.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { discoverEnvironments, type DiscoveryResult } from '../core/discovery';
import { environmentPaths, formatProblem, type Environment, type LocatedProblem } from '../core/model';
import { folderOnBranchOf } from '../git/branchFolders';
import { directoryView } from '../git/directoryView';
import { GitError } from '../git/gitError';
import { GitRepository } from '../git/gitRepository';
import { workingTreeView } from '../git/repoViews';
import { CliUsageError, parseArgs, safeIO, type CliIO } from './cliSupport';

export interface EnvironmentJson {
  name: string;
  branch: string | null;
  /** The first folder, or null for the repository root. */
  path: string | null;
  /** Every folder of the environment (one per application when several share it); [] for the repository root. */
  paths: string[];
  cluster: { context: string | null; namespace: string | null };
  protected: boolean;
  source: Environment['source'];
  /** Where it was found: `file` or `file:line`. */
  declaredAt?: string;
}

export function environmentJson(env: Environment): EnvironmentJson {
  const paths = environmentPaths(env);
  return {
    name: env.name,
    branch: env.branch,
    path: paths[0] ?? null,
    paths: [...paths],
    cluster: { context: env.cluster.context, namespace: env.cluster.namespace },
    protected: env.protected,
    source: env.source,
    ...(env.declaredAt ? { declaredAt: `${env.declaredAt.file}${env.declaredAt.range ? `:${env.declaredAt.range.start.line}` : ''}` } : {}),
  };
}

/** Discovers from the Git repository at `dir`, or from the plain directory when it is not one. */
export async function discoverAt(dir: string): Promise<{ discovery: DiscoveryResult; repo: GitRepository | null }> {
  let repo: GitRepository | null = null;
  try {
    repo = await GitRepository.open(dir);
  } catch (error) {
    if (!(error instanceof GitError) || (error.code !== 'notARepository' && error.code !== 'gitMissing')) throw error;
  }
  try {
    const remoteUrls = repo ? (await repo.remotes()).map((r) => r.fetchUrl) : [];
    // Branch environments are checked for their own folder on their own branch (branch prod-eu, folder envs/prod-eu).
    const folderOnBranch = repo ? folderOnBranchOf(repo) : undefined;
    const discovery = await discoverEnvironments(repo ? workingTreeView(repo) : directoryView(dir), { remoteUrls, folderOnBranch });
    return { discovery, repo };
  } finally {
    repo?.dispose();
  }
}

/**
 * Environments of this checkout (no branch, no other repository) whose folder is missing: a
 * warning, not an error — a first promotion into the environment creates it.
 */
function missingFolders(environments: readonly Environment[], root: string): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  for (const env of environments) {
    if (env.branch !== null || env.repo !== null) continue;
    for (const path of environmentPaths(env)) {
      if (existsSync(join(root, ...path.split('/')))) continue;
      out.push({
        severity: 'warning',
        message: `${env.name}: folder ${path} does not exist`,
        location: env.declaredAt,
        hint: `create it, or fix its path; a promotion into ${env.name} would add it`,
      });
    }
  }
  return out;
}

function textTable(envs: Environment[]): string {
  const rows = envs.map((e, i) => [
    `${i + 1}.`,
    e.name,
    e.branch ?? '-',
    (() => {
      const paths = environmentPaths(e);
      return paths.length === 0 ? '-' : paths.length === 1 ? paths[0] : `${paths[0]} (+${paths.length - 1} more)`;
    })(),
    e.cluster.context ? `${e.cluster.context}${e.cluster.namespace ? `/${e.cluster.namespace}` : ''}` : '-',
    `${e.source}${e.protected ? ', protected' : ''}`,
  ]);
  const header = ['', 'NAME', 'BRANCH', 'PATH', 'CLUSTER', 'SOURCE'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n') + '\n';
}

export async function runEnvsCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  const { flags, positional } = parseArgs(argv, { values: ['repo'], booleans: ['json'] });
  if (positional.length > 0) throw new CliUsageError(`unexpected argument "${positional[0]}"`);
  const dir = resolve(String(flags.get('repo') ?? '.'));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.err(`gitops-env: ${dir} is not a directory\n`);
    return 2;
  }
  const { discovery, repo } = await discoverAt(dir);
  const errors = discovery.problems.filter((p) => p.severity === 'error');
  for (const problem of [...discovery.problems, ...missingFolders(discovery.environments, repo?.root ?? dir)]) io.err(`${problem.severity}: ${formatProblem(problem)}\n`);
  if (errors.length > 0) {
    io.err(`gitops-env: ${errors.length} error${errors.length === 1 ? '' : 's'} in the environment definitions; fix them and run again\n`);
    return 2;
  }
  if (flags.has('json')) {
    io.out(`${JSON.stringify({ environments: discovery.environments.map(environmentJson) }, null, 2)}\n`);
    return 0;
  }
  if (discovery.environments.length === 0) {
    io.out(`No environments found in ${dir}.\nDeclare them in gitops.yaml, or use environment branches (dev, staging-eu, prod-eu), folders (envs/dev, apps/<app>/overlays/prod), or Argo CD, Flux or Kargo manifests.\n`);
    return 0;
  }
  io.out(textTable(discovery.environments));
  return 0;
}
