// `gitops-env envs` on real repositories: JSON shape, ordering, located errors and exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';
import { branchTreeFiles, LAYOUT2_ENVIRONMENTS, manyAppsWithApplicationSet, NOT_ENVIRONMENT_BRANCHES } from '../unit/helpers/layoutRepos';
import { requirePresent } from '../support/requirePresent';

after(removeTempDirs);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const deployment = (name: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n`;

test('envs --json lists gitops.yaml environments in order with nulls for absent values', async () => {
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': [
      'apiVersion: gitops-environments/v1',
      'environments:',
      '  - name: dev',
      '    branch: dev',
      '    cluster: { context: kind-dev, namespace: web }',
      '  - name: prod',
      '    path: deploy/prod',
      '    protected: true',
      '',
    ].join('\n'),
    'deploy/prod/app.yaml': deployment('web'),
  });
  commitAll(repo, 'init');
  const { code, out, err } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 0, err);
  assert.deepEqual(JSON.parse(out), {
    environments: [
      { name: 'dev', branch: 'dev', path: null, paths: [], cluster: { context: 'kind-dev', namespace: 'web' }, protected: false, source: 'config', declaredAt: 'gitops.yaml:3' },
      { name: 'prod', branch: null, path: 'deploy/prod', paths: ['deploy/prod'], cluster: { context: null, namespace: null }, protected: true, source: 'config', declaredAt: 'gitops.yaml:6' },
    ],
  });
});

test('envs discovers branch-per-environment repositories along the ladder', async () => {
  const repo = initRepo();
  writeFiles(repo, { 'deploy/app.yaml': deployment('web') });
  commitAll(repo, 'init');
  for (const branch of ['production', 'env/staging', 'develop']) git(repo, 'branch', branch);
  const { code, out } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as { environments: Array<{ name: string; branch: string; source: string }> };
  assert.deepEqual(
    parsed.environments.map((e) => [e.branch, e.source]),
    [
      ['develop', 'branches'],
      ['env/staging', 'branches'],
      ['production', 'branches'],
    ],
  );
});

test('envs --json lists every folder of a many-apps environment in paths, path the first', async () => {
  const repo = initRepo();
  writeFiles(repo, manyAppsWithApplicationSet(['web', 'api'], ['dev', 'prod']));
  commitAll(repo, 'init');
  const { code, out, err } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 0, err);
  const parsed = JSON.parse(out) as { environments: Array<Record<string, unknown>> };
  assert.deepEqual(
    parsed.environments.map((e) => [e.name, e.path, e.paths, e.protected, e.source]),
    [
      ['dev', 'apps/api/overlays/dev', ['apps/api/overlays/dev', 'apps/web/overlays/dev'], false, 'argocd'],
      ['prod', 'apps/api/overlays/prod', ['apps/api/overlays/prod', 'apps/web/overlays/prod'], true, 'argocd'],
    ],
  );
  assert.deepEqual(Object.keys(parsed.environments[0]).slice(0, 7), ['name', 'branch', 'path', 'paths', 'cluster', 'protected', 'source']);
});

test('envs pairs real environment branches with their folders, skips work branches, and reports a branch missing its folder', async () => {
  const repo = initRepo();
  writeFiles(repo, branchTreeFiles());
  commitAll(repo, 'init');
  for (const branch of [...LAYOUT2_ENVIRONMENTS, ...NOT_ENVIRONMENT_BRANCHES.filter((b) => b !== 'main')]) git(repo, 'branch', branch);
  // staging-us lost its folder on its own branch.
  git(repo, 'checkout', '--quiet', 'staging-us');
  git(repo, 'rm', '-r', '--quiet', 'envs/staging-us');
  commitAll(repo, 'drop staging-us folder');
  git(repo, 'checkout', '--quiet', 'main');
  const { code, out, err } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 0, err);
  const parsed = JSON.parse(out) as { environments: Array<{ name: string; branch: string; path: string | null; paths: string[]; source: string }> };
  assert.deepEqual(
    parsed.environments.map((e) => [e.name, e.branch, e.path, e.source]),
    LAYOUT2_ENVIRONMENTS.map((name) => [name, name, name === 'staging-us' ? null : `envs/${name}`, 'branches']),
  );
  assert.match(err, /warning: envs\/staging-us: Branch staging-us has no envs\/staging-us\/ folder/);
  assert.match(err, /add envs\/staging-us\/ to branch staging-us/);
});

test('envs discovers folders in a directory that is not a Git repository', async () => {
  const dir = tempDir();
  writeFiles(dir, {
    'envs/prod-eu/app.yaml': deployment('a'),
    'envs/staging/app.yaml': deployment('a'),
    'envs/dev/app.yaml': deployment('a'),
    'envs/prod-asia/app.yaml': deployment('a'),
  });
  const { code, out } = await run(['envs', '--repo', dir, '--json']);
  assert.equal(code, 0);
  const names = (JSON.parse(out) as { environments: Array<{ name: string; source: string }> }).environments.map((e) => e.name);
  assert.deepEqual(names, ['dev', 'staging', 'prod-asia', 'prod-eu']);
});

test('an environment of this checkout whose folder is missing is a located warning, exit 0; existing folders and branch environments give none', async () => {
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: qa\n    path: envs/qa\n  - name: staging\n    branch: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n',
    'envs/qa/app.yaml': deployment('web'),
  });
  commitAll(repo, 'init');
  const { code, out, err } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 0, err);
  assert.equal((JSON.parse(out) as { environments: unknown[] }).environments.length, 3);
  assert.deepEqual(err.trim().split('\n'), ['warning: gitops.yaml:8:5: prod: folder envs/prod does not exist — create it, or fix its path; a promotion into prod would add it']);
});

test('a broken gitops.yaml exits 2 with file and line', async () => {
  const repo = initRepo();
  writeFiles(repo, { 'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    protected: "yes"\n' });
  commitAll(repo, 'init');
  const { code, err, out } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /gitops\.yaml:4:\d+: /);
});

test('a missing directory and unknown options exit 2 with a message', async () => {
  const missing = await run(['envs', '--repo', join(tempDir(), 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /is not a directory/);
  const unknown = await run(['envs', '--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option --bogus/);
});

test('the built bin prints text output and exits 0', (t) => {
  if (!requirePresent(t, 'the built CLI (npm run build)', join(__dirname, '..', '..', 'dist', 'cli.js'))) return;
  const repo = initRepo();
  writeFiles(repo, { 'overlays/dev/kustomization.yaml': 'resources: []\n', 'overlays/prod/kustomization.yaml': 'resources: []\n' });
  commitAll(repo, 'init');
  const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'gitops-env.js'), 'envs', '--repo', repo], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /1\.\s+dev/);
  assert.match(result.stdout, /2\.\s+prod/);
});
