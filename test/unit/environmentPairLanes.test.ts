// `promote --from X` / `--to Y` with the other side left out, on the environments of a repository
// with an unqualified lane beside a regional one (envs/{dev,staging,staging-us,prod,prod-us}, also as
// branches env/staging + staging-us): a promotion never steps sideways into the same tier of
// another lane.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareByLadder } from '../../src/core/environmentLadder';
import type { Environment } from '../../src/core/model';
import { resolvePromotionPair } from '../../src/core/promotion/environmentPair';

function environments(specs: ReadonlyArray<Partial<Environment> & { name: string }>): Environment[] {
  return [...specs]
    .sort((a, b) => compareByLadder(a.name, b.name))
    .map((spec, order) => ({ repo: null, branch: null, path: `envs/${spec.name}`, cluster: { context: null, namespace: null }, protected: false, source: 'folders', ...spec, order }));
}

const pair = (envs: readonly Environment[], from: string | undefined, to: string | undefined): string => {
  const { source, target } = resolvePromotionPair(envs, from, to);
  return `${source.name} → ${target.name}`;
};

describe('resolvePromotionPair: lanes', () => {
  const folders = environments(['dev', 'staging', 'staging-us', 'prod', 'prod-us'].map((name) => ({ name })));

  it('--from staging goes to prod, not staging-us; each lane climbs its own tiers', () => {
    assert.equal(pair(folders, 'staging', undefined), 'staging → prod');
    assert.equal(pair(folders, 'staging-us', undefined), 'staging-us → prod-us');
    assert.equal(pair(folders, 'dev', undefined), 'dev → staging');
    assert.throws(() => resolvePromotionPair(folders, 'prod-us', undefined), /last environment/);
  });

  it('--to picks the previous tier of the same lane', () => {
    assert.equal(pair(folders, undefined, 'prod'), 'staging → prod');
    assert.equal(pair(folders, undefined, 'prod-us'), 'staging-us → prod-us');
    assert.equal(pair(folders, undefined, 'staging'), 'dev → staging');
  });

  it('the same with branch per environment (env/staging beside staging-us), declared in any order within a tier', () => {
    const specs = [
      { name: 'staging-us', branch: 'staging-us', path: '' },
      { name: 'env/staging', branch: 'env/staging', path: '' },
      { name: 'env/dev', branch: 'env/dev', path: '' },
      { name: 'prod-us', branch: 'prod-us', path: '' },
      { name: 'env/prod', branch: 'env/prod', path: '' },
    ];
    // gitops.yaml order, the regional lane listed first within each tier.
    const declaredOrder = ['env/dev', 'staging-us', 'env/staging', 'prod-us', 'env/prod'];
    const declared: Environment[] = specs.map((spec) => ({ repo: null, cluster: { context: null, namespace: null }, protected: false, source: 'config', ...spec, order: declaredOrder.indexOf(spec.name) }));
    for (const envs of [environments(specs), declared]) {
      assert.equal(pair(envs, 'env/staging', undefined), 'env/staging → env/prod');
      assert.equal(pair(envs, 'staging-us', undefined), 'staging-us → prod-us');
      assert.equal(pair(envs, 'env/dev', undefined), 'env/dev → env/staging');
    }
  });
});
