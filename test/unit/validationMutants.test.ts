// The API server's own Go rules as src/core/validation/apiServerRules.ts reproduces them (names,
// labels, annotations, selectors, containers, ports, policies, Services, Jobs, CronJobs, the kinds
// each rule applies to), with the exact path and message a Kubernetes 1.32 server prints. Exists to
// kill the mutation survivors of apiServerRules.ts, immutableFields.ts (update rules), goValues.ts
// (Go's %#v forms) and objectValidator.ts (`npm run mutate -- core-validation`): each test
// holds one rule the objectValidation tests reached without asserting it. Messages are the facts of
// test/integration/sandboxValidationKubectl.test.ts (the referee against a real kubectl) and of
// apimachinery's validation helpers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  apiServerRuleProblems,
  DNS1035_LABEL_MESSAGE,
  DNS1123_LABEL_MESSAGE,
  DNS1123_SUBDOMAIN_MESSAGE,
  dns1123LabelProblems,
  labelValueProblems,
  qualifiedNameProblems,
  selectorMatchesLabels,
} from '../../src/core/validation/apiServerRules';
import { goLabelSelector, goScalar, goString, goStringMap, goStringSlice } from '../../src/core/validation/goValues';
import { immutableFieldProblems, sameJson } from '../../src/core/validation/immutableFields';
import { serverRuleProblems, splitApiVersion, validateKubernetesObject } from '../../src/core/validation/objectValidator';
import type { FieldProblem, OpenApiSchema } from '../../src/core/validation/openApiSchema';
import type { KindSchema, SchemaCatalog } from '../../src/core/validation/schemaCatalog';
import { seededRandom } from '../support/seededRandom';

type Json = Record<string, unknown>;

/** Every 422 cause as kubectl prints it: `<path>: <message>`. */
function said(object: Json, group: string, kind: string, builtin = true): string[] {
  const result = apiServerRuleProblems(object, group, kind, builtin);
  assert.deepEqual(result.decodeErrors, []);
  return result.invalid.map((problem) => `${problem.path}: ${problem.message}`);
}

function reasons(object: Json, group: string, kind: string): string[] {
  return apiServerRuleProblems(object, group, kind).invalid.map((problem) => `${problem.path} ${problem.reason}`);
}

const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PORTS = 'must be between 1 and 65535, inclusive';

const podSpec = (extra: Json = {}): Json => ({ containers: [{ name: 'web', image: 'nginx' }], ...extra });
const template = (labels: Json = { app: 'web' }, spec: Json = podSpec()): Json => ({ metadata: { labels }, spec });
const workloadSpec = (extra: Json = {}): Json => ({ selector: { matchLabels: { app: 'web' } }, template: template(), ...extra });
const object = (apiVersion: string, kind: string, spec: unknown, metadata: Json = { name: 'web' }): Json => ({ apiVersion, kind, metadata, spec });
const deployment = (spec: unknown = workloadSpec(), metadata?: Json): Json => object('apps/v1', 'Deployment', spec, metadata);
const pod = (spec: unknown = podSpec(), metadata?: Json): Json => object('v1', 'Pod', spec, metadata);
const service = (spec: unknown, metadata?: Json): Json => object('v1', 'Service', spec, metadata);
const configMap = (metadata: Json): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
const job = (spec: unknown): Json => object('batch/v1', 'Job', spec);

describe('apiServerRules: the messages are the server’s own', () => {
  it('exports the DNS-1123 and DNS-1035 messages word for word', () => {
    assert.equal(DNS1123_LABEL_MESSAGE, LABEL);
    assert.equal(DNS1123_SUBDOMAIN_MESSAGE, SUBDOMAIN);
    assert.equal(DNS1035_LABEL_MESSAGE, DNS1035);
  });
});

describe('apiServerRules: DNS names', () => {
  it('a DNS-1123 label: 63 characters pass, 64 are too long; the pattern is checked apart from the length', () => {
    assert.deepEqual(dns1123LabelProblems('a'.repeat(63)), []);
    assert.deepEqual(dns1123LabelProblems('a'.repeat(64)), ['must be no more than 63 characters']);
    assert.deepEqual(dns1123LabelProblems('A'.repeat(64)), ['must be no more than 63 characters', LABEL]);
    assert.deepEqual(dns1123LabelProblems('web.app'), [LABEL]);
  });

  it('every generated DNS-1123 label is accepted; one character outside [a-z0-9-] anywhere is refused', () => {
    const random = seededRandom(1123);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const pick = (chars: string): string => chars[Math.floor(random() * chars.length)];
    for (let run = 0; run < 200; run++) {
      const length = 1 + Math.floor(random() * 30);
      let name = pick(alphabet);
      for (let i = 1; i < length - 1; i++) name += pick(`${alphabet}-`);
      if (length > 1) name += pick(alphabet);
      assert.deepEqual(dns1123LabelProblems(name), [], name);
      assert.deepEqual(said(configMap({ name, namespace: name }), '', 'ConfigMap'), [], name);
      const bad = pick('A_.:/ !Z');
      const at = Math.floor(random() * (name.length + 1));
      const spoiled = name.slice(0, at) + bad + name.slice(at);
      assert.deepEqual(dns1123LabelProblems(spoiled), [LABEL], spoiled);
    }
  });

  it('a label may neither start nor end with a dash', () => {
    for (const name of ['-web', 'web-', '-', '']) assert.deepEqual(dns1123LabelProblems(name), [LABEL], name);
  });

  it('an object name is a DNS-1123 subdomain of at most 253 characters', () => {
    const long253 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
    assert.equal(long253.length, 253);
    assert.deepEqual(said(configMap({ name: long253 }), '', 'ConfigMap'), []);
    assert.deepEqual(said(configMap({ name: `${long253}d` }), '', 'ConfigMap'), ['metadata.name: Invalid value: "' + long253 + 'd": must be no more than 253 characters']);
    assert.deepEqual(said(configMap({ name: 'Web_App' }), '', 'ConfigMap'), [`metadata.name: Invalid value: "Web_App": ${SUBDOMAIN}`]);
    assert.deepEqual(said(configMap({ name: 'web.app-1' }), '', 'ConfigMap'), []);
    assert.deepEqual(said(configMap({ name: 'web..app' }), '', 'ConfigMap'), [`metadata.name: Invalid value: "web..app": ${SUBDOMAIN}`]);
  });

  it('a Service name is a DNS-1035 label (starts with a letter, no dots, ≤ 63); a Namespace name a DNS-1123 label', () => {
    assert.deepEqual(said(service({ ports: [{ port: 80 }] }, { name: '1web' }), '', 'Service'), [`metadata.name: Invalid value: "1web": ${DNS1035}`]);
    assert.deepEqual(said(service({ ports: [{ port: 80 }] }, { name: 'web.app' }), '', 'Service'), [`metadata.name: Invalid value: "web.app": ${DNS1035}`]);
    assert.deepEqual(said(service({ ports: [{ port: 80 }] }, { name: 'w'.repeat(63) }), '', 'Service'), []);
    assert.deepEqual(said(service({ ports: [{ port: 80 }] }, { name: 'w'.repeat(64) }), '', 'Service'), [`metadata.name: Invalid value: "${'w'.repeat(64)}": must be no more than 63 characters`]);
    assert.deepEqual(said(service({ ports: [{ port: 80 }] }, { name: 'web-1' }), '', 'Service'), []);
    // A Service outside the core group is no Service: its name is a subdomain.
    assert.deepEqual(said(object('example.com/v1', 'Service', {}, { name: '1web.app' }), 'example.com', 'Service'), []);
    // The Namespace rule: a label (no dots), in the core group only.
    assert.deepEqual(said({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.prod' } }, '', 'Namespace'), [`metadata.name: Invalid value: "shop.prod": ${LABEL}`]);
    assert.deepEqual(said({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: '1shop' } }, '', 'Namespace'), []);
    assert.deepEqual(said({ metadata: { name: 'shop.prod' } }, 'example.com', 'Namespace'), []);
    assert.deepEqual(said({ metadata: { name: '1shop' } }, 'example.com', 'Service'), []);
  });

  it('a CustomResourceDefinition name is not checked here (the CRD rules are their own); a CRD-named kind elsewhere is', () => {
    assert.deepEqual(said({ metadata: { name: 'Widgets_X' } }, 'apiextensions.k8s.io', 'CustomResourceDefinition'), []);
    assert.deepEqual(said({ metadata: { name: 'Widgets_X' } }, 'example.com', 'CustomResourceDefinition'), [`metadata.name: Invalid value: "Widgets_X": ${SUBDOMAIN}`]);
    assert.deepEqual(said({ metadata: { name: 'Widgets_X' } }, 'apiextensions.k8s.io', 'Other'), [`metadata.name: Invalid value: "Widgets_X": ${SUBDOMAIN}`]);
  });

  it('a missing name is required unless generateName is given; the namespace is a DNS-1123 label', () => {
    const required = ['metadata.name: Required value: name or generateName is required'];
    assert.deepEqual(said(configMap({}), '', 'ConfigMap'), required);
    assert.deepEqual(said(configMap({ name: '' }), '', 'ConfigMap'), required);
    assert.deepEqual(said(configMap({ name: 7 }), '', 'ConfigMap'), required);
    assert.deepEqual(said(configMap({ generateName: '' }), '', 'ConfigMap'), required);
    assert.deepEqual(said(configMap({ generateName: 3 }), '', 'ConfigMap'), required);
    assert.deepEqual(said(configMap({ generateName: 'web-' }), '', 'ConfigMap'), []);
    assert.deepEqual(said({ apiVersion: 'v1', kind: 'ConfigMap' }, '', 'ConfigMap'), required);
    assert.deepEqual(said({ metadata: [] }, '', 'ConfigMap'), required);
    assert.deepEqual(reasons(configMap({}), '', 'ConfigMap'), ['metadata.name FieldValueRequired']);
    assert.deepEqual(said(configMap({ name: 'web', namespace: 'shop.prod' }), '', 'ConfigMap'), [`metadata.namespace: Invalid value: "shop.prod": ${LABEL}`]);
    assert.deepEqual(said(configMap({ name: 'web', namespace: 'n'.repeat(64) }), '', 'ConfigMap'), [`metadata.namespace: Invalid value: "${'n'.repeat(64)}": must be no more than 63 characters`]);
    assert.deepEqual(said(configMap({ name: 'web', namespace: '' }), '', 'ConfigMap'), []);
    assert.deepEqual(said(configMap({ name: 'web', namespace: 5 }), '', 'ConfigMap'), []);
  });
});

describe('apiServerRules: qualified names (label and annotation keys)', () => {
  it('holds apimachinery IsQualifiedName, prefix and name part apart', () => {
    assert.deepEqual(qualifiedNameProblems('app'), []);
    assert.deepEqual(qualifiedNameProblems('app.kubernetes.io/part-of'), []);
    assert.deepEqual(qualifiedNameProblems('My_Name.x'), []);
    assert.deepEqual(qualifiedNameProblems('/app'), ['prefix part must be non-empty']);
    assert.deepEqual(qualifiedNameProblems('example.com/'), ['name part must be non-empty']);
    assert.deepEqual(qualifiedNameProblems(''), ['name part must be non-empty']);
    assert.deepEqual(qualifiedNameProblems('Example.com/app'), [`prefix part ${SUBDOMAIN}`]);
    assert.deepEqual(qualifiedNameProblems(`${'p'.repeat(254)}/app`), ['prefix part must be no more than 253 characters']);
    assert.deepEqual(qualifiedNameProblems('n'.repeat(63)), []);
    assert.deepEqual(qualifiedNameProblems('n'.repeat(64)), ['name part must be no more than 63 characters']);
    assert.deepEqual(qualifiedNameProblems(`-${'n'.repeat(63)}`), ['name part must be no more than 63 characters', QUALIFIED]);
    assert.deepEqual(qualifiedNameProblems('bad key'), [QUALIFIED]);
    assert.deepEqual(qualifiedNameProblems('-app'), [QUALIFIED]);
    assert.deepEqual(qualifiedNameProblems('app_'), [QUALIFIED]);
    assert.deepEqual(qualifiedNameProblems('a/b/c'), [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    assert.equal(qualifiedNameProblems('a//b').length, 1);
  });

  it('a label value is empty or a ≤ 63-character qualified name part', () => {
    assert.deepEqual(labelValueProblems(''), []);
    assert.deepEqual(labelValueProblems('v'.repeat(63)), []);
    assert.deepEqual(labelValueProblems('v'.repeat(64)), ['must be no more than 63 characters']);
    assert.deepEqual(labelValueProblems('web!'), [LABEL_VALUE]);
    assert.deepEqual(labelValueProblems('My_value.1'), []);
  });

  it('labels report the key or value at the labels map, values only when strings', () => {
    assert.deepEqual(said(configMap({ name: 'web', labels: { 'bad key': 'x', app: 'web!', ok: '', n: 5, m: { a: 1 } } }), '', 'ConfigMap'), [
      `metadata.labels: Invalid value: "bad key": ${QUALIFIED}`,
      `metadata.labels: Invalid value: "web!": ${LABEL_VALUE}`,
    ]);
    assert.deepEqual(reasons(configMap({ name: 'web', labels: { 'bad key': 'x' } }), '', 'ConfigMap'), ['metadata.labels FieldValueInvalid']);
    assert.deepEqual(said(configMap({ name: 'web', labels: ['bad key'] }), '', 'ConfigMap'), []);
  });

  it('annotation keys are qualified names compared in lower case; the message shows the key as written; values are free', () => {
    assert.deepEqual(said(configMap({ name: 'web', annotations: { 'Example.COM/Owner': 'x', 'a/b': 'any value at all!' } }), '', 'ConfigMap'), []);
    assert.deepEqual(said(configMap({ name: 'web', annotations: { 'Bad Key': 'x' } }), '', 'ConfigMap'), [`metadata.annotations: Invalid value: "Bad Key": ${QUALIFIED}`]);
    assert.deepEqual(said(configMap({ name: 'web', annotations: { '/x': 'x' } }), '', 'ConfigMap'), ['metadata.annotations: Invalid value: "/x": prefix part must be non-empty']);
    assert.deepEqual(said(configMap({ name: 'web', annotations: 'Bad Key' }), '', 'ConfigMap'), []);
  });

  it('custom resources get the metadata rules only', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Bad_Name', labels: { 'bad key': 'x' }, annotations: { 'Bad Key': 'y' } }, spec: { containers: [] } };
    assert.deepEqual(said(widget, 'example.com', 'Widget', false), [
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`,
      `metadata.labels: Invalid value: "bad key": ${QUALIFIED}`,
      `metadata.annotations: Invalid value: "Bad Key": ${QUALIFIED}`,
    ]);
    // A custom kind named like a built-in is not checked as one, not even its Service name.
    assert.deepEqual(said(service({}, { name: '1web' }), '', 'Service', false), []);
    assert.deepEqual(said(deployment({}), 'apps', 'Deployment', false), []);
    assert.deepEqual(said({ metadata: { name: 'Widgets_X' } }, 'apiextensions.k8s.io', 'CustomResourceDefinition', false), [`metadata.name: Invalid value: "Widgets_X": ${SUBDOMAIN}`]);
  });
});

describe('apiServerRules: label selectors', () => {
  const withSelector = (selector: unknown): Json => deployment(workloadSpec({ selector }));

  it('In and NotIn need values; Exists and DoesNotExist forbid them; any other operator is invalid', () => {
    const expressions = [
      { key: 'app', operator: 'In', values: [] },
      { key: 'app', operator: 'NotIn' },
      { key: 'app', operator: 'Exists', values: ['x'] },
      { key: 'app', operator: 'DoesNotExist', values: ['x'] },
      { key: 'app', operator: 'Equals', values: ['web'] },
      { key: 'app', operator: 'In', values: 'web' },
      { key: 'app', operator: 'Exists' },
      { key: 'app', operator: 'DoesNotExist', values: [] },
      { key: 'bad key', operator: 'NotIn', values: ['x'] },
      { key: 5, operator: 'In', values: ['x'] },
    ];
    const problems = said(withSelector({ matchLabels: { app: 'web' }, matchExpressions: expressions }), 'apps', 'Deployment');
    assert.deepEqual(problems.slice(0, 7), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      "spec.selector.matchExpressions[3].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[4].operator: Invalid value: "Equals": not a valid selector operator',
      "spec.selector.matchExpressions[5].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      `spec.selector.matchExpressions[8].key: Invalid value: "bad key": ${QUALIFIED}`,
    ]);
    const forbidden = apiServerRuleProblems(withSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), 'apps', 'Deployment').invalid[0];
    assert.deepEqual(forbidden, { path: 'spec.selector.matchExpressions[0].values', segments: ['spec', 'selector', 'matchExpressions', 0, 'values'], reason: 'FieldValueForbidden', message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
    assert.deepEqual(said(withSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: null, values: [] }] }), 'apps', 'Deployment'), [
      'spec.selector.matchExpressions[0].operator: Invalid value: null: not a valid selector operator',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('matchLabels are checked at their own path', () => {
    assert.deepEqual(said(deployment(workloadSpec({ selector: { matchLabels: { app: 'web', 'bad key': 'x' } }, template: template({ app: 'web', 'bad key': 'x' }) })), 'apps', 'Deployment'), [
      `spec.selector.matchLabels: Invalid value: "bad key": ${QUALIFIED}`,
      `spec.template.metadata.labels: Invalid value: "bad key": ${QUALIFIED}`,
    ]);
  });

  it('a workload selector is required and must not be empty', () => {
    assert.deepEqual(said(deployment({ template: template() }), 'apps', 'Deployment'), ['spec.selector: Required value']);
    const empty = 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment';
    assert.deepEqual(said(deployment(workloadSpec({ selector: {} })), 'apps', 'Deployment'), [empty]);
    assert.deepEqual(said(deployment(workloadSpec({ selector: null })), 'apps', 'Deployment'), [empty]);
    assert.deepEqual(said(deployment(workloadSpec({ selector: { matchLabels: {}, matchExpressions: [] } })), 'apps', 'Deployment'), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement{}}: empty selector is invalid for deployment',
    ]);
    assert.deepEqual(said(object('apps/v1', 'StatefulSet', workloadSpec({ selector: { matchLabels: 'app' } })), 'apps', 'StatefulSet'), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
    ]);
    // An expression alone makes a selector; it selects the template's labels.
    assert.deepEqual(said(deployment(workloadSpec({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } })), 'apps', 'Deployment'), []);
    assert.deepEqual(said(deployment(workloadSpec({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] } })), 'apps', 'Deployment'), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('the template labels must match the selector (only when both are there)', () => {
    assert.deepEqual(said(deployment(workloadSpec({ selector: { matchLabels: { app: 'other' } } })), 'apps', 'Deployment'), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    // Absent labels are Go's nil map, printed with %#v as a real server does; an empty map is `{}`.
    assert.deepEqual(said(deployment(workloadSpec({ template: { spec: podSpec() } })), 'apps', 'Deployment'), [
      'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    ]);
    assert.deepEqual(said(deployment(workloadSpec({ template: { metadata: { labels: {} }, spec: podSpec() } })), 'apps', 'Deployment'), [
      'spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`',
    ]);
    assert.deepEqual(said(deployment(workloadSpec({ template: { metadata: { labels: { tier: 'b', app: 'web' } }, spec: podSpec() } })), 'apps', 'Deployment'), []);
    assert.deepEqual(said(deployment({ selector: { matchLabels: { app: 'web' } } }), 'apps', 'Deployment'), ['spec.template: Required value']);
    assert.deepEqual(said(deployment(workloadSpec({ template: 'x' })), 'apps', 'Deployment'), ['spec.template: Required value']);
  });

  it('selectorMatchesLabels: matchLabels by equality, each operator as Kubernetes defines it', () => {
    const labels = { app: 'web', tier: 'front', n: '5' };
    const cases: [unknown, boolean][] = [
      [undefined, false],
      ['app', false],
      [{}, true],
      [{ matchLabels: { app: 'web' } }, true],
      [{ matchLabels: { app: 'api' } }, false],
      [{ matchLabels: { app: 'web', tier: 'back' } }, false],
      [{ matchLabels: { other: 'web' } }, false],
      [{ matchLabels: 'app' }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, false],
      [{ matchExpressions: [{ key: 'none', operator: 'In', values: ['undefined'] }] }, false],
      [{ matchExpressions: [{ key: 'n', operator: 'In', values: [5] }] }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'In' }] }, false],
      [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
      [{ matchExpressions: [{ key: 'none', operator: 'NotIn', values: ['undefined'] }] }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
      [{ matchExpressions: [{ key: 'none', operator: 'Exists' }] }, false],
      [{ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, false],
      [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
      [{ matchExpressions: [{ key: 'none', operator: 'DoesNotExist' }] }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
      [{ matchExpressions: [{ operator: 'Exists' }] }, false],
      [{ matchExpressions: [{ operator: 'DoesNotExist' }] }, true],
      [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }, { key: 'app', operator: 'Exists' }] }, true],
      [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }, { key: 'app', operator: 'DoesNotExist' }] }, false],
    ];
    for (const [selector, expected] of cases) assert.equal(selectorMatchesLabels(selector, labels), expected, JSON.stringify(selector));
    assert.equal(selectorMatchesLabels({ matchExpressions: [{ operator: 'Exists' }] }, { '': 'x' }), true);
    assert.equal(selectorMatchesLabels({ matchExpressions: [{ key: 'n', operator: 'In', values: ['5'] }] }, { n: 5 }), true);
  });

  it('a PodDisruptionBudget selector and a NetworkPolicy podSelector are checked; other kinds’ selectors are not', () => {
    const bad = { matchExpressions: [{ key: 'a', operator: 'In' }] };
    assert.deepEqual(said(object('policy/v1', 'PodDisruptionBudget', { selector: bad }), 'policy', 'PodDisruptionBudget'), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
    assert.deepEqual(said(object('policy/v1', 'PodDisruptionBudget', {}), 'policy', 'PodDisruptionBudget'), []);
    assert.deepEqual(said(object('policy/v1', 'PodDisruptionBudget', undefined), 'policy', 'PodDisruptionBudget'), []);
    assert.deepEqual(said(object('networking.k8s.io/v1', 'NetworkPolicy', { podSelector: bad }), 'networking.k8s.io', 'NetworkPolicy'), [
      "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
    assert.deepEqual(said(object('networking.k8s.io/v1', 'NetworkPolicy', { selector: bad }), 'networking.k8s.io', 'NetworkPolicy'), []);
    assert.deepEqual(said(object('networking.k8s.io/v1', 'NetworkPolicy', undefined), 'networking.k8s.io', 'NetworkPolicy'), []);
    assert.deepEqual(said(object('example.com/v1', 'PodDisruptionBudget', { selector: bad }), 'example.com', 'PodDisruptionBudget'), []);
    assert.deepEqual(said(object('v1', 'NetworkPolicy', { podSelector: bad }), '', 'NetworkPolicy'), []);
  });
});

describe('apiServerRules: containers and pods', () => {
  it('a pod needs at least one container; init containers may be none', () => {
    assert.deepEqual(said(pod({ containers: [] }), '', 'Pod'), ['spec.containers: Required value']);
    assert.deepEqual(said(pod({}), '', 'Pod'), ['spec.containers: Required value']);
    assert.deepEqual(said(object('v1', 'Pod', undefined), '', 'Pod'), ['spec.containers: Required value']);
    assert.deepEqual(said(pod([]), '', 'Pod'), ['spec.containers: Required value']);
    assert.deepEqual(said(pod(podSpec({ initContainers: [] })), '', 'Pod'), []);
    assert.deepEqual(said(pod(podSpec({ initContainers: [{ name: 'init' }] })), '', 'Pod'), ['spec.initContainers[0].image: Required value']);
  });

  it('each container needs a DNS-1123 label name and an image; names are unique across containers and init containers', () => {
    const spec = {
      containers: [{ name: 'web', image: 'nginx' }, { image: 'x' }, { name: '', image: 'x' }, { name: 3, image: 'x' }, { name: 'Web_1', image: 'x' }, { name: 'web', image: '' }, { name: 'side' }, 'junk'],
      initContainers: [{ name: 'side', image: 'x' }, { name: 'init', image: 'x' }, { name: 'init', image: 5 }],
    };
    assert.deepEqual(said(pod(spec), '', 'Pod'), [
      'spec.containers[1].name: Required value',
      'spec.containers[2].name: Required value',
      'spec.containers[3].name: Required value',
      `spec.containers[4].name: Invalid value: "Web_1": ${LABEL}`,
      'spec.containers[5].name: Duplicate value: "web"',
      'spec.containers[5].image: Required value',
      'spec.containers[6].image: Required value',
      'spec.containers[7].name: Required value',
      'spec.containers[7].image: Required value',
      'spec.initContainers[0].name: Duplicate value: "side"',
      'spec.initContainers[2].name: Duplicate value: "init"',
      'spec.initContainers[2].image: Required value',
    ]);
    assert.deepEqual(reasons(pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'x' }] }), '', 'Pod'), ['spec.containers[1].name FieldValueDuplicate']);
    assert.deepEqual(said(pod({ containers: [{ name: 'c'.repeat(64), image: 'x' }] }), '', 'Pod'), [`spec.containers[0].name: Invalid value: "${'c'.repeat(64)}": must be no more than 63 characters`]);
  });

  it('imagePullPolicy is one of Always, IfNotPresent, Never (empty means the default)', () => {
    const policies = (imagePullPolicy: unknown): string[] => said(pod({ containers: [{ name: 'web', image: 'nginx', imagePullPolicy }] }), '', 'Pod');
    for (const ok of ['Always', 'IfNotPresent', 'Never', '', undefined]) assert.deepEqual(policies(ok), [], String(ok));
    assert.deepEqual(policies('Sometimes'), ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']);
    assert.deepEqual(policies(null), ['spec.containers[0].imagePullPolicy: Unsupported value: null: supported values: "Always", "IfNotPresent", "Never"']);
    assert.deepEqual(reasons(pod({ containers: [{ name: 'web', image: 'nginx', imagePullPolicy: 'always' }] }), '', 'Pod'), ['spec.containers[0].imagePullPolicy FieldValueNotSupported']);
  });

  it('container ports: containerPort required and in range, hostPort in range unless 0, a known protocol, unique names per container', () => {
    const ports = [
      { containerPort: 1 },
      { containerPort: 65535, hostPort: 0, protocol: 'UDP', name: 'dns' },
      { containerPort: 0 },
      { containerPort: 65536 },
      { hostPort: 8080 },
      { containerPort: 80, hostPort: 70000 },
      { containerPort: 80, hostPort: -1 },
      { containerPort: 80, protocol: 'HTTP' },
      { containerPort: 80, name: 'dns' },
      { containerPort: 80, name: '' },
      { containerPort: 81, name: '' },
      { containerPort: '80', protocol: 'SCTP' },
      { containerPort: 80, protocol: 'TCP', hostPort: 1 },
      { containerPort: 80, hostPort: 65535 },
    ];
    assert.deepEqual(said(pod({ containers: [{ name: 'web', image: 'nginx', ports }, { name: 'side', image: 'x', ports: [{ containerPort: 53, name: 'dns' }] }] }), '', 'Pod'), [
      `spec.containers[0].ports[2].containerPort: Invalid value: 0: ${PORTS}`,
      `spec.containers[0].ports[3].containerPort: Invalid value: 65536: ${PORTS}`,
      'spec.containers[0].ports[4].containerPort: Required value',
      `spec.containers[0].ports[5].hostPort: Invalid value: 70000: ${PORTS}`,
      `spec.containers[0].ports[6].hostPort: Invalid value: -1: ${PORTS}`,
      'spec.containers[0].ports[7].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[8].name: Duplicate value: "dns"',
    ]);
  });

  it('restart policies: any of three for a Pod, Always for controllers, OnFailure or Never for Jobs', () => {
    const podPolicy = (restartPolicy: unknown): string[] => said(pod(podSpec({ restartPolicy })), '', 'Pod');
    for (const ok of ['Always', 'OnFailure', 'Never', '', undefined]) assert.deepEqual(podPolicy(ok), [], String(ok));
    assert.deepEqual(podPolicy('Sometimes'), ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']);
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) {
      const workload = object('apps/v1', kind, workloadSpec({ template: template({ app: 'web' }, podSpec({ restartPolicy: 'OnFailure' })) }));
      assert.deepEqual(said(workload, 'apps', kind), ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'], kind);
      assert.deepEqual(said(object('apps/v1', kind, workloadSpec()), 'apps', kind), [], kind);
      assert.deepEqual(said(object('apps/v1', kind, undefined), 'apps', kind), ['spec: Required value'], kind);
      assert.deepEqual(said(object('apps/v1', kind, workloadSpec({ replicas: -1 })), 'apps', kind), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'], kind);
      assert.deepEqual(said(object('apps/v1', kind, workloadSpec({ selector: {} })), 'apps', kind)[0].endsWith(`empty selector is invalid for ${kind.toLowerCase()}`), true);
    }
    assert.deepEqual(said(deployment(workloadSpec({ replicas: 0 })), 'apps', 'Deployment'), []);
    assert.deepEqual(said(deployment(workloadSpec({ replicas: '-1' })), 'apps', 'Deployment'), []);
    assert.deepEqual(said(deployment([]), 'apps', 'Deployment'), ['spec: Required value']);
    assert.deepEqual(said(object('example.com/v1', 'Deployment', undefined), 'example.com', 'Deployment'), []);
    assert.deepEqual(said(object('v1', 'Deployment', undefined), '', 'Deployment'), []);
  });

  it('a pod template: labels checked at spec.template.metadata.labels, its spec at spec.template.spec', () => {
    assert.deepEqual(said(deployment(workloadSpec({ template: template({ app: 'web', 'a/b/c': 'x' }, { containers: [{ name: 'web' }] }) })), 'apps', 'Deployment'), [
      "spec.template.metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      'spec.template.spec.containers[0].image: Required value',
    ]);
    assert.deepEqual(said(deployment(workloadSpec({ template: { metadata: { labels: { app: 'web' } } } })), 'apps', 'Deployment'), ['spec.template.spec.containers: Required value']);
  });
});

describe('apiServerRules: Jobs and CronJobs', () => {
  const jobTemplate = (spec: Json = podSpec({ restartPolicy: 'Never' })): Json => ({ metadata: { labels: { app: 'batch' } }, spec });

  it('a Job needs a spec and a template, whose restart policy is OnFailure or Never (absent means Always)', () => {
    assert.deepEqual(said(job({ template: jobTemplate() }), 'batch', 'Job'), []);
    assert.deepEqual(said(job({ template: jobTemplate(podSpec({ restartPolicy: 'OnFailure' })) }), 'batch', 'Job'), []);
    assert.deepEqual(said(job(undefined), 'batch', 'Job'), ['spec: Required value']);
    assert.deepEqual(said(job({}), 'batch', 'Job'), ['spec.template: Required value']);
    assert.deepEqual(said(job({ template: [] }), 'batch', 'Job'), ['spec.template: Required value']);
    assert.deepEqual(said(job({ template: jobTemplate(podSpec()) }), 'batch', 'Job'), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
    assert.deepEqual(said(job({ template: jobTemplate(podSpec({ restartPolicy: 'Always' })) }), 'batch', 'Job'), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
    assert.deepEqual(said(job({ template: { metadata: { labels: { 'bad key': 'x' } } } }), 'batch', 'Job'), [
      `spec.template.metadata.labels: Invalid value: "bad key": ${QUALIFIED}`,
      'spec.template.spec.containers: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
    assert.deepEqual(reasons(job({ template: jobTemplate(podSpec()) }), 'batch', 'Job'), ['spec.template.spec.restartPolicy FieldValueNotSupported']);
  });

  it('a Job’s selector is optional, and checked when given', () => {
    assert.deepEqual(said(job({ selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, template: jobTemplate() }), 'batch', 'Job'), [
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
    assert.deepEqual(said(job({ selector: {}, template: jobTemplate() }), 'batch', 'Job'), []);
    assert.deepEqual(said(object('example.com/v1', 'Job', {}), 'example.com', 'Job'), []);
    assert.deepEqual(said(object('v1', 'Job', undefined), '', 'Job'), []);
  });

  it('a CronJob needs a schedule; its job template’s pod template is a Job’s', () => {
    const cron = (spec: unknown): Json => object('batch/v1', 'CronJob', spec);
    const good = { schedule: '*/5 * * * *', jobTemplate: { spec: { template: jobTemplate() } } };
    assert.deepEqual(said(cron(good), 'batch', 'CronJob'), []);
    assert.deepEqual(said(cron(undefined), 'batch', 'CronJob'), ['spec.schedule: Required value']);
    assert.deepEqual(said(cron({ ...good, schedule: '' }), 'batch', 'CronJob'), ['spec.schedule: Required value']);
    assert.deepEqual(said(cron({ ...good, schedule: 5 }), 'batch', 'CronJob'), ['spec.schedule: Required value']);
    assert.deepEqual(said(cron({ schedule: '@daily', jobTemplate: { spec: { template: jobTemplate(podSpec({ restartPolicy: 'Always' })) } } }), 'batch', 'CronJob'), [
      'spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
    assert.deepEqual(said(cron({ schedule: '@daily', jobTemplate: { spec: {} } }), 'batch', 'CronJob'), ['spec.jobTemplate.spec.template: Required value']);
    assert.deepEqual(said(cron({ schedule: '@daily', jobTemplate: { spec: [] } }), 'batch', 'CronJob'), []);
    assert.deepEqual(said(cron({ schedule: '@daily', jobTemplate: [] }), 'batch', 'CronJob'), []);
    assert.deepEqual(said(cron({ schedule: '@daily' }), 'batch', 'CronJob'), []);
    assert.deepEqual(said(object('example.com/v1', 'CronJob', undefined), 'example.com', 'CronJob'), []);
    assert.deepEqual(said(object('v1', 'CronJob', {}), '', 'CronJob'), []);
  });
});

describe('apiServerRules: Services', () => {
  it('type is one of four (ClusterIP when absent)', () => {
    assert.deepEqual(said(service({ type: 'Internal', ports: [{ port: 80 }] }), '', 'Service'), [
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    for (const type of ['ClusterIP', 'LoadBalancer', 'NodePort']) assert.deepEqual(said(service({ type, ports: [{ port: 80 }] }), '', 'Service'), [], type);
    assert.deepEqual(said(service({ type: null, ports: [{ port: 80 }] }), '', 'Service'), []);
    assert.deepEqual(reasons(service({ type: 'x', ports: [{ port: 80 }] }), '', 'Service'), ['spec.type FieldValueNotSupported']);
  });

  it('ports are required except for ExternalName and headless Services', () => {
    assert.deepEqual(said(service({}), '', 'Service'), ['spec.ports: Required value']);
    assert.deepEqual(said(service(undefined), '', 'Service'), ['spec.ports: Required value']);
    assert.deepEqual(said(service({ type: 'NodePort' }), '', 'Service'), ['spec.ports: Required value']);
    assert.deepEqual(said(service({ clusterIP: '10.0.0.1' }), '', 'Service'), ['spec.ports: Required value']);
    assert.deepEqual(said(service({ type: 'ExternalName', externalName: 'db.example.com' }), '', 'Service'), []);
    assert.deepEqual(said(service({ clusterIP: 'None' }), '', 'Service'), []);
  });

  it('several ports need unique names; one port may have none', () => {
    assert.deepEqual(said(service({ ports: [{ port: 80 }] }), '', 'Service'), []);
    assert.deepEqual(said(service({ ports: [{ port: 80, name: '' }] }), '', 'Service'), []);
    assert.deepEqual(said(service({ ports: [{ port: 80, name: 'http' }, { port: 81 }, { port: 82, name: '' }, { port: 83, name: 5 }, { port: 84, name: 'http' }, { port: 85, name: 'b' }] }), '', 'Service'), [
      'spec.ports[1].name: Required value',
      'spec.ports[2].name: Required value',
      'spec.ports[3].name: Required value',
      'spec.ports[4].name: Duplicate value: "http"',
    ]);
    assert.deepEqual(said(service({ ports: [{ port: 80, name: 'a' }, { port: 81, name: 'b' }] }), '', 'Service'), []);
    // Two unnamed ports are two missing names, not a duplicate.
    assert.deepEqual(said(service({ ports: [{ port: 80, name: '' }, { port: 81, name: '' }] }), '', 'Service'), ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
  });

  it('port required and in range; targetPort and nodePort in range unless 0; a known protocol; named targetPorts free', () => {
    const ports = [
      { name: 'a' },
      { name: 'b', port: 0 },
      { name: 'c', port: 65536 },
      { name: 'd', port: 80, protocol: 'HTTP' },
      { name: 'e', port: 80, targetPort: 70000 },
      { name: 'f', port: 80, targetPort: 0, nodePort: 0 },
      { name: 'g', port: 80, targetPort: 'http', nodePort: 70000 },
      { name: 'h', port: 80, targetPort: -5, nodePort: -1 },
      { name: 'i', port: 65535, targetPort: 65535, nodePort: 30000, protocol: 'SCTP' },
      { name: 'j', port: 1, targetPort: 1, nodePort: 1, protocol: 'UDP' },
    ];
    assert.deepEqual(said(service({ type: 'NodePort', ports }), '', 'Service'), [
      'spec.ports[0].port: Required value',
      `spec.ports[1].port: Invalid value: 0: ${PORTS}`,
      `spec.ports[2].port: Invalid value: 65536: ${PORTS}`,
      'spec.ports[3].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      `spec.ports[4].targetPort: Invalid value: 70000: ${PORTS}`,
      `spec.ports[6].nodePort: Invalid value: 70000: ${PORTS}`,
      `spec.ports[7].targetPort: Invalid value: -5: ${PORTS}`,
      `spec.ports[7].nodePort: Invalid value: -1: ${PORTS}`,
    ]);
  });

  it('the selector is a label map', () => {
    assert.deepEqual(said(service({ ports: [{ port: 80 }], selector: { app: 'web!', 'bad key': 'x' } }), '', 'Service'), [
      `spec.selector: Invalid value: "web!": ${LABEL_VALUE}`,
      `spec.selector: Invalid value: "bad key": ${QUALIFIED}`,
    ]);
  });

  it('only a core-group Service gets the Service rules', () => {
    assert.deepEqual(said(object('example.com/v1', 'Service', {}), 'example.com', 'Service'), []);
    assert.deepEqual(said(object('v1', 'Pod', {}), 'apps', 'Pod'), []);
  });

  it('each problem carries its segments and the path printed from them', () => {
    const [problem] = apiServerRuleProblems(service({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }), '', 'Service').invalid;
    assert.deepEqual(problem, { path: 'spec.ports[1].name', segments: ['spec', 'ports', 1, 'name'], reason: 'FieldValueDuplicate', message: 'Duplicate value: "a"' });
  });
});

describe('immutableFields: what an update may not change', () => {
  it('sameJson: key order does not matter, absent equals null, lists compare item by item', () => {
    const same: [unknown, unknown][] = [
      [undefined, null],
      [null, undefined],
      [undefined, undefined],
      [[1, { a: 2 }], [1, { a: 2 }]],
      [{ a: 1, b: undefined }, { a: 1 }],
      [{ a: 1 }, { a: 1, b: null }],
      [{ a: { x: [1] }, b: 2 }, { b: 2, a: { x: [1] } }],
      ['x', 'x'],
    ];
    const different: [unknown, unknown][] = [
      [undefined, 0],
      [null, {}],
      [null, ''],
      [{ a: 1 }, null],
      [{ a: 1 }, undefined],
      [[1], null],
      [0, null],
      [[1], [1, 2]],
      [[1, 2], [1]],
      [[1, 2], [1, 3]],
      [[], {}],
      [{}, []],
      [[1], { 0: 1 }],
      [{ a: 1 }, { a: 2 }],
      [{ a: 1 }, { b: 1 }],
      ['1', 1],
    ];
    for (const [a, b] of same) assert.equal(sameJson(a, b), true, `${JSON.stringify(a)} ~ ${JSON.stringify(b)}`);
    for (const [a, b] of different) assert.equal(sameJson(a, b), false, `${JSON.stringify(a)} ≁ ${JSON.stringify(b)}`);
  });

  const immutable = (before: Json, after: Json, group: string, kind: string): string[] => immutableFieldProblems(before, after, group, kind).map((problem) => `${problem.path}: ${problem.message}`);

  it('a Deployment, ReplicaSet or DaemonSet selector is immutable; the rest of the spec is not', () => {
    const before = { spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { a: 1 } } };
    for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet']) {
      assert.deepEqual(immutable(before, { spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { b: 2 } } }, 'apps', kind), [], kind);
      assert.deepEqual(immutable(before, { spec: { selector: { matchLabels: { tier: 'front', app: 'web' } } } }, 'apps', kind), [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      ], kind);
    }
    assert.deepEqual(immutable(before, { spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }, 'junk', { operator: 'Exists' }] } } }, 'apps', 'Deployment'), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string{"web"}}, v1.LabelSelectorRequirement{Key:"", Operator:"Exists", Values:[]string(nil)}}}: field is immutable',
    ]);
    assert.deepEqual(immutableFieldProblems(before, { spec: {} }, 'apps', 'Deployment')[0].reason, 'FieldValueInvalid');
    assert.deepEqual(immutableFieldProblems(before, { spec: {} }, 'apps', 'Deployment')[0].segments, ['spec', 'selector']);
    assert.deepEqual(immutable(before, { spec: {} }, 'apps', 'Other'), []);
    assert.deepEqual(immutable(before, { spec: {} }, 'example.com', 'Deployment'), []);
    assert.deepEqual(immutable(before, { spec: {} }, '', 'Pod'), []);
  });

  it('a StatefulSet may change only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds', () => {
    const forbidden = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    const before = { spec: { serviceName: 'db', replicas: 1, selector: { matchLabels: { app: 'db' } } } };
    for (const field of ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']) {
      assert.deepEqual(immutable(before, { spec: { ...before.spec, [field]: { changed: true } } }, 'apps', 'StatefulSet'), [], field);
    }
    assert.deepEqual(immutable(before, { spec: { ...before.spec } }, 'apps', 'StatefulSet'), []);
    assert.deepEqual(immutable(before, { spec: { ...before.spec, serviceName: 'db-headless' } }, 'apps', 'StatefulSet'), [forbidden]);
    assert.deepEqual(immutable(before, { spec: { serviceName: 'db', replicas: 1 } }, 'apps', 'StatefulSet'), [forbidden], 'a removed selector');
    assert.deepEqual(immutable({ spec: { serviceName: 'db' } }, { spec: { serviceName: 'db', podManagementPolicy: 'Parallel' } }, 'apps', 'StatefulSet'), [forbidden], 'an added field');
    assert.deepEqual(immutableFieldProblems(before, { spec: {} }, 'apps', 'StatefulSet').map((problem) => [problem.segments, problem.reason]), [[['spec'], 'FieldValueForbidden']]);
  });

  it('a Job’s selector and template are immutable', () => {
    const before = { spec: { selector: { matchLabels: { job: 'a' } }, template: { spec: { containers: [{ image: 'busybox:1' }] } }, parallelism: 1 } };
    assert.deepEqual(immutable(before, { spec: { ...before.spec, parallelism: 3 } }, 'batch', 'Job'), []);
    assert.deepEqual(immutable(before, { spec: { ...before.spec, template: { spec: { containers: [{ image: 'busybox:2' }] } } } }, 'batch', 'Job'), ['spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable']);
    assert.deepEqual(immutable(before, { spec: { ...before.spec, selector: { matchLabels: { job: 'b' } } } }, 'batch', 'Job'), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"job":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
    assert.deepEqual(immutableFieldProblems(before, { spec: {} }, 'batch', 'Job').map((problem) => [problem.path, problem.segments, problem.reason]), [
      ['spec.selector', ['spec', 'selector'], 'FieldValueInvalid'],
      ['spec.template', ['spec', 'template'], 'FieldValueInvalid'],
    ]);
    assert.deepEqual(immutable(before, { spec: {} }, 'batch', 'CronJob'), []);
  });

  it('a Service’s cluster IP may not change once set (None and empty are not set; an empty or absent new IP is no change)', () => {
    const ip = (oldIP: unknown, newIP: unknown, clusterIPs?: unknown): string[] => immutable({ spec: { clusterIP: oldIP } }, { spec: { clusterIP: newIP, clusterIPs } }, '', 'Service');
    assert.deepEqual(ip('10.0.0.1', '10.0.0.2'), ['spec.clusterIPs[0]: Invalid value: []string{"10.0.0.2"}: may not change once set']);
    assert.deepEqual(ip('10.0.0.1', '10.0.0.2', ['10.0.0.2', 'fd00::2']), ['spec.clusterIPs[0]: Invalid value: []string{"10.0.0.2", "fd00::2"}: may not change once set']);
    assert.deepEqual(ip('10.0.0.1', 'None'), ['spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set']);
    assert.deepEqual(ip('10.0.0.1', '10.0.0.1'), []);
    assert.deepEqual(ip('10.0.0.1', ''), []);
    assert.deepEqual(ip('10.0.0.1', undefined), []);
    assert.deepEqual(ip('', '10.0.0.2'), []);
    assert.deepEqual(ip('None', '10.0.0.2'), []);
    assert.deepEqual(ip(undefined, '10.0.0.2'), []);
    assert.deepEqual(ip(5, '10.0.0.2'), []);
    const [problem] = immutableFieldProblems({ spec: { clusterIP: 'a' } }, { spec: { clusterIP: 'b' } }, '', 'Service');
    assert.deepEqual([problem.segments, problem.reason], [['spec', 'clusterIPs', 0], 'FieldValueInvalid']);
    assert.deepEqual(immutable({ spec: { clusterIP: 'a' } }, { spec: { clusterIP: 'b' } }, 'example.com', 'Service'), []);
  });

  it('a PersistentVolumeClaim spec is immutable except binding its volume once and, when bound, its requests', () => {
    const forbidden = 'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    const spec = { storageClassName: 'fast', resources: { requests: { storage: '1Gi' }, limits: { storage: '2Gi' } } };
    const claim = (changes: Json, phase?: unknown): Json => ({ spec: { ...spec, ...changes }, ...(phase === undefined ? {} : { status: phase === null ? 'Bound' : { phase } }) });
    const pvc = (before: Json, after: Json): string[] => immutable(before, after, '', 'PersistentVolumeClaim');
    const bigger = { resources: { requests: { storage: '5Gi' }, limits: { storage: '2Gi' } } };
    assert.deepEqual(pvc(claim({}, 'Bound'), claim(bigger)), []);
    assert.deepEqual(pvc(claim({}), claim(bigger)), [forbidden], 'not bound');
    assert.deepEqual(pvc(claim({}, 'Pending'), claim(bigger)), [forbidden]);
    assert.deepEqual(pvc(claim({}, null), claim(bigger)), [forbidden], 'a status that is no map');
    assert.deepEqual(pvc(claim({}, 'Bound'), claim({ resources: { requests: { storage: '1Gi' }, limits: { storage: '3Gi' } } })), [forbidden], 'limits are not requests');
    assert.deepEqual(pvc(claim({}, 'Bound'), claim({ storageClassName: 'slow' })), [forbidden]);
    assert.deepEqual(pvc(claim({}), claim({ volumeName: 'pv-1' })), [], 'binding sets the volume once');
    assert.deepEqual(pvc(claim({ volumeName: 'pv-1' }), claim({ volumeName: 'pv-2' })), [forbidden]);
    assert.deepEqual(pvc(claim({ volumeName: 'pv-1' }), claim({})), [forbidden]);
    assert.deepEqual(pvc(claim({}), claim({})), []);
    assert.deepEqual(immutableFieldProblems(claim({}), claim({ storageClassName: 'x' }), '', 'PersistentVolumeClaim')[0].reason, 'FieldValueForbidden');
    assert.deepEqual(immutable(claim({}), claim({ storageClassName: 'x' }), 'example.com', 'PersistentVolumeClaim'), []);
  });
});

describe('goValues: Go’s %#v forms in messages', () => {
  it('maps print sorted, slices in order, absent ones as nil', () => {
    assert.equal(goStringMap({ b: 'y', a: 'x', c: 3 }), 'map[string]string{"a":"x", "b":"y", "c":"3"}');
    assert.equal(goStringMap({}), 'map[string]string{}');
    assert.equal(goStringMap(undefined), 'map[string]string(nil)');
    assert.equal(goStringMap(['a']), 'map[string]string(nil)');
    assert.equal(goStringMap(null), 'map[string]string(nil)');
    assert.equal(goStringSlice(['b', 'a', 1]), '[]string{"b", "a", "1"}');
    assert.equal(goStringSlice([]), '[]string{}');
    assert.equal(goStringSlice('a'), '[]string(nil)');
    assert.equal(goString('say "hi"'), '"say \\"hi\\""');
  });

  it('a LabelSelector prints both parts, missing keys and operators as empty strings', () => {
    assert.equal(goLabelSelector(undefined), 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
    assert.equal(goLabelSelector([]), 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
    assert.equal(
      goLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['x', 'y'] }, { values: 'z' }, 7] }),
      'v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"NotIn", Values:[]string{"x", "y"}}, v1.LabelSelectorRequirement{Key:"", Operator:"", Values:[]string(nil)}}}',
    );
    assert.equal(goLabelSelector({ matchExpressions: [] }), 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{}}');
  });

  it('a scalar: strings quoted, numbers and booleans bare, null and undefined as null, anything else as JSON', () => {
    assert.equal(goScalar('a'), '"a"');
    assert.equal(goScalar(''), '""');
    assert.equal(goScalar(-1.5), '-1.5');
    assert.equal(goScalar(false), 'false');
    assert.equal(goScalar(true), 'true');
    assert.equal(goScalar(null), 'null');
    assert.equal(goScalar(undefined), 'null');
    assert.equal(goScalar({ a: [1] }), '{"a":[1]}');
    assert.equal(goScalar(['x']), '["x"]');
  });
});

describe('objectValidator: one entry point', () => {
  const stub = (known: Record<string, KindSchema>): SchemaCatalog => ({ kindSchema: (group, version, kind) => known[`${group}/${version}/${kind}`] });
  const noRefs = (): undefined => undefined;

  it('splitApiVersion: the core group has no slash; anything else before the first slash is the group', () => {
    assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
    assert.deepEqual(splitApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
    assert.deepEqual(splitApiVersion('a/b/c'), { group: 'a', version: 'b/c' });
    assert.deepEqual(splitApiVersion('/v1'), { group: '', version: 'v1' });
    assert.deepEqual(splitApiVersion(7), { group: '', version: '' });
    assert.deepEqual(splitApiVersion(undefined), { group: '', version: '' });
  });

  it('an unknown kind gets the metadata rules only, and says no schema was found', () => {
    const result = validateKubernetesObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Bad_Name' } }, stub({}), { unknownFields: 'Strict' });
    assert.equal(result.schemaFound, false);
    assert.equal(result.exhausted, false);
    assert.deepEqual(result.invalid.map((problem) => `${problem.path}: ${problem.message}`), [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`]);
    const noKind = validateKubernetesObject({ apiVersion: 'v1', kind: 5, metadata: { name: 'a' } }, { kindSchema: (group, version, kind) => (kind === '' && version === 'v1' && group === '' ? { root: { type: 'object', properties: { x: { type: 'string' } } }, resolve: noRefs, style: 'structural', builtin: false } : undefined) }, { unknownFields: 'Strict' });
    assert.equal(noKind.schemaFound, true, 'a kind that is no string is asked for as ""');
  });

  it('a built-in kind: schema, then the server rules, then (on update) the immutable fields; repeated causes once', () => {
    const root: OpenApiSchema = {
      type: 'object',
      required: ['spec'],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: {}, spec: { type: 'object', required: ['selector'], properties: { replicas: { type: 'integer' }, selector: {}, template: {} } } },
    };
    const catalog = stub({ 'apps/v1/Deployment': { root, resolve: noRefs, style: 'go', builtin: true } });
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 'x', extra: 1, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    const result = validateKubernetesObject(structuredClone(object), catalog, { unknownFields: 'Strict' });
    assert.equal(result.schemaFound, true);
    assert.deepEqual(result.decodeErrors.map((problem) => problem.path), ['spec.replicas']);
    assert.deepEqual(result.unknownFields.map((problem) => problem.path), ['spec.extra']);
    assert.deepEqual(result.invalid.map((problem) => `${problem.path}: ${problem.message}`), ['spec.selector: Required value']);
    const schemaOnly = validateKubernetesObject(structuredClone(object), catalog, { unknownFields: 'Strict', schemaOnly: true, previous: { spec: { selector: { a: 1 } } } });
    assert.deepEqual(schemaOnly.invalid.map((problem) => problem.path), ['spec.selector']);
    const update = validateKubernetesObject(structuredClone({ ...object, spec: { ...object.spec, replicas: 1, selector: { matchLabels: { app: 'web' } } } }), catalog, { unknownFields: 'Strict', previous: { spec: { selector: { matchLabels: { app: 'old' } } } } });
    assert.deepEqual(update.invalid.map((problem) => problem.path), ['spec.selector']);
    assert.match(update.invalid[0].message, /field is immutable$/);
    // The same object under a custom (non built-in) schema: no Go rules.
    const custom = stub({ 'apps/v1/Deployment': { root, resolve: noRefs, style: 'structural', builtin: false } });
    assert.deepEqual(validateKubernetesObject(structuredClone({ ...object, spec: { selector: {} } }), custom, { unknownFields: 'Strict' }).invalid, []);
  });

  it('serverRuleProblems hands decode failures to the caller’s list and returns the 422 causes', () => {
    const decodeErrors: FieldProblem[] = [];
    assert.deepEqual(serverRuleProblems({ metadata: {} }, '', 'ConfigMap', true, decodeErrors).map((problem) => problem.path), ['metadata.name']);
    assert.deepEqual(decodeErrors, []);
  });
});
