// Ignore rules: JSON pointers, the supported jq subset (and a clear refusal of the rest),
// managedFieldsManagers, resource matching, and reading rules from Argo CD and Flux objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEnvironment, compareResource } from '../../src/core/drift/compare';
import type { CompareOptions, KubeObject, ResourceDrift } from '../../src/core/drift/driftTypes';
import { compileIgnoreRules, ignoreRulesFromArgoApplication, ignoreRulesFromFlux, type IgnoreRule } from '../../src/core/drift/ignoreRules';
import { JqPathError, jqPathsIn, parseJqPath } from '../../src/core/drift/jqPath';
import { parseLabelSelector } from '../../src/core/drift/labelSelector';

function deployment(replicas: number, images: Record<string, string>, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', annotations },
    spec: {
      replicas,
      template: { spec: { containers: Object.entries(images).map(([name, image]) => ({ name, image })) } },
    },
  };
}

function compare(desired: KubeObject, live: KubeObject, options: CompareOptions = {}): ResourceDrift {
  return compareResource({ desired: { object: desired }, live, options });
}

const drifted = deployment(5, { web: 'web:2', sidecar: 'proxy:9' }, { 'example.com/build': 'b2', 'a~b/c': 'live' });
const git = deployment(2, { web: 'web:1', sidecar: 'proxy:1' }, { 'example.com/build': 'b1', 'a~b/c': 'git' });

test('without rules every difference is drift (so the rules below can be seen working)', () => {
  assert.equal(compare(git, drifted).fields.length, 5);
});

test('jsonPointers remove the field from both sides and count as ignored', () => {
  const result = compare(git, drifted, {
    ignoreRules: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/a~0b~1c'] }],
  });
  assert.deepEqual(
    result.fields.map((f) => f.pointer),
    ['/metadata/annotations/example.com~1build', '/spec/template/spec/containers/0/image', '/spec/template/spec/containers/1/image'],
  );
  assert.equal(result.ignored, 2);
});

test('a pointer Git dropped that the last apply declared is not resurrected as drift', () => {
  const live = deployment(5, { web: 'web:1', sidecar: 'proxy:1' });
  (live.metadata as Record<string, unknown>).annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(deployment(3, { web: 'web:1', sidecar: 'proxy:1' })) };
  const desired = deployment(2, { web: 'web:1', sidecar: 'proxy:1' });
  delete (desired.spec as Record<string, unknown>).replicas;
  assert.equal(compare(desired, live).status, 'Drifted');
  assert.equal(compare(desired, live, { ignoreRules: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] }).status, 'InSync');
});

test('jq: a plain path, a select on a named container, bracket keys', () => {
  const result = compare(git, drifted, {
    ignoreRules: [
      {
        kind: 'Deployment',
        jqPathExpressions: ['.spec.replicas', '.spec.template.spec.containers[] | select(.name == "sidecar") | .image', '.metadata.annotations["example.com/build"]'],
      },
    ],
  });
  assert.deepEqual(
    result.fields.map((f) => f.path),
    ['metadata.annotations["a~b/c"]', 'spec.template.spec.containers[name=web].image'],
  );
  assert.equal(result.ignored, 3);
});

test('jq: optional iteration (.a[]?.b), quoted keys, and/or in select', () => {
  const webhook = {
    webhooks: [
      { name: 'a', clientConfig: { caBundle: 'AAA' } },
      { name: 'b', clientConfig: { caBundle: 'BBB' } },
    ],
    metadata: { labels: { 'x.y': '1' } },
  };
  assert.deepEqual(jqPathsIn(parseJqPath('.webhooks[]?.clientConfig.caBundle'), webhook), [
    ['webhooks', 0, 'clientConfig', 'caBundle'],
    ['webhooks', 1, 'clientConfig', 'caBundle'],
  ]);
  assert.deepEqual(jqPathsIn(parseJqPath('.metadata.labels."x.y"'), webhook), [['metadata', 'labels', 'x.y']]);
  assert.deepEqual(jqPathsIn(parseJqPath('.webhooks[] | select(.name == "a" or .name == "c") | .clientConfig'), webhook), [['webhooks', 0, 'clientConfig']]);
  assert.deepEqual(jqPathsIn(parseJqPath('.webhooks[] | select(.name != "a" and .clientConfig.caBundle == "BBB")'), webhook), [['webhooks', 1]]);
  assert.deepEqual(jqPathsIn(parseJqPath('.webhooks[-1].name'), webhook), [['webhooks', 1, 'name']]);
  assert.deepEqual(jqPathsIn(parseJqPath('.missing.deeper'), webhook), []);
});

test('jq: unsupported expressions are refused with a message that says what is supported', () => {
  for (const expression of ['.spec | length', '..', '.a as $x | $x', 'del(.a)', '.a + 1', '.a[1:2]', '.spec.replicas |']) {
    assert.throws(() => parseJqPath(expression), (error: unknown) => {
      assert.ok(error instanceof JqPathError, `${expression}: ${String(error)}`);
      assert.match(error.message, /unsupported jq expression/);
      assert.match(error.message, /Supported: paths/);
      return true;
    });
  }
});

test('broken rules become problems in the environment result; the rest of the rule still applies', () => {
  const rules: IgnoreRule[] = [{ kind: 'Deployment', jsonPointers: ['spec/replicas', '/spec/replicas'], jqPathExpressions: ['.spec | keys'] }];
  const compiled = compileIgnoreRules(rules);
  assert.equal(compiled.problems.length, 2);
  assert.match(compiled.problems[0], /not a JSON pointer/);
  assert.match(compiled.problems[1], /function "keys"|"keys"/);
  const result = compareEnvironment([{ object: git }], [drifted], { ignoreRules: rules });
  assert.equal(result.problems.length, 2);
  assert.ok(!result.resources[0].fields.some((f) => f.pointer === '/spec/replicas'));
});

test('managedFieldsManagers: a field owned only by the listed managers is ignored; a shared one is not', () => {
  const live = structuredClone(drifted);
  (live.metadata as Record<string, unknown>).managedFields = [
    { manager: 'kube-controller-manager', operation: 'Update', time: '2025-03-02T08:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    {
      manager: 'kubectl-edit',
      operation: 'Update',
      time: '2025-03-01T08:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      time: '2025-03-02T08:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } },
    },
  ];
  const plain = compare(git, live);
  const replicas = plain.fields.find((f) => f.pointer === '/spec/replicas');
  assert.equal(replicas?.manager, 'kube-controller-manager');
  assert.equal(replicas?.changedAt, '2025-03-02T08:00:00Z');
  const result = compare(git, live, { ignoreRules: [{ kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }] });
  assert.ok(!result.fields.some((f) => f.pointer === '/spec/replicas'), 'replicas is owned by the HPA-like manager only');
  assert.ok(result.fields.some((f) => f.path === 'spec.template.spec.containers[name=web].image'), 'the web image is shared with kubectl-edit');
  assert.equal(result.ignored, 1);
});

test('rules match by group, kind, name and namespace; group "" is the core group; globs work', () => {
  const pointer = ['/spec/replicas'];
  const ignoredBy = (rule: IgnoreRule) => !compare(git, drifted, { ignoreRules: [{ ...rule, jsonPointers: pointer }] }).fields.some((f) => f.pointer === '/spec/replicas');
  assert.equal(ignoredBy({ group: 'apps', kind: 'Deployment' }), true);
  assert.equal(ignoredBy({ group: '', kind: 'Deployment' }), false, 'core group only');
  assert.equal(ignoredBy({ group: 'ap*', kind: 'Deploy*' }), true);
  assert.equal(ignoredBy({ kind: 'StatefulSet' }), false);
  assert.equal(ignoredBy({ kind: 'Deployment', name: 'web', namespace: 'shop' }), true);
  assert.equal(ignoredBy({ kind: 'Deployment', name: 'api' }), false);
  assert.equal(ignoredBy({ kind: 'Deployment', namespace: 'other' }), false);
  assert.equal(ignoredBy({}), true, 'a rule with no target applies to everything');
});

test('rules read from an Argo CD Application keep its meaning (missing group = core group)', () => {
  const application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    spec: {
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { kind: 'ConfigMap', name: 'settings', jqPathExpressions: ['.data.generated'] },
        { group: '*', kind: '*', managedFieldsManagers: ['kube-controller-manager'] },
        'not a rule',
      ],
    },
  };
  const rules = ignoreRulesFromArgoApplication(application);
  assert.equal(rules.length, 3);
  assert.deepEqual(rules[0], { group: 'apps', kind: 'Deployment', name: undefined, namespace: undefined, jsonPointers: ['/spec/replicas'], jqPathExpressions: [], managedFieldsManagers: [], match: 'glob' });
  assert.equal(rules[1].group, '');
  assert.deepEqual(rules[2].managedFieldsManagers, ['kube-controller-manager']);
  assert.deepEqual(ignoreRulesFromArgoApplication({ spec: {} }), []);
  assert.equal(compare(git, drifted, { ignoreRules: [rules[0]] }).fields.some((f) => f.pointer === '/spec/replicas'), false);
});

test('rules read from Flux (Kustomization driftIgnoreRules, HelmRelease driftDetection.ignore) match targets by regex and selectors', () => {
  const kustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    spec: {
      driftIgnoreRules: [
        { paths: ['/spec/replicas'], target: { kind: 'Deploy.*', name: 'we.' } },
        { paths: ['/metadata/annotations'], target: { kind: 'Deployment', labelSelector: 'tier=frontend' } },
      ],
    },
  };
  const rules = ignoreRulesFromFlux(kustomization);
  assert.equal(rules.length, 2);
  assert.equal(rules[0].match, 'regex');
  const result = compare(git, drifted, { ignoreRules: rules });
  assert.ok(!result.fields.some((f) => f.pointer === '/spec/replicas'), 'regex target matches');
  assert.ok(result.fields.some((f) => f.pointer.startsWith('/metadata/annotations')), 'label selector does not match: Git has no tier label');
  // Anchored: "we" does not match "web".
  assert.equal(compare(git, drifted, { ignoreRules: ignoreRulesFromFlux({ kind: 'Kustomization', spec: { driftIgnoreRules: [{ paths: ['/spec/replicas'], target: { name: 'we' } }] } }) }).fields.some((f) => f.pointer === '/spec/replicas'), true);

  const helmRelease = { kind: 'HelmRelease', spec: { driftDetection: { mode: 'enabled', ignore: [{ paths: ['/spec/replicas'] }] } } };
  const helmRules = ignoreRulesFromFlux(helmRelease);
  assert.deepEqual(helmRules.map((r) => r.jsonPointers), [['/spec/replicas']]);
  assert.equal(compare(git, drifted, { ignoreRules: helmRules }).fields.some((f) => f.pointer === '/spec/replicas'), false);
});

test('label selectors: equality, inequality, set and existence terms', () => {
  const match = parseLabelSelector('app=web,tier!=db,env in (dev, qa),!legacy,team');
  assert.equal(match({ app: 'web', tier: 'frontend', env: 'qa', team: 'x' }), true);
  assert.equal(match({ app: 'web', tier: 'db', env: 'qa', team: 'x' }), false);
  assert.equal(match({ app: 'web', env: 'prod', team: 'x' }), false);
  assert.equal(match({ app: 'web', env: 'dev', team: 'x', legacy: 'yes' }), false);
  assert.equal(match({ app: 'web', env: 'dev' }), false);
  assert.equal(parseLabelSelector('')({}), true);
  assert.equal(parseLabelSelector('env notin (prod)')({ env: 'dev' }), true);
  assert.throws(() => parseLabelSelector('app=web,=oops'), /cannot read/);
});

test('jq select paths are found on each side separately, even when the item sits at another index live', () => {
  const live = deployment(2, { sidecar: 'proxy:9', web: 'web:2' });
  const result = compare(git, live, {
    ignoreRules: [{ kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "sidecar") | .image'] }],
  });
  assert.deepEqual(
    result.fields.map((f) => [f.path, f.desired, f.live]),
    [
      ['metadata.annotations', { 'example.com/build': 'b1', 'a~b/c': 'git' }, undefined],
      ['spec.template.spec.containers[name=web].image', 'web:1', 'web:2'],
    ],
  );
  assert.equal(result.ignored, 1);
});

test('owning a labels map (f:labels: {}) is not owning each label: such a label is not ignored by manager', () => {
  const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { tier: 'web' } } };
  const live = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      labels: { tier: 'db' },
      managedFields: [{ manager: 'label-syncer', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }],
    },
  };
  const result = compare(desired, live, { ignoreRules: [{ managedFieldsManagers: ['label-syncer'] }] });
  assert.deepEqual(result.fields.map((f) => [f.pointer, f.manager]), [['/metadata/labels/tier', undefined]]);
  // Whereas an atomic field owned whole (f:selector: {}) is owned down to its leaves.
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'a' } } };
  const liveService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', managedFields: [{ manager: 'selector-bot', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:selector': {} } } }] },
    spec: { selector: { app: 'b' } },
  };
  assert.equal(compare(service, liveService, { ignoreRules: [{ managedFieldsManagers: ['selector-bot'] }] }).status, 'InSync');
});

test('several list items ignored by jsonPointers: each is removed where it was, the highest index first, and nothing else is hidden', () => {
  // Removing /spec/args/0 first would shift the list, so /spec/args/2 would remove the wrong item
  // (the real change at index 3 would be hidden and the ignored one reported).
  const withArgs = (args: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {}, spec: { args } });
  const options: CompareOptions = { ignoreRules: [{ kind: 'ConfigMap', jsonPointers: ['/spec/args/0', '/spec/args/2', '/spec/args/10'] }] };
  const desired = withArgs(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
  const live = withArgs(['A', 'b', 'C', 'D', 'e', 'f', 'g', 'h', 'i', 'j', 'K', 'l']);
  const result = compare(desired, live, options);
  assert.equal(result.status, 'Drifted');
  // After the three removals the lists line up again; only d → D (index 3 → 1 after removal) is left.
  assert.deepEqual(result.fields.map((f) => [f.desired, f.live]), [['d', 'D']]);
  assert.equal(result.ignored, 3);
});
