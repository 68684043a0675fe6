// What the host lets a (validated) webview message do: only act on what the report it sent names,
// and only write when the report allows writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusal } from '../../src/ui/webview/messagePolicy';
import type { ReportViewModel, ResourceView } from '../../webview-ui/protocol';
import { sampleReport } from './helpers/reportFixture';

function row(name: string, status: ResourceView['status'], file?: string): ResourceView {
  return {
    key: `apps/Deployment/shop/${name}`,
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: 'shop',
    name,
    status,
    fields: status === 'Drifted' ? [{ pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', a: { kind: 'text', text: '2', truncated: false }, b: { kind: 'text', text: '5', truncated: false } }] : [],
    ...(file ? { file, line: 1 } : {}),
    approximate: false,
    ignored: 0,
  };
}

const report: ReportViewModel = sampleReport(undefined, {
  counts: { InSync: 1, Drifted: 1, Missing: 0, Extra: 1, Unknown: 0, Invalid: 0 },
  resources: [row('web', 'Drifted', 'deploy/web.yaml'), row('api', 'InSync', 'deploy/api.yaml'), row('stray', 'Extra')],
});

test('ready and refresh are always allowed; everything else needs a report first', () => {
  assert.equal(refusal({ type: 'ready' }, undefined), undefined);
  assert.equal(refusal({ type: 'refresh' }, undefined), undefined);
  assert.ok(refusal({ type: 'openDiff', key: 'apps/Deployment/shop/web' }, undefined));
});

test('allows actions on what the report names', () => {
  assert.equal(refusal({ type: 'openDiff', key: 'apps/Deployment/shop/web' }, report), undefined);
  assert.equal(refusal({ type: 'openFile', file: 'deploy/api.yaml', line: 40 }, report), undefined);
  assert.equal(refusal({ type: 'sync', keys: ['apps/Deployment/shop/web'] }, report), undefined);
  assert.equal(refusal({ type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/spec/replicas' }, report), undefined);
  assert.equal(refusal({ type: 'requestCompare', from: 'staging', to: 'prod' }, report), undefined);
});

test('refuses files, keys, pointers and environments the report does not name', () => {
  assert.ok(refusal({ type: 'openFile', file: '../../.ssh/id_rsa', line: 1 }, report));
  assert.ok(refusal({ type: 'openFile', file: '/etc/passwd', line: 1 }, report));
  assert.ok(refusal({ type: 'openDiff', key: 'apps/Deployment/other/web' }, report));
  assert.ok(refusal({ type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/metadata/name' }, report));
  assert.ok(refusal({ type: 'acceptLive', key: 'apps/Deployment/shop/stray', pointer: '/spec/replicas' }, report));
  assert.ok(refusal({ type: 'requestCompare', from: 'staging', to: 'qa' }, report));
  assert.ok(refusal({ type: 'requestCompare', from: 'prod', to: 'prod' }, report));
});

test('sync only for drifted or missing resources, and only when the report allows it', () => {
  assert.ok(refusal({ type: 'sync', keys: ['apps/Deployment/shop/web', 'apps/Deployment/shop/stray'] }, report));
  assert.ok(refusal({ type: 'sync', keys: ['apps/Deployment/shop/api'] }, report));
  assert.ok(refusal({ type: 'sync', keys: ['apps/Deployment/shop/web'] }, { ...report, canSync: false }));
  assert.ok(refusal({ type: 'sync', keys: ['apps/Deployment/shop/web'] }, { ...report, readOnly: true }));
});

test('no accept-live in a read-only report or a comparison', () => {
  const message = { type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/spec/replicas' } as const;
  assert.ok(refusal(message, { ...report, readOnly: true }));
  assert.ok(refusal(message, { ...report, target: { kind: 'compare', from: 'staging', to: 'prod' } }));
});
