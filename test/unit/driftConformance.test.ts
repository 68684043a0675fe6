// Argo CD's own diff fixtures (real objects from real clusters, read in place from ../shared):
// every pair must get the verdict Argo CD gives it, and the server-side-apply dry-run fixtures
// must show exactly the differences the dry-run implies.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compareResource } from '../../src/core/drift/compare';
import type { KubeObject, ResourceDrift } from '../../src/core/drift/driftTypes';
import { requirePresent } from '../support/requirePresent';

const fixtures = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'argo-diff');
const expectedFile = join(fixtures, 'EXPECTED.tsv');
/** Argo CD's verdicts are the point of this file: under CI their absence fails every test. */
const fixturesPresent = (t: TestContext): boolean => requirePresent(t, 'Argo CD diff fixtures (../shared/fixtures/argo-diff)', expectedFile);

function read(name: string): KubeObject {
  const text = readFileSync(join(fixtures, name), 'utf8');
  return (name.endsWith('.json') ? JSON.parse(text) : parse(text)) as KubeObject;
}

const VERDICTS: Record<string, ResourceDrift['status']> = { 'in-sync': 'InSync', drifted: 'Drifted' };

function expectedRows(): Array<{ desired: string; live: string; expected: string; option: string }> {
  const lines = readFileSync(join(fixtures, 'EXPECTED.tsv'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  const header = lines[0].split('\t');
  assert.deepEqual(header.slice(0, 3), ['desired', 'live', 'expected'], 'EXPECTED.tsv columns changed');
  return lines.slice(1).map((line) => {
    const [desired, live, expected, option = ''] = line.split('\t');
    return { desired, live, expected, option: option.trim() };
  });
}

test('every Argo CD fixture pair gets the verdict in EXPECTED.tsv (local mode)', (t) => {
  if (!fixturesPresent(t)) return;
  const rows = expectedRows();
  assert.ok(rows.length >= 10, `expected at least 10 pairs, found ${rows.length}`);
  const failures: string[] = [];
  for (const row of rows) {
    const options = row.option === 'ignore-aggregated-roles' ? { ignoreAggregatedRoles: true } : {};
    if (row.option !== '' && row.option !== 'ignore-aggregated-roles') failures.push(`${row.desired}: unknown option "${row.option}"`);
    const result = compareResource({ desired: { object: read(row.desired) }, live: read(row.live), options: { mode: 'local', ...options } });
    const expected = VERDICTS[row.expected];
    assert.ok(expected, `unknown verdict "${row.expected}"`);
    if (result.status !== expected) {
      failures.push(`${row.desired} vs ${row.live}${row.option ? ` [${row.option}]` : ''}: ${result.status}, expected ${expected} — ${JSON.stringify(result.fields)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('an aggregated ClusterRole drifts on rules the last apply declared, and not once aggregated rules are ignored', (t) => {
  if (!fixturesPresent(t)) return;
  const strict = compareResource({ desired: { object: read('aggr-clusterrole-config.json') }, live: read('aggr-clusterrole-live.json') });
  assert.deepEqual(
    strict.fields.map((f) => [f.change, f.pointer]),
    [['notInGit', '/rules']],
  );
  const lenient = compareResource({
    desired: { object: read('aggr-clusterrole-config.json') },
    live: read('aggr-clusterrole-live.json'),
    options: { ignoreAggregatedRoles: true },
  });
  assert.equal(lenient.status, 'InSync');
});

test('server mode: a label the server-side applier owned and Git dropped is drift; nothing else is', (t) => {
  if (!fixturesPresent(t)) return;
  const result = compareResource({
    desired: { object: read('ssd-svc-no-label-config.yaml') },
    live: read('ssd-svc-label-live.yaml'),
    predictedLive: read('ssd-svc-no-label-predicted-live.json'),
    options: { mode: 'server' },
  });
  assert.equal(result.mode, 'server');
  assert.equal(result.approximate, false);
  assert.deepEqual(
    result.fields.map((f) => [f.change, f.pointer, f.live, f.manager]),
    [['notInGit', '/metadata/labels/delete-me', 'delete-value', 'argocd-controller']],
  );
});

test('local mode finds the same dropped label through managedFields, without a dry-run', (t) => {
  if (!fixturesPresent(t)) return;
  const result = compareResource({ desired: { object: read('ssd-svc-no-label-config.yaml') }, live: read('ssd-svc-label-live.yaml') });
  assert.deepEqual(
    result.fields.map((f) => [f.change, f.pointer]),
    [['notInGit', '/metadata/labels/delete-me']],
  );
  assert.equal(result.approximate, true);
});

test('server mode: ports and env Git adds show as drift; fields a mutating webhook added do not', (t) => {
  if (!fixturesPresent(t)) return;
  const nested = compareResource({
    desired: { object: read('ssd-deploy-nested-config.yaml') },
    live: read('ssd-deploy-nested-live.yaml'),
    predictedLive: read('ssd-deploy-nested-predicted-live.json'),
    options: { mode: 'server' },
  });
  assert.deepEqual(
    nested.fields.map((f) => [f.change, f.path]),
    [
      ['notInLive', 'spec.template.spec.containers[name=main-container].ports[containerPort=443,protocol=TCP]'],
      ['notInLive', 'spec.template.spec.containers[name=main-container].env[name=ENV_VAR2]'],
    ],
  );
  const manual = compareResource({
    desired: { object: read('ssd-deploy-with-manual-apply-config.yaml') },
    live: read('ssd-deploy-with-manual-apply-live.yaml'),
    predictedLive: read('ssd-deploy-with-manual-apply-predicted-live.json'),
    options: { mode: 'server' },
  });
  // The webhook's `mutation-test` label is in the dry-run result only; the port Git adds is drift.
  assert.deepEqual(
    manual.fields.map((f) => f.path),
    ['spec.template.spec.containers[name=main-container].ports[containerPort=40,protocol=TCP]'],
  );
  const withWebhook = compareResource({
    desired: { object: read('ssd-deploy-with-manual-apply-config.yaml') },
    live: read('ssd-deploy-with-manual-apply-live.yaml'),
    predictedLive: read('ssd-deploy-with-manual-apply-predicted-live.json'),
    options: { mode: 'server', ignoreMutationWebhook: false },
  });
  assert.ok(withWebhook.fields.some((f) => f.pointer === '/metadata/labels/mutation-test'), JSON.stringify(withWebhook.fields));
});

test('server mode: container ports keyed by (containerPort, protocol) across containers', (t) => {
  if (!fixturesPresent(t)) return;
  const result = compareResource({
    desired: { object: read('ssd-deploy-composite-key-config.yaml') },
    live: read('ssd-deploy-composite-key-live.yaml'),
    predictedLive: read('ssd-deploy-composite-key-predicted-live.json'),
    options: { mode: 'server' },
  });
  assert.deepEqual(
    result.fields.map((f) => [f.change, f.pointer]),
    [['notInLive', '/spec/template/spec/containers/0/ports/2']],
  );
});

test('structured-merge fixtures: defaults are not drift, a changed targetPort and removed or added ports are', (t) => {
  if (!fixturesPresent(t)) return;
  const deploy = compareResource({ desired: { object: read('smd-deploy-config.yaml') }, live: read('smd-deploy-live.yaml') });
  assert.equal(deploy.status, 'InSync', JSON.stringify(deploy.fields));

  const service = compareResource({ desired: { object: read('smd-service-config.yaml') }, live: read('smd-service-live.yaml') });
  assert.deepEqual(
    service.fields.map((f) => [f.change, f.path, f.desired, f.live, f.manager, f.changedAt]),
    [['changed', 'spec.ports[port=1935,protocol=TCP].targetPort', 1936, 1935, 'argocd-controller', '2022-06-24T19:45:02Z']],
  );

  // Same port number for TCP and UDP: two different items.
  const samePorts = compareResource({ desired: { object: read('smd-service-config-ports.yaml') }, live: read('smd-service-live.yaml') });
  assert.deepEqual(
    samePorts.fields.map((f) => [f.change, f.path]),
    [
      ['notInLive', 'spec.ports[port=1935,protocol=UDP]'],
      ['notInLive', 'spec.ports[port=443,protocol=UDP]'],
    ],
  );

  // The applier owned the https port; Git dropped it, so the next apply removes it.
  const twoPorts = compareResource({ desired: { object: read('smd-service-config-2-ports.yaml') }, live: read('smd-service-live.yaml') });
  assert.deepEqual(
    twoPorts.fields.map((f) => [f.change, f.path]),
    [['notInGit', 'spec.ports[port=443,protocol=TCP]']],
  );

  // The applier set type: NodePort earlier; Git no longer says so.
  const withType = compareResource({ desired: { object: read('smd-service-config.yaml') }, live: read('smd-service-live-with-type.yaml') });
  assert.ok(withType.fields.some((f) => f.pointer === '/spec/type' && f.live === 'NodePort' && f.change === 'notInGit'), JSON.stringify(withType.fields));
});
