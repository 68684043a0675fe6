// `gitops-env set-image` end to end: generated repositories with real Git, a bare remote, and the
// GitHub test server (OpenAPI-checked) for the pull request. The application repository's build
// runs this after pushing an image; the environment's manifests change through a pull request.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { GitHubTestServer } from './helpers/hostServers/githubServer';
import { commitOn, hostedRepo, pushBranches, remoteBranches, remoteFile, userState, makeUserBusy } from './helpers/hostServers/promotionRepos';
import { execFileSync } from 'node:child_process';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';

const GITHUB_TOKEN = 'ghp_setimagetoken0123456789abcdefghijk';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

let github: GitHubTestServer;
const savedToken = process.env.GITHUB_TOKEN;

before(async () => {
  github = await GitHubTestServer.start({ owner: 'acme', repo: 'gitops', token: GITHUB_TOKEN });
});
after(async () => {
  assert.deepEqual(github.violations, []);
  await github.close();
  removeTempDirs();
});
afterEach(() => {
  if (savedToken === undefined) delete process.env.GITHUB_TOKEN;
  else process.env.GITHUB_TOKEN = savedToken;
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface PlanOutput {
  kind: string;
  to: string;
  alreadyInSync: boolean;
  syncReason: string | null;
  changes: Array<{ path: string; action: string; selected: boolean }>;
  images: Array<{ file: string; name: string; field: string; from: string | null; to: string | null }>;
  warnings: Array<{ code: string; message: string }>;
  branch: string;
  base: string;
  title: string;
  pullRequest: { url: string; number: number } | null;
}

function json(out: string): PlanOutput {
  return JSON.parse(out) as PlanOutput;
}

const KUSTOMIZATION = `# prod overlay
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base  # shared
images:
  - name: ghcr.io/acme/web   # the front end
    newTag: "1.3.0"          # bumped by the build
  - name: ghcr.io/acme/api
    newTag: 2.0.0
`;

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
`;

function deployment(name: string, webTag: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 3 # sized for prod
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/web:${webTag}
      containers:
        - name: web
          image: ghcr.io/acme/web:${webTag}   # the app
        - name: proxy
          image: envoyproxy/envoy:v1.30.0
`;
}

const FOLDER_CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n    protected: true\npromotion:\n  labels: [deploy]\n';

function kustomizeRepo() {
  return hostedRepo({ 'gitops.yaml': FOLDER_CONFIG, 'base/deployment.yaml': BASE, 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'envs/prod/kustomization.yaml': KUSTOMIZATION, 'envs/staging/kustomization.yaml': KUSTOMIZATION.replace('prod', 'staging') });
}

function plainRepo() {
  return hostedRepo({ 'gitops.yaml': FOLDER_CONFIG, 'envs/staging/app.yaml': deployment('web', '1.3.0'), 'envs/prod/app.yaml': deployment('web', '1.3.0'), 'envs/prod/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n' });
}

describe('gitops-env set-image', () => {
  it('--dry-run --json: the kustomize images: entry is set in place, in the promote --json shape, and nothing is pushed or touched', async () => {
    const remote = kustomizeRepo();
    const state = userState(remote.work);
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0', '--dry-run', '--json');
    assert.equal(code, 0, err);
    const plan = json(out);
    assert.equal(plan.to, 'prod');
    assert.deepEqual(plan.changes, [{ path: 'envs/prod/kustomization.yaml', action: 'modify', selected: true, excluded: false }]);
    assert.deepEqual(plan.images.map((i) => [i.file, i.name, i.field, i.from, i.to]), [['envs/prod/kustomization.yaml', 'ghcr.io/acme/web', 'newTag', '1.3.0', '1.4.0']]);
    assert.deepEqual(plan.warnings, []);
    assert.equal(plan.branch, 'gitops/set-image-prod-web-1.4.0');
    assert.equal(plan.base, 'main');
    assert.equal(plan.title, 'Set ghcr.io/acme/web to 1.4.0 in prod');
    assert.equal(plan.pullRequest, null);
    assert.deepEqual([...remoteBranches(remote).keys()], ['main']);
    assert.deepEqual(userState(remote.work), state);
  });

  it('opens the pull request (head and base right) with the entry changed and every other byte identical; a protected environment needs no confirmation', async () => {
    const remote = kustomizeRepo();
    makeUserBusy(remote.work, 'envs/prod/kustomization.yaml');
    const state = userState(remote.work);
    process.env.GITHUB_TOKEN = GITHUB_TOKEN;
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0', '--json', '--provider', 'github', '--api-url', github.url);
    assert.equal(code, 0, err);
    const plan = json(out);
    assert.ok(plan.pullRequest, out);
    const pull = github.pulls.find((p) => p.number === plan.pullRequest?.number);
    assert.equal(pull?.head, 'gitops/set-image-prod-web-1.4.0');
    assert.equal(pull?.base, 'main');
    assert.equal(pull?.title, 'Set ghcr.io/acme/web to 1.4.0 in prod');
    assert.match(pull?.body ?? '', /Sets image `ghcr\.io\/acme\/web:1\.4\.0` in \*\*prod\*\*/);
    assert.deepEqual(pull?.labels, ['deploy']);
    assert.equal(remoteFile(remote, 'gitops/set-image-prod-web-1.4.0', 'envs/prod/kustomization.yaml'), KUSTOMIZATION.replace('newTag: "1.3.0"', 'newTag: "1.4.0"'));
    assert.equal(remoteFile(remote, 'gitops/set-image-prod-web-1.4.0', 'envs/staging/kustomization.yaml'), KUSTOMIZATION.replace('prod', 'staging'));
    assert.equal(remoteFile(remote, 'main', 'envs/prod/kustomization.yaml'), KUSTOMIZATION);
    assert.deepEqual(userState(remote.work), state);
    assert.ok(!`${out}${err}`.includes(GITHUB_TOKEN));
    // A second run (the build retried) finds the same pull request.
    const again = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0', '--json', '--provider', 'github', '--api-url', github.url);
    assert.equal(again.code, 0, again.err);
    assert.equal(json(again.out).pullRequest?.number, plan.pullRequest.number);
    assert.equal(github.pulls.filter((p) => p.head === 'gitops/set-image-prod-web-1.4.0').length, 1);
  });

  it('plain Deployments: every container image: field naming the image changes (init containers too), other images and files stay', async () => {
    const remote = plainRepo();
    delete process.env.GITHUB_TOKEN;
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0', '--provider', 'github');
    assert.equal(code, 0, err);
    assert.match(out, /^Set ghcr\.io\/acme\/web to 1\.4\.0 in prod\n/);
    assert.match(out, /Pushed gitops\/set-image-prod-web-1\.4\.0 to origin\. Open the pull request at https:\/\/git\.example\.test\/acme\/gitops\/compare\/main\.\.\.gitops\/set-image-prod-web-1\.4\.0/);
    const branch = 'gitops/set-image-prod-web-1.4.0';
    assert.equal(remoteFile(remote, branch, 'envs/prod/app.yaml'), deployment('web', '1.4.0'));
    assert.equal(remoteFile(remote, branch, 'envs/staging/app.yaml'), deployment('web', '1.3.0'));
    assert.match(remoteFile(remote, branch, 'envs/prod/app.yaml') ?? '', /envoyproxy\/envoy:v1\.30\.0/);
    assert.equal(remoteFile(remote, branch, 'envs/prod/other.yaml'), remoteFile(remote, 'main', 'envs/prod/other.yaml'));
  });

  it('the commit says what it sets (Set-Image trailer, no promotion trailers); a rerun after the environment moved on stacks one commit on its own earlier one', async () => {
    const remote = plainRepo();
    const branch = 'gitops/set-image-prod-web-1.4.0';
    const first = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0');
    assert.equal(first.code, 0, first.err);
    const message = git(remote.bare, 'log', '-1', '--format=%B', branch);
    assert.match(message, /^Set ghcr\.io\/acme\/web to 1\.4\.0 in prod\n\nSets 2 image reference\(s\) in 1 file\(s\) of prod \(main [0-9a-f]{7}\) to ghcr\.io\/acme\/web:1\.4\.0\.\n\nSet-Image: ghcr\.io\/acme\/web:1\.4\.0\n/);
    assert.doesNotMatch(message, /Promoted-(From|To)/);
    const earlier = remoteBranches(remote).get(branch);
    // Someone changes the environment on main before the build runs again for the same image.
    commitOn(remote, 'main', { 'envs/prod/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: changed\n' }, 'tweak prod');
    git(remote.work, 'fetch', '--quiet', 'origin');
    const second = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0');
    assert.equal(second.code, 0, second.err);
    const head = remoteBranches(remote).get(branch);
    assert.notEqual(head, earlier);
    assert.equal(git(remote.bare, 'rev-parse', `${head}^`).trim(), earlier);
    // Our own commit on top (not main's commit replayed onto the branch): the tree is this run's plan.
    assert.match(git(remote.bare, 'log', '-1', '--format=%B', branch), /^Set ghcr\.io\/acme\/web to 1\.4\.0 in prod\n[\s\S]*Set-Image: ghcr\.io\/acme\/web:1\.4\.0/);
    assert.match(remoteFile(remote, branch, 'envs/prod/other.yaml') ?? '', /a: changed/);
    assert.equal(remoteFile(remote, branch, 'envs/prod/app.yaml'), deployment('web', '1.4.0'));
  });

  it('a digest: the field gets NAME@DIGEST, the branch is named by the short digest', async () => {
    const remote = plainRepo();
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', `ghcr.io/acme/web@${DIGEST}`, '--dry-run', '--json');
    assert.equal(code, 0, err);
    const plan = json(out);
    assert.equal(plan.branch, 'gitops/set-image-prod-web-0123456789ab');
    assert.deepEqual([...new Set(plan.images.map((i) => i.to))], [`ghcr.io/acme/web@${DIGEST}`]);
    assert.equal(plan.images.length, 2);
  });

  it('an older tag warns image-downgrade (JSON and text) and still plans', async () => {
    const remote = kustomizeRepo();
    const jsonRun = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.2.9', '--dry-run', '--json');
    assert.equal(jsonRun.code, 0, jsonRun.err);
    const warnings = json(jsonRun.out).warnings;
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'image-downgrade');
    assert.match(warnings[0].message, /envs\/prod\/kustomization\.yaml:\d+: image ghcr\.io\/acme\/web would go from 1\.3\.0 back to 1\.2\.9/);
    const text = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.2.9', '--dry-run');
    assert.match(text.out, /warning \(image-downgrade\)/);
  });

  it('an image the environment does not use: exit 1, the images it does use listed, nothing pushed', async () => {
    const remote = plainRepo();
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/worker:1.0.0');
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(err, /prod does not use the image ghcr\.io\/acme\/worker; it uses envoyproxy\/envoy, ghcr\.io\/acme\/web/);
    assert.deepEqual([...remoteBranches(remote).keys()], ['main']);
  });

  it('the image already at that tag: exit 0, "nothing to change", nothing pushed', async () => {
    const remote = plainRepo();
    const { code, out } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.3.0');
    assert.equal(code, 0);
    assert.match(out, /Already in sync: prod already uses ghcr\.io\/acme\/web at 1\.3\.0; there is nothing to change/);
    assert.deepEqual([...remoteBranches(remote).keys()], ['main']);
  });

  it('a multi-folder environment: each application folder is edited by its own mechanism in one pull request', async () => {
    const config = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: prod\n    paths: [apps/web/prod, apps/jobs/prod]\n';
    const remote = hostedRepo({
      'gitops.yaml': config,
      'base/deployment.yaml': BASE,
      'apps/web/prod/kustomization.yaml': KUSTOMIZATION.replace('../../base', '../../../base'),
      'apps/jobs/prod/cron.yaml': `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              image: ghcr.io/acme/web:1.3.0 # same image\n`,
      'apps/other/prod/app.yaml': deployment('other', '1.3.0'),
    });
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0');
    assert.equal(code, 0, err);
    const branch = 'gitops/set-image-prod-web-1.4.0';
    assert.match(out, /note: apps\/web\/prod: the kustomize images: entry is set/);
    assert.match(remoteFile(remote, branch, 'apps/web/prod/kustomization.yaml') ?? '', /newTag: "1\.4\.0" {10}# bumped by the build/);
    assert.match(remoteFile(remote, branch, 'apps/jobs/prod/cron.yaml') ?? '', /image: ghcr\.io\/acme\/web:1\.4\.0 # same image/);
    // Outside the environment: untouched.
    assert.equal(remoteFile(remote, branch, 'apps/other/prod/app.yaml'), deployment('other', '1.3.0'));
  });

  it('a branch environment: the commit goes on a head branch whose pull request targets the environment\'s branch', async () => {
    const config = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: staging\n  - name: prod\n    branch: prod\n';
    const remote = hostedRepo({ 'gitops.yaml': config, 'app.yaml': deployment('web', '1.3.0') });
    pushBranches(remote, ['staging', 'prod']);
    process.env.GITHUB_TOKEN = GITHUB_TOKEN;
    const { code, out, err } = await run('set-image', '--repo', remote.work, '--env', 'staging', '--image', 'ghcr.io/acme/web:1.5.0', '--json', '--provider', 'github', '--api-url', github.url);
    assert.equal(code, 0, err);
    const plan = json(out);
    assert.equal(plan.base, 'staging');
    const pull = github.pulls.find((p) => p.number === plan.pullRequest?.number);
    assert.equal(pull?.base, 'staging');
    assert.equal(pull?.head, 'gitops/set-image-staging-web-1.5.0');
    assert.equal(remoteFile(remote, 'gitops/set-image-staging-web-1.5.0', 'app.yaml'), deployment('web', '1.5.0'));
    assert.equal(remoteFile(remote, 'prod', 'app.yaml'), deployment('web', '1.3.0'));
  });

  it('an overlay without an entry for an image its base uses: an images: entry is added to the overlay\'s own kustomization, and the output says which', async () => {
    const overlay = '# prod overlay\nresources:\n  - ../../base # shared\nnamePrefix: prod-\n';
    const remote = hostedRepo({ 'gitops.yaml': FOLDER_CONFIG, 'base/deployment.yaml': BASE, 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'envs/prod/kustomization.yaml': overlay, 'envs/staging/kustomization.yaml': overlay });
    const dry = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0', '--dry-run', '--json');
    assert.equal(dry.code, 0, dry.err);
    const plan = json(dry.out);
    assert.deepEqual(plan.changes.map((c) => [c.path, c.action]), [['envs/prod/kustomization.yaml', 'modify']]);
    assert.deepEqual(plan.images.map((i) => [i.field, i.from, i.to]), [['newTag', null, '1.4.0']]);
    const text = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web:1.4.0');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /note: envs\/prod\/kustomization\.yaml: added an images: entry for ghcr\.io\/acme\/web \(the image comes from base, which this kustomization includes\)/);
    assert.match(text.out, /envs\/prod\/kustomization\.yaml \+3 -0/);
    const after = remoteFile(remote, 'gitops/set-image-prod-web-1.4.0', 'envs/prod/kustomization.yaml');
    assert.equal(after, `${overlay}images:\n  - name: ghcr.io/acme/web\n    newTag: 1.4.0\n`);
    assert.equal(remoteFile(remote, 'gitops/set-image-prod-web-1.4.0', 'base/deployment.yaml'), BASE);
    // kustomize itself reads the added entry: the base's container runs the new tag.
    const checkout = tempDir('gitops-setimage-render-');
    git(remote.bare, 'worktree', 'add', '--quiet', '--detach', checkout, 'gitops/set-image-prod-web-1.4.0');
    const rendered = execFileSync('kubectl', ['kustomize', `${checkout}/envs/prod`], { encoding: 'utf8' });
    assert.match(rendered, /image: ghcr\.io\/acme\/web:1\.4\.0/);
    assert.match(rendered, /name: prod-web/);
  });

  it('an image neither the overlay nor its bases use: exit 1, listing the bases\' images too', async () => {
    const remote = hostedRepo({ 'gitops.yaml': FOLDER_CONFIG, 'base/deployment.yaml': BASE, 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'envs/prod/kustomization.yaml': 'resources: [../../base]\n' });
    const { code, err } = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/api:3.0.0', '--dry-run');
    assert.equal(code, 1);
    assert.match(err, /prod does not use the image ghcr\.io\/acme\/api; it uses ghcr\.io\/acme\/web/);
  });

  it('usage errors exit 2: no --image, an image without tag, an unknown environment', async () => {
    const remote = plainRepo();
    const missing = await run('set-image', '--repo', remote.work, '--env', 'prod');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /set-image needs --env NAME and --image/);
    const untagged = await run('set-image', '--repo', remote.work, '--env', 'prod', '--image', 'ghcr.io/acme/web');
    assert.equal(untagged.code, 2);
    assert.match(untagged.err, /neither a tag nor a digest/);
    const unknown = await run('set-image', '--repo', remote.work, '--env', 'prdo', '--image', 'ghcr.io/acme/web:1');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /prdo/);
  });
});
