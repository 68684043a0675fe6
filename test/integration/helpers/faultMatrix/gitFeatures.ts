// The Git columns of the fault matrix, on real repositories (a bare "remote" and the user's clone,
// see promotionRepos) and a Gitea-shaped pull-request host. Each runner puts the user's checkout
// (or the remote, or the host) into the fault, snapshots everything of the user's, runs the
// feature, and checks: (a) it answers within 1 s; (b) what the user is shown names the cause and
// the next step — or, where the fault cannot touch the feature (a locked index for read-only
// views), that no false alarm is raised; (c) nothing is claimed that is not known (no "nothing
// waiting" from a shallow history, no half-created pull request); (d) once the fault is removed
// the same action succeeds with no cleanup; (e) the user's files, status, branches, HEAD, index,
// stash, locks and unfinished merge are exactly as before.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromotionError } from '../../../../src/core/promotion/promotionError';
import type { PromotionPlan } from '../../../../src/core/promotion/promotionTypes';
import { GitRepository } from '../../../../src/git/gitRepository';
import { executePlan, type ExecutionResult } from '../../../../src/git/promotion/executePlan';
import { planPromotion } from '../../../../src/git/promotion/planPromotion';
import { planRollback } from '../../../../src/git/promotion/planRollback';
import { loadPromotionContext } from '../../../../src/git/promotion/promotionContext';
import { loadRepositoryEnvironments, type RepositoryEnvironments } from '../../../../src/git/repositoryEnvironments';
import { createPullRequestProvider } from '../../../../src/hosts/providerFactory';
import type { GiteaTestServer } from '../hostServers/giteaServer';
import { commitOn, entries, hostedRepo, pushBranches, REMOTE_URL, rejectPushes, remoteBranches, type PromotionRepo } from '../hostServers/promotionRepos';
import { commitAll, git, tempDir, writeFiles } from '../tempGitRepo';
import type { Fault } from './matrix';
import { answersWithin, assertTells, assertUserRepoUnchanged, errorText, RESPONSIVE_MS, snapshotUserRepo, type UserRepoSnapshot } from './properties';

export const HOST_TOKEN = 'gitea-token';

// --- environments view data -------------------------------------------------------------------

const BRANCHES = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: staging\n  - name: prod\n    branch: prod\n';
const FOLDERS = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\npromotion:\n  labels: [promotion]\n';

/**
 * A fresh copy of a remote and clone built once: copying folders costs far less than the dozen git
 * processes that build them. The clone's `insteadOf` (its route to the bare remote) is re-pointed.
 */
function copyOf(template: PromotionRepo): PromotionRepo {
  const bare = tempDir('gitops-faults-remote-');
  const work = tempDir('gitops-faults-work-');
  cpSync(template.bare, bare, { recursive: true });
  cpSync(template.work, work, { recursive: true });
  const config = join(work, '.git', 'config');
  writeFileSync(config, readFileSync(config, 'utf8').split(template.bare).join(bare));
  return { bare, work };
}

let branchTemplate: PromotionRepo | undefined;

/** Branch per environment; staging is three commits ahead of prod. */
function branchRepo(): PromotionRepo {
  if (!branchTemplate) {
    branchTemplate = hostedRepo({ 'gitops.yaml': BRANCHES, 'app.yaml': 'v: 1\n' });
    pushBranches(branchTemplate, ['staging', 'prod']);
    for (const v of [2, 3, 4]) commitOn(branchTemplate, 'staging', { 'app.yaml': `v: ${v}\n` }, `staging v${v}`);
  }
  return copyOf(branchTemplate);
}

async function loadView(work: string): Promise<RepositoryEnvironments> {
  const repo = await GitRepository.open(work);
  try {
    return (await answersWithin('loading the environments view', () => loadRepositoryEnvironments(repo))).value as RepositoryEnvironments;
  } finally {
    repo.dispose();
  }
}

function problemsOf(data: RepositoryEnvironments): string {
  return [...data.discovery.problems, ...data.states.flatMap((s) => s.problems)].map((p) => `${p.message}${p.hint ? ` — ${p.hint}` : ''}`).join('\n');
}

function state(data: RepositoryEnvironments, name: string): RepositoryEnvironments['states'][number] {
  const found = data.states.find((s) => s.environment.name === name);
  assert.ok(found, `no ${name} in the view`);
  return found;
}

/** The fault-free view of branchRepo(): both heads, three commits waiting, no problems. */
function assertHealthyBranchView(data: RepositoryEnvironments, work: string): void {
  assert.equal(problemsOf(data), '', 'no problem shown');
  assert.equal(state(data, 'staging').head?.sha, git(work, 'rev-parse', 'origin/staging').trim());
  assert.equal(state(data, 'prod').head?.sha, git(work, 'rev-parse', 'origin/prod').trim());
  assert.equal(state(data, 'prod').pending?.total, 3);
  assert.notEqual(state(data, 'prod').pending?.incomplete, true);
}

/** Runs the view with the user's checkout in the fault; `check` asserts (b) and (c); `heal` ends the fault. */
async function viewUnderFault(work: string, check: (data: RepositoryEnvironments) => void, heal: () => void, healthy: (data: RepositoryEnvironments) => void): Promise<void> {
  const before = snapshotUserRepo(work);
  const data = await loadView(work);
  assertUserRepoUnchanged(work, before);
  check(data);
  heal();
  healthy(await loadView(work));
}

export async function viewCell(fault: Fault): Promise<void> {
  switch (fault) {
    case 'locked index': {
      // Another git process (the user's commit in a terminal) holds the index lock: reads must neither fail nor take it.
      const remote = branchRepo();
      const lock = join(remote.work, '.git', 'index.lock');
      writeFileSync(lock, '');
      return viewUnderFault(remote.work, (data) => assertHealthyBranchView(data, remote.work), () => rmSync(lock), (data) => assertHealthyBranchView(data, remote.work));
    }
    case 'conflict': {
      // The user is in the middle of a merge that stopped on a conflict.
      const remote = branchRepo();
      git(remote.work, 'checkout', '--quiet', '-b', 'feature');
      writeFiles(remote.work, { 'app.yaml': 'v: feature\n' });
      commitAll(remote.work, 'feature edit');
      git(remote.work, 'checkout', '--quiet', 'main');
      writeFiles(remote.work, { 'app.yaml': 'v: main\n' });
      commitAll(remote.work, 'main edit');
      assert.throws(() => git(remote.work, 'merge', '--quiet', 'feature'));
      return viewUnderFault(remote.work, (data) => assertHealthyBranchView(data, remote.work), () => git(remote.work, 'merge', '--abort'), (data) => assertHealthyBranchView(data, remote.work));
    }
    case 'detached HEAD': {
      // Folder environments read HEAD: detached at an older commit, the view must say so.
      const remote = hostedRepo({ 'gitops.yaml': FOLDERS, 'envs/staging/app.yaml': 'v: 1\n', 'envs/prod/app.yaml': 'v: 1\n' });
      writeFiles(remote.work, { 'envs/staging/app.yaml': 'v: 2\n' });
      const tip = commitAll(remote.work, 'staging v2');
      git(remote.work, 'checkout', '--quiet', '--detach', 'HEAD~1');
      const detachedAt = git(remote.work, 'rev-parse', 'HEAD').trim();
      return viewUnderFault(
        remote.work,
        (data) => {
          assertTells(problemsOf(data), /detached/i, /check out|switch/i, 'the environments view');
          assert.equal(data.currentBranch, null);
          assert.ok(state(data, 'staging').head?.sha === git(remote.work, 'rev-list', '-1', detachedAt, '--', 'envs/staging').trim(), 'shows what the working tree holds');
        },
        () => git(remote.work, 'checkout', '--quiet', 'main'),
        (data) => {
          assert.equal(problemsOf(data), '');
          assert.equal(state(data, 'staging').head?.sha, tip);
        },
      );
    }
    case 'shallow clone': {
      const remote = branchRepo();
      const work = tempDir('gitops-faults-shallow-');
      git(work, 'clone', '--quiet', '--depth', '1', '--no-single-branch', `file://${remote.bare}`, '.');
      return viewUnderFault(
        work,
        (data) => {
          assertTells(problemsOf(data), /shallow/i, /unshallow/i, 'the environments view');
          // Three commits wait; a shallow history shows fewer. The count must not pass for exact.
          const pending = state(data, 'prod').pending;
          assert.ok(pending, 'prod still lists what waits');
          assert.ok(pending.total === 3 || pending.incomplete === true, `pending ${pending.total} shown as exact`);
        },
        () => git(work, 'fetch', '--quiet', '--unshallow'),
        (data) => assertHealthyBranchView(data, work),
      );
    }
    case 'missing remote': {
      // A clone whose environment branches exist only as origin/*, then origin is removed.
      const remote = branchRepo();
      const work = tempDir('gitops-faults-noremote-');
      git(work, 'clone', '--quiet', `file://${remote.bare}`, '.');
      git(work, 'remote', 'remove', 'origin');
      return viewUnderFault(
        work,
        (data) => {
          assertTells(problemsOf(data), /staging.*exists neither locally nor on a remote/i, /git remote add/i, 'the environments view');
          // Unknown, not "nothing waiting".
          assert.equal(state(data, 'prod').pending, null);
          assert.equal(state(data, 'prod').head, null);
        },
        () => {
          git(work, 'remote', 'add', 'origin', `file://${remote.bare}`);
          git(work, 'fetch', '--quiet', 'origin');
        },
        (data) => assertHealthyBranchView(data, work),
      );
    }
    default:
      throw new Error(`${fault} has no environments-view cell`);
  }
}

// --- promotion and rollback -----------------------------------------------------------------------

export type GitAction = 'promotion' | 'rollback';

interface Scenario {
  remote: PromotionRepo;
  /** The user's checkout the action runs from. */
  work: string;
  /** The commit prod is rolled back to. */
  good: string;
}

let scenarioTemplate: { remote: PromotionRepo; good: string; heads: Map<GitAction, string> } | undefined;

/** Folder layout; staging differs from prod; prod changed once since `good`. */
async function scenario(): Promise<Scenario & { headBranch(action: GitAction): string }> {
  if (!scenarioTemplate) {
    const remote = hostedRepo({ 'gitops.yaml': FOLDERS, 'envs/staging/app.yaml': 'image: web:1\n', 'envs/prod/app.yaml': 'image: web:1\n' });
    const good = git(remote.work, 'rev-parse', 'HEAD').trim();
    writeFiles(remote.work, { 'envs/prod/app.yaml': 'image: web:broken\n' });
    commitAll(remote.work, 'prod to web broken');
    writeFiles(remote.work, { 'envs/staging/app.yaml': 'image: web:2\n' });
    commitAll(remote.work, 'staging to web 2');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    // Head branch names follow from the commits, the same in every copy (a conflict is staged on them).
    const repo = await GitRepository.open(remote.work);
    const heads = new Map<GitAction, string>();
    try {
      for (const action of ['promotion', 'rollback'] as const) heads.set(action, (await plan(action, repo, good)).headBranch);
    } finally {
      repo.dispose();
    }
    scenarioTemplate = { remote, good, heads };
  }
  const template = scenarioTemplate;
  const remote = copyOf(template.remote);
  return { remote, work: remote.work, good: template.good, headBranch: (action) => template.heads.get(action) as string };
}

async function plan(action: GitAction, repo: GitRepository, good: string): Promise<PromotionPlan> {
  const context = await loadPromotionContext(repo);
  return action === 'promotion'
    ? planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod', promotion: context.promotion })
    : planRollback(repo, { environments: context.environments, environment: 'prod', to: good, promotion: context.promotion });
}

interface Run {
  plan?: PromotionPlan;
  result?: ExecutionResult;
  error?: unknown;
}

/** A promotion does real work (worktree, commit, push, host); it is bounded as a whole, and shows a step at least every second. */
const ACTION_BOUND_MS = 15_000;

/**
 * Plans and executes, as the Promote… / Roll back commands do. (a): the plan (the preview) and
 * every step of the execution answer within 1 s of the previous one — the user is never left
 * without news for longer — and a failure is reported within 1 s of the step that met it.
 */
async function runAction(action: GitAction, work: string, good: string, server: GiteaTestServer, scratch: string): Promise<Run> {
  const repo = await GitRepository.open(work);
  const marks: Array<{ what: string; at: number }> = [{ what: 'start', at: performance.now() }];
  const mark = (what: string): void => void marks.push({ what, at: performance.now() });
  try {
    const provider = createPullRequestProvider({ kind: 'gitea', owner: 'acme', repo: 'gitops', webUrl: 'https://gitea.test/acme/gitops', apiUrl: server.url }, HOST_TOKEN, { timeoutMs: 800 });
    const outcome = await answersWithin(
      `the ${action}`,
      async (): Promise<Run> => {
        const planned = await plan(action, repo, good);
        mark('plan');
        return { plan: planned, result: await executePlan(repo, planned, { provider, tempDir: scratch, networkTimeoutMs: 5000, onProgress: (p) => mark(p.step) }) };
      },
      ACTION_BOUND_MS,
    );
    mark(outcome.error === undefined ? 'done' : 'failed');
    const gaps = marks.slice(1).map((m, i) => ({ what: `${marks[i].what}→${m.what}`, ms: Math.round(m.at - marks[i].at) }));
    const slow = gaps.filter((g) => g.ms >= RESPONSIVE_MS);
    assert.deepEqual(slow, [], `the ${action} went more than ${RESPONSIVE_MS} ms without news: ${JSON.stringify(gaps)}`);
    return outcome.error === undefined ? (outcome.value as Run) : { error: outcome.error };
  } finally {
    repo.dispose();
  }
}

interface GitFaultSetup {
  /** The checkout to run in (the scenario's, or a shallow clone of the remote). */
  work: string;
  /** Expected failure: cause and next step. Omitted: the action must succeed regardless. */
  fails?: { code: PromotionError['code']; cause: RegExp; action: RegExp };
  /** For a success: what the result or plan must say about the fault. */
  says?: (run: Run) => void;
  /** Ends the fault. */
  heal(): void;
}

function openPulls(server: GiteaTestServer, head: string): number {
  return server.pulls.filter((p) => p.head === head && p.state === 'open').length;
}

export async function actionCell(fault: Fault, action: GitAction, server: GiteaTestServer): Promise<void> {
  const s = await scenario();
  // Every cell's copy has the same head branch names: earlier cells' pull requests are closed.
  for (const pull of server.pulls) pull.state = 'closed';
  const scratch = tempDir('gitops-faults-worktrees-');
  const headBranch = s.headBranch(action);
  const setup = prepare(fault, action, s, headBranch, server);
  const before: UserRepoSnapshot = snapshotUserRepo(setup.work);
  const pullsBefore = server.pulls.length;
  const branchBefore = remoteBranches(s.remote).get(headBranch);
  const run = await runAction(action, setup.work, s.good, server, scratch);
  // (e)
  assertUserRepoUnchanged(setup.work, before);
  assert.deepEqual(entries(scratch), [], 'the temporary worktree is gone');
  if (setup.fails) {
    assert.ok(run.error instanceof PromotionError, `expected a PromotionError, got ${errorText(run.error ?? run.result)}`);
    assert.equal(run.error.code, setup.fails.code, errorText(run.error));
    // (b)
    assertTells(run.error.describe(), setup.fails.cause, setup.fails.action, `the ${action} error`);
    // (c) nothing half-made: no pull request, the head branch as it was.
    assert.equal(server.pulls.length, pullsBefore, 'no pull request was opened');
    assert.equal(remoteBranches(s.remote).get(headBranch), branchBefore, 'the head branch on the remote is as it was');
  } else {
    assert.equal(run.error, undefined, `the ${action} failed: ${errorText(run.error)}`);
    assert.equal(run.result?.pullRequestAction, 'created');
    assert.equal(openPulls(server, headBranch), 1);
    setup.says?.(run);
  }
  // (d) the fault ends: the same command succeeds, nothing to clean up first.
  setup.heal();
  const again = await runAction(action, setup.work, s.good, server, scratch);
  assert.equal(again.error, undefined, `after the fault: ${errorText(again.error)}`);
  assert.ok(again.result?.pullRequestAction === 'created' || again.result?.pullRequestAction === 'updated');
  assert.equal(openPulls(server, headBranch), 1, 'one pull request');
  assert.deepEqual(entries(scratch), []);
}

function prepare(fault: Fault, action: GitAction, s: Scenario, headBranch: string, server: GiteaTestServer): GitFaultSetup {
  const { remote, work } = s;
  switch (fault) {
    case 'locked index': {
      // Another git process (the user's commit in a terminal) holds the index lock; it is theirs to remove.
      const lock = join(work, '.git', 'index.lock');
      writeFileSync(lock, '');
      return { work, heal: () => rmSync(lock) };
    }
    case 'detached HEAD':
      git(work, 'checkout', '--quiet', '--detach', 'HEAD');
      return {
        work,
        says: (run) => assert.equal(run.result?.base, 'main', 'the pull request targets the environments’ branch, not the detached commit'),
        heal: () => git(work, 'checkout', '--quiet', 'main'),
      };
    case 'shallow clone': {
      const shallow = tempDir('gitops-faults-shallow-');
      git(shallow, 'clone', '--quiet', '--depth', '1', `file://${remote.bare}`, '.');
      git(shallow, 'remote', 'set-url', 'origin', REMOTE_URL);
      git(shallow, 'config', `url.${remote.bare}.insteadOf`, REMOTE_URL);
      const heal = (): void => void git(shallow, 'fetch', '--quiet', '--unshallow');
      // A rollback target behind the shallow boundary cannot be read; a promotion still works but cannot list every commit.
      return action === 'rollback'
        ? { work: shallow, fails: { code: 'unknownCommit', cause: /not a commit|shallow/i, action: /unshallow/i }, heal }
        : { work: shallow, says: (run) => assertTells(run.plan?.notes.join('\n') ?? '', /shallow/i, /unshallow/i, 'the plan'), heal };
    }
    case 'missing remote':
      git(work, 'remote', 'remove', 'origin');
      return {
        work,
        fails: { code: 'noRemote', cause: /no remote/i, action: /git remote add/i },
        heal: () => {
          git(work, 'remote', 'add', 'origin', REMOTE_URL);
          git(work, 'fetch', '--quiet', 'origin');
        },
      };
    case 'rejected push':
      rejectPushes(remote, 'GH006: Protected branch update failed for refs/heads/gitops/*');
      return {
        work,
        fails: { code: 'pushRejected', cause: /rejected .*GH006/i, action: /branch protection|admin/i },
        heal: () => rmSync(join(remote.bare, 'hooks', 'pre-receive')),
      };
    case 'conflict': {
      // Someone pushed a different prod/app.yaml to the same head branch meanwhile.
      git(work, 'checkout', '--quiet', '-b', 'someone-else');
      writeFiles(work, { 'envs/prod/app.yaml': 'image: web:theirs\n' });
      commitAll(work, 'someone else');
      git(work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${headBranch}`);
      git(work, 'checkout', '--quiet', 'main');
      git(work, 'branch', '--quiet', '-D', 'someone-else');
      return {
        work,
        fails: { code: 'conflict', cause: /conflict/i, action: /delete the branch|try again/i },
        heal: () => git(remote.bare, 'branch', '--quiet', '-D', headBranch),
      };
    }
    case 'expired token':
      server.token = 'rotated';
      return { work, fails: { code: 'unauthorized', cause: /rejected the token|expired/i, action: /sign in again/i }, heal: () => (server.token = HOST_TOKEN) };
    case 'host API 5xx': {
      // Every request answers 503 until the host is healthy again.
      let down = true;
      server.failNext({ status: 503, times: Number.MAX_SAFE_INTEGER, match: () => down, body: { message: 'Service Unavailable' } });
      return { work, fails: { code: 'failed', cause: /503/, action: /try again later/i }, heal: () => (down = false) };
    }
    default:
      throw new Error(`${fault} has no ${action} cell`);
  }
}
