// One Helm chart deployed once per environment (`charts/shop` with values-dev.yaml,
// values-staging.yaml, values-prod.yaml), found by folder discovery and through one Argo CD
// Application per environment: set-image and rollback of prod touch prod's own values file and
// the files every environment shares, never another environment's values file.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planRollback } from '../../src/git/promotion/planRollback';
import { planSetImage } from '../../src/git/promotion/planSetImage';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { parseRequestedImage, type RequestedImage } from '../../src/core/promotion/setImagePlan';
import { hostedRepo, makeUserBusy, remoteFile, userState, type PromotionRepo } from './helpers/hostServers/promotionRepos';
import { commitAll, git, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';
import { fakeTool } from './helpers/renderSetup';
import { renderAt } from '../../src/cli/environmentRender';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

after(removeTempDirs);

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const TAGS: Record<string, string> = { dev: '2.1.0', staging: '2.0.0', prod: '1.9.0' };

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n';

function values(env: string, tag: string | null): string {
  return `env: ${env}\nimage:\n  repository: ghcr.io/acme/shop\n${tag === null ? '' : `  tag: "${tag}"\n`}`;
}

function application(env: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-${env}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://git.example.test/acme/gitops.git\n    targetRevision: main\n    path: charts/shop\n    helm:\n      valueFiles:\n        - values-${env}.yaml\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: shop-${env}\n`;
}

type Discovery = 'folders' | 'argocd';

/** The chart with one values file per environment; with `argocd`, one Application per environment too. */
function chartRepo(discovery: Discovery, options: { tagInSharedValues?: boolean } = {}): PromotionRepo {
  const files: Record<string, string> = {
    'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
    'charts/shop/templates/deploy.yaml': DEPLOYMENT,
  };
  if (options.tagInSharedValues) files['charts/shop/values.yaml'] = 'image:\n  repository: ghcr.io/acme/shop\n  tag: "1.0.0"\n';
  for (const env of ENVIRONMENTS) {
    files[`charts/shop/values-${env}.yaml`] = options.tagInSharedValues ? `env: ${env}\n` : values(env, TAGS[env]);
    if (discovery === 'argocd') files[`argocd/shop-${env}.yaml`] = application(env);
  }
  return hostedRepo(files);
}

function commitAndPush(repo: PromotionRepo, files: Record<string, string>, message: string): string {
  writeFiles(repo.work, files);
  const sha = commitAll(repo.work, message);
  git(repo.work, 'push', '--quiet', 'origin', 'main');
  return sha;
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface PlanJson {
  alreadyInSync: boolean;
  syncReason: string | null;
  changes: Array<{ path: string; action: string; selected: boolean }>;
  commits: Array<{ subject: string }>;
  images: Array<{ file: string; from: string | null; to: string | null }>;
}

async function withRepo<T>(work: string, fn: (repo: GitRepository, context: Awaited<ReturnType<typeof loadPromotionContext>>) => Promise<T>): Promise<T> {
  const repo = await GitRepository.open(work);
  try {
    return await fn(repo, await loadPromotionContext(repo));
  } finally {
    repo.dispose();
  }
}

function image(reference: string): RequestedImage {
  const parsed = parseRequestedImage(reference);
  assert.ok(typeof parsed !== 'string', String(parsed));
  return parsed;
}

for (const discovery of ['folders', 'argocd'] as const) {
  describe(`one Helm chart, a values file per environment (${discovery} discovery)`, () => {
    // Argo CD discovery names each environment after its Application (shop-prod); values-prod.yaml is still its own.
    const prod = discovery === 'argocd' ? 'shop-prod' : 'prod';
    it('discovers the three environments on the same chart folder', async () => {
      const remote = chartRepo(discovery);
      const { code, out, err } = await run('envs', '--repo', remote.work, '--json');
      assert.equal(code, 0, err);
      const envs = (JSON.parse(out) as { environments: Array<{ name: string; path: string | null }> }).environments;
      assert.deepEqual(envs.map((e) => e.path), ['charts/shop', 'charts/shop', 'charts/shop'], out);
    });

    it('set-image --env prod sets the tag in values-prod.yaml only', async () => {
      const remote = chartRepo(discovery);
      const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', prod, '--image', 'ghcr.io/acme/shop:3.0.0', '--dry-run', '--json');
      assert.equal(code, 0, err);
      const plan = JSON.parse(out) as PlanJson;
      assert.deepEqual(plan.changes.map((c) => c.path), ['charts/shop/values-prod.yaml']);
      assert.deepEqual(plan.images.map((i) => [i.file, i.from, i.to]), [['charts/shop/values-prod.yaml', '1.9.0', '3.0.0']]);
    });

    it('set-image refuses, naming the file, when the tag is only in the values.yaml every environment reads', async () => {
      const remote = chartRepo(discovery, { tagInSharedValues: true });
      const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', prod, '--image', 'ghcr.io/acme/shop:3.0.0', '--dry-run', '--json');
      assert.notEqual(code, 0, out);
      assert.match(err, /charts\/shop\/values\.yaml:\d+: ghcr\.io\/acme\/shop is set in charts\/shop\/values\.yaml, which every environment of charts\/shop reads/);
      assert.match(err, /charts\/shop\/values-prod\.yaml/);
    });

    it('set-image executed: only values-prod.yaml changes on the pushed branch; the user\'s tree, index and branch are untouched', async () => {
      const remote = chartRepo(discovery);
      makeUserBusy(remote.work, 'charts/shop/values-dev.yaml');
      const before = userState(remote.work);
      const result = await withRepo(remote.work, async (repo, context) => {
        const plan = await planSetImage(repo, { environments: context.environments, environment: prod, image: image('ghcr.io/acme/shop:3.0.0') });
        return executePlan(repo, plan, {});
      });
      assert.deepEqual(userState(remote.work), before);
      const head = result.headBranch;
      assert.equal(remoteFile(remote, head, 'charts/shop/values-prod.yaml'), values('prod', '3.0.0'));
      for (const env of ['dev', 'staging']) assert.equal(remoteFile(remote, head, `charts/shop/values-${env}.yaml`), values(env, TAGS[env]));
    });

    it('rollback of prod: a commit that touched only values-staging.yaml is nothing to roll back', async () => {
      const remote = chartRepo(discovery);
      commitAndPush(remote, { 'charts/shop/values-staging.yaml': `${values('staging', TAGS.staging)}flag: true\n` }, 'staging: flag');
      const { code, out, err } = await run('rollback', '--repo', remote.work, '--env', prod, '--to', 'HEAD~1', '--dry-run', '--json');
      assert.equal(code, 0, err);
      const plan = JSON.parse(out) as PlanJson;
      assert.deepEqual(plan.changes, []);
      assert.deepEqual(plan.commits, []);
      assert.equal(plan.alreadyInSync, true);
      assert.match(plan.syncReason ?? '', new RegExp(`^${prod} is already at its state of [0-9a-f]{7}: the commits since then changed only other environments' files \\(charts/shop/values-staging\\.yaml\\)`));
    });

    it('rollback of prod restores a shared template change and prod\'s values, leaves staging\'s values file, lists only the commits it undoes', async () => {
      const remote = chartRepo(discovery);
      const good = git(remote.work, 'rev-parse', 'HEAD').trim();
      commitAndPush(remote, { 'charts/shop/templates/deploy.yaml': `${DEPLOYMENT}# broken\n` }, 'template: broken');
      commitAndPush(remote, { 'charts/shop/values-staging.yaml': values('staging', '2.2.0') }, 'staging: 2.2.0');
      commitAndPush(remote, { 'charts/shop/values-prod.yaml': values('prod', '2.0.0') }, 'prod: 2.0.0');
      makeUserBusy(remote.work, 'charts/shop/Chart.yaml');
      const before = userState(remote.work);

      const { code, out, err } = await run('rollback', '--repo', remote.work, '--env', prod, '--to', good, '--dry-run', '--json');
      assert.equal(code, 0, err);
      const dry = JSON.parse(out) as PlanJson;
      assert.deepEqual(dry.changes.map((c) => [c.path, c.action]), [
        ['charts/shop/templates/deploy.yaml', 'modify'],
        ['charts/shop/values-prod.yaml', 'modify'],
      ]);
      assert.deepEqual(dry.commits.map((c) => c.subject), ['prod: 2.0.0', 'template: broken']);

      const result = await withRepo(remote.work, async (repo, context) => executePlan(repo, await planRollback(repo, { environments: context.environments, environment: prod, to: good }), {}));
      assert.deepEqual(userState(remote.work), before);
      const head = result.headBranch;
      assert.equal(remoteFile(remote, head, 'charts/shop/templates/deploy.yaml'), DEPLOYMENT);
      assert.equal(remoteFile(remote, head, 'charts/shop/values-prod.yaml'), values('prod', TAGS.prod));
      assert.equal(remoteFile(remote, head, 'charts/shop/values-staging.yaml'), values('staging', '2.2.0'), 'staging keeps its values');
    });
  });
}

describe('promote between environments of one chart folder (a values file each)', () => {
  for (const discovery of ['folders', 'argocd'] as const) {
    it(`staging's own values file flows into prod's, value by value; prod's identity and the others' files stay (${discovery})`, async () => {
      const remote = chartRepo(discovery);
      const [from, to] = discovery === 'argocd' ? ['shop-staging', 'shop-prod'] : ['staging', 'prod'];
      commitAndPush(remote, { 'charts/shop/values-staging.yaml': `${values('staging', TAGS.staging)}flag: true\n` }, 'staging: flag');
      const before = userState(remote.work);
      const dry = await run('promote', '--repo', remote.work, '--from', from, '--to', to, '--dry-run', '--json');
      assert.equal(dry.code, 0, dry.err);
      const plan = JSON.parse(dry.out) as PlanJson & { layout: string; values: Array<{ file: string; path: string; class: string; selected: boolean }> };
      assert.equal(plan.layout, 'folder');
      assert.deepEqual(plan.changes.map((c) => [c.path, c.selected]), [['charts/shop/values-prod.yaml', true]]);
      assert.deepEqual(plan.commits.map((c) => c.subject), ['staging: flag']);
      assert.deepEqual(
        plan.values.map((v) => [v.path, v.class, v.selected]),
        [
          ['env', 'identity', false],
          ['image.tag', 'flows', true],
          ['flag', 'flows', true],
        ],
      );
      const real = await run('promote', '--repo', remote.work, '--from', from, '--to', to);
      assert.equal(real.code, 0, real.err);
      const branch = (/gitops\/promote-\S+/.exec(git(remote.bare, 'branch', '--list', 'gitops/*')) ?? [''])[0];
      assert.equal(remoteFile(remote, branch, 'charts/shop/values-prod.yaml'), `${values('prod', TAGS.staging)}flag: true\n`);
      for (const env of ['dev', 'staging']) assert.equal(remoteFile(remote, branch, `charts/shop/values-${env}.yaml`), remoteFile(remote, 'main', `charts/shop/values-${env}.yaml`));
      assert.deepEqual(userState(remote.work), before);
    });
  }

  it('two environments that only share a folder (no file of their own) are still refused', async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: deploy\n  - name: prod\n    path: deploy\n',
      'deploy/app.yaml': 'image: web:1\n',
    });
    const { code, err } = await run('promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod', '--dry-run');
    assert.equal(code, 2);
    assert.match(err, /staging and prod read the same files/);
  });
});

describe('rendering an environment of a shared chart folder', () => {
  it('helm is given the environment’s own values file after the chart’s, for every environment (drift, preview and promotion render alike)', async () => {
    const remote = chartRepo('folders');
    const argsDir = tempDir('gitops-helm-args-');
    // A helm that records its arguments and renders one Deployment named after the release.
    const helm = fakeTool('helm', [`printf '%s\\n' "$@" > '${argsDir}/'"$(basename "$(dirname "$0")")"'.args'`, 'echo "apiVersion: apps/v1"', 'echo "kind: Deployment"', 'echo "metadata: {name: $2}"'].join('\n'));
    const saved = process.env.PATH;
    process.env.PATH = `${dirname(helm)}:${saved}`;
    try {
      const repo = await GitRepository.open(remote.work);
      const context = await loadPromotionContext(repo);
      for (const environment of context.environments) {
        assert.deepEqual(environment.valuesFiles, [`charts/shop/values-${environment.name}.yaml`]);
        const result = await renderAt({ envRepo: repo, environment }, null);
        assert.deepEqual(result.problems, [], environment.name);
        const args = readFileSync(join(argsDir, `${basename(dirname(helm))}.args`), 'utf8').trim().split('\n');
        assert.equal(args[args.length - 1].endsWith(`charts/shop/values-${environment.name}.yaml`), true, args.join(' '));
        assert.equal(args[args.length - 2], '-f');
        assert.ok(result.files.includes(`charts/shop/values-${environment.name}.yaml`));
      }
      repo.dispose();
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('the rollback commit of a shared chart folder', () => {
  it("says it restores the environment's files in the folder, not the folder", async () => {
    const { planCommitMessage } = await import('../../src/git/promotion/applyPlan');
    const remote = chartRepo('folders');
    const start = git(remote.work, 'rev-parse', 'HEAD').trim();
    commitAndPush(remote, { 'charts/shop/values-prod.yaml': values('prod', '9.9.9') }, 'prod: 9.9.9');
    await withRepo(remote.work, async (repo, context) => {
      const plan = await planRollback(repo, { environments: context.environments, environment: 'prod', to: start });
      assert.match(planCommitMessage(plan), new RegExp(`^Restores prod's files in charts/shop to their state at ${start}$`, 'm'));
    });
  });
});
