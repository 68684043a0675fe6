import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentOfBranch } from '../../src/core/branchDiscovery';
import { discoverEnvironments } from '../../src/core/discovery';
import { MemoryRepoView } from './helpers/memoryRepoView';

describe('branch discovery', () => {
  it('finds environment branches, merging local and remote, in ladder order', async () => {
    const branches = [
      'main',
      'develop',
      'origin/develop',
      'origin/staging',
      'upstream/staging',
      'production',
      'origin/production',
      'feature/login',
      'dev-fix-login',
      'origin/env/qa',
      'deploy/prod-eu',
      'deploy/tools',
      'env/demo',
      'release/1.0',
      'hotfix/prod',
    ];
    const result = await discoverEnvironments(new MemoryRepoView({ 'README.md': '# app\n', 'src/index.ts': '' }, branches));
    assert.equal(result.source, 'branches');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.order, e.name, e.branch, e.path, e.protected, e.source]),
      [
        [0, 'develop', 'develop', null, false, 'branches'],
        [1, 'qa', 'env/qa', null, false, 'branches'],
        [2, 'staging', 'staging', null, false, 'branches'],
        [3, 'production', 'production', null, true, 'branches'],
        [4, 'prod-eu', 'deploy/prod-eu', null, true, 'branches'],
        [5, 'demo', 'env/demo', null, false, 'branches'],
      ],
    );
  });

  it('lists a bare branch before its prefixed twin and reports the twin', async () => {
    const result = await discoverEnvironments(new MemoryRepoView({}, ['env/staging', 'staging', 'origin/env/staging', 'dev']));
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch]),
      [
        ['dev', 'dev'],
        ['staging', 'staging'],
      ],
    );
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /"staging" was found twice/);
  });

  it('takes a tier with an unknown word as an environment only when another tier shares that lane', async () => {
    const result = await discoverEnvironments(new MemoryRepoView({}, ['main', 'dev-login', 'staging-acme', 'prod-acme', 'qa-globex']));
    assert.deepEqual(
      result.environments.map((e) => e.branch),
      ['staging-acme', 'prod-acme'],
    );
  });

  it('reports a failing branch listing and goes on to folders', async () => {
    const view = new MemoryRepoView({ 'envs/dev/app.yaml': 'kind: ConfigMap\n', 'envs/prod/app.yaml': 'kind: ConfigMap\n' });
    view.branches = () => Promise.reject(new Error('git exploded'));
    const result = await discoverEnvironments(view);
    assert.equal(result.source, 'folders');
    assert.match(result.problems[0].message, /Cannot list branches: git exploded/);
  });
});

describe('environmentOfBranch', () => {
  const cases: Array<[string, string | null]> = [
    ['dev', 'dev'],
    ['qa2', 'qa2'],
    ['Staging', 'Staging'],
    ['prod-eu', 'prod-eu'],
    ['staging-us', 'staging-us'],
    ['perf-large', 'perf-large'],
    ['load-eu-west-1', 'load-eu-west-1'],
    ['pre-prod-eu', 'pre-prod-eu'],
    ['dev-fix-login', null],
    ['dev-fix', null],
    ['dev-login', null],
    ['prod-canary', 'prod-canary'],
    ['prod-hotfix', null],
    ['staging-to-prod', null],
    ['release-prod', null],
    ['renovate/prod-eu', null],
    ['dependabot/npm/x', null],
    ['feature/prod-eu', null],
    ['tenant-a', null],
    ['master', null],
    ['feature/dev', null],
    ['env/prod-eu', 'prod-eu'],
    ['environments/anything', 'anything'],
    ['environment/a/b', null],
    ['env/has space', null],
    ['stage/prod', 'prod'],
    ['stage/tools', null],
    ['deploy/staging-asia', 'staging-asia'],
    ['main', null],
    ['product', null],
  ];
  for (const [name, env] of cases) {
    it(`reads ${name} as ${env}`, () => assert.equal(environmentOfBranch(name), env));
  }
});
