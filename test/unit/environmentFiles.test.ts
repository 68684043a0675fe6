// Which files of a folder several environments share (one Helm chart, a values file per
// environment) are whose: by the usual naming conventions, on literal examples and generated names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzzSettings';
import { environmentFileRole, environmentsSharingFolder, withOwnValuesFiles } from '../../src/core/promotion/environmentFiles';
import type { Environment } from '../../src/core/model';

const FOLDER = 'charts/shop';

function role(environment: string, others: string[], relative: string): string {
  const r = environmentFileRole(environment, others, FOLDER, `${FOLDER}/${relative}`);
  return r.role === 'other' ? `other:${r.environment}` : r.role;
}

/** Every convention the module knows, for one environment name. */
const CONVENTIONS: Array<(env: string) => string> = [
  (e) => `values-${e}.yaml`,
  (e) => `values-${e}.yml`,
  (e) => `values_${e}.yaml`,
  (e) => `values.${e}.yaml`,
  (e) => `${e}-values.yaml`,
  (e) => `${e}.values.yaml`,
  (e) => `values/${e}.yaml`,
  (e) => `envs/${e}/values.yaml`,
  (e) => `envs/${e}/config/extra.yaml`,
  (e) => `environments/${e}/secrets.yaml`,
  (e) => `${e}/values.yaml`,
];

const SHARED = ['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json', 'README.md', '.helmignore', 'templates/deployment.yaml', 'templates/prod-configmap.yaml', 'templates/_helpers.tpl', 'charts/redis/values.yaml', 'charts/redis/values-prod.yaml', 'crds/crd.yaml', 'values-common.yaml', 'values/common.yaml', 'files/config.json'];

describe('environmentFileRole', () => {
  const envs = ['dev', 'staging', 'prod'];
  const others = (env: string): string[] => envs.filter((e) => e !== env);

  it('each convention names its environment: own to it, another\'s to the others', () => {
    for (const convention of CONVENTIONS) {
      for (const owner of envs) {
        const file = convention(owner);
        for (const env of envs) assert.equal(role(env, others(env), file), env === owner ? 'own' : `other:${owner}`, `${file} seen from ${env}`);
      }
    }
  });

  it('the chart, its templates, values.yaml and unnamed values files are shared', () => {
    for (const file of SHARED) for (const env of envs) assert.equal(role(env, others(env), file), 'shared', `${file} seen from ${env}`);
  });

  it('prod-eu\'s file is not prod\'s and prod\'s is not prod-eu\'s', () => {
    const names = ['prod', 'prod-eu', 'prod-us'];
    assert.equal(role('prod', ['prod-eu', 'prod-us'], 'values-prod-eu.yaml'), 'other:prod-eu');
    assert.equal(role('prod-eu', ['prod', 'prod-us'], 'values-prod.yaml'), 'other:prod');
    assert.equal(role('prod-eu', ['prod', 'prod-us'], 'envs/prod-eu/values.yaml'), 'own');
    assert.equal(role('prod', names.slice(1), 'envs/prod/values-prod-eu.yaml'), 'other:prod-eu', 'the file name is more specific than its folder');
  });

  it('a file named for an environment outside the folder\'s set is never shared', () => {
    assert.equal(role('prod', ['dev', 'staging'], 'values-perf.yaml'), 'other:perf');
    assert.equal(role('prod', ['dev', 'staging'], 'values-qa.yaml'), 'other:qa');
  });

  it('the ladder\'s synonyms and a suffix after the name: production is prod\'s, values-prod-secrets.yaml too', () => {
    assert.equal(role('prod', ['dev', 'staging'], 'values-production.yaml'), 'own');
    assert.equal(role('staging', ['dev', 'prod'], 'values-stg.yaml'), 'own');
    assert.equal(role('prod', ['dev', 'staging'], 'values-preprod.yaml'), 'other:staging', 'preprod is on the staging rung');
    assert.equal(role('prod', ['dev', 'staging'], 'values-prod-secrets.yaml'), 'own');
    assert.equal(role('qa', ['qa2'], 'values-qa3.yaml'), 'other:qa3', 'qa3 is neither qa nor qa2');
  });

  it('environments named after the application (Argo CD Applications shop-dev, shop-prod) own values-dev.yaml, values-prod.yaml', () => {
    assert.equal(role('shop-prod', ['shop-dev', 'shop-staging'], 'values-prod.yaml'), 'own');
    assert.equal(role('shop-prod', ['shop-dev', 'shop-staging'], 'values-staging.yaml'), 'other:shop-staging');
    assert.equal(role('shop-prod', ['shop-dev', 'shop-staging'], 'values.yaml'), 'shared');
  });

  it('with no other environment in the folder every file is the environment\'s own', () => {
    assert.equal(role('prod', [], 'values-staging.yaml'), 'own');
  });
});

describe('environmentFileRole over generated names', () => {
  const NAMES = ['dev', 'dev2', 'qa', 'qa2', 'test', 'int', 'staging', 'staging-eu', 'staging-us', 'preprod', 'uat', 'prod', 'prod-eu', 'prod-us', 'prod2', 'production', 'demo', 'sandbox', 'perf'];
  const names = fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 2, maxLength: 8 });
  const file = (set: readonly string[]) =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...CONVENTIONS), fc.constantFrom(...set, ...NAMES)).map(([convention, env]) => convention(env)),
      fc.constantFrom(...SHARED),
    );

  it('a file is never own to two environments of the set', () => {
    fc.assert(
      fc.property(names.chain((set) => fc.tuple(fc.constant(set), file(set))), ([set, path]) => {
        const owners = set.filter((env) => role(env, set.filter((e) => e !== env), path) === 'own');
        assert.ok(owners.length <= 1, `${path} is own to ${owners.join(', ')}`);
        // Every other environment sees the same owner.
        for (const env of set) {
          const r = role(env, set.filter((e) => e !== env), path);
          if (owners.length === 1 && env !== owners[0]) assert.equal(r, `other:${owners[0]}`, `${path} seen from ${env}`);
        }
      }),
      fuzzRuns(500, 4101),
    );
  });

  it('a file named by a convention after an environment of the set is that environment\'s', () => {
    fc.assert(
      fc.property(names.chain((set) => fc.tuple(fc.constant(set), fc.constantFrom(...set), fc.constantFrom(...CONVENTIONS))), ([set, owner, convention]) => {
        const path = convention(owner);
        for (const env of set) assert.equal(role(env, set.filter((e) => e !== env), path), env === owner ? 'own' : `other:${owner}`, `${path} seen from ${env} in ${set.join(', ')}`);
      }),
      fuzzRuns(500, 4102),
    );
  });

  it('prod\'s file is never prod-eu\'s and prod-eu\'s never prod\'s', () => {
    fc.assert(
      fc.property(names.map((set) => [...new Set(['prod', 'prod-eu', ...set])]), fc.constantFrom(...CONVENTIONS), (set, convention) => {
        const others = (env: string): string[] => set.filter((e) => e !== env);
        assert.notEqual(role('prod-eu', others('prod-eu'), convention('prod')), 'own');
        assert.notEqual(role('prod', others('prod'), convention('prod-eu')), 'own');
      }),
      fuzzRuns(300, 4103),
    );
  });

  it('shared files are shared for every environment', () => {
    fc.assert(
      fc.property(names, fc.constantFrom(...SHARED), (set, path) => {
        for (const env of set) assert.equal(role(env, set.filter((e) => e !== env), path), 'shared', `${path} seen from ${env}`);
      }),
      fuzzRuns(300, 4104),
    );
  });
});

describe('environmentsSharingFolder', () => {
  const env = (name: string, path: string | null, branch: string | null = null): Environment => ({ name, order: 0, repo: null, branch, path, cluster: { context: null, namespace: null }, protected: false, source: 'folders' });

  it('lists the other environments reading the same folder of the same branch', () => {
    const prod = env('prod', 'charts/shop');
    const all = [env('dev', 'charts/shop'), env('staging', 'charts/shop'), prod, env('other', 'charts/web'), env('branchy', 'charts/shop', 'env/x')];
    assert.deepEqual(environmentsSharingFolder(all, prod, 'charts/shop'), ['dev', 'staging']);
  });
});

describe('own values files of environments that read one chart folder', () => {
  const chart = ['charts/shop/Chart.yaml', 'charts/shop/templates/deploy.yaml', 'charts/shop/values.yaml'];
  const env = (name: string, path: string | null, extra: Partial<Environment> = {}): Environment => ({
    name,
    order: 0,
    repo: null,
    branch: null,
    path,
    cluster: { context: null, namespace: null },
    protected: false,
    source: 'folders',
    ...extra,
  });

  it('each environment gets exactly its own values files, under every naming convention and environment naming', () => {
    const conventions: Array<(e: string) => string> = [(e) => `values-${e}.yaml`, (e) => `values.${e}.yaml`, (e) => `${e}-values.yaml`, (e) => `${e}.values.yml`, (e) => `values/${e}.yaml`];
    for (const convention of conventions) {
      for (const naming of [(e: string) => e, (e: string) => `shop-${e}`]) {
        const names = ['dev', 'staging', 'prod', 'prod-eu'];
        const files = [...chart, ...names.map((n) => `charts/shop/${convention(n)}`)];
        const environments = withOwnValuesFiles(names.map((n) => env(naming(n), 'charts/shop')), files);
        assert.deepEqual(
          environments.map((e) => [e.name, e.valuesFiles]),
          names.map((n) => [naming(n), [`charts/shop/${convention(n)}`]]),
          convention('<env>'),
        );
      }
    }
  });

  it('leaves alone: named values files, a folder that is no chart, a chart read by one environment, another repository or branch', () => {
    const files = [...chart, 'charts/shop/values-dev.yaml', 'charts/shop/values-prod.yaml', 'deploy/values-dev.yaml', 'deploy/values-prod.yaml'];
    const named = env('prod', 'charts/shop', { valuesFiles: ['charts/shop/custom.yaml'] });
    const [dev, prod] = withOwnValuesFiles([env('dev', 'charts/shop'), named], files);
    assert.deepEqual([dev.valuesFiles, prod.valuesFiles], [['charts/shop/values-dev.yaml'], ['charts/shop/custom.yaml']]);
    assert.deepEqual(withOwnValuesFiles([env('dev', 'deploy'), env('prod', 'deploy')], files).map((e) => e.valuesFiles), [undefined, undefined]);
    assert.deepEqual(withOwnValuesFiles([env('prod', 'charts/shop'), env('dev', 'other')], files).map((e) => e.valuesFiles), [undefined, undefined]);
    assert.deepEqual(withOwnValuesFiles([env('dev', 'charts/shop', { branch: 'dev' }), env('prod', 'charts/shop', { branch: 'prod' })], files).map((e) => e.valuesFiles), [undefined, undefined]);
    assert.deepEqual(withOwnValuesFiles([env('dev', 'charts/shop', { repo: '../x' }), env('prod', 'charts/shop', { repo: '../x' })], files).map((e) => e.valuesFiles), [undefined, undefined]);
  });
});
