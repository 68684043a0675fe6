// The pure part of `gitops-env preview`: field-by-field object changes (lists matched by name,
// Secret values masked) and the PR-comment markdown that never exceeds its limit and always closes
// its sections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjectSets, fieldChanges } from '../../src/core/preview/objectDiff';
import { MARKDOWN_LIMIT, previewMarkdown, type EnvironmentPreview } from '../../src/core/preview/previewReport';

const deployment = (image: string, replicas: number, sidecar = true): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas, template: { spec: { containers: [...(sidecar ? [{ name: 'proxy', image: 'envoy:1' }] : []), { name: 'web', image }] } } },
});

test('fields are listed by readable path; containers matched by name, not position', () => {
  assert.deepEqual(fieldChanges(deployment('shop:1', 2), deployment('shop:2', 3, false)), [
    { path: 'spec.replicas', before: 2, after: 3 },
    { path: 'spec.template.spec.containers[name=proxy]', before: { name: 'proxy', image: 'envoy:1' }, after: null },
    { path: 'spec.template.spec.containers[name=web].image', before: 'shop:1', after: 'shop:2' },
  ]);
  assert.deepEqual(fieldChanges({ a: [1, 2] }, { a: [1, 3] }), [{ path: 'a[1]', before: 2, after: 3 }]);
  assert.deepEqual(fieldChanges({ metadata: { labels: { 'app.kubernetes.io/name': 'a' } } }, { metadata: { labels: { 'app.kubernetes.io/name': 'b' } } }), [
    { path: 'metadata.labels["app.kubernetes.io/name"]', before: 'a', after: 'b' },
  ]);
});

test('Secret values never leave the diff: masked hashes that still differ when the values differ (property)', () => {
  for (let i = 0; i < 100; i++) {
    const oldValue = `old-${Math.random().toString(36).slice(2)}`;
    const newValue = `new-${Math.random().toString(36).slice(2)}`;
    const before = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: oldValue }, stringData: { b: oldValue } };
    const after = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: newValue, c: newValue }, stringData: {} };
    const report = diffObjectSets([before], [after]);
    const text = JSON.stringify(report);
    assert.ok(!text.includes(oldValue) && !text.includes(newValue), text);
    const field = report[0].fields.find((f) => f.path === 'data.a');
    assert.notDeepEqual(field?.before, field?.after);
  }
});

test('objects are matched by identity: added, modified, removed; unchanged left out', () => {
  const cm = (name: string, value: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'n' }, data: { v: value } });
  const report = diffObjectSets([cm('same', '1'), cm('changed', '1'), cm('gone', '1')], [cm('same', '1'), cm('changed', '2'), cm('new', '1')]);
  assert.deepEqual(report.map((o) => `${o.change} ${o.name}`), ['added new', 'modified changed', 'removed gone']);
});

function environment(name: string, objects: number): EnvironmentPreview {
  return {
    name,
    objects: Array.from({ length: objects }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: name, name: `cm-${i}`, change: 'modified' as const, fields: [{ path: 'data.value', before: 'x'.repeat(i % 150), after: `y|${i}\nz` }] })),
    cluster: { status: 'none', objects: [] },
    problems: [],
  };
}

test('markdown stays within its limit for any size, closes every section, and says when it was cut (property)', () => {
  for (const [envs, size, limit] of [[1, 10, MARKDOWN_LIMIT], [3, 500, MARKDOWN_LIMIT], [5, 2000, MARKDOWN_LIMIT], [2, 50, 3000], [4, 40, 1500]] as const) {
    const report = { base: 'main', head: 'feature', environments: Array.from({ length: envs }, (_, i) => environment(`env${i}`, size)) };
    const text = previewMarkdown(report, limit);
    assert.ok(text.length <= limit, `${envs}×${size}: ${text.length} > ${limit}`);
    assert.equal((text.match(/<details>/g) ?? []).length, (text.match(/<\/details>/g) ?? []).length);
    const full = previewMarkdown(report, Number.MAX_SAFE_INTEGER);
    assert.equal(/was cut at/.test(text), full.length > limit, `${envs}×${size}`);
    // Cell text cannot break the table: pipes escaped, newlines shown as ⏎.
    assert.ok(!/`y\|/.test(text));
  }
});

test('markdown: one collapsible section per environment with counts and the cluster status', () => {
  const text = previewMarkdown({ base: 'main', head: 'pr-7', environments: [environment('dev', 2), { ...environment('prod', 0), cluster: { status: 'unreachable', objects: [], message: 'prod at https://k: ECONNREFUSED' } }] });
  assert.match(text, /^### GitOps preview: `main` → `pr-7`/);
  assert.match(text, /<details><summary><b>dev<\/b>: 0 added, 2 modified, 0 removed · no cluster checked<\/summary>/);
  assert.match(text, /<summary><b>prod<\/b>: 0 added, 0 modified, 0 removed · cluster unreachable<\/summary>/);
  assert.match(text, /Cluster: prod at https:\/\/k: ECONNREFUSED/);
  assert.equal(previewMarkdown({ base: 'a', head: 'b', environments: [] }).includes('No environment is touched'), true);
});
