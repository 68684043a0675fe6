// The Environments view's first full tree on a large repository (10,000 commits, three
// environment branches of 300 manifests each), against the git CLI doing the same reads.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GitRepository } from '../src/git/gitRepository';
import { loadRepositoryEnvironments } from '../src/git/repositoryEnvironments';
import { refView } from '../src/git/repoViews';
import { renderEnvironment } from '../src/render/renderEnvironment';
import { createBigRepo } from '../test/integration/helpers/bigRepo';
import { tempDir } from '../test/integration/helpers/tempGitRepo';

function gitCli(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export interface ExplorerBenchResult {
  treeMs: number[];
  peerTreeMs: number[];
  renderMs: number[];
  environments: number;
}

export async function measureExplorer(runs = 9): Promise<ExplorerBenchResult> {
  const big = await createBigRepo(join(tempDir('gitops-bench-'), 'big'));
  const [dev, staging, prod] = big.branches;
  const treeMs: number[] = [];
  const peerTreeMs: number[] = [];
  const renderMs: number[] = [];
  let environments = 0;
  for (let i = 0; i < runs; i++) {
    // Ours: open the repository, discover environments, read heads and pending commits.
    let started = performance.now();
    const repo = await GitRepository.open(big.root);
    const loaded = await loadRepositoryEnvironments(repo);
    treeMs.push(performance.now() - started);
    environments = loaded.states.length;
    if (environments !== 3 || !loaded.states.every((s) => s.head)) throw new Error(`expected 3 environments with heads, got ${environments}`);

    // Peer: the git CLI reading the same facts, one process per question.
    started = performance.now();
    gitCli(big.root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/remotes']);
    for (const branch of [dev, staging, prod]) gitCli(big.root, ['log', '-1', '--format=%H%x00%s%x00%an%x00%aI', branch]);
    for (const [from, to] of [[dev, staging], [staging, prod]]) {
      gitCli(big.root, ['log', '--max-count=50', '--format=%H%x00%s%x00%an%x00%aI', `${to}..${from}`, '--', big.manifestFolder]);
      gitCli(big.root, ['rev-list', '--count', `${to}..${from}`, '--', big.manifestFolder]);
    }
    peerTreeMs.push(performance.now() - started);

    // Expanding "Resources" of prod: 300 manifests read at the branch (no checkout) and parsed.
    started = performance.now();
    const rendered = await renderEnvironment({ view: refView(repo, prod), path: big.manifestFolder, trusted: true });
    renderMs.push(performance.now() - started);
    if (rendered.objects.length !== big.manifests) throw new Error(`rendered ${rendered.objects.length} objects, expected ${big.manifests}`);
    repo.dispose();
  }
  return { treeMs, peerTreeMs, renderMs, environments };
}
