// The drift report's rows open the line that sets each value: a field an overlay sets carries the
// overlay's file and line, the page's validator accepts it, and the host lets the page open that
// file (and still no file the report does not name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EnvironmentDrift, ResourceDrift } from '../../src/core/drift/driftTypes';
import { refusal } from '../../src/ui/webview/messagePolicy';
import { toReportViewModel } from '../../src/ui/webview/reportViewModel';
import { isReportViewModel } from '../../webview-ui/protocol';

const range = (line: number) => ({ start: { line, column: 3 }, end: { line, column: 12 } });

const resource: ResourceDrift = {
  id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop-prod', name: 'prod-shop' },
  key: 'apps/Deployment/shop-prod/prod-shop',
  status: 'Drifted',
  origin: { file: 'base/deployment.yaml', range: range(2) },
  mode: 'local',
  approximate: true,
  ignored: 0,
  fields: [
    { pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', desired: 8, live: 5, source: { location: { file: 'envs/prod/scale.yaml', range: range(6) }, via: 'patch', docIndex: 0, sourcePointer: '/spec/replicas', exact: true } },
    {
      pointer: '/spec/template/spec/containers/0/env/1/value',
      path: 'spec.template.spec.containers[name=shop].env[name=LOG_LEVEL].value',
      change: 'changed',
      desired: 'info',
      live: 'debug',
      range: range(22),
      source: { location: { file: 'base/deployment.yaml', range: range(22) }, via: 'base', docIndex: 0, sourcePointer: '/spec/template/spec/containers/0/env/1/value', exact: true },
    },
  ],
};

const drift: EnvironmentDrift = { mode: 'local', approximate: true, resources: [resource], counts: { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 }, problems: [] };
const meta = { target: { kind: 'drift' as const, environment: 'prod' }, environments: ['prod'], asOf: new Date('2025-05-03T10:42:00Z'), secretHashSalt: 'salt' };

test('a field an overlay sets names the overlay file and line; a base field keeps the resource file', () => {
  const model = toReportViewModel(drift, meta);
  const [replicas, logLevel] = model.resources[0].fields;
  assert.deepEqual([replicas.file, replicas.line], ['envs/prod/scale.yaml', 6]);
  assert.deepEqual([logLevel.file, logLevel.line], [undefined, 22]);
  assert.ok(isReportViewModel(model), 'the page accepts the model');
});

test('the page may open the overlay file a field names, and no other', () => {
  const model = toReportViewModel(drift, meta);
  assert.equal(refusal({ type: 'openFile', file: 'envs/prod/scale.yaml', line: 6 }, model), undefined);
  assert.equal(refusal({ type: 'openFile', file: 'base/deployment.yaml', line: 22 }, model), undefined);
  assert.match(refusal({ type: 'openFile', file: 'envs/staging/scale.yaml', line: 6 }, model) ?? '', /does not name/);
});
