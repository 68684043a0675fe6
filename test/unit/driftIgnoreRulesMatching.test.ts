// Which resources an ignore rule applies to (globs, Flux's anchored expressions, selectors), the
// problems a broken rule reports, how removed paths are counted, and how rules are read from Argo
// CD and Flux objects: each case a distinction a user's rule depends on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileIgnoreRules,
  ignoredManagers,
  ignoreRulesFromArgoApplication,
  ignoreRulesFromFlux,
  removeIgnoredPaths,
  rulesFor,
  type IgnoreRule,
} from '../../src/core/drift/ignoreRules';
import type { ResourceId } from '../../src/core/model';

const web: ResourceId = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

function applies(rule: IgnoreRule, id: ResourceId = web, object?: Record<string, unknown>): boolean {
  const compiled = compileIgnoreRules([rule]);
  assert.deepEqual(compiled.problems, []);
  return compiled.rules[0].appliesTo(id, object);
}

test('glob rules: exact names without wildcards, * and ? with them', () => {
  assert.equal(applies({ name: 'web' }), true);
  assert.equal(applies({ name: 'we' }), false);
  assert.equal(applies({ name: 'web-2' }, { ...web, name: 'web' }), false);
  assert.equal(applies({ name: 'w*' }), true);
  assert.equal(applies({ name: 'w?b' }), true);
  assert.equal(applies({ name: 'w?' }), false);
  assert.equal(applies({ name: 'x*' }), false);
  assert.equal(applies({ kind: 'Deploy*' }), true);
  assert.equal(applies({ namespace: 'sh?p' }), true);
  assert.equal(applies({ namespace: 'prod' }), false);
  assert.equal(applies({ version: 'v1' }), true);
  assert.equal(applies({ version: 'v2' }), false);
  assert.equal(applies({ group: 'apps' }), true);
  assert.equal(applies({ group: 'batch' }), false);
  assert.equal(applies({ kind: 'Service' }), false);
});

test('glob rules: an empty kind, name or namespace means any; an empty group is the core group', () => {
  assert.equal(applies({ kind: '', name: '', namespace: '', version: '' }), true);
  assert.equal(applies({ name: null, namespace: null }), true);
  assert.equal(applies({ group: '' }), false, 'apps is not the core group');
  assert.equal(applies({ group: '' }, { ...web, group: '' }), true);
  assert.equal(applies({}), true);
});

test('a cluster-scoped object has the empty namespace', () => {
  const node: ResourceId = { group: '', version: 'v1', kind: 'Namespace', namespace: null, name: 'shop' };
  assert.equal(applies({ namespace: '*' }, node), true);
  assert.equal(applies({ namespace: 'shop' }, node), false);
  assert.equal(applies({ match: 'regex', namespace: '^$' }, node), true);
});

test('regex rules (Flux) are anchored, and an empty group means any group', () => {
  assert.equal(applies({ match: 'regex', name: 'we' }), false, 'anchored at the end');
  assert.equal(applies({ match: 'regex', name: 'eb' }), false, 'anchored at the start');
  assert.equal(applies({ match: 'regex', name: 'w.b' }), true);
  assert.equal(applies({ match: 'regex', name: 'web|api' }), true, 'alternatives stay inside the anchors');
  assert.equal(applies({ match: 'regex', name: 'api|we' }), false);
  assert.equal(applies({ match: 'regex', group: '' }), true);
  assert.equal(applies({ match: 'regex', group: 'app' }), false);
  assert.equal(applies({ match: 'regex', kind: 'Deploy.*', version: 'v[0-9]+' }), true);
  assert.equal(applies({ match: 'regex', namespace: 'prod.*' }), false);
});

test('a regex rule matches the name written literally, and refuses to run a regex on an overlong name', () => {
  assert.equal(applies({ match: 'regex', name: 'a+b' }, { ...web, name: 'a+b' }), true, 'the literal name matches itself');
  const long = 'a'.repeat(254);
  assert.equal(applies({ match: 'regex', name: 'a+' }, { ...web, name: long }), false);
  assert.equal(applies({ match: 'regex', name: 'a+' }, { ...web, name: 'a'.repeat(253) }), true);
  assert.equal(applies({ match: 'regex', name: long }, { ...web, name: long }), true);
});

test('a regex that could run for minutes makes the whole rule unused, with the rule named', () => {
  const compiled = compileIgnoreRules([
    { kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    { group: 'apps', kind: 'Deployment', namespace: 'shop', name: '(a+)+\\1', match: 'regex', jsonPointers: ['/spec/replicas'] },
  ]);
  assert.equal(compiled.rules.length, 1);
  assert.deepEqual(compiled.problems, [
    'ignore rule 2 (apps/Deployment/shop/(a+)+\\1) is not used: the pattern "(a+)+\\1" uses a back-reference, which could take minutes to match here',
  ]);
});

test('problems name the rule by its position and by what it targets', () => {
  const compiled = compileIgnoreRules([
    { jsonPointers: [''] },
    { kind: 'Deployment', name: 'web', jsonPointers: ['spec'] },
    { labelSelector: 'a in (' },
  ]);
  assert.equal(compiled.problems.length, 3);
  assert.equal(compiled.problems[0], 'ignore rule 1: the pointer "" would ignore the whole object; it is not used');
  assert.match(compiled.problems[1], /^ignore rule 2 \(Deployment\/web\): /);
  assert.match(compiled.problems[2], /^ignore rule 3 is not used: /);
  assert.equal(compiled.rules.length, 2, 'a rule whose selector cannot be read is dropped; the others keep the rest');
  assert.deepEqual(compiled.rules[0].pointers, []);
  assert.deepEqual(compiled.rules[1].pointers, []);
  assert.match(compileIgnoreRules([{ annotationSelector: '!' }]).problems[0] ?? '', /^ignore rule 1 is not used/);
});

test('compiled rules keep their pointers, jq paths and managers', () => {
  const [rule] = compileIgnoreRules([{ jsonPointers: ['/spec/replicas', '/a~1b'], jqPathExpressions: ['.spec.x'], managedFieldsManagers: ['hpa', 'hpa', 'vpa'] }]).rules;
  assert.deepEqual(rule.pointers, [['spec', 'replicas'], ['a/b']]);
  assert.equal(rule.jq.length, 1);
  assert.deepEqual([...rule.managers], ['hpa', 'vpa']);
  const [bare] = compileIgnoreRules([{}]).rules;
  assert.deepEqual(bare.pointers, []);
  assert.deepEqual(bare.jq, []);
  assert.equal(bare.managers.size, 0);
});

test('label and annotation selectors read the object metadata, string values only', () => {
  const object = { metadata: { labels: { app: 'web', count: 3 }, annotations: { team: 'a' } } };
  assert.equal(applies({ labelSelector: 'app=web' }, web, object), true);
  assert.equal(applies({ labelSelector: 'app=api' }, web, object), false);
  assert.equal(applies({ labelSelector: 'count' }, web, object), false, 'a non-string label value is no label');
  assert.equal(applies({ labelSelector: '!count' }, web, object), true);
  assert.equal(applies({ annotationSelector: 'team=a' }, web, object), true);
  assert.equal(applies({ annotationSelector: 'team=b' }, web, object), false);
  assert.equal(applies({ labelSelector: 'app=web', annotationSelector: 'team=b' }, web, object), false);
  assert.equal(applies({ labelSelector: 'app' }, web, undefined), false, 'no object: no labels');
  assert.equal(applies({ labelSelector: '!app' }, web, { metadata: 'text' }), true);
  assert.equal(applies({ labelSelector: 'app' }, web, { metadata: { labels: ['app'] } }), false);
  assert.equal(applies({ labelSelector: '' }, web, object), true, 'an empty selector selects everything');
});

test('rulesFor keeps the rules that apply, in order', () => {
  const { rules } = compileIgnoreRules([{ kind: 'Deployment' }, { kind: 'Service' }, { name: 'w*' }]);
  assert.deepEqual(
    rulesFor(rules, web, undefined).map((rule) => rule.rule),
    [{ kind: 'Deployment' }, { name: 'w*' }],
  );
});

test('ignoredManagers merges the managers of every rule', () => {
  const { rules } = compileIgnoreRules([{ managedFieldsManagers: ['hpa'] }, { managedFieldsManagers: ['vpa', 'hpa'] }, {}]);
  assert.deepEqual([...ignoredManagers(rules)].sort(), ['hpa', 'vpa']);
  assert.equal(ignoredManagers([]).size, 0);
});

test('removeIgnoredPaths counts a pointer only where the two sides differ', () => {
  const { rules } = compileIgnoreRules([{ jsonPointers: ['/spec/replicas', '/spec/paused', '/spec/same', '/spec/onlyLive', '/spec/list/1'] }]);
  const desired = { spec: { replicas: 2, same: { a: 1, b: 2 }, list: ['a', 'b'] } };
  const live = { spec: { replicas: 5, same: { b: 2, a: 1 }, onlyLive: true, list: ['a', 'c'] } };
  assert.equal(removeIgnoredPaths(rules, [desired, live], false), 3);
  assert.deepEqual(desired, { spec: { list: ['a'] } });
  assert.deepEqual(live, { spec: { list: ['a'] } });
});

test('removeIgnoredPaths in local mode counts only what the desired side declares', () => {
  const { rules } = compileIgnoreRules([{ jsonPointers: ['/spec/replicas', '/spec/onlyLive'] }]);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { replicas: 2 } }, { spec: { replicas: 5, onlyLive: 1 } }], true), 1);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { replicas: 2 } }, { spec: { replicas: 5, onlyLive: 1 } }], false), 2);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { replicas: 2 } }, { spec: {} }], true), 1, 'declared in Git, absent live: counted');
});

test('removeIgnoredPaths removes jq-selected list items from the highest index down, so no other item shifts into a removed place', () => {
  const { rules } = compileIgnoreRules([{ jqPathExpressions: ['.spec.items[] | select(.drop == true)'] }]);
  const desired = { spec: { items: [{ n: 1, drop: true }, { n: 2 }, { n: 3, drop: true }, { n: 4 }] } };
  const live = structuredClone(desired);
  removeIgnoredPaths(rules, [desired, live], false);
  assert.deepEqual(desired.spec, { items: [{ n: 2 }, { n: 4 }] });
  assert.deepEqual(live.spec, desired.spec);
});

test('removeIgnoredPaths removes deeper paths before their parents and handles both orders of sibling keys', () => {
  const { rules } = compileIgnoreRules([{ jsonPointers: ['/spec/b', '/spec/a/x', '/spec/a', '/spec/c/0/x'] }]);
  const object = { spec: { a: { x: 1 }, b: 2, c: [{ x: 1, y: 2 }], d: 4 } };
  removeIgnoredPaths(rules, [object, structuredClone(object)], false);
  assert.deepEqual(object, { spec: { c: [{ y: 2 }], d: 4 } });
});

test('removeIgnoredPaths: a jq path counts once when its values differ, also when only one side has matches', () => {
  const { rules } = compileIgnoreRules([{ jqPathExpressions: ['.spec.containers[] | select(.name == "side") | .image'] }]);
  const withSide = (image: string) => ({ spec: { containers: [{ name: 'web', image: 'w' }, { name: 'side', image }] } });
  assert.equal(removeIgnoredPaths(rules, [withSide('a'), withSide('b')], false), 1);
  assert.equal(removeIgnoredPaths(rules, [withSide('a'), withSide('a')], false), 0);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { containers: [] } }, withSide('a')], false), 1);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { containers: [] } }, withSide('a')], true), 0, 'local mode: Git has none');
  assert.equal(removeIgnoredPaths(rules, [withSide('a'), { spec: { containers: [] } }], true), 1);
  assert.equal(removeIgnoredPaths(rules, [{ spec: {} }, { spec: {} }], false), 0);
});

test('removeIgnoredPaths finds jq matches in each object separately, including the last-applied one', () => {
  const { rules } = compileIgnoreRules([{ jqPathExpressions: ['.spec.containers[] | select(.name == "side") | .image'] }]);
  const desired = { spec: { containers: [{ name: 'side', image: 'a' }] } };
  const live = { spec: { containers: [{ name: 'web', image: 'w' }, { name: 'side', image: 'b' }] } };
  const applied = { spec: { containers: [{ name: 'x', image: 'x' }, { name: 'y', image: 'y' }, { name: 'side', image: 'c' }] } };
  removeIgnoredPaths(rules, [desired, live, applied], false);
  assert.deepEqual(desired, { spec: { containers: [{ name: 'side' }] } });
  assert.deepEqual(live, { spec: { containers: [{ name: 'web', image: 'w' }, { name: 'side' }] } });
  assert.deepEqual(applied, { spec: { containers: [{ name: 'x', image: 'x' }, { name: 'y', image: 'y' }, { name: 'side' }] } });
});

test('a pointer through a scalar or a missing member reads as absent', () => {
  const { rules } = compileIgnoreRules([{ jsonPointers: ['/spec/replicas/deeper', '/spec/list/5', '/spec/list/0/name'] }]);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { replicas: 2, list: [{ name: 'a' }] } }, { spec: { replicas: 3, list: [{ name: 'a' }] } }], false), 0);
  assert.equal(removeIgnoredPaths(rules, [{ spec: { list: [{ name: 'a' }] } }, { spec: { list: [{ name: 'b' }] } }], false), 1);
});

test('Argo CD ignoreDifferences: every field is read, a missing group is the core group, non-strings are dropped', () => {
  const rules = ignoreRulesFromArgoApplication({
    spec: {
      ignoreDifferences: [
        {
          group: 'apps',
          kind: 'Deployment',
          name: 'web',
          namespace: 'shop',
          jsonPointers: ['/spec/replicas', 5],
          jqPathExpressions: ['.spec.x', null],
          managedFieldsManagers: ['hpa', {}],
        },
        { kind: 'Service', group: 7, name: 3 },
        'not an entry',
      ],
    },
  });
  assert.deepEqual(rules, [
    {
      group: 'apps',
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      jsonPointers: ['/spec/replicas'],
      jqPathExpressions: ['.spec.x'],
      managedFieldsManagers: ['hpa'],
      match: 'glob',
    },
    {
      group: '',
      kind: 'Service',
      name: undefined,
      namespace: undefined,
      jsonPointers: [],
      jqPathExpressions: [],
      managedFieldsManagers: [],
      match: 'glob',
    },
  ]);
});

test('Argo CD: an Application without readable ignoreDifferences has no rules', () => {
  for (const application of [undefined, 'text', {}, { spec: 'text' }, { spec: {} }, { spec: { ignoreDifferences: { kind: 'x' } } }]) {
    assert.deepEqual(ignoreRulesFromArgoApplication(application), [], JSON.stringify(application));
  }
});

test('Flux: a Kustomization reads driftIgnoreRules, a HelmRelease driftDetection.ignore, each with its target as anchored expressions', () => {
  const entry = {
    paths: ['/spec/replicas', 4],
    target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: 'shop', labelSelector: 'app=web', annotationSelector: 'team=a' },
  };
  const expected = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    name: 'web',
    namespace: 'shop',
    labelSelector: 'app=web',
    annotationSelector: 'team=a',
    jsonPointers: ['/spec/replicas'],
    match: 'regex',
  };
  assert.deepEqual(ignoreRulesFromFlux({ kind: 'Kustomization', spec: { driftIgnoreRules: [entry, 'x'] } }), [expected]);
  assert.deepEqual(ignoreRulesFromFlux({ kind: 'HelmRelease', spec: { driftDetection: { ignore: [entry] } } }), [expected]);
  assert.deepEqual(ignoreRulesFromFlux({ kind: 'HelmRelease', spec: { driftIgnoreRules: [entry] } }), [], 'a HelmRelease keeps its rules under driftDetection');
  assert.deepEqual(ignoreRulesFromFlux({ kind: 'Kustomization', spec: { driftDetection: { ignore: [entry] } } }), []);
  assert.deepEqual(ignoreRulesFromFlux({ kind: 'HelmRelease', spec: { driftDetection: 'enabled' } }), []);
});

test('Flux: a rule without a target applies to everything, and unreadable objects give no rules', () => {
  const [rule] = ignoreRulesFromFlux({ kind: 'Kustomization', spec: { driftIgnoreRules: [{ paths: ['/data'], target: 'all' }] } });
  assert.deepEqual(rule, {
    group: undefined,
    version: undefined,
    kind: undefined,
    name: undefined,
    namespace: undefined,
    labelSelector: undefined,
    annotationSelector: undefined,
    jsonPointers: ['/data'],
    match: 'regex',
  });
  assert.equal(applies(rule), true);
  for (const object of [undefined, 'text', { kind: 'Kustomization' }, { kind: 'Kustomization', spec: [] }, { kind: 'Kustomization', spec: { driftIgnoreRules: 'x' } }]) {
    assert.deepEqual(ignoreRulesFromFlux(object), [], JSON.stringify(object));
  }
});

test('a null labels map reads as no labels', () => {
  assert.equal(applies({ labelSelector: '!app' }, web, { metadata: { labels: null, annotations: null } }), true);
  assert.equal(applies({ annotationSelector: 'team' }, web, { metadata: { annotations: null } }), false);
});

test('removeIgnoredPaths removes a field inside a list item before the item itself', () => {
  // Removing item 0 first would shift item 1 into its place and strip its field instead.
  const { rules } = compileIgnoreRules([{ jsonPointers: ['/spec/list/0', '/spec/list/0/x'] }]);
  const object = { spec: { list: [{ x: 1, y: 1 }, { x: 2, y: 2 }] } };
  removeIgnoredPaths(rules, [object, structuredClone(object)], false);
  assert.deepEqual(object, { spec: { list: [{ x: 2, y: 2 }] } });
});
