// Preview Impact's report: a change's objects exactly as `gitops-env preview` computes them
// (`diffObjectSets`), laid out as the report webview's model — Added / Changed / Removed, after in
// column A and before in column B, files at head, Secrets masked, read-only — and the protocol's
// guard on the new `preview` target (its refs reach `git` on the host).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectId } from '../../src/core/drift/compare';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { diffObjectSets } from '../../src/core/preview/objectDiff';
import type { EnvironmentPreview } from '../../src/core/preview/previewReport';
import type { RenderedObject } from '../../src/render/renderEnvironment';
import { liveImpactLines, previewReportModel, type PreviewTarget } from '../../src/ui/preview/previewImpactModel';
import './helpers/fakeVscode';
import { refusal } from '../../src/ui/webview/messagePolicy';
import { statusLabel } from '../../webview-ui/format';
import { isGitRef, isHostMessage, isReportTarget, targetKey } from '../../webview-ui/protocol';

const PASSWORD_BEFORE = 'old-password-value-1';
const PASSWORD_AFTER = 'new-password-value-2';

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data };
}

function secret(password: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' }, stringData: { password } };
}

function rendered(object: KubeObject, file: string, line: number): RenderedObject {
  return { id: objectId(object), object, origin: { file, range: { start: { line, column: 1 }, end: { line, column: 5 } } } };
}

const target: PreviewTarget = { kind: 'preview', environment: 'dev', base: 'origin/main', head: 'feature/slow-mode', folder: 'file:///work/shop' };

function scenario(cluster: EnvironmentPreview['cluster'] = { status: 'none', objects: [] }) {
  const base = [configMap('settings', { mode: 'fast' }), configMap('legacy', { a: '1' }), secret(PASSWORD_BEFORE)];
  const headObjects = [configMap('settings', { mode: 'slow', extra: 'yes' }), configMap('added', { b: '2' }), secret(PASSWORD_AFTER)];
  const head = [rendered(headObjects[0], 'envs/dev/settings.yaml', 3), rendered(headObjects[1], 'envs/dev/added.yaml', 1), rendered(headObjects[2], 'base/creds.yaml', 2)];
  const preview: EnvironmentPreview = { name: 'dev', objects: diffObjectSets(base, headObjects), cluster, problems: [] };
  return { preview, model: previewReportModel({ target, preview, head, environments: ['dev', 'staging', 'prod'], asOf: new Date('2026-01-01T00:00:00Z') }) };
}

test('every object the CLI reports is in the report, with the words of a change: Added, Changed, Removed', () => {
  const { preview, model } = scenario();
  assert.ok(isHostMessage({ type: 'report', report: model }), 'the webview accepts the model');
  assert.equal(model.resources.length, preview.objects.length);
  const words = Object.fromEntries(model.resources.map((r) => [r.name, statusLabel(r.status, model.target)]));
  assert.deepEqual(words, { added: 'Added', settings: 'Changed', creds: 'Changed', legacy: 'Removed' });
  assert.equal(model.counts.Missing + model.counts.Drifted + model.counts.Extra, preview.objects.length);
  assert.deepEqual(model.columns, { a: 'After', b: 'Before' });
});

test('fields read after in column A and before in column B; an added field is absent before', () => {
  const { model } = scenario();
  const settings = model.resources.find((r) => r.name === 'settings');
  const byPath = Object.fromEntries((settings?.fields ?? []).map((f) => [f.path, f]));
  assert.deepEqual(byPath['data.mode'].a, { kind: 'text', text: 'slow', truncated: false });
  assert.deepEqual(byPath['data.mode'].b, { kind: 'text', text: 'fast', truncated: false });
  assert.equal(byPath['data.mode'].change, 'changed');
  assert.deepEqual(byPath['data.extra'].b, { kind: 'absent' });
  assert.equal(byPath['data.extra'].change, 'notInLive');
});

test('objects link to their file at head; a removed object has no file to open', () => {
  const { model } = scenario();
  const files = Object.fromEntries(model.resources.map((r) => [r.name, r.file && `${r.file}:${r.line}`]));
  assert.deepEqual(files, { added: 'envs/dev/added.yaml:1', settings: 'envs/dev/settings.yaml:3', creds: 'base/creds.yaml:2', legacy: undefined });
  assert.equal(refusal({ type: 'openFile', file: 'envs/dev/settings.yaml', line: 3 }, model), undefined);
  assert.ok(refusal({ type: 'openFile', file: 'envs/prod/secrets.yaml', line: 1 }, model), 'a file the report does not name');
});

test('a Secret value never reaches the model: both sides masked, and the two hashes differ', () => {
  const { model } = scenario();
  const text = JSON.stringify(model);
  assert.ok(!text.includes(PASSWORD_BEFORE) && !text.includes(PASSWORD_AFTER));
  const field = model.resources.find((r) => r.kind === 'Secret')?.fields[0];
  assert.equal(field?.a.kind, 'masked');
  assert.equal(field?.b.kind, 'masked');
  assert.notDeepEqual(field?.a, field?.b);
});

test('the report is read-only: no sync, no accept-live, whatever the webview sends', () => {
  const { model } = scenario();
  assert.equal(model.readOnly, true);
  assert.equal(model.canSync, false);
  const key = model.resources.find((r) => r.name === 'settings')?.key ?? '';
  assert.ok(refusal({ type: 'sync', keys: [key] }, model));
  assert.ok(refusal({ type: 'acceptLive', key, pointer: '' }, model));
  assert.equal(refusal({ type: 'openDiff', key }, model), undefined);
});

test('the live impact is one line per object, drift it would overwrite and refusals called out', () => {
  const lines = liveImpactLines({
    status: 'checked',
    objects: [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', change: 'modified', fields: [{ path: 'spec.replicas', before: 5, after: 2, drift: true }] },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'added', change: 'added', fields: [] },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'legacy', change: 'removed', fields: [] },
      { apiVersion: 'v1', kind: 'Service', namespace: null, name: 'bad', change: 'refused', fields: [], error: 'spec.ports: Required value' },
    ],
  });
  assert.deepEqual(lines, [
    'Deployment shop/web: spec.replicas 5 → 2 (overwrites live drift)',
    'ConfigMap shop/added: would be created',
    'ConfigMap shop/legacy: would be deleted (sync --prune)',
    'Service bad: the server refuses it — spec.ports: Required value',
  ]);
  assert.deepEqual(liveImpactLines({ status: 'checked', objects: [] }), ['Applying the change would change nothing live.']);
  assert.match(liveImpactLines({ status: 'unreachable', objects: [], message: 'sandbox at https://127.0.0.1:1: connect ECONNREFUSED' })[0], /^The cluster could not be reached: sandbox/);
  const { model } = scenario({ status: 'checked', objects: [] });
  assert.deepEqual(model.live, ['Applying the change would change nothing live.']);
});

test('a preview target carries refs the host hands to git: option-like, spaced, ranged or control-character refs are refused', () => {
  assert.ok(isReportTarget(target));
  assert.ok(isReportTarget({ kind: 'preview', environment: 'prod', base: 'prod', head: 'a'.repeat(40) }));
  for (const ref of ['--upload-pack=touch /tmp/x', '-x', 'main..feature', 'has space', 'tab\there', 'nul\u0000', '', 'x'.repeat(257), 'semi;colon', '$(id)', 'back`tick`']) {
    assert.equal(isGitRef(ref), false, JSON.stringify(ref));
    assert.equal(isReportTarget({ ...target, head: ref }), false, JSON.stringify(ref));
    assert.equal(isReportTarget({ ...target, base: ref }), false, JSON.stringify(ref));
  }
  // Any character outside the allowed set, anywhere in an otherwise good ref, makes it invalid.
  const allowed = /[A-Za-z0-9._/@+-]/;
  for (let code = 0; code < 0x250; code++) {
    const char = String.fromCharCode(code);
    if (allowed.test(char)) continue;
    assert.equal(isGitRef(`feature${char}x`), false, `U+${code.toString(16)}`);
  }
  assert.equal(isReportTarget({ ...target, extra: 1 }), false, 'no extra keys');
});

test('two previews of one environment with other refs are other panels, titled by their refs', async () => {
  // driftReportPanel needs `vscode`: the stand-in imported above serves it.
  const { panelTitle } = await import('../../src/ui/webview/driftReportPanel');
  const other = { ...target, head: 'feature/other' };
  assert.notEqual(targetKey(target), targetKey(other));
  assert.notEqual(targetKey(target), targetKey({ kind: 'drift', environment: 'dev', folder: target.folder }));
  assert.equal(panelTitle(target), 'Impact on dev: origin/main ← feature/slow-mode');
  assert.equal(panelTitle({ ...target, head: 'abcdef0123456789abcdef0123456789abcdef01' }), 'Impact on dev: origin/main ← abcdef01');
});

test('the report heading names a commit head (a pull request fetched by its ref) by its short id, a branch by its name', async () => {
  const { toReportViewModel } = await import('../../src/ui/webview/reportViewModel');
  const drift = { mode: 'local' as const, approximate: false, resources: [], counts: { InSync: 0, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 }, problems: [] };
  const heading = (head: string): string => toReportViewModel(drift, { target: { ...target, head }, environments: ['dev'], asOf: new Date(), canSync: false }).title;
  assert.equal(heading('abcdef0123456789abcdef0123456789abcdef01'), 'Impact on dev · origin/main ← abcdef01');
  assert.equal(heading('feature/slow-mode'), 'Impact on dev · origin/main ← feature/slow-mode');
});
