// Wording of the report: masked values, missing sides, the operator-aware sync label, status hints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asOfLabel, resourceLocation, resourceName, statusHint, statusLabel, syncLabel, valueLabel } from '../../webview-ui/format';
import type { ResourceView } from '../../webview-ui/protocol';

test('masked values read "differs · #hash", absent sides name their column', () => {
  assert.deepEqual(valueLabel({ kind: 'masked', hash: '0a1b2c3d' }, 'Live'), { text: 'differs · #0a1b2c3d', style: 'masked' });
  assert.deepEqual(valueLabel({ kind: 'absent' }, 'prod'), { text: '(not in prod)', style: 'absent' });
  assert.deepEqual(valueLabel({ kind: 'text', text: 'abc', truncated: true }, 'Git'), { text: 'abc…', style: 'value' });
});

test('Sync becomes "Ask Argo CD/Flux to sync" when an operator reconciles the environment', () => {
  assert.equal(syncLabel({}), 'Sync');
  assert.equal(syncLabel({ operatorManaged: { kind: 'argocd', name: 'shop' } }), 'Ask Argo CD to sync');
  assert.equal(syncLabel({ operatorManaged: { kind: 'flux', name: 'apps' } }), 'Ask Flux to sync');
});

test('status hints speak of Git and the cluster, or of the two environments compared', () => {
  assert.equal(statusHint('Missing', { kind: 'drift', environment: 'prod' }), 'In Git, not in the cluster');
  assert.equal(statusHint('Extra', { kind: 'compare', from: 'staging', to: 'prod' }), 'In prod, not in staging');
});

test('status words: drift words for a cluster, Same / Differs / Only in for a comparison', () => {
  const drift = { kind: 'drift', environment: 'prod' } as const;
  const compare = { kind: 'compare', from: 'staging', to: 'prod' } as const;
  assert.deepEqual(['InSync', 'Drifted', 'Missing', 'Extra'].map((s) => statusLabel(s as never, drift)), ['In sync', 'Drifted', 'Missing', 'Extra']);
  assert.deepEqual(['InSync', 'Drifted', 'Missing', 'Extra', 'Unknown'].map((s) => statusLabel(s as never, compare)), ['Same', 'Differs', 'Only in staging', 'Only in prod', 'Unknown']);
});

test('names and locations', () => {
  const r = { namespace: '', name: 'admin', file: 'rbac.yaml', line: 4 } as ResourceView;
  assert.equal(resourceName(r), 'admin');
  assert.equal(resourceName({ ...r, namespace: 'shop' }), 'shop/admin');
  assert.equal(resourceLocation(r), 'rbac.yaml:4');
  assert.equal(resourceLocation({ ...r, file: undefined }), undefined);
});

test('"as of" shows the time today and the date before', () => {
  const now = new Date('2025-05-03T12:00:00');
  assert.match(asOfLabel(new Date('2025-05-03T10:42:00').toISOString(), now), /^as of \d{1,2}\D\d{2}/);
  assert.match(asOfLabel(new Date('2025-04-01T10:42:00').toISOString(), now), /^as of .+, /);
  assert.equal(asOfLabel('garbage', now), '');
});
