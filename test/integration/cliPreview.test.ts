// `gitops-env preview --base --head` on generated repositories, against the sandbox: one change to
// a shared kustomize base touches two environments and not the third; fields before → after; what
// applying head would change live (drift it overwrites included); Secrets never shown; markdown
// for a PR comment under 60,000 characters even for a 500-object change; unreachable and no cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { MARKDOWN_LIMIT } from '../../src/core/preview/previewReport';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

let sandbox: SandboxHandle;
let kubeconfig: string;

interface PreviewJson {
  environments: Array<{
    name: string;
    objects: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string; change: string; fields: Array<{ path: string; before: unknown; after: unknown }> }>;
    cluster: { status: string; objects: Array<{ kind: string; name: string; change: string; fields: Array<{ path: string; before: unknown; after: unknown; drift?: boolean }>; error?: string }>; message?: string };
  }>;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const OLD_PASSWORD = 'hunter2-old-value';
const NEW_PASSWORD = 'correct-horse-battery-staple';

function base(mode: string, password: string): Record<string, string> {
  return {
    'base/kustomization.yaml': 'resources:\n  - settings.yaml\n  - creds.yaml\n  - web.yaml\n',
    'base/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: ${mode}\n`,
    'base/creds.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: ${password}\n`,
    'base/web.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 2',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27',
      '',
    ].join('\n'),
  };
}

function overlay(env: string): Record<string, string> {
  return {
    [`envs/${env}/kustomization.yaml`]: `namespace: preview-${env}\nresources:\n  - ns.yaml\n  - ../../base\n`,
    [`envs/${env}/ns.yaml`]: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: preview-${env}\n`,
  };
}

const GITOPS_YAML = `apiVersion: gitops-environments/v1
environments:
  - name: dev
    path: envs/dev
    cluster: { context: sandbox, namespace: preview-dev }
  - name: staging
    path: envs/staging
    cluster: { context: sandbox, namespace: preview-staging }
  - name: prod
    path: envs/prod
    cluster: { context: sandbox, namespace: preview-prod }
`;

/** dev and staging overlay the shared base; prod has its own plain files. Returns [repo, base sha, head sha]. */
function shopRepo(): [string, string, string] {
  const root = initRepo();
  writeFiles(root, {
    'gitops.yaml': GITOPS_YAML,
    ...base('fast', OLD_PASSWORD),
    ...overlay('dev'),
    ...overlay('staging'),
    'envs/prod/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: preview-prod\ndata:\n  mode: safe\n',
  });
  const baseSha = commitAll(root, 'shop');
  git(root, 'switch', '--quiet', '-c', 'change');
  writeFiles(root, { ...base('slow', NEW_PASSWORD), 'base/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: "1"\n' });
  writeFiles(root, { 'base/kustomization.yaml': 'resources:\n  - settings.yaml\n  - creds.yaml\n  - web.yaml\n  - extra.yaml\n' });
  const headSha = commitAll(root, 'slow mode, new password, extra ConfigMap');
  git(root, 'switch', '--quiet', 'main');
  return [root, baseSha, headSha];
}

before(async () => {
  kubeconfig = join(tempDir('gitops-preview-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig });
});

after(async () => {
  await sandbox?.stop();
  removeTempDirs();
});

test('one change to a shared base: the two environments it touches, field by field; the untouched one absent; Secret values never shown', async () => {
  const [root, baseSha, headSha] = shopRepo();
  const result = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--format', 'json', '--kubeconfig', join(tempDir('gitops-preview-none-'), 'absent'));
  assert.equal(result.code, 0, result.err);
  const report = JSON.parse(result.out) as PreviewJson;
  assert.deepEqual(report.environments.map((e) => e.name), ['dev', 'staging']);
  const dev = report.environments[0];
  assert.deepEqual(dev.objects.map((o) => `${o.change} ${o.kind} ${o.namespace}/${o.name}`), ['added ConfigMap preview-dev/extra', 'modified ConfigMap preview-dev/settings', 'modified Secret preview-dev/creds']);
  assert.deepEqual(dev.objects[1].fields, [{ path: 'data.mode', before: 'fast', after: 'slow' }]);
  const secretField = dev.objects[2].fields[0];
  assert.equal(secretField.path, 'stringData.password');
  assert.ok((secretField.before as { masked: boolean }).masked && (secretField.after as { masked: boolean }).masked);
  assert.notDeepEqual(secretField.before, secretField.after, 'a changed secret shows two different hashes');
  assert.equal(dev.cluster.status, 'none');
  const markdown = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--kubeconfig', join(tempDir('gitops-preview-none-'), 'absent'));
  assert.equal(markdown.code, 0, markdown.err);
  assert.equal((markdown.out.match(/<details>/g) ?? []).length, 2);
  assert.match(markdown.out, /<summary><b>dev<\/b>: 1 added, 2 modified, 0 removed/);
  assert.match(markdown.out, /\| modified \| ConfigMap preview-dev\/settings \| `data\.mode` \| `fast` \| `slow` \|/);
  for (const text of [result.out, result.err, markdown.out, markdown.err]) {
    assert.ok(!text.includes(OLD_PASSWORD) && !text.includes(NEW_PASSWORD), 'no Secret value in any output');
  }
});

test('with the cluster: what applying head changes live, the live drift it overwrites, and objects the server refuses (exit 1)', async () => {
  const [root, baseSha, headSha] = shopRepo();
  // dev is live at base; then someone scales it by hand.
  const synced = await cli('sync', '--repo', root, '--env', 'dev', '--kubeconfig', kubeconfig);
  assert.equal(synced.code, 0, synced.out + synced.err);
  sandbox.store.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'preview-dev', name: 'web' }, { spec: { replicas: 5 } }, 'kubectl-scale');
  await new Promise((resolve) => setTimeout(resolve, 500)); // the workload controller settles the new replica count
  const version = sandbox.store.resourceVersion;
  const result = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--format', 'json', '--kubeconfig', kubeconfig);
  assert.equal(result.code, 0, result.err);
  assert.equal(sandbox.store.resourceVersion, version, 'a preview writes nothing');
  const report = JSON.parse(result.out) as PreviewJson;
  const dev = report.environments.find((e) => e.name === 'dev');
  assert.equal(dev?.cluster.status, 'checked');
  const live = new Map(dev?.cluster.objects.map((o) => [`${o.change} ${o.kind} ${o.name}`, o]));
  assert.ok(live.has('added ConfigMap extra'), [...live.keys()].join(', '));
  const settings = live.get('modified ConfigMap settings');
  assert.deepEqual(settings?.fields.map((f) => [f.path, f.before, f.after, f.drift ?? false]), [['data.mode', 'fast', 'slow', false]]);
  const web = live.get('modified Deployment web');
  assert.deepEqual(web?.fields.map((f) => [f.path, f.before, f.after, f.drift]), [['spec.replicas', 5, 2, true]]);
  const staging = report.environments.find((e) => e.name === 'staging');
  assert.equal(staging?.cluster.status, 'checked');
  assert.ok(staging?.cluster.objects.every((o) => o.change === 'added'), 'staging is not live yet: everything would be created');
  assert.ok(!result.out.includes(OLD_PASSWORD) && !result.out.includes(NEW_PASSWORD));

  const markdown = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--kubeconfig', kubeconfig);
  assert.match(markdown.out, /`spec\.replicas` \(overwrites live drift\) \| `5` \| `2` \|/);
  assert.ok(!markdown.out.includes(OLD_PASSWORD) && !markdown.out.includes(NEW_PASSWORD));

  // A change the server refuses (a selector its pod template's labels do not match): exit 1, said per object.
  git(root, 'switch', '--quiet', 'change');
  writeFiles(root, { 'base/web.yaml': readFileSync(join(root, 'base/web.yaml'), 'utf8').replace('matchLabels: {app: web}', 'matchLabels: {app: webz}') });
  const refusedHead = commitAll(root, 'typo');
  git(root, 'switch', '--quiet', 'main');
  const refused = await cli('preview', '--repo', root, '--base', baseSha, '--head', refusedHead, '--format', 'json', '--kubeconfig', kubeconfig);
  assert.equal(refused.code, 1, refused.err);
  const refusedDev = (JSON.parse(refused.out) as PreviewJson).environments.find((e) => e.name === 'dev');
  const web2 = refusedDev?.cluster.objects.find((o) => o.kind === 'Deployment');
  assert.equal(web2?.change, 'refused');
  assert.match(web2?.error ?? '', /selector. does not match template .labels/);
  assert.match(refused.err, /dev: the server refuses Deployment preview-dev\/web/);
});

test('an unreachable cluster is said per environment, and the preview is still made (exit 0)', async () => {
  const [root, baseSha, headSha] = shopRepo();
  const dead = join(tempDir('gitops-preview-dead-'), 'kubeconfig');
  writeFileSync(dead, readFileSync(kubeconfig, 'utf8').replace(/https:\/\/127\.0\.0\.1:\d+/, 'https://127.0.0.1:9'));
  const result = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--format', 'json', '--kubeconfig', dead);
  assert.equal(result.code, 0, result.err);
  const report = JSON.parse(result.out) as PreviewJson;
  assert.deepEqual(report.environments.map((e) => e.cluster.status), ['unreachable', 'unreachable']);
  assert.match(report.environments[0].cluster.message ?? '', /ECONNREFUSED/);
});

test('a 500-object change stays under the markdown limit, every section closed, with a note that it was cut', async () => {
  const root = initRepo();
  const many = (value: string): Record<string, string> =>
    Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`envs/big/cm-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n  namespace: big\ndata:\n  value: ${value}-${'x'.repeat(60)}\n  other: ${value}\n`]),
    );
  writeFiles(root, { 'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: big\n    path: envs/big\n', ...many('before') });
  const baseSha = commitAll(root, 'big');
  writeFiles(root, many('after'));
  const headSha = commitAll(root, 'change all');
  const started = Date.now();
  const result = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha);
  assert.equal(result.code, 0, result.err);
  assert.ok(result.out.length <= MARKDOWN_LIMIT, `${result.out.length} characters`);
  assert.ok(result.out.length > MARKDOWN_LIMIT * 0.9, 'the budget is used, not thrown away');
  assert.equal((result.out.match(/<details>/g) ?? []).length, (result.out.match(/<\/details>/g) ?? []).length);
  assert.match(result.out, /cut at 60,000 characters: \d+ more line\(s\) left out/);
  assert.match(result.out, /<b>big<\/b>: 0 added, 500 modified, 0 removed/);
  const json = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--format', 'json');
  assert.equal((JSON.parse(json.out) as PreviewJson).environments[0].objects.length, 500);
  assert.ok(Date.now() - started < 20_000);
});

test('usage errors exit 2; a change that touches no environment gives an empty list', async () => {
  assert.equal((await cli('preview', '--base', 'main')).code, 2);
  assert.equal((await cli('preview', '--base', 'a', '--head', 'b', '--format', 'html')).code, 2);
  const [root, baseSha] = shopRepo();
  assert.equal((await cli('preview', '--repo', root, '--base', baseSha, '--head', 'no-such-ref')).code, 2);
  writeFiles(root, { 'README.md': 'docs only\n' });
  const docs = commitAll(root, 'docs');
  const result = await cli('preview', '--repo', root, '--base', baseSha, '--head', docs, '--format', 'json');
  assert.equal(result.code, 0, result.err);
  assert.deepEqual((JSON.parse(result.out) as PreviewJson).environments, []);
});

test('environments whose sources the change does not touch are not even rendered: a broken one elsewhere does not fail the preview', async () => {
  const root = initRepo();
  writeFiles(root, {
    'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    path: envs/a\n  - name: broken\n    path: envs/broken\n',
    'envs/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: a\ndata:\n  k: "1"\n',
    'envs/broken/kustomization.yaml': 'resources:\n  - missing.yaml\n',
  });
  const baseSha = commitAll(root, 'two environments, one broken');
  writeFiles(root, { 'envs/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: a\ndata:\n  k: "2"\n' });
  const headSha = commitAll(root, 'change a');
  const result = await cli('preview', '--repo', root, '--base', baseSha, '--head', headSha, '--format', 'json');
  assert.equal(result.code, 0, result.err);
  assert.deepEqual((JSON.parse(result.out) as PreviewJson).environments.map((e) => e.name), ['a']);
  // Touch the broken one: now it is rendered, and its failure is the preview's (exit 1).
  writeFiles(root, { 'envs/broken/kustomization.yaml': 'resources:\n  - missing.yaml\n  - also-missing.yaml\n' });
  const touched = commitAll(root, 'touch broken');
  const failing = await cli('preview', '--repo', root, '--base', headSha, '--head', touched, '--format', 'json');
  assert.equal(failing.code, 1, failing.err);
  assert.match(failing.err, /broken: head: .*missing\.yaml/);
});

test('branch per environment: a change into the prod branch previews prod only, though the same folders of staging changed too', async () => {
  const root = initRepo();
  const cm = (env: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${env}\ndata:\n  v: "${value}"\n`;
  writeFiles(root, {
    'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: staging\n    path: envs/staging\n  - name: prod\n    branch: prod\n    path: envs/prod\n',
    'envs/staging/cm.yaml': cm('staging', '1'),
    'envs/prod/cm.yaml': cm('prod', '1'),
  });
  commitAll(root, 'layout');
  git(root, 'branch', 'staging');
  git(root, 'branch', 'prod');
  const baseSha = git(root, 'rev-parse', 'prod').trim();
  git(root, 'switch', '--quiet', '-c', 'promote', 'prod');
  writeFiles(root, { 'envs/staging/cm.yaml': cm('staging', '2'), 'envs/prod/cm.yaml': cm('prod', '2') });
  const headSha = commitAll(root, 'both folders');
  git(root, 'switch', '--quiet', 'main');
  const result = await cli('preview', '--repo', root, '--base', 'prod', '--head', headSha, '--format', 'json');
  assert.equal(result.code, 0, result.err);
  const report = JSON.parse(result.out) as PreviewJson;
  assert.deepEqual(report.environments.map((e) => e.name), ['prod']);
  assert.deepEqual(report.environments[0].objects[0].fields, [{ path: 'data.v', before: '1', after: '2' }]);
  assert.equal(baseSha.length, 40);
});
