// The pure blame engine on literal layers: later layers win, `$patch: replace` / `$patch: delete`,
// JSON 6902 remove/move, merge-key lookup in a reordered rendered list, the nearest ancestor for
// a field no layer declares, labels into selectors and templates, the generator's literal lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlameLayer, SourceRef } from '../../src/core/blame/blameTypes';
import { blameObject, splitImage } from '../../src/core/blame/objectBlame';
import { parseSourceDocuments } from '../../src/core/blame/sourceTree';

function doc(file: string, text: string, docIndex = 0): SourceRef {
  const found = parseSourceDocuments(text).find((d) => d.index === docIndex);
  assert.ok(found, file);
  return { file, docIndex, pointer: '', node: found.root };
}

const base = doc(
  'base.yaml',
  `kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web:1
          args: ["a", "b"]
        - name: proxy
          image: envoy:1
`,
);

function at(result: ReturnType<typeof blameObject>, pointer: string): string {
  const found = result.blame(pointer);
  return `${found?.location.file}:${found?.location.range?.start.line}${found?.exact ? '' : '~'}`;
}

test('$patch: replace on a list owns the whole list; lookups follow the rendered order by merge key', () => {
  const replace = doc(
    'replace.yaml',
    `kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - $patch: replace
        - name: proxy
          image: envoy:2
        - name: web
          image: web:2
`,
  );
  const rendered = { spec: { template: { spec: { containers: [{ name: 'proxy', image: 'envoy:2' }, { name: 'web', image: 'web:2' }] } } } };
  const result = blameObject({ kind: 'Deployment', document: base }, [{ kind: 'strategicMerge', kustomization: 'k.yaml', patch: replace }], rendered);
  assert.equal(at(result, '/spec/template/spec/containers/0/image'), 'replace.yaml:10');
  assert.equal(at(result, '/spec/template/spec/containers/1/image'), 'replace.yaml:12');
  // `args` went with the replaced list: a field under it falls back to the nearest ancestor.
  assert.equal(at(result, '/spec/template/spec/containers/1/args/0'), 'replace.yaml:11~');
});

test('$patch: delete removes an item; a later layer wins; untouched fields stay on the base', () => {
  const remove = doc('delete.yaml', `kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: proxy\n          $patch: delete\n`);
  const scale = doc('scale.yaml', `kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n`);
  const json = doc('json.yaml', `- op: replace\n  path: /spec/replicas\n  value: 4\n- op: remove\n  path: /spec/template/spec/containers/0/args\n`);
  const rendered = { metadata: { name: 'web' }, spec: { replicas: 4, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } } };
  const layers: BlameLayer[] = [
    { kind: 'strategicMerge', kustomization: 'k.yaml', patch: remove },
    { kind: 'strategicMerge', kustomization: 'k.yaml', patch: scale },
    { kind: 'json6902', kustomization: 'k.yaml', operations: json },
  ];
  const result = blameObject({ kind: 'Deployment', document: base }, layers, rendered);
  assert.equal(at(result, '/spec/replicas'), 'json.yaml:3');
  assert.equal(at(result, '/spec/template/spec/containers/0/image'), 'base.yaml:16');
  // The patch's `name: web` only names its target: the base keeps metadata.name.
  assert.equal(at(result, '/metadata/name'), 'base.yaml:3');
});

test('labels reach selectors and templates only when asked; the generator blames each literal line', () => {
  const kustomization = doc(
    'k.yaml',
    `commonLabels:
  team: shop
labels:
  - pairs:
      env: prod
configMapGenerator:
  - name: settings
    literals:
      - MODE=fast
`,
  );
  const pairs = (pointer: string): SourceRef => ({ ...kustomization, pointer, node: kustomization.node.entries?.get('commonLabels') ?? kustomization.node });
  const labelsEntry: SourceRef = { ...kustomization, pointer: '/labels/0/pairs', node: kustomization.node.entries?.get('labels')?.items?.[0].entries?.get('pairs') ?? kustomization.node };
  const rendered = { metadata: { labels: { app: 'web', team: 'shop', env: 'prod' } }, spec: { selector: { matchLabels: { app: 'web', team: 'shop' } }, template: { metadata: { labels: { app: 'web', team: 'shop' } } } } };
  const result = blameObject(
    { kind: 'Deployment', document: base },
    [
      { kind: 'labels', kustomization: 'k.yaml', pairs: pairs('/commonLabels'), selectors: true, templates: true },
      { kind: 'labels', kustomization: 'k.yaml', pairs: labelsEntry, selectors: false, templates: false },
    ],
    rendered,
  );
  assert.equal(at(result, '/spec/selector/matchLabels/team'), 'k.yaml:2');
  assert.equal(at(result, '/spec/template/metadata/labels/team'), 'k.yaml:2');
  assert.equal(at(result, '/metadata/labels/env'), 'k.yaml:5');
  assert.equal(result.blame('/spec/template/metadata/labels/env')?.exact, false, 'labels without includeTemplates leave templates alone');

  const entry: SourceRef = { ...kustomization, pointer: '/configMapGenerator/0', node: kustomization.node.entries?.get('configMapGenerator')?.items?.[0] ?? kustomization.node };
  const generated = blameObject({ kind: 'ConfigMap' }, [{ kind: 'generator', kustomization: 'k.yaml', entry, behavior: 'create', secret: false, envFiles: [{ file: 'extra.env', text: '# comment\nLEVEL=3\n' }] }], {
    data: { MODE: 'fast', LEVEL: '3' },
  });
  assert.equal(at(generated, '/data/MODE'), 'k.yaml:9');
  assert.equal(at(generated, '/data/LEVEL'), 'extra.env:2');
  assert.equal(at(generated, '/metadata/name'), 'k.yaml:7');
});

test('images: an entry retags only the images it names, and later entries see earlier renames', () => {
  assert.deepEqual(splitImage('registry:5000/org/app:1.2@sha256:abc'), { name: 'registry:5000/org/app', tag: '1.2', digest: 'sha256:abc' });
  assert.deepEqual(splitImage('registry:5000/org/app'), { name: 'registry:5000/org/app', digest: undefined });
  const kustomization = doc('k.yaml', `images:\n  - name: envoy\n    newName: mirror/envoy\n  - name: mirror/envoy\n    newTag: "2"\n`);
  const entries = (kustomization.node.entries?.get('images')?.items ?? []).map((node, i) => ({ ...kustomization, pointer: `/images/${i}`, node }));
  const rendered = { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'proxy', image: 'mirror/envoy:2' }] } } } };
  const first = blameObject({ kind: 'Deployment', document: base }, [{ kind: 'images', kustomization: 'k.yaml', entries: entries.slice(0, 1) }, { kind: 'images', kustomization: 'k.yaml', entries: entries.slice(1) }], rendered);
  assert.equal(at(first, '/spec/template/spec/containers/1/image'), 'k.yaml:5');
  assert.equal(first.blame('/spec/template/spec/containers/1/image')?.imagePart, 'newTag');
  assert.equal(at(first, '/spec/template/spec/containers/0/image'), 'base.yaml:16');
});

test('a rendered value no replayed layer explains (replacements, a plugin) is marked changed later', () => {
  const rendered = { spec: { replicas: 7, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } } };
  const result = blameObject({ kind: 'Deployment', document: base }, [], rendered);
  assert.equal(result.blame('/spec/replicas')?.changedLater, true);
  assert.equal(result.blame('/spec/template/spec/containers/0/image')?.changedLater, undefined);
});
