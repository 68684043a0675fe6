import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptLiveEdit, inlineYaml } from '../../src/core/acceptLive';
import { parseManifests } from '../../src/core/manifest';

const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the web tier
spec:
  replicas: 2 # scaled by hand in prod
  template:
    spec:
      containers:
        - name: web
          image: "ghcr.io/example/web:1.4.0"
          env:
            - name: MODE
              value: fast
`;

function apply(source: string, edit: { range: { start: { line: number; column: number }; end: { line: number; column: number } }; newText: string }): string {
  const lines = source.split('\n');
  const { start, end } = edit.range;
  const before = lines.slice(0, start.line - 1).join('\n') + (start.line > 1 ? '\n' : '') + lines[start.line - 1].slice(0, start.column - 1);
  const after = lines[end.line - 1].slice(end.column - 1) + '\n' + lines.slice(end.line).join('\n');
  return before + edit.newText + after;
}

test('replaces a scalar in place and keeps the comment on its line', () => {
  const manifest = parseManifests(text, 'web.yaml').manifests[0];
  const edit = acceptLiveEdit(manifest, '/spec/replicas', 5);
  assert.ok(edit);
  const result = apply(text, edit);
  assert.match(result, /^ {2}replicas: 5 # scaled by hand in prod$/m);
  assert.equal(result.split('\n').length, text.split('\n').length);
  assert.deepEqual(parseManifests(result, 'web.yaml').manifests[0].object.spec, { ...(manifest.object.spec as object), replicas: 5 });
});

test('quotes strings that would otherwise read as numbers or booleans', () => {
  assert.equal(inlineYaml('1.5'), '"1.5"');
  assert.equal(inlineYaml('true'), '"true"');
  assert.equal(inlineYaml('plain-text'), 'plain-text');
  assert.equal(inlineYaml({ a: 1 }), '{"a":1}');
  const manifest = parseManifests(text, 'web.yaml').manifests[0];
  const edit = acceptLiveEdit(manifest, '/spec/template/spec/containers/0/env/0/value', 'true');
  assert.ok(edit);
  const result = apply(text, edit);
  const env = (parseManifests(result, 'web.yaml').manifests[0].object as { spec: { template: { spec: { containers: Array<{ env: Array<{ value: unknown }> }> } } } }).spec.template.spec.containers[0].env[0];
  assert.equal(env.value, 'true');
});

test('refuses masked Secret values and nodes Git does not declare', () => {
  const manifest = parseManifests(text, 'web.yaml').manifests[0];
  assert.equal(acceptLiveEdit(manifest, '/spec/replicas', { masked: true, hash: 'abcd1234' }), undefined);
  assert.equal(acceptLiveEdit(manifest, '/spec/paused', true), undefined);
});

test('a block mapping or list is written back as a block at its indentation', () => {
  const manifest = parseManifests(text, 'web.yaml').manifests[0];
  const env = [
    { name: 'MODE', value: 'slow' },
    { name: 'DEBUG', value: 'true' },
  ];
  const edit = acceptLiveEdit(manifest, '/spec/template/spec/containers/0/env', env, text);
  assert.ok(edit);
  const result = apply(text, edit);
  assert.match(result, /\n {12}- name: MODE\n {14}value: slow\n {12}- name: DEBUG\n {14}value: "true"\n/);
  const container = (parseManifests(result, 'web.yaml').manifests[0].object as { spec: { template: { spec: { containers: Array<{ env: unknown; image: unknown }> } } } }).spec.template.spec.containers[0];
  assert.deepEqual(container.env, env);
  assert.equal(container.image, 'ghcr.io/example/web:1.4.0');
  assert.match(result, /^ {2}name: web # the web tier$/m, 'comments elsewhere stay');
});

test('a field the cluster lacks is removed with its lines; a key that starts a list item is not removed alone', () => {
  const manifest = parseManifests(text, 'web.yaml').manifests[0];
  const edit = acceptLiveEdit(manifest, '/spec/replicas', undefined, text);
  assert.ok(edit);
  const result = apply(text, edit);
  assert.doesNotMatch(result, /replicas/);
  assert.equal(result.split('\n').length, text.split('\n').length - 1);
  assert.equal((parseManifests(result, 'web.yaml').manifests[0].object as { spec: { template: unknown } }).spec.template !== undefined, true);

  const item = acceptLiveEdit(manifest, '/spec/template/spec/containers/0/env/0', undefined, text);
  assert.ok(item);
  const withoutItem = parseManifests(apply(text, item), 'web.yaml').manifests[0].object as { spec: { template: { spec: { containers: Array<{ env: unknown[] }> } } } };
  assert.equal(withoutItem.spec.template.spec.containers[0].env, null, 'the only item gone: `env:` is empty');
  assert.equal(acceptLiveEdit(manifest, '/spec/template/spec/containers/0/name', undefined, text), undefined);
  assert.equal(acceptLiveEdit(manifest, '/spec/replicas', undefined), undefined, 'removal needs the file text');
});
