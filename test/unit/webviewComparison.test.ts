// Environment comparison in the report: two renders compared by kind and name, with no server in
// the loop. The rows' keys carry no namespace; the diff editor finds each side's object by them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEnvironment } from '../../src/core/drift/compare';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { comparedObject, toReportViewModel, withoutNamespace } from '../../src/ui/webview/reportViewModel';
import { isReportViewModel } from '../../webview-ui/protocol';

function deployment(namespace: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image }] } } },
  };
}

function configMap(namespace: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace }, data };
}

const staging = [deployment('demo-staging', 'web:1.5.0'), configMap('demo-staging', { LOG_LEVEL: 'info' })];
const prod = [deployment('demo-prod', 'web:1.4.0'), configMap('demo-prod', { LOG_LEVEL: 'info' })];

/** What DriftActions.compareRenders hands the report: both sides without namespaces, compared locally. */
function comparison() {
  return compareEnvironment(
    staging.map((object) => ({ object: withoutNamespace(object) })),
    prod.map(withoutNamespace),
    { mode: 'local', extraSelector: '' },
  );
}

test('a comparison of two renders is not marked approximate (no server dry-run applies), a local drift report is', () => {
  const drift = comparison();
  assert.ok(drift.approximate || drift.resources.some((r) => r.approximate), 'the engine marks a local comparison approximate');
  const compared = toReportViewModel(drift, { target: { kind: 'compare', from: 'staging', to: 'prod' }, environments: ['staging', 'prod'], asOf: new Date() });
  assert.equal(compared.approximate, false);
  assert.deepEqual(
    compared.resources.map((r) => [r.kind, r.status, r.approximate]),
    [
      ['Deployment', 'Drifted', false],
      ['ConfigMap', 'InSync', false],
    ],
  );
  assert.ok(isReportViewModel(compared));
  const local = toReportViewModel(drift, { target: { kind: 'drift', environment: 'prod' }, environments: ['staging', 'prod'], asOf: new Date() });
  assert.equal(local.approximate, true);
  assert.ok(local.resources.every((r) => r.approximate));
});

test('each side of a comparison row is found in its own render, whatever its namespace', () => {
  const web = comparison().resources.find((r) => r.id.kind === 'Deployment');
  assert.equal(web?.key, 'apps/Deployment//web');
  assert.equal(comparedObject(staging, 'apps/Deployment//web'), staging[0]);
  assert.equal(comparedObject(prod, 'apps/Deployment//web'), prod[0]);
  assert.equal(comparedObject(prod, '/ConfigMap//web-config'), prod[1]);
  assert.equal(comparedObject(prod, 'apps/Deployment//worker'), undefined);
  // A namespaced key (a drift report's) is not a comparison's.
  assert.equal(comparedObject(prod, 'apps/Deployment/demo-prod/web'), undefined);
});

test('withoutNamespace drops the namespace only, and leaves the rendered object alone', () => {
  const object = deployment('demo-prod', 'web:1.4.0');
  const stripped = withoutNamespace(object);
  assert.deepEqual(stripped.metadata, { name: 'web' });
  assert.equal((object.metadata as { namespace?: string }).namespace, 'demo-prod');
  assert.equal(stripped.spec, object.spec);
  assert.deepEqual(withoutNamespace({ apiVersion: 'v1', kind: 'Namespace' }).metadata, {});
});
