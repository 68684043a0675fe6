// The report webview's message protocol: the validators accept every well-formed message and
// reject malformed, unknown and hostile ones, in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostMessage, isReportTarget, isWebviewMessage, targetKey, type ReportViewModel, type WebviewToHost } from '../../webview-ui/protocol';
import { defaultUiState, isPersistedState } from '../../webview-ui/uiState';
import { sampleReport } from './helpers/reportFixture';

const wellFormed: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'refresh' },
  { type: 'openDiff', key: 'apps/Deployment/shop/web' },
  { type: 'openFile', file: 'deploy/web.yaml', line: 12 },
  { type: 'sync', keys: ['apps/Deployment/shop/web', '/Service/shop/web'] },
  { type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/spec/replicas' },
  { type: 'acceptLive', key: '/ConfigMap/shop/cfg', pointer: '/data/a~1b~0c' },
  { type: 'requestCompare', from: 'staging', to: 'prod' },
];

test('accepts every well-formed webview message', () => {
  for (const message of wellFormed) assert.ok(isWebviewMessage(message), JSON.stringify(message));
  // JSON round trip: what a real postMessage delivers.
  for (const message of wellFormed) assert.ok(isWebviewMessage(JSON.parse(JSON.stringify(message))));
});

test('rejects values that are not message objects', () => {
  class Ready {
    type = 'ready';
  }
  for (const value of [null, undefined, 'ready', 42, true, [], [{ type: 'ready' }], new Ready(), Object.create({ type: 'ready' }), new Date()]) {
    assert.equal(isWebviewMessage(value), false, String(value));
  }
});

test('rejects unknown message types', () => {
  for (const value of [{}, { type: 'READY' }, { type: 'deleteNamespace', name: 'prod' }, { type: 'report' }, { type: 'busy', text: '' }, { type: 42 }]) {
    assert.equal(isWebviewMessage(value), false, JSON.stringify(value));
  }
});

test('rejects missing fields, extra fields and wrong types', () => {
  const bad: unknown[] = [
    { type: 'ready', extra: 1 },
    { type: 'openDiff' },
    { type: 'openDiff', key: 7 },
    { type: 'openDiff', key: '' },
    { type: 'openDiff', key: 'k', file: 'x' },
    { type: 'openFile', file: 'a.yaml' },
    { type: 'openFile', file: 'a.yaml', line: '3' },
    { type: 'openFile', file: 'a.yaml', line: 0 },
    { type: 'openFile', file: 'a.yaml', line: -1 },
    { type: 'openFile', file: 'a.yaml', line: 1.5 },
    { type: 'openFile', file: 'a.yaml', line: Number.NaN },
    { type: 'openFile', file: 'a.yaml', line: Number.POSITIVE_INFINITY },
    { type: 'openFile', file: '', line: 1 },
    { type: 'openFile', file: 'a\u0000b', line: 1 },
    { type: 'openFile', file: ['a.yaml'], line: 1 },
    { type: 'sync', keys: 'k' },
    { type: 'sync', keys: [] },
    { type: 'sync', keys: [1] },
    { type: 'sync', keys: ['k', ''] },
    { type: 'sync', keys: [['k']] },
    { type: 'sync' },
    { type: 'acceptLive', key: 'k' },
    { type: 'acceptLive', key: 'k', pointer: 'spec/replicas' },
    { type: 'acceptLive', key: 'k', pointer: '/a~2b' },
    { type: 'acceptLive', key: 'k', pointer: '/a~' },
    { type: 'acceptLive', key: 'k', pointer: null },
    { type: 'requestCompare', from: 'staging' },
    { type: 'requestCompare', from: '', to: 'prod' },
    { type: 'requestCompare', from: 'staging', to: { name: 'prod' } },
  ];
  for (const value of bad) assert.equal(isWebviewMessage(value), false, JSON.stringify(value));
});

test('rejects oversized fields', () => {
  assert.equal(isWebviewMessage({ type: 'openDiff', key: 'k'.repeat(5000) }), false);
  assert.equal(isWebviewMessage({ type: 'sync', keys: Array.from({ length: 10_001 }, (_, i) => `k${i}`) }), false);
  assert.equal(isWebviewMessage({ type: 'openFile', file: 'a.yaml', line: 1e12 }), false);
});

test('rejects prototype-pollution keys and symbol keys, and pollutes nothing', () => {
  const hostile = [
    JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
    JSON.parse('{"type":"openDiff","key":"k","constructor":{"prototype":{"polluted":true}}}'),
    JSON.parse('{"type":"sync","keys":["k"],"prototype":{"polluted":true}}'),
    { type: 'ready', [Symbol('x')]: 1 },
  ];
  for (const value of hostile) assert.equal(isWebviewMessage(value), false);
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});

test('accepts a message object without a prototype (structured clone may produce one)', () => {
  assert.ok(isWebviewMessage(Object.assign(Object.create(null), { type: 'openDiff', key: 'k' })));
});

function report(overrides: Partial<ReportViewModel> = {}): ReportViewModel {
  const base = sampleReport();
  return {
    ...base,
    environments: ['dev', 'staging', 'prod'],
    resources: [
      {
        ...base.resources[0],
        fields: [
          { pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', a: { kind: 'text', text: '2', truncated: false }, b: { kind: 'text', text: '5', truncated: false }, line: 7 },
          { pointer: '/metadata/labels/x', path: 'metadata.labels.x', change: 'notInLive', a: { kind: 'masked', hash: 'ab12cd34' }, b: { kind: 'absent' } },
        ],
      },
    ],
    ...overrides,
  };
}

test('accepts well-formed host messages', () => {
  assert.ok(isHostMessage({ type: 'report', report: report() }));
  assert.ok(isHostMessage({ type: 'report', report: report({ target: { kind: 'compare', from: 'staging', to: 'prod' }, operatorManaged: { kind: 'argocd', name: 'shop-prod' } }) }));
  assert.ok(isHostMessage({ type: 'busy', text: 'Syncing…' }));
  assert.ok(isHostMessage({ type: 'busy', text: '' }));
  assert.ok(isHostMessage({ type: 'error', message: 'Sync failed: forbidden' }));
  assert.ok(isHostMessage(JSON.parse(JSON.stringify({ type: 'report', report: report() }))));
});

test('rejects host messages whose report has the wrong shape', () => {
  const base = report();
  const resource = base.resources[0];
  const field = resource.fields[0];
  const broken: unknown[] = [
    { type: 'report' },
    { type: 'report', report: { ...base, target: { kind: 'drift' } } },
    { type: 'report', report: { ...base, asOf: 'yesterday' } },
    { type: 'report', report: { ...base, counts: { InSync: 0, Drifted: 1 } } },
    { type: 'report', report: { ...base, counts: { ...base.counts, Drifted: -1 } } },
    { type: 'report', report: { ...base, extra: true } },
    { type: 'report', report: { ...base, operatorManaged: { kind: 'jenkins', name: 'x' } } },
    { type: 'report', report: { ...base, resources: [{ ...resource, status: 'Weird' }] } },
    { type: 'report', report: { ...base, resources: [{ ...resource, line: 0 }] } },
    { type: 'report', report: { ...base, resources: [{ ...resource, fields: [{ ...field, a: { kind: 'masked', hash: 'hunter2!' } }] }] } },
    { type: 'report', report: { ...base, resources: [{ ...resource, fields: [{ ...field, b: { kind: 'raw', value: 'hunter2' } }] }] } },
    { type: 'report', report: { ...base, resources: [{ ...resource, fields: [{ ...field, a: { kind: 'text', text: 'x' } }] }] } },
    { type: 'report', report: { ...base, resources: [{ ...resource, fields: [{ ...field, change: 'deleted' }] }] } },
    { type: 'busy' },
    { type: 'busy', text: 3 },
    { type: 'error', message: 'x', stack: 'y' },
    { type: 'ready' },
  ];
  for (const value of broken) assert.equal(isHostMessage(value), false, JSON.stringify(value).slice(0, 200));
});

test('the persisted UI state validator accepts saved state and rejects anything else', () => {
  const ui = defaultUiState();
  assert.ok(isPersistedState({ version: 1, ui }));
  assert.ok(isPersistedState({ version: 1, target: { kind: 'compare', from: 'staging', to: 'prod' }, ui: { ...ui, status: 'Drifted', expanded: ['k'], scrollY: 420 } }));
  assert.ok(isPersistedState(JSON.parse(JSON.stringify({ version: 1, target: { kind: 'drift', environment: 'prod' }, ui }))));
  for (const bad of [
    undefined,
    null,
    { version: 2, ui },
    { version: 1 },
    { version: 1, ui: { ...ui, status: 'nope' } },
    { version: 1, ui: { ...ui, limit: 0 } },
    { version: 1, ui: { ...ui, expanded: 'k' } },
    { version: 1, ui, report: {} },
    { version: 1, ui, target: { kind: 'drift', environment: '' } },
    JSON.parse(`{"version":1,"ui":${JSON.stringify(ui)},"__proto__":{}}`),
  ]) {
    assert.equal(isPersistedState(bad), false, JSON.stringify(bad));
  }
});

test('targets: same-named environments of two workspace folders are different reports', () => {
  const a = { kind: 'drift' as const, environment: 'prod', folder: 'file:///work/shop' };
  const b = { kind: 'drift' as const, environment: 'prod', folder: 'file:///work/billing' };
  assert.ok(isReportTarget(a) && isReportTarget(b) && isReportTarget({ kind: 'drift', environment: 'prod' }));
  assert.notEqual(targetKey(a), targetKey(b));
  assert.notEqual(targetKey(a), targetKey({ kind: 'drift', environment: 'prod' }));
  assert.notEqual(targetKey({ kind: 'compare', from: 'a', to: 'b' }), targetKey({ kind: 'compare', from: 'b', to: 'a' }));
  assert.equal(isReportTarget({ ...a, folder: '' }), false);
  assert.equal(isReportTarget({ ...a, folder: 3 }), false);
  assert.equal(isReportTarget({ kind: 'drift', environment: 'prod', from: 'x' }), false);
});
