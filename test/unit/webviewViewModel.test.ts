// The report view model is the last gate before data enters the webview: Secret values stay
// masked (even one the engine failed to mask), free text is scrubbed, and the result always passes
// the webview's own validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriftField, EnvironmentDrift, ResourceDrift } from '../../src/core/drift/driftTypes';
import { formatValue, toReportViewModel, VALUE_TEXT_LIMIT } from '../../src/ui/webview/reportViewModel';
import { valueLabel } from '../../webview-ui/format';
import { isHostMessage, isReportViewModel } from '../../webview-ui/protocol';
import { describeScaling, measureScaling } from '../support/scaling';

function resource(kind: string, name: string, status: ResourceDrift['status'], fields: DriftField[] = [], extra: Partial<ResourceDrift> = {}): ResourceDrift {
  const group = kind === 'Deployment' ? 'apps' : '';
  const id = { group, version: 'v1', kind, namespace: 'shop', name };
  return { id, key: `${group}/${kind}/shop/${name}`, status, fields, mode: 'local', approximate: false, ignored: 0, origin: { file: `deploy/${name}.yaml`, range: { start: { line: 3, column: 1 }, end: { line: 3, column: 5 } } }, ...extra };
}

const RAW = ['hunter2-raw-password', 'c3VwZXItc2VjcmV0LXRva2Vu', 'raw-string-data-token', 'whole-object-secret'];

function driftWithSecrets(): EnvironmentDrift {
  const secret = resource('Secret', 'db', 'Drifted', [
    // What the engine emits: masked on both sides.
    { pointer: '/data/password', path: 'data.password', change: 'changed', desired: { masked: true, hash: '0a1b2c3d' }, live: { masked: true, hash: '9f8e7d6c' } },
    // An engine bug: one side raw. The view model must mask it anyway.
    { pointer: '/data/apiKey', path: 'data.apiKey', change: 'changed', desired: { masked: true, hash: '11112222' }, live: RAW[0] },
    { pointer: '/data', path: 'data', change: 'changed', desired: { token: RAW[1] }, live: { token: 'other' } },
    { pointer: '/stringData/token', path: 'stringData.token', change: 'notInLive', desired: RAW[2] },
    { pointer: '', path: '', change: 'notInGit', live: { apiVersion: 'v1', kind: 'Secret', data: { x: RAW[3] } } },
    // A masked value whose hash is not short hex (it could be anything): re-hashed.
    { pointer: '/data/odd', path: 'data.odd', change: 'changed', desired: { masked: true, hash: RAW[0] }, live: { masked: true, hash: 'abcdef01' } },
    // Not secret material: shown.
    { pointer: '/metadata/labels/tier', path: 'metadata.labels.tier', change: 'changed', desired: 'db', live: 'cache' },
  ]);
  const deployment = resource('Deployment', 'web', 'Drifted', [{ pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', desired: 2, live: 5, range: { start: { line: 9, column: 13 }, end: { line: 9, column: 14 } }, manager: 'kubectl-edit', changedAt: '2025-05-03T10:40:00Z' }]);
  const unknown = resource('ConfigMap', 'cfg', 'Unknown', [], { reason: 'list forbidden: Authorization: Bearer abcdefghijklmnopqrstu' });
  const inSync = resource('Service', 'web', 'InSync');
  return {
    mode: 'local',
    approximate: true,
    resources: [secret, deployment, unknown, inSync],
    // Deliberately wrong: the model counts what it sends.
    counts: { InSync: 9, Drifted: 9, Missing: 9, Extra: 9, Unknown: 9, Invalid: 0 },
    problems: ['rule 2: unsupported jq expression (token: abc123)'],
  };
}

const meta = { target: { kind: 'drift' as const, environment: 'prod' }, environments: ['dev', 'staging', 'prod'], asOf: new Date('2025-05-03T10:42:00Z'), canSync: true, secretHashSalt: 'test-salt' };

test('no raw Secret value appears anywhere in the serialized model', () => {
  const json = JSON.stringify(toReportViewModel(driftWithSecrets(), meta));
  for (const raw of RAW) assert.ok(!json.includes(raw), `found ${raw}`);
  // Without a caller salt too.
  const unsalted = JSON.stringify(toReportViewModel(driftWithSecrets(), { ...meta, secretHashSalt: undefined }));
  for (const raw of RAW) assert.ok(!unsalted.includes(raw), `found ${raw}`);
});

test('Secret fields show as "differs · #hash"; other fields keep their values', () => {
  const model = toReportViewModel(driftWithSecrets(), meta);
  const secret = model.resources.find((r) => r.kind === 'Secret');
  assert.ok(secret);
  const byPath = new Map(secret.fields.map((f) => [f.path, f]));
  assert.deepEqual(byPath.get('data.password')?.a, { kind: 'masked', hash: '0a1b2c3d' });
  assert.equal(valueLabel(byPath.get('data.password')!.b, 'Live').text, 'differs · #9f8e7d6c');
  for (const path of ['data.apiKey', 'data', 'stringData.token', '', 'data.odd']) {
    const f = byPath.get(path);
    assert.ok(f, path);
    for (const side of [f.a, f.b]) assert.ok(side.kind === 'masked' || side.kind === 'absent', `${path}: ${JSON.stringify(side)}`);
  }
  assert.match((byPath.get('data.odd')!.a as { hash: string }).hash, /^[0-9a-f]{8}$/);
  assert.deepEqual(byPath.get('metadata.labels.tier')?.a, { kind: 'text', text: 'db', truncated: false });
});

test('a defensively masked value still tells equal values apart from different ones', () => {
  const field = (live: string): DriftField => ({ pointer: '/data/k', path: 'data.k', change: 'changed', desired: 'same', live });
  const model = toReportViewModel({ ...driftWithSecrets(), resources: [resource('Secret', 's', 'Drifted', [field('same'), field('other')])] }, meta);
  const [equal, different] = model.resources[0].fields;
  assert.deepEqual(equal.a, equal.b);
  assert.notDeepEqual(different.a, different.b);
});

test('free text is scrubbed of credentials', () => {
  const json = JSON.stringify(toReportViewModel(driftWithSecrets(), meta));
  assert.ok(!json.includes('abcdefghijklmnopqrstu'));
  assert.ok(!json.includes('abc123'));
});

test('the model passes the webview validator, counts what it sends, and carries locations', () => {
  const model = toReportViewModel(driftWithSecrets(), meta);
  assert.ok(isReportViewModel(model));
  assert.ok(isHostMessage(JSON.parse(JSON.stringify({ type: 'report', report: model }))));
  assert.deepEqual(model.counts, { InSync: 1, Drifted: 2, Missing: 0, Extra: 0, Unknown: 1, Invalid: 0 });
  assert.equal(model.asOf, '2025-05-03T10:42:00.000Z');
  assert.equal(model.approximate, true);
  assert.deepEqual(model.columns, { a: 'Git', b: 'Live' });
  assert.equal(model.title, 'Drift · prod');
  assert.equal(model.canSync, true);
  assert.equal(model.readOnly, false);
  const web = model.resources.find((r) => r.kind === 'Deployment');
  assert.equal(web?.file, 'deploy/web.yaml');
  assert.equal(web?.line, 3);
  assert.deepEqual(web?.fields[0], {
    pointer: '/spec/replicas',
    path: 'spec.replicas',
    change: 'changed',
    a: { kind: 'text', text: '2', truncated: false },
    b: { kind: 'text', text: '5', truncated: false },
    line: 9,
    manager: 'kubectl-edit',
    changedAt: '2025-05-03T10:40:00Z',
  });
});

test('a comparison is read-only, titled by both environments, without operator sync', () => {
  const model = toReportViewModel(driftWithSecrets(), {
    ...meta,
    target: { kind: 'compare', from: 'staging', to: 'prod' },
    canSync: true,
    operatorManaged: { kind: 'argocd', name: 'shop-prod' },
  });
  assert.deepEqual(model.columns, { a: 'staging', b: 'prod' });
  assert.equal(model.readOnly, true);
  assert.equal(model.canSync, false);
  assert.equal(model.operatorManaged, undefined);
  assert.equal(model.title, 'staging vs prod');
  assert.ok(isReportViewModel(model));
});

test('operator-managed and read-only drift reports', () => {
  const argo = toReportViewModel(driftWithSecrets(), { ...meta, operatorManaged: { kind: 'flux', name: 'apps' } });
  assert.deepEqual(argo.operatorManaged, { kind: 'flux', name: 'apps' });
  const restricted = toReportViewModel(driftWithSecrets(), { ...meta, readOnly: true });
  assert.equal(restricted.canSync, false);
  assert.equal(restricted.readOnly, true);
});

test('values are formatted so types stay visible, and long values are cut', () => {
  assert.equal(formatValue(5), '5');
  assert.equal(formatValue('5'), '"5"');
  assert.equal(formatValue('true'), '"true"');
  assert.equal(formatValue(''), '""');
  assert.equal(formatValue(' padded'), '" padded"');
  assert.equal(formatValue('nginx:1.25'), 'nginx:1.25');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue({}), '{}');
  assert.equal(formatValue([]), '[]');
  assert.equal(formatValue({ cpu: '100m', memory: '1Gi' }), 'cpu: 100m\nmemory: 1Gi');
  const long = toReportViewModel(
    { ...driftWithSecrets(), resources: [resource('ConfigMap', 'big', 'Drifted', [{ pointer: '/data/blob', path: 'data.blob', change: 'changed', desired: 'x'.repeat(50_000), live: 'y' }])] },
    meta,
  );
  const a = long.resources[0].fields[0].a;
  assert.equal(a.kind, 'text');
  assert.equal(a.kind === 'text' && a.text.length, VALUE_TEXT_LIMIT);
  assert.equal(a.kind === 'text' && a.truncated, true);
  assert.ok(isReportViewModel(long));
});

test('an invalid asOf does not break the report', () => {
  const model = toReportViewModel(driftWithSecrets(), { ...meta, asOf: 'not a date' });
  assert.ok(isReportViewModel(model));
});

/** `count` resources, every other one a Secret, every 20th drifted with a raw value under `data`. */
function manyResources(count: number): ResourceDrift[] {
  return Array.from({ length: count }, (_, i) =>
    resource(i % 2 ? 'Deployment' : 'Secret', `app-${i}`, i % 20 === 0 ? 'Drifted' : 'InSync', i % 20 === 0 ? [{ pointer: '/data/k', path: 'data.k', change: 'changed', desired: `raw-${i}`, live: 'x' }] : []),
  );
}

test('1,000 resources: the model validates, and no raw Secret value is in it', () => {
  const model = toReportViewModel({ ...driftWithSecrets(), resources: manyResources(1000) }, meta);
  assert.ok(isReportViewModel(model));
  assert.equal(model.resources.length, 1000);
  assert.ok(!JSON.stringify(model).includes('raw-0'));
});

// Milliseconds on a quiet machine are the bench's business; the guard that holds on a loaded CI
// box is the shape of the cost: building and validating is one pass over the resources.
test('building and validating the model stays linear: 10× the resources (500 → 5,000) takes < 30× the time', (t) => {
  const build = (resources: ResourceDrift[]): boolean => isReportViewModel(toReportViewModel({ ...driftWithSecrets(), resources }, meta));
  const scaling = measureScaling(manyResources, build, 500, 5000);
  t.diagnostic(describeScaling(scaling, 500, 5000));
  assert.ok(scaling.ratio < 30, describeScaling(scaling, 500, 5000));
});

test('results from the last-known snapshot of an earlier session are marked so (drift only), and the validator holds the flag to a boolean', () => {
  const model = toReportViewModel(driftWithSecrets(), { ...meta, stale: true, fromSnapshot: true });
  assert.equal(model.fromSnapshot, true);
  assert.ok(isReportViewModel(model));
  assert.equal('fromSnapshot' in toReportViewModel(driftWithSecrets(), { ...meta, stale: true }), false);
  assert.equal('fromSnapshot' in toReportViewModel(driftWithSecrets(), { ...meta, target: { kind: 'compare', from: 'staging', to: 'prod' }, fromSnapshot: true }), false);
  assert.equal(isReportViewModel({ ...model, fromSnapshot: 'yes' }), false);
});
