// Rules of value promotion that the mutation run (npm run mutate -- promotion-values) found
// unheld, in src/core/promotion/valueClasses.ts and valueEdits.ts: which differing values are the
// target environment's identity (namespace, name prefix/suffix, cluster, destination, components,
// identity variables, values naming an environment), which are its own (sizing, promotion.keep,
// promotion.exclude, values that never flowed) and which flow (images, chart versions, settings,
// new keys), each with the reason shown to the user; how promotion.keep entries are read and
// matched; when the target has moved on; and how in-place edits keep every other byte (comments,
// blank lines, indentation, flow style, files without a final line break) or refuse what they
// cannot do in place. Classification is checked both on hand-built differences (one rule at a
// time) and on differences computed from real YAML. Five bugs these runs found in src (a
// promotion would have written wrong or invalid YAML) are fixed; their tests stay as regressions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { pairWords, withoutSideWords, type PairWords } from '../../src/core/promotion/environmentWords';
import { diffYamlFiles, parseYamlFile, type ValueDifference } from '../../src/core/promotion/valueDiff';
import { classifyValue, isChartVersion, isImageValue, parseKeepRules, targetMovedOn, type ClassifyInput, type HistoryEvidence } from '../../src/core/promotion/valueClasses';
import { applyValueEdits, type ValueEdit } from '../../src/core/promotion/valueEdits';
import { seededRandom as random } from '../support/seededRandom';

/** staging → prod: the source's words are {staging}, the target's {prod}. */
const WORDS = pairWords({ name: 'staging', folder: 'envs/staging' }, { name: 'prod', folder: 'envs/prod' });

/**
 * A difference at a dotted path (`spec.containers[name=app].image`): keys from the path (list
 * items as `[]`), the item's name from the last `[name=…]`, the op from which side is null.
 */
function at(path: string, from: string | null, to: string | null, extra: Partial<ValueDifference> = {}): ValueDifference {
  const keys: string[] = [];
  let itemName: string | null = null;
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[[^\]]*\])*)$/.exec(part);
    const name = match?.[1] ?? part;
    if (name !== '') keys.push(name);
    for (const item of (match?.[2] ?? '').match(/\[[^\]]*\]/g) ?? []) {
      keys.push('[]');
      const named = /^\[[^=]+=(.*)\]$/.exec(item);
      if (named) itemName = named[1];
    }
  }
  return {
    docIndex: 0,
    sourceDocIndex: 0,
    docKey: '#0',
    pointer: `/${keys.map((k) => (k === '[]' ? '0' : k)).join('/')}`,
    path,
    key: keys[keys.length - 1],
    keys,
    op: from === null ? 'add' : to === null ? 'remove' : 'set',
    from,
    to,
    toYaml: to,
    structured: false,
    line: 1,
    itemName,
    ...extra,
  };
}

function input(diff: ValueDifference, extra: Partial<ClassifyInput> = {}): ClassifyInput {
  return { diff, files: ['envs/prod/values.yaml', 'values.yaml'], words: WORDS, keep: [], excludedBy: null, history: null, sourceDocKey: '#0', ...extra };
}

function classify(diff: ValueDifference, extra: Partial<ClassifyInput> = {}): [string, string] {
  const result = classifyValue(input(diff, extra));
  return [result.class, result.reason];
}

/** Differences of two real YAML texts (source, target), paired with the environments' words taken out. */
function differences(source: string, target: string, words: PairWords = WORDS): ValueDifference[] {
  const s = parseYamlFile(source);
  const t = parseYamlFile(target);
  assert.ok(s && t, 'both sides parse');
  return diffYamlFiles(s, t, (value) => withoutSideWords(value, words)).differences;
}

/** Every difference of two real YAML texts as `[path, class, reason]`. */
function classesOf(source: string, target: string, extra: Partial<ClassifyInput> = {}): Array<[string, string, string]> {
  return differences(source, target, extra.words ?? WORDS).map((diff) => {
    const result = classifyValue(input(diff, extra));
    return [diff.path, result.class, result.reason];
  });
}

/** Values that name neither staging nor prod (nor any tier of the ladder). */
function neutralValue(rnd: () => number): string {
  return ['alpha', 'beta-7', 'shop-blue', '10.0.0.1', 'https://example.com/', 'x_y', 'gamma.delta'][Math.floor(rnd() * 7)];
}

describe('identity: where and as what the environment runs', () => {
  const IDENTITY_KEYS = ['namespace', 'namePrefix', 'nameSuffix', 'components', 'cluster', 'clusterName', 'cluster_name', 'server', 'env', 'environment', 'stage', 'tier', 'region', 'zone', 'targetNamespace'];

  it('property: every identity key is identity whatever its value, even one naming no environment, and the reason is the key as written', () => {
    const rnd = random(7);
    for (const key of IDENTITY_KEYS) {
      for (let round = 0; round < 5; round++) {
        const from = neutralValue(rnd);
        const to = `${neutralValue(rnd)}-2`;
        for (const path of [key, `spec.${key}`, `metadata.${key}`]) {
          assert.deepEqual(classify(at(path, from, to)), ['identity', key], `${path}: ${from} → ${to}`);
        }
        // History saying the value flowed before does not make it flow: identity comes first.
        const history: HistoryEvidence = { source: new Map([[`#0 ${key}`, new Set([from])]]), target: new Map() };
        assert.deepEqual(classify(at(key, from, to), { history }), ['identity', key]);
      }
    }
  });

  it('identity keys match in any letter case; the reason keeps the case of the file', () => {
    assert.deepEqual(classify(at('NAMESPACE', 'alpha', 'beta')), ['identity', 'NAMESPACE']);
    assert.deepEqual(classify(at('Region', 'alpha', 'beta')), ['identity', 'Region']);
  });

  it('the reason of an identity key is the key even when its value also names an environment', () => {
    assert.deepEqual(classify(at('namespace', 'shop-prod', 'shop-staging')), ['identity', 'namespace']);
    assert.deepEqual(classify(at('spec.destination.namespace', 'shop-prod', 'shop-staging')), ['identity', 'namespace']);
  });

  it('identity variables: the value of an env item named like ENV, STAGE, REGION… is identity, in any case', () => {
    const variables = ['ENV', 'ENVIRONMENT', 'ENV_TYPE', 'ENV_NAME', 'STAGE', 'TIER', 'REGION', 'ZONE', 'CLUSTER', 'CLUSTER_NAME', 'APP_ENV', 'DEPLOY_ENV', 'DEPLOYMENT_ENV', 'ASPNETCORE_ENVIRONMENT', 'SPRING_PROFILES_ACTIVE', 'RAILS_ENV', 'NODE_ENV', 'node_env', 'Stage'];
    for (const name of variables) {
      const path = `spec.containers[name=app].env[name=${name}].value`;
      assert.deepEqual(classify(at(path, 'alpha', 'beta')), ['identity', `variable ${name}`], name);
    }
  });

  it('a variable whose name only contains an identity word is a setting that flows', () => {
    for (const name of ['ENVOY_ADMIN', 'MY_ENV', 'REGION_URL', 'XSTAGE', 'STAGE_2', 'NODE_ENVIRONMENT']) {
      const path = `spec.containers[name=app].env[name=${name}].value`;
      assert.deepEqual(classify(at(path, 'alpha', 'beta')), ['flows', 'setting'], name);
    }
  });

  it('only the value of an identity variable is identity; its other fields follow their own rules', () => {
    // An item named REGION with a description: the description is a setting.
    assert.deepEqual(classify(at('params[name=REGION].description', 'alpha', 'beta')), ['flows', 'setting']);
    // A kustomize image entry named `stage` is an image: it flows.
    assert.deepEqual(classify(at('images[name=stage].newTag', '1.0', '2.0')), ['flows', 'image']);
  });

  it('a key that is itself an identity variable (a ConfigMap data key) is identity, the key as reason', () => {
    assert.deepEqual(classify(at('data.RAILS_ENV', 'alpha', 'beta')), ['identity', 'RAILS_ENV']);
    assert.deepEqual(classify(at('data.SPRING_PROFILES_ACTIVE', 'alpha', 'beta')), ['identity', 'SPRING_PROFILES_ACTIVE']);
    assert.deepEqual(classify(at('data.node_env', 'alpha', 'beta')), ['identity', 'node_env']);
  });

  it('anything under components or an Argo CD destination is identity, even an image tag or a revision', () => {
    assert.deepEqual(classify(at('components[0].path', 'alpha', 'beta')), ['identity', 'components']);
    assert.deepEqual(classify(at('spec.components[0].newTag', '1.0', '2.0')), ['identity', 'components']);
    assert.deepEqual(classify(at('spec.destination.name', 'alpha', 'beta')), ['identity', 'destination']);
    assert.deepEqual(classify(at('spec.destination.targetRevision', '1.0', '2.0')), ['identity', 'destination']);
    assert.deepEqual(classify(at('spec.destination.image', 'web:1', 'web:2')), ['identity', 'destination']);
    // Elsewhere, the same keys flow.
    assert.deepEqual(classify(at('spec.source.targetRevision', '1.0', '2.0')), ['flows', 'chart version']);
    assert.deepEqual(classify(at('spec.source.path', 'alpha', 'beta')), ['flows', 'setting']);
  });

  it('a value naming the source (what would be written) or the target (what is there) is identity, naming the words', () => {
    assert.deepEqual(classify(at('host', 'shop.example.com', 'shop.staging.example.com')), ['identity', 'names staging']);
    assert.deepEqual(classify(at('host', 'shop.prod.example.com', 'shop.example.com')), ['identity', 'names prod']);
    // A tier word of the same rung names the side too (production for prod).
    assert.deepEqual(classify(at('url', 'https://production.example.com', 'https://example.com')), ['identity', 'names prod']);
    // Several words of a side are listed, in order.
    const lanes = pairWords({ name: 'staging-us', folder: 'envs/staging-us' }, { name: 'prod-eu', folder: 'envs/prod-eu' });
    assert.deepEqual(classify(at('host', 'a.example.com', 'a.us.example.com'), { words: lanes }), ['identity', 'names staging/us']);
    assert.deepEqual(classify(at('host', 'a.eu.example.com', 'a.example.com'), { words: lanes }), ['identity', 'names prod/eu']);
  });

  it('a side with no words of its own (an environment called "stage") is named by its rung', () => {
    const fromStage = pairWords({ name: 'stage', folder: 'envs/stage' }, { name: 'prod', folder: 'envs/prod' });
    assert.equal(fromStage.source.words.size, 0);
    assert.deepEqual(classify(at('host', 'shop.example.com', 'shop.staging.example.com'), { words: fromStage }), ['identity', 'names the source']);
    const toStage = pairWords({ name: 'qa', folder: 'envs/qa' }, { name: 'stage', folder: 'envs/stage' });
    assert.equal(toStage.target.words.size, 0);
    assert.deepEqual(classify(at('host', 'shop.staging.example.com', 'shop.example.com'), { words: toStage }), ['identity', 'names the target']);
  });

  it('values that differ only by the environments’ names (swapped) are identity', () => {
    // The target mentions the source's name and the source the target's: neither names its own side.
    assert.deepEqual(classify(at('upstream', 'shop-staging', 'shop-prod')), ['identity', 'differs only by the environment’s name']);
    // A value with no environment word on either side is not.
    assert.deepEqual(classify(at('upstream', 'shop-blue', 'shop-green')), ['flows', 'setting']);
  });

  it('a container’s environment variables added as a block flow like variables added one by one', () => {
    const deployment = (env: string): string => `kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: web:1\n${env}`;
    const variable = '          env:\n            - name: LOG_FORMAT\n              value: json\n';
    for (const target of [deployment(''), deployment('          env: []\n')]) {
      const result = classesOf(deployment(variable), target);
      assert.ok(result.length > 0 && result.every(([, cls]) => cls === 'flows'), JSON.stringify(result));
    }
  });

  it('a removed or added value naming an environment is identity by the side it names', () => {
    assert.deepEqual(classify(at('extraHost', 'shop.prod.example.com', null)), ['identity', 'names prod']);
    assert.deepEqual(classify(at('extraHost', null, 'shop.staging.example.com')), ['identity', 'names staging']);
  });
});

describe('what flows: images and chart versions, even when a tag holds a tier word', () => {
  it('isImageValue: image keys, and tag/repository directly under image', () => {
    for (const key of ['image', 'newTag', 'newName', 'digest']) assert.equal(isImageValue({ key, keys: ['images', '[]', key] }), true, key);
    assert.equal(isImageValue({ key: 'tag', keys: ['image', 'tag'] }), true);
    assert.equal(isImageValue({ key: 'repository', keys: ['app', 'image', 'repository'] }), true);
    assert.equal(isImageValue({ key: 'pullPolicy', keys: ['image', 'pullPolicy'] }), false);
    assert.equal(isImageValue({ key: 'tag', keys: ['chart', 'tag'] }), false);
    assert.equal(isImageValue({ key: 'repository', keys: ['image', 'source', 'repository'] }), false);
    assert.equal(isImageValue({ key: 'tag', keys: ['tag'] }), false);
    assert.equal(isImageValue({ key: 'name', keys: ['images', '[]', 'name'] }), false);
  });

  it('an image value flows with reason image, even a tag naming the source environment', () => {
    assert.deepEqual(classify(at('image.tag', '1.0.0', 'staging-1.2.0')), ['flows', 'image']);
    assert.deepEqual(classify(at('spec.containers[name=app].image', 'web:1.0', 'web:staging-2')), ['flows', 'image']);
    assert.deepEqual(classify(at('images[name=web].newName', 'ghcr.io/a/web', 'ghcr.io/a/web-staging')), ['flows', 'image']);
    assert.deepEqual(classify(at('images[name=web].digest', 'sha256:aa', 'sha256:bb')), ['flows', 'image']);
    assert.deepEqual(classify(at('image.repository', 'ghcr.io/a/web', 'ghcr.io/a/web-staging')), ['flows', 'image']);
  });

  it('isChartVersion: targetRevision, a version under chart or helmCharts, a Chart.yaml dependency version', () => {
    assert.equal(isChartVersion({ key: 'targetRevision', keys: ['spec', 'source', 'targetRevision'] }, 'app.yaml'), true);
    assert.equal(isChartVersion({ key: 'version', keys: ['spec', 'chart', 'spec', 'version'] }, 'release.yaml'), true);
    assert.equal(isChartVersion({ key: 'version', keys: ['helmCharts', '[]', 'version'] }, 'kustomization.yaml'), true);
    for (const file of ['Chart.yaml', 'Chart.yml', 'charts/shop/Chart.yaml', 'envs/prod/Chart.yml']) {
      assert.equal(isChartVersion({ key: 'version', keys: ['dependencies', '[]', 'version'] }, file), true, file);
    }
    // A chart's own version, a dependency list in another file, other keys: not chart versions.
    assert.equal(isChartVersion({ key: 'version', keys: ['version'] }, 'Chart.yaml'), false);
    for (const file of ['values.yaml', 'MyChart.yaml', 'Chart.yaml.bak', 'Chart.json', 'chart.yaml']) {
      assert.equal(isChartVersion({ key: 'version', keys: ['dependencies', '[]', 'version'] }, file), false, file);
    }
    assert.equal(isChartVersion({ key: 'version', keys: ['spec', 'version'] }, 'app.yaml'), false);
    assert.equal(isChartVersion({ key: 'name', keys: ['spec', 'chart', 'name'] }, 'release.yaml'), false);
    assert.equal(isChartVersion({ key: 'repoURL', keys: ['helmCharts', '[]', 'repoURL'] }, 'kustomization.yaml'), false);
  });

  it('a chart version flows with reason chart version; the file checked is the first of the target’s names', () => {
    assert.deepEqual(classify(at('spec.chart.spec.version', '1.0.0', 'staging-1.1.0')), ['flows', 'chart version']);
    const dependency = at('dependencies[name=pg].version', '12.0.9', '12.1.0');
    assert.deepEqual(classify(dependency, { files: ['envs/prod/Chart.yaml', 'Chart.yaml'] }), ['flows', 'chart version']);
    assert.deepEqual(classify(dependency, { files: ['envs/prod/values.yaml', 'Chart.yaml'] }), ['flows', 'setting']);
    assert.deepEqual(classify(dependency, { files: [] }), ['flows', 'setting']);
  });
});

describe('own: sizing of the environment', () => {
  it('property: every sizing key is the environment’s own whatever its numbers', () => {
    const rnd = random(11);
    for (const key of ['replicas', 'replicaCount', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage', 'averageUtilization', 'averageValue']) {
      for (let round = 0; round < 5; round++) {
        const from = String(1 + Math.floor(rnd() * 50));
        const to = String(51 + Math.floor(rnd() * 50));
        assert.deepEqual(classify(at(`hpa.${key}`, from, to)), ['own', 'sizing'], key);
        assert.deepEqual(classify(at(`spec.metrics[type=Resource].resource.target.${key}`, from, to)), ['own', 'sizing'], key);
      }
    }
  });

  it('a kustomization’s replicas entries, container requests and limits, autoscaling blocks are sizing', () => {
    assert.deepEqual(classify(at('replicas[name=web].count', '3', '1')), ['own', 'sizing']);
    assert.deepEqual(classify(at('replicas[name=web].name', 'web', 'api')), ['own', 'sizing']);
    for (const path of [
      'spec.template.spec.containers[name=app].resources.requests.cpu',
      'spec.template.spec.containers[name=app].resources.limits.memory',
      'resources.requests.memory',
      'resources.limits.cpu',
      'app.resources.requests.cpu',
      'limits.resources.cpu',
      'autoscaling.enabled',
      'worker.autoscaling.behavior.scaleDown.policy',
    ]) {
      assert.deepEqual(classify(at(path, '100m', '200m')), ['own', 'sizing'], path);
    }
  });

  it('container resources replaced as a whole are sizing; a kustomization’s resources list is not', () => {
    const whole = at('spec.template.spec.containers[name=app].resources', '{limits: {cpu: 1}}', '{requests: {cpu: 1}}', { structured: true });
    assert.deepEqual(classify(whole), ['own', 'sizing']);
    // Not structured (a scalar written where resources were): not sizing.
    assert.deepEqual(classify({ ...whole, structured: false }), ['flows', 'setting']);
    // A top-level resources list of a kustomization: its files flow.
    assert.deepEqual(classify(at('resources', '[a.yaml]', '[a.yaml, b.yaml]', { structured: true })), ['flows', 'setting']);
    assert.deepEqual(classify(at('resources', null, 'b.yaml')), ['flows', 'new in the source']);
    assert.deepEqual(classify(at('resources.other', 'a', 'b')), ['flows', 'setting']);
    assert.deepEqual(classify(at('spec.limits.max', '1', '2')), ['flows', 'setting']);
    // requests and limits count under resources only; other container fields replaced whole are settings.
    assert.deepEqual(classify(at('requests.cpu', '1', '2')), ['flows', 'setting']);
    const claims = at('spec.template.spec.containers[name=app].resources.claims', '[{name: gpu}]', '[{name: fpga}]', { structured: true });
    assert.deepEqual(classify(claims), ['flows', 'setting']);
    assert.deepEqual(classify(at('spec.template.spec.containers[name=app].ports', '[{containerPort: 80}]', '{http: 80}', { structured: true })), ['flows', 'setting']);
  });

  it('minReplicas and maxReplicas are sizing anywhere, not only under spec', () => {
    assert.deepEqual(classify(at('spec.minReplicas', '1', '2')), ['own', 'sizing']);
    assert.deepEqual(classify(at('worker.maxReplicas', '1', '2')), ['own', 'sizing']);
  });

  it('on real YAML: replicas, resources and autoscaling stay; image, settings and new keys flow', () => {
    const source = 'replicaCount: 1\nimage:\n  tag: 1.3.0\nresources:\n  requests:\n    cpu: 100m\nautoscaling:\n  enabled: false\nlogLevel: debug\nfeature: on\n';
    const target = 'replicaCount: 3\nimage:\n  tag: 1.2.0\nresources:\n  requests:\n    cpu: 500m\nautoscaling:\n  enabled: true\nlogLevel: info\n';
    assert.deepEqual(classesOf(source, target), [
      ['replicaCount', 'own', 'sizing'],
      ['image.tag', 'flows', 'image'],
      ['resources.requests.cpu', 'own', 'sizing'],
      ['autoscaling.enabled', 'own', 'sizing'],
      ['logLevel', 'flows', 'setting'],
      ['feature', 'flows', 'new in the source'],
    ]);
  });
});

describe('promotion.keep and promotion.exclude', () => {
  it('parseKeepRules: path alone, glob#path, a leading # (no glob), spaces trimmed, empty paths dropped, text kept as written', () => {
    assert.deepEqual(parseKeepRules(['spec.replicas', ' /spec/paused ', 'envs/**/app.yaml # data.MODE', '#data.LEVEL', '', '   ', 'other.yaml#', 'other.yaml#  ']), [
      { glob: null, path: 'spec.replicas', text: 'spec.replicas' },
      { glob: null, path: '/spec/paused', text: ' /spec/paused ' },
      { glob: 'envs/**/app.yaml', path: 'data.MODE', text: 'envs/**/app.yaml # data.MODE' },
      { glob: null, path: 'data.LEVEL', text: '#data.LEVEL' },
    ]);
    assert.deepEqual(parseKeepRules([]), []);
  });

  it('a dotted rule keeps the path, everything under it (keys and list items), and nothing beside it', () => {
    const keep = parseKeepRules(['spec.template']);
    assert.deepEqual(classify(at('spec.template', 'a', 'b'), { keep }), ['own', 'promotion.keep spec.template']);
    assert.deepEqual(classify(at('spec.template.metadata.labels.team', 'a', 'b'), { keep }), ['own', 'promotion.keep spec.template']);
    assert.deepEqual(classify(at('spec.template[0]', 'a', 'b'), { keep }), ['own', 'promotion.keep spec.template']);
    assert.deepEqual(classify(at('spec.templateName', 'a', 'b'), { keep }), ['flows', 'setting']);
    assert.deepEqual(classify(at('other.spec.template', 'a', 'b'), { keep }), ['flows', 'setting']);
    assert.deepEqual(classify(at('spec', 'a', 'b'), { keep }), ['flows', 'setting']);
  });

  it('a rule naming a list item keeps that item only; a rule without items matches every item', () => {
    const named = parseKeepRules(['spec.containers[name=app]']);
    assert.deepEqual(classify(at('spec.containers[name=app].env[name=LOG].value', 'a', 'b'), { keep: named }), ['own', 'promotion.keep spec.containers[name=app]']);
    assert.deepEqual(classify(at('spec.containers[name=sidecar].args', 'a', 'b'), { keep: named }), ['flows', 'setting']);
    const unnamed = parseKeepRules(['spec.containers.env.value']);
    assert.deepEqual(classify(at('spec.containers[name=app].env[name=LOG].value', 'a', 'b'), { keep: unnamed }), ['own', 'promotion.keep spec.containers.env.value']);
    assert.deepEqual(classify(at('spec.containers[name=app].env[name=LOG].valueFrom', 'a', 'b'), { keep: unnamed }), ['flows', 'setting']);
    // A rule naming an item keeps the lists inside it, item by item.
    const args = parseKeepRules(['spec.containers[name=app].args']);
    assert.deepEqual(classify(at('spec.containers[name=app].args[1]', 'a', 'b'), { keep: args }), ['own', 'promotion.keep spec.containers[name=app].args']);
    assert.deepEqual(classify(at('spec.containers[name=app].argsExtra[1]', 'a', 'b'), { keep: args }), ['flows', 'setting']);
    // Items are dropped whole, however long their names and wherever they are.
    const byIndex = parseKeepRules(['args']);
    assert.deepEqual(classify(at('args[12]', 'a', 'b'), { keep: byIndex }), ['own', 'promotion.keep args']);
    assert.deepEqual(classify(at('spec[0].args[name=very-long-name].x', 'a', 'b'), { keep: parseKeepRules(['spec.args.x']) }), ['own', 'promotion.keep spec.args.x']);
  });

  it('a JSON-pointer rule keeps the pointer and what is under it, not a sibling sharing its prefix', () => {
    const keep = parseKeepRules(['/data/LOG_LEVEL']);
    assert.deepEqual(classify(at('data.LOG_LEVEL', 'a', 'b', { pointer: '/data/LOG_LEVEL' }), { keep }), ['own', 'promotion.keep /data/LOG_LEVEL']);
    assert.deepEqual(classify(at('data.LOG_LEVEL.x', 'a', 'b', { pointer: '/data/LOG_LEVEL/x' }), { keep }), ['own', 'promotion.keep /data/LOG_LEVEL']);
    assert.deepEqual(classify(at('data.LOG_LEVEL_URL', 'a', 'b', { pointer: '/data/LOG_LEVEL_URL' }), { keep }), ['flows', 'setting']);
    // A pointer rule is not read as a dotted path.
    assert.deepEqual(classify(at('data.LOG_LEVEL', 'a', 'b', { pointer: '/other' }), { keep }), ['flows', 'setting']);
  });

  it('a rule with a glob applies only to files it matches (any of the target’s names)', () => {
    const keep = parseKeepRules(['**/app-config.yaml#data.LOG_LEVEL']);
    assert.deepEqual(classify(at('data.LOG_LEVEL', 'info', 'debug'), { keep, files: ['envs/prod/app-config.yaml', 'app-config.yaml'] }), ['own', 'promotion.keep **/app-config.yaml#data.LOG_LEVEL']);
    assert.deepEqual(classify(at('data.LOG_LEVEL', 'info', 'debug'), { keep, files: ['envs/prod/values.yaml', 'values.yaml'] }), ['flows', 'setting']);
    const relative = parseKeepRules(['app.yaml#data.MODE']);
    assert.deepEqual(classify(at('data.MODE', 'a', 'b'), { keep: relative, files: ['envs/prod/sub/app.yaml', 'sub/app.yaml'] }), ['own', 'promotion.keep app.yaml#data.MODE']);
  });

  it('the first matching rule gives the reason; keep comes before identity, images and sizing', () => {
    const keep = parseKeepRules(['nope', 'image', 'image.tag']);
    assert.deepEqual(classify(at('image.tag', '1', '2'), { keep }), ['own', 'promotion.keep image']);
    assert.deepEqual(classify(at('namespace', 'a', 'b'), { keep: parseKeepRules(['namespace']) }), ['own', 'promotion.keep namespace']);
  });

  it('a file matching promotion.exclude makes every value its own, naming the pattern, before any other rule', () => {
    for (const diff of [at('image.tag', '1', '2'), at('namespace', 'a', 'b'), at('logLevel', 'a', 'b'), at('feature', null, 'on')]) {
      assert.deepEqual(classify(diff, { excludedBy: '**/secrets/*.yaml', keep: parseKeepRules(['image']) }), ['own', 'file matches promotion.exclude **/secrets/*.yaml']);
    }
  });
});

describe('settings and Git history', () => {
  it('without history a differing setting flows; a key new in the source flows as new', () => {
    assert.deepEqual(classify(at('logLevel', 'info', 'debug')), ['flows', 'setting']);
    assert.deepEqual(classify(at('logLevel', 'info', null)), ['flows', 'setting']);
    assert.deepEqual(classify(at('feature', null, 'on')), ['flows', 'new in the source']);
  });

  it('with history: a new key still flows; a target value the source once held flowed before; a removal the source made flows', () => {
    const history: HistoryEvidence = { source: new Map([['#0 logLevel', new Set(['info', 'warn'])]]), target: new Map() };
    assert.deepEqual(classify(at('feature', null, 'on'), { history }), ['flows', 'new in the source']);
    assert.deepEqual(classify(at('logLevel', 'info', 'debug'), { history }), ['flows', 'flowed before']);
    assert.deepEqual(classify(at('logLevel', 'warn', null), { history }), ['flows', 'the source removed it']);
  });

  it('with history: a value the source never held at that place is the target’s own', () => {
    const history: HistoryEvidence = { source: new Map([['#0 logLevel', new Set(['info'])], ['#0 other', new Set(['error'])]]), target: new Map() };
    const never = ['own', 'never flowed: the target’s value was never the source’s'];
    assert.deepEqual(classify(at('logLevel', 'error', 'debug'), { history }), never);
    assert.deepEqual(classify(at('mode', 'error', 'debug'), { history }), never, 'no history at that place');
    assert.deepEqual(classify(at('logLevel', 'info', null), { history, sourceDocKey: 'ConfigMap/app' }), never, 'another document');
    // The place is the source's document key and the path: found there, it flowed.
    const byDoc: HistoryEvidence = { source: new Map([['ConfigMap/app logLevel', new Set(['info'])]]), target: new Map() };
    assert.deepEqual(classify(at('logLevel', 'info', 'debug', { docKey: 'ConfigMap/other' }), { history: byDoc, sourceDocKey: 'ConfigMap/app' }), ['flows', 'flowed before']);
  });

  it('on real YAML with history: the reasons follow the evidence', () => {
    const history: HistoryEvidence = { source: new Map([['#0 mode', new Set(['safe'])]]), target: new Map() };
    assert.deepEqual(classesOf('mode: fast\nlocale: de\n', 'mode: safe\nlocale: fr\nold: x\n', { history }), [
      ['mode', 'flows', 'flowed before'],
      ['locale', 'own', 'never flowed: the target’s value was never the source’s'],
      ['old', 'own', 'never flowed: the target’s value was never the source’s'],
    ]);
  });

  it('targetMovedOn: only a set whose new value the target itself once held, at the target’s document and path', () => {
    const history: HistoryEvidence = { source: new Map(), target: new Map([['Deployment/web spec.paused', new Set(['true'])]]) };
    const diff = at('spec.paused', 'false', 'true', { docKey: 'Deployment/web' });
    assert.equal(targetMovedOn(input(diff, { history, sourceDocKey: 'Deployment/other' })), true);
    assert.equal(targetMovedOn(input({ ...diff, to: 'maybe' }, { history })), false);
    assert.equal(targetMovedOn(input({ ...diff, docKey: 'Deployment/api' }, { history })), false);
    assert.equal(targetMovedOn(input({ ...diff, path: 'spec.other' }, { history })), false);
    assert.equal(targetMovedOn(input(diff, { history: null })), false);
    // An add or a remove never counts, even with the value in the target's history.
    assert.equal(targetMovedOn(input({ ...diff, op: 'add', from: null }, { history })), false);
    assert.equal(targetMovedOn(input({ ...diff, op: 'remove', to: null }, { history })), false);
  });
});

// ---- valueEdits ----

function set(pointer: string, yaml: string, docIndex = 0): ValueEdit {
  return { docIndex, pointer, op: 'set', yaml };
}
function add(pointer: string, yaml: string, docIndex = 0): ValueEdit {
  return { docIndex, pointer, op: 'add', yaml };
}
function remove(pointer: string, docIndex = 0): ValueEdit {
  return { docIndex, pointer, op: 'remove' };
}

/** The edits succeed and give exactly `expected`. */
function edits(text: string, list: ValueEdit[], expected: string): void {
  const result = applyValueEdits(text, list);
  assert.deepEqual(result.failed, [], `${JSON.stringify(text)}: failed ${JSON.stringify(result.failed)}`);
  assert.equal(result.text, expected, JSON.stringify(text));
}

/** Every edit is refused and the text is untouched. */
function refused(text: string, list: ValueEdit[]): void {
  const result = applyValueEdits(text, list);
  assert.deepEqual(result, { text, failed: list }, JSON.stringify(text));
}

describe('in-place edits of block mappings', () => {
  it('sets a scalar character for character, keeping its comment, quoting elsewhere and blank lines', () => {
    edits('# top\na: 1   # one\n\nb: "x"\n', [set('/a', '2')], '# top\na: 2   # one\n\nb: "x"\n');
    edits('m:\n  k: v\n', [set('/m/k', '"quoted value"')], 'm:\n  k: "quoted value"\n');
  });

  it('adds a key on a line of its own after the last one, at the mapping’s indentation', () => {
    edits('data:\n  A: 1\nother: x\n', [add('/data/B', '2')], 'data:\n  A: 1\n  B: 2\nother: x\n');
    edits('data:\n  A: 1\n\nother: x\n', [add('/data/B', '2')], 'data:\n  A: 1\n  B: 2\n\nother: x\n');
    edits('data:\n  A: 1 # c\nother: x\n', [add('/data/B', '2')], 'data:\n  A: 1 # c\n  B: 2\nother: x\n');
    edits('a: 1\n', [add('/b', '{x: 1}')], 'a: 1\nb: {x: 1}\n');
    // A key sharing its line with a list dash: the new key aligns under it.
    edits('l:\n  - name: x\n    v: 1\n', [add('/l/0/w', '2')], 'l:\n  - name: x\n    v: 1\n    w: 2\n');
  });

  it('adds at the end of a file without a final line break by starting a new line', () => {
    edits('a: 1', [add('/b', '2')], 'a: 1\nb: 2\n');
    edits('m:\n  a: 1', [add('/m/b', '2')], 'm:\n  a: 1\n  b: 2\n');
    // With a final line break, none is added; in the middle of a file without one, none either.
    edits('m:\n  a: 1\n', [add('/m/b', '2')], 'm:\n  a: 1\n  b: 2\n');
    edits('m:\n  a: 1\nz: 1', [add('/m/b', '2')], 'm:\n  a: 1\n  b: 2\nz: 1');
  });

  it('a key with no value (`key:`) that is last in its mapping takes the new key after it', () => {
    edits('m:\n  a:\nz: 1\n', [add('/m/b', 'x')], 'm:\n  a:\n  b: x\nz: 1\n');
  });

  it('refuses to add a key that is already there', () => {
    refused('data:\n  A: 1\n  B: 2\n', [add('/data/A', '3')]);
    refused('data:\n  A: 1\n  B: 2\n', [add('/data/B', '3')]);
    refused('data: {A: 1, B: 2}\n', [add('/data/B', '3')]);
  });

  it('removes a key with its whole value and nothing else', () => {
    edits('a: 1\nb: 2\nc: 3\n', [remove('/b')], 'a: 1\nc: 3\n');
    edits('a: 1\nb:\n  x: 1\n  y: [1, 2]\nc: 3\n', [remove('/b')], 'a: 1\nc: 3\n');
    edits('m:\n  a:\n  b: 2\n', [remove('/m/a')], 'm:\n  b: 2\n');
    edits('a: 1\nb: 2', [remove('/b')], 'a: 1\n');
  });

  it('refuses to remove a key that shares its line with a list dash or sits in a flow mapping', () => {
    refused('l:\n  - name: x\n    v: 1\n', [remove('/l/0/name')]);
    refused('data: {a: 1, b: 2}\n', [remove('/data/a')]);
    refused('data: {\n  a: 1,\n  b: 2\n}\n', [remove('/data/a')]);
    refused('a: 1\n', [remove('/b')]);
  });
});

describe('in-place edits of flow collections', () => {
  it('adds to a flow mapping before its closing brace, with a comma only when it has items', () => {
    edits('data: {a: 1}\n', [add('/data/b', '2')], 'data: {a: 1, b: 2}\n');
    edits('data: {}\n', [add('/data/b', '2')], 'data: {b: 2}\n');
    edits('data: {a: 1}\n', [add('/data/b', '2'), add('/data/c', '3')], 'data: {a: 1, b: 2, c: 3}\n');
    edits('data: {}\n', [add('/data/b', '2'), add('/data/c', '3')], 'data: {b: 2, c: 3}\n');
  });

  it('adds to a flow list before its closing bracket, with commas between several additions', () => {
    edits('l: [a]\n', [add('/l/-', 'b')], 'l: [a, b]\n');
    edits('l: []\n', [add('/l/-', 'b')], 'l: [b]\n');
    edits('l: [a]\n', [add('/l/-', 'b'), add('/l/-', 'c')], 'l: [a, b, c]\n');
    edits('l: []\n', [add('/l/-', 'b'), add('/l/-', 'c')], 'l: [b, c]\n');
    edits('l: []\n', [add('/l/-', 'b'), add('/l/-', 'c'), add('/l/-', 'd')], 'l: [b, c, d]\n');
  });

  it('additions into two different empty flow collections do not share commas', () => {
    edits('a: []\nb: []\n', [add('/a/-', 'x'), add('/b/-', 'y')], 'a: [x]\nb: [y]\n');
    edits('a: {}\nb: {}\n', [add('/a/k', '1'), add('/b/k', '2')], 'a: {k: 1}\nb: {k: 2}\n');
  });

  it('removes a flow list item with the comma after it, or the comma before it when it is last', () => {
    edits('l: [a, b, c]\n', [remove('/l/0')], 'l: [b, c]\n');
    edits('l: [a, b, c]\n', [remove('/l/1')], 'l: [a, c]\n');
    edits('l: [a, b, c]\n', [remove('/l/2')], 'l: [a, b]\n');
    edits('l: [a,b,c]\n', [remove('/l/0')], 'l: [b,c]\n');
    edits('l: [a,b,c]\n', [remove('/l/2')], 'l: [a,b]\n');
    edits('l: [a ,  b]\n', [remove('/l/0')], 'l: [b]\n');
    edits('l: [a,  c]\n', [remove('/l/1')], 'l: [a]\n');
    edits('l: [a]\n', [remove('/l/0')], 'l: []\n');
    // Commas elsewhere in the file are not this item's.
    edits('x: {l: [a, c], m: 1}\n', [remove('/x/l/1')], 'x: {l: [a], m: 1}\n');
    edits('note: "p, q"\nl: [a,  c]\n', [remove('/l/1')], 'note: "p, q"\nl: [a]\n');
    edits('l: [c]\nm: [x, y]\n', [remove('/l/0')], 'l: []\nm: [x, y]\n');
  });
});

describe('in-place edits of block lists', () => {
  it('appends an item at the list’s dash column, also for lists at column 0 and one-letter items', () => {
    edits('l:\n  - a\n  - b\nz: 1\n', [add('/l/-', 'c')], 'l:\n  - a\n  - b\n  - c\nz: 1\n');
    edits('l:\n- a\n- b\nz: 1\n', [add('/l/-', 'c')], 'l:\n- a\n- b\n- c\nz: 1\n');
    edits('l:\n  - a\n  - b', [add('/l/-', 'c')], 'l:\n  - a\n  - b\n  - c\n');
    edits('l:\n  - a\n', [add('/l/-', 'c')], 'l:\n  - a\n  - c\n');
    edits('l:\n  - a\nz: 1', [add('/l/-', 'c')], 'l:\n  - a\n  - c\nz: 1');
    edits('l:\n  - a\n\nz: 1\n', [add('/l/-', '{x: 1}')], 'l:\n  - a\n  - {x: 1}\n\nz: 1\n');
  });

  it('removes an item with its lines, one-letter items and indexes past 9 included', () => {
    edits('l:\n  - a\n  - b\n', [remove('/l/0')], 'l:\n  - b\n');
    edits('l:\n- a\n- b\n', [remove('/l/1')], 'l:\n- a\n');
    const eleven = `l:\n${Array.from({ length: 11 }, (_, i) => `  - v${i}\n`).join('')}`;
    edits(eleven, [remove('/l/10')], eleven.replace('  - v10\n', ''));
    edits('l:\n  -   wide\n  - b\n', [remove('/l/0')], 'l:\n  - b\n');
  });

  it('refuses to remove an item that shares its line with another dash', () => {
    refused('l:\n  - - a\n    - b\n', [remove('/l/0/0')]);
  });

  it('refuses to add to or remove from a list whose first item sits on the line after its dash', () => {
    refused('l:\n  -\n    a\n', [add('/l/-', 'c')]);
    refused('l:\n  -\n    a\n', [remove('/l/0')]);
  });

  it('refuses list edits that do not name a plain index, or add anywhere but the end', () => {
    refused('l:\n  - a\n  - b\n', [remove('/l/1.0')]);
    refused('l:\n  - a\n  - b\n', [remove('/l/-1')]);
    refused('l:\n  - a\n  - b\n', [remove('/l/x')]);
    refused('l:\n  - a\n  - b\n', [remove('/l/2')]);
    refused('l:\n  - a\n  - b\n', [add('/l/0', 'c')]);
    refused('l:\n  - a\n  - b\n', [set('/l/2', 'c')]);
    refused('l:\n  - a\n  - b\n', [set('/l/-1', 'c')]);
  });
});

describe('what applyValueEdits refuses or leaves alone', () => {
  it('no edits: the text comes back as it is, even when it does not parse', () => {
    assert.deepEqual(applyValueEdits('a: [\n', []), { text: 'a: [\n', failed: [] });
  });

  it('refuses the whole document as a target, a missing document, a document with errors, a multi-line addition', () => {
    refused('a: 1\n', [set('', '2')]);
    refused('a: 1\n', [set('/', '2')]);
    refused('a: 1\n', [set('/a', '2', 3)]);
    refused('a: 1\nb: [unclosed\n', [set('/a', '2')]);
    refused('a: 1\n', [add('/b', 'x:\n  y: 1')]);
    refused('a: 1\n', [{ docIndex: 0, pointer: '/a', op: 'set' }]);
    refused('a: 1\n', [{ docIndex: 0, pointer: '/b', op: 'add' }]);
    refused('a: 1\n', [add('/a/b/c', '1')]);
    refused('a: x\n', [add('/a/b', '1')]);
    refused('a: x\n', [remove('/a/b')]);
  });

  it('refuses to set a key that has no value and no colon of its own (an explicit `? key`, a flow `{key}`)', () => {
    refused('? a\n', [set('/a', 'x')]);
    refused('m:\n  ? a\n', [set('/m/a', 'x')]);
    refused('x: {a}\n', [set('/x/a', '1')]);
  });

  it('refuses block scalars (literal and folded): they cannot be replaced in place', () => {
    refused('script: |\n  echo hi\n', [set('/script', 'x')]);
    refused('text: >\n  folded\n  words\n', [set('/text', 'x')]);
    edits('text: "plain"\n', [set('/text', 'x')], 'text: x\n');
  });

  it('edits the document it is told to, in a multi-document file', () => {
    edits('a: 1\n---\na: 1\n', [set('/a', '2', 1)], 'a: 1\n---\na: 2\n');
  });

  it('an edit inside a value another edit replaces is refused, whichever comes first', () => {
    const text = 'data:\n  A: 1\n  B: 2\nz: 1\n';
    assert.deepEqual(applyValueEdits(text, [set('/data', '{A: 9}'), set('/data/A', '5')]), { text: 'data:\n  {A: 9}\nz: 1\n', failed: [set('/data/A', '5')] });
    assert.deepEqual(applyValueEdits(text, [set('/data/A', '5'), set('/data', '{A: 9}')]), { text: 'data:\n  {A: 9}\nz: 1\n', failed: [set('/data/A', '5')] });
  });

  it('many additions to one mapping are written in the order given', () => {
    const keys = ['e', 'b', 'd', 'a2', 'c'];
    const result = applyValueEdits('m:\n  a: 1\nz: 1\n', keys.map((k) => add(`/m/${k}`, '1')));
    assert.deepEqual(result.failed, []);
    assert.equal(result.text, `m:\n  a: 1\n${keys.map((k) => `  ${k}: 1\n`).join('')}z: 1\n`);
  });

  it('additions at one spot go into the inner block before the outer one', () => {
    edits('a:\n  b:\n    c: 1\nz: 1\n', [add('/a/x', '1'), add('/a/b/y', '2')], 'a:\n  b:\n    c: 1\n    y: 2\n  x: 1\nz: 1\n');
  });

  it('adds into a flow collection nested last in another one, not into the outer one', () => {
    const map = applyValueEdits('x: {a: {b: 1}}\n', [add('/x/a/c', '2')]);
    assert.deepEqual(map.failed, []);
    assert.deepEqual(parse(map.text), { x: { a: { b: 1, c: 2 } } });
    const seq = applyValueEdits('x: [[a], [b]]\n', [add('/x/1/-', 'c')]);
    assert.deepEqual(seq.failed, []);
    assert.deepEqual(parse(seq.text), { x: [['a'], ['b', 'c']] });
  });

  it('setting a key without a value of its own never writes into the next key', () => {
    for (const [text, pointer, expected] of [['? a\nb: 1\n', '/a', { a: 'x', b: 1 }], ['m: {a, b: 1}\n', '/m/a', { m: { a: 'x', b: 1 } }]] as const) {
      const result = applyValueEdits(text, [set(pointer, 'x')]);
      if (result.failed.length === 0) assert.deepEqual(parse(result.text), expected, JSON.stringify(result.text));
      else assert.equal(result.text, text);
    }
  });

  it('replacing the only item of a flow list by two others gives a valid list', () => {
    const result = applyValueEdits('hosts: [c]\n', [add('/hosts/-', 'a'), add('/hosts/-', 'b'), remove('/hosts/0')]);
    assert.deepEqual(result.failed, []);
    assert.deepEqual(parse(result.text), { hosts: ['a', 'b'] });
  });

  it('sets an empty value written with a space after the colon or dash in that space', () => {
    edits('a: \nb: 1\n', [set('/a', '1')], 'a: 1\nb: 1\n');
    edits('l:\n  - \nz: 1\n', [set('/l/0', '1')], 'l:\n  - 1\nz: 1\n');
  });

  it('sets an empty value (`key:`, `key:   # comment`, `key: &anchor`): the result parses to the source’s value', () => {
    for (const text of ['a:\nb: 1\n', 'a:   # c\nb: 1\n', 'b: 1\na:\n', 'a: &x\nb: 1\n', 'a: !!null\nb: 1\n']) {
      const result = applyValueEdits(text, [set('/a', '1')]);
      assert.deepEqual(result.failed, []);
      assert.deepEqual(parse(result.text), { a: 1, b: 1 }, JSON.stringify(result.text));
    }
  });
});

// ---- Property: random edits keep every line they do not touch ----

describe('property: in-place edits change only the edited lines', () => {
  it('random block documents with comments and flow lists: after random sets, adds and removes, the text parses to the expected value and every comment and untouched line stays', () => {
    const rnd = random(20261207);
    for (let round = 0; round < 150; round++) {
      const count = 2 + Math.floor(rnd() * 5);
      const keys = Array.from({ length: count }, (_, i) => `k${i}`);
      const expected: Record<string, unknown> = {};
      const lines: string[] = [];
      const edited = new Set<number>();
      const list: ValueEdit[] = [];
      const blockList = rnd() < 0.5;
      // Lists keep at least two items: removing the only item of a block list leaves `items:` (null, not
      // []), which is a different value, not an in-place edit.
      const listItems = ['p', 'q', 'r'].slice(0, 2 + Math.floor(rnd() * 2));
      lines.push(`# round ${round}`);
      for (const key of keys) {
        const value = Math.floor(rnd() * 100);
        lines.push(`${key}: ${value}  # about ${key}`);
        const line = lines.length - 1;
        expected[key] = value;
        if (rnd() < 0.3) lines.push('');
        const choice = rnd();
        if (choice < 0.3) {
          const next = value + 1000;
          list.push(set(`/${key}`, String(next)));
          expected[key] = next;
          edited.add(line);
        } else if (choice < 0.45) {
          list.push(remove(`/${key}`));
          delete expected[key];
          edited.add(line);
        }
      }
      lines.push(blockList ? 'items:' : `items: [${listItems.join(', ')}]`);
      if (blockList) for (const item of listItems) lines.push(`  - ${item}`);
      const items = [...listItems];
      if (rnd() < 0.5) {
        const index = Math.floor(rnd() * listItems.length);
        list.push(remove(`/items/${index}`));
        items.splice(index, 1);
        if (blockList) edited.add(lines.length - listItems.length + index);
      }
      if (rnd() < 0.5) {
        list.push(add('/items/-', 'added'));
        items.push('added');
      }
      expected.items = items;
      if (rnd() < 0.5) {
        list.push(add('/extra', '"new"'));
        expected.extra = 'new';
      }
      const endsWithNewline = rnd() < 0.7;
      const text = lines.join('\n') + (endsWithNewline ? '\n' : '');
      const result = applyValueEdits(text, list);
      const context = `round ${round}\n--- text\n${text}\n--- edits ${JSON.stringify(list)}\n--- written\n${result.text}`;
      assert.deepEqual(result.failed, [], context);
      assert.deepEqual(parse(result.text), expected, context);
      const written = result.text.split('\n');
      lines.forEach((line, i) => {
        if (edited.has(i) || line.startsWith('items')) return;
        assert.ok(written.includes(line), `${context}\nlost line ${JSON.stringify(line)}`);
      });
      // Comments of set values stay on their lines.
      for (const edit of list.filter((e) => e.op === 'set')) {
        const key = edit.pointer.slice(1);
        assert.ok(written.includes(`${key}: ${edit.yaml}  # about ${key}`), `${context}\nset ${key}`);
      }
      if (list.length === 0) assert.equal(result.text, text);
    }
  });
});
