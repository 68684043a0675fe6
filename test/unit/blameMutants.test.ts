// Kills mutation survivors of the blame modules (`npm run mutate -- blame`): overlayPatch (the
// patch Accept Live writes into an environment's own overlay: path reading, the patch document,
// merging into the accept-live patch file, listing it under `patches:`), sourceTree (positions of
// every node, merge keys, repeated keys, documents left out), mergeKeys (list item identity),
// helmValuesBlame (which values file and line set a Helm-rendered field) and objectBlame (the
// replay of a kustomize build: later layers win, every blamed line holds the value it set).
// Written because these modules had never been measured; each test holds one rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { TextEdit } from '../../src/core/acceptLive';
import type { SourceNode } from '../../src/core/blame/sourceTree';
import { nodeAt, parseSourceDocuments, plainValue, scalarText } from '../../src/core/blame/sourceTree';
import { itemIdentity, mergeKeysOf } from '../../src/core/blame/mergeKeys';
import { helmValuesBlame, type ValuesFile } from '../../src/core/blame/helmValuesBlame';
import type { BlameLayer, ObjectBlame, SourceRef } from '../../src/core/blame/blameTypes';
import { blameObject, splitImage } from '../../src/core/blame/objectBlame';
import { splitPointer } from '../../src/core/manifest';
import { ACCEPT_LIVE_PATCH, listPatchEdit, mergeIntoPatchFile, overlayAffixes, patchFor, readablePathSteps, type PathStep } from '../../src/core/blame/overlayPatch';
import { seededRandom as random } from '../support/seededRandom';

/** The text after a TextEdit (lines and columns 1-based, end exclusive). */
function applyEdit(text: string, edit: TextEdit): string {
  const offset = (line: number, column: number): number => {
    const lines = text.split('\n');
    let at = 0;
    for (let i = 0; i < line - 1; i++) at += lines[i].length + 1;
    return at + column - 1;
  };
  const start = offset(edit.range.start.line, edit.range.start.column);
  const end = offset(edit.range.end.line, edit.range.end.column);
  return text.slice(0, start) + edit.newText + text.slice(end);
}

// ---- overlayPatch: readablePathSteps ----

test('a readable path reads as keys, merge-key items and indices, in order', () => {
  assert.deepEqual(readablePathSteps('spec.template.spec.containers[name=web].env[name=A].value'), [
    { key: 'spec' },
    { key: 'template' },
    { key: 'spec' },
    { key: 'containers' },
    { item: { name: 'web' } },
    { key: 'env' },
    { item: { name: 'A' } },
    { key: 'value' },
  ]);
  assert.deepEqual(readablePathSteps('spec.args[12]'), [{ key: 'spec' }, { key: 'args' }, { index: 12 }]);
  assert.deepEqual(readablePathSteps('metadata.labels.app-name_2'), [{ key: 'metadata' }, { key: 'labels' }, { key: 'app-name_2' }]);
  assert.deepEqual(readablePathSteps('_x'), [{ key: '_x' }]);
  assert.deepEqual(readablePathSteps(''), []);
});

test('a quoted key is read as JSON, escapes included', () => {
  assert.deepEqual(readablePathSteps('metadata.annotations["example.com/owner"]'), [{ key: 'metadata' }, { key: 'annotations' }, { key: 'example.com/owner' }]);
  assert.deepEqual(readablePathSteps('data["a\\"b]"]'), [{ key: 'data' }, { key: 'a"b]' }]);
});

test('merge-key values of port fields and weight are numbers, other values stay text', () => {
  const item = (path: string): unknown => (readablePathSteps(path)?.[1] as { item?: unknown } | undefined)?.item;
  assert.deepEqual(item('ports[containerPort=8080]'), { containerPort: 8080 });
  assert.deepEqual(item('ports[port=80]'), { port: 80 });
  assert.deepEqual(item('x[hostPort=9]'), { hostPort: 9 });
  assert.deepEqual(item('x[weight=5]'), { weight: 5 });
  // Only a whole `weight`, only names ending in port/Port, only digits.
  assert.deepEqual(item('x[weights=5]'), { weights: '5' });
  assert.deepEqual(item('x[myweight=5]'), { myweight: '5' });
  assert.deepEqual(item('x[portName=80]'), { portName: '80' });
  assert.deepEqual(item('x[containerPortName=80]'), { containerPortName: '80' });
  assert.deepEqual(item('x[containerPort=http]'), { containerPort: 'http' });
  assert.deepEqual(item('x[containerPort=80a]'), { containerPort: '80a' });
  assert.deepEqual(item('x[containerPort=a80]'), { containerPort: 'a80' });
  assert.deepEqual(item('x[name=80]'), { name: '80' });
});

test('an item label with several pairs, an empty value or an = in the value', () => {
  const item = (path: string): unknown => (readablePathSteps(path)?.[1] as { item?: unknown } | undefined)?.item;
  assert.deepEqual(item('ports[containerPort=53,protocol=UDP]'), { containerPort: 53, protocol: 'UDP' });
  assert.deepEqual(item('env[name=]'), { name: '' });
  assert.deepEqual(item('env[name=A=B]'), { name: 'A=B' });
});

test('a path that cannot be read gives undefined, never a partial reading', () => {
  for (const path of ['spec..replicas', 'spec.', '1spec', 'spec[name]', 'spec[=x]', 'spec[a=1,]', 'spec[a=1,b]', 'spec/replicas', 'spec.replicas!', 'spec[1', 'spec[x-1]', 'a b']) {
    assert.equal(readablePathSteps(path), undefined, path);
  }
});

// ---- overlayPatch: patchFor ----

const subject = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' };

test('the patch sets the value at its path under the object it names', () => {
  const steps = readablePathSteps('spec.template.spec.containers[name=shop].env[name=STAGE].value') as PathStep[];
  assert.deepEqual(patchFor(subject, steps, 'prod'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop' },
    spec: { template: { spec: { containers: [{ name: 'shop', env: [{ name: 'STAGE', value: 'prod' }] }] } } },
  });
  assert.deepEqual(patchFor(subject, [{ key: 'spec' }, { key: 'replicas' }], 3), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop' }, spec: { replicas: 3 } });
  // A port item keeps its number, so the patch merges into the item kustomize knows.
  assert.deepEqual(patchFor(subject, readablePathSteps('spec.ports[port=80].targetPort') as PathStep[], 8080), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop' },
    spec: { ports: [{ port: 80, targetPort: 8080 }] },
  });
});

test('a metadata field other than name and namespace goes beside the name the patch targets', () => {
  assert.deepEqual(patchFor(subject, [{ key: 'metadata' }, { key: 'labels' }, { key: 'tier' }], 'web'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', labels: { tier: 'web' } },
  });
  // A top-level scalar field of the patch is replaced by a map, never written into.
  assert.deepEqual(patchFor(subject, [{ key: 'kind' }, { key: 'x' }], 1), { apiVersion: 'apps/v1', kind: { x: 1 }, metadata: { name: 'shop' } });
  assert.deepEqual(patchFor(subject, [{ key: 'apiVersion' }], 'v2'), { apiVersion: 'v2', kind: 'Deployment', metadata: { name: 'shop' } });
});

test('the name and namespace cannot be set by a patch; other fields named name or namespace can', () => {
  const refusal = 'the name and namespace identify the object; a patch cannot set them';
  assert.equal(patchFor(subject, [{ key: 'metadata' }, { key: 'name' }], 'x'), refusal);
  assert.equal(patchFor(subject, [{ key: 'metadata' }, { key: 'namespace' }], 'x'), refusal);
  assert.equal(typeof patchFor(subject, [{ key: 'spec' }, { key: 'name' }], 'x'), 'object');
  assert.equal(typeof patchFor(subject, [{ key: 'spec' }, { key: 'namespace' }], 'x'), 'object');
  assert.equal(typeof patchFor(subject, [{ key: 'metadata' }, { key: 'labels' }], {}), 'object');
  assert.equal(typeof patchFor(subject, [{ key: 'metadata' }, { index: 0 }], 'x'), 'string');
  assert.notEqual(patchFor(subject, [{ key: 'metadata' }, { item: { name: 'x' } }, { key: 'v' }], 'x'), refusal);
  assert.notEqual(patchFor(subject, [{ key: 'metadata' }], 'x'), refusal);
});

test('paths a patch cannot express give the reason', () => {
  assert.equal(patchFor(subject, [], 1), 'the path is empty');
  assert.equal(patchFor(subject, [{ index: 0 }], 1), 'the path does not start with a field name');
  assert.equal(patchFor(subject, [{ item: { name: 'a' } }, { key: 'x' }], 1), 'the path does not start with a field name');
  assert.equal(
    patchFor(subject, [{ key: 'spec' }, { key: 'args' }, { index: 1 }], 'x'),
    'the field is inside args, a list without a merge key: a patch would replace the whole list',
  );
  assert.equal(patchFor(subject, [{ key: 'spec' }, { key: 'containers' }, { item: { name: 'web' } }], {}), 'the value is a whole list item; accept its fields one by one');
  // Two items in a row: the second is not a field name.
  assert.equal(patchFor(subject, [{ key: 'spec' }, { key: 'containers' }, { item: { name: 'web' } }, { item: { name: 'x' } }, { key: 'v' }], 1), 'the path does not start with a field name');
});

// ---- overlayPatch: mergeIntoPatchFile ----

const patchDoc = (spec: Record<string, unknown>, name = 'shop', kind = 'Deployment'): Record<string, unknown> => ({ apiVersion: 'apps/v1', kind, metadata: { name }, spec });

test('a new accept-live patch file holds the one document', () => {
  assert.equal(ACCEPT_LIVE_PATCH, 'accept-live-patch.yaml');
  assert.equal(mergeIntoPatchFile(undefined, patchDoc({ replicas: 3 })), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n');
  // Long values stay on one line: the file is edited by people and diffed.
  const long = 'x'.repeat(120);
  assert.equal(mergeIntoPatchFile(undefined, patchDoc({ note: `${long} ${long}` })).split('\n').filter((line) => line.includes('xxx')).length, 1);
});

test('a document for the same object is merged, list items by merge key; other objects get their own document', () => {
  const first = mergeIntoPatchFile(undefined, patchDoc({ template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', value: '1' }] }] } } }));
  const second = mergeIntoPatchFile(first, patchDoc({ template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }] }, { name: 'proxy', image: 'envoy' }] } }, replicas: 2 }));
  assert.deepEqual(parse(second), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop' },
    spec: {
      template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }] }, { name: 'proxy', image: 'envoy' }] } },
      replicas: 2,
    },
  });
  // Same kind, another name; same name, another kind: separate documents, in order.
  const third = mergeIntoPatchFile(mergeIntoPatchFile(second, patchDoc({ replicas: 1 }, 'cart')), patchDoc({ replicas: 4 }, 'shop', 'StatefulSet'));
  const documents = third.split('---\n').map((text) => parse(text) as Record<string, unknown>);
  assert.deepEqual(
    documents.map((d) => [d.kind, (d.metadata as { name: string }).name]),
    [
      ['Deployment', 'shop'],
      ['Deployment', 'cart'],
      ['StatefulSet', 'shop'],
    ],
  );
  assert.deepEqual(documents[0].spec, (parse(second) as Record<string, unknown>).spec);
});

test('lists without a merge key and items without one are appended; a scalar or a list replaces a map', () => {
  const before = mergeIntoPatchFile(undefined, patchDoc({ args: ['a'], tolerations: [{ key: 'k' }], env: [{ value: 'no-name' }], misc: { a: 1 }, other: [1] }));
  const after = parse(mergeIntoPatchFile(before, patchDoc({ args: ['b'], tolerations: [{ key: 'k' }], env: [{ value: 'no-name' }], misc: 'flat', other: { x: 1 } }))) as { spec: unknown };
  assert.deepEqual(after.spec, { args: ['a', 'b'], tolerations: [{ key: 'k' }, { key: 'k' }], env: [{ value: 'no-name' }, { value: 'no-name' }], misc: 'flat', other: { x: 1 } });
});

test('merge keys apply by the list field name at every depth: ports by port, containers by name', () => {
  const before = mergeIntoPatchFile(undefined, patchDoc({ ports: [{ port: 80, targetPort: 1 }, { port: 443, targetPort: 2 }] }));
  const after = parse(mergeIntoPatchFile(before, patchDoc({ ports: [{ port: 443, targetPort: 3 }] }))) as { spec: unknown };
  assert.deepEqual(after.spec, { ports: [{ port: 80, targetPort: 1 }, { port: 443, targetPort: 3 }] });
});

test('the existing file keeps its other documents; empty documents are dropped; the merged one wins by field', () => {
  const existing = '# accepted\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  A: "1"\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 1\n  paused: true\n';
  const text = mergeIntoPatchFile(existing, patchDoc({ replicas: 5 }));
  assert.deepEqual(
    text.split('---\n').map((part) => parse(part) as unknown),
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop' }, data: { A: '1' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop' }, spec: { replicas: 5, paused: true } },
    ],
  );
  // A document without metadata, or with a scalar one, is never the same object.
  const odd = mergeIntoPatchFile('kind: Deployment\n---\nkind: Deployment\nmetadata: shop\n', patchDoc({ replicas: 5 }));
  assert.equal(odd.split('---\n').length, 3);
  assert.equal(mergeIntoPatchFile('', patchDoc({ replicas: 5 })), mergeIntoPatchFile(undefined, patchDoc({ replicas: 5 })));
});

// ---- overlayPatch: overlayAffixes ----

test('the overlay affixes are read from its kustomization, empty when absent', () => {
  assert.deepEqual(overlayAffixes('namePrefix: prod-\nnameSuffix: -eu\n'), { prefix: 'prod-', suffix: '-eu' });
  assert.deepEqual(overlayAffixes('namePrefix: prod-\n'), { prefix: 'prod-', suffix: '' });
  assert.deepEqual(overlayAffixes('nameSuffix: -2\n'), { prefix: '', suffix: '-2' });
  assert.deepEqual(overlayAffixes(''), { prefix: '', suffix: '' });
  assert.deepEqual(overlayAffixes('namePrefix: 1\n'), { prefix: '1', suffix: '' });
});

// ---- overlayPatch: listPatchEdit ----

const FILE = 'accept-live-patch.yaml';

test('a kustomization without patches gets a patches list naming the file at its end', () => {
  for (const [before, after] of [
    ['resources:\n  - ../../base\n', `resources:\n  - ../../base\npatches:\n  - path: ${FILE}\n`],
    ['resources:\n  - ../../base', `resources:\n  - ../../base\npatches:\n  - path: ${FILE}\n`],
    ['', `patches:\n  - path: ${FILE}\n`],
    ['namePrefix: a-\n\n', `namePrefix: a-\n\npatches:\n  - path: ${FILE}\n`],
  ]) {
    const edit = listPatchEdit(before, FILE);
    assert.ok(edit && typeof edit !== 'string', JSON.stringify(before));
    assert.equal(applyEdit(before, edit), after, JSON.stringify(before));
    assert.deepEqual(edit.range.start, edit.range.end);
  }
  const edit = listPatchEdit('a: 1', FILE) as TextEdit;
  assert.deepEqual(edit.range.start, { line: 1, column: 5 });
  assert.deepEqual((listPatchEdit('a: 1\n', FILE) as TextEdit).range.start, { line: 2, column: 1 });
});

test('a patches list gets the file as its last item, at the items indentation, before what follows', () => {
  for (const [before, after] of [
    ['patches:\n  - path: a.yaml\n', `patches:\n  - path: a.yaml\n  - path: ${FILE}\n`],
    ['patches:\n- path: a.yaml\n', `patches:\n- path: a.yaml\n- path: ${FILE}\n`],
    ['patches:\n    - path: a.yaml\n', `patches:\n    - path: a.yaml\n    - path: ${FILE}\n`],
    [
      'patches:\n  - path: a.yaml\n    target:\n      kind: Deployment\nimages:\n  - name: x\n',
      `patches:\n  - path: a.yaml\n    target:\n      kind: Deployment\n  - path: ${FILE}\nimages:\n  - name: x\n`,
    ],
    ['a: 1\npatches:\n  - path: a.yaml', `a: 1\npatches:\n  - path: a.yaml\n  - path: ${FILE}`],
    ['patches:\n  - path: a.yaml\n  - path: b.yaml\nimages: []\n', `patches:\n  - path: a.yaml\n  - path: b.yaml\n  - path: ${FILE}\nimages: []\n`],
  ]) {
    const edit = listPatchEdit(before, FILE);
    assert.ok(edit && typeof edit !== 'string', JSON.stringify(before));
    assert.equal(applyEdit(before, edit), after, JSON.stringify(before));
  }
});

test('a file already listed needs no edit; a patches value that is not a block list is refused', () => {
  assert.equal(listPatchEdit(`patches:\n  - path: a.yaml\n  - path: ${FILE}\n`, FILE), undefined);
  assert.equal(listPatchEdit(`patches:\n  - path: ${FILE}\n    target:\n      kind: Deployment\n`, FILE), undefined);
  // Another entry naming a file that merely ends the same way is not the file.
  assert.equal(typeof listPatchEdit(`patches:\n  - path: other-${FILE}\n`, FILE), 'object');
  for (const text of ['patches: []\n', `patches: [{path: a.yaml}]\n`, 'patches: a.yaml\n', 'patches:\n']) {
    assert.equal(listPatchEdit(text, FILE), '`patches:` is not a block list', text);
  }
});

// ---- sourceTree ----

const line = (node: SourceNode | undefined): string => (node ? `${node.range.start.line}:${node.range.start.column}-${node.range.end.line}:${node.range.end.column}` : 'none');
const valueLine = (node: SourceNode | undefined): string =>
  node?.valueRange ? `${node.valueRange.start.line}:${node.valueRange.start.column}-${node.valueRange.end.line}:${node.valueRange.end.column}` : 'none';

test('a mapping entry spans from its key to the end of its value; the value range is the value alone', () => {
  const [doc] = parseSourceDocuments('kind: Deployment\nspec:\n  replicas: 3\n  args: [a, b]\n  empty:\n');
  assert.equal(doc.index, 0);
  const spec = nodeAt(doc.root, ['spec']);
  assert.equal(line(nodeAt(doc.root, ['kind'])), '1:1-1:17');
  assert.equal(valueLine(nodeAt(doc.root, ['kind'])), '1:7-1:17');
  assert.equal(line(nodeAt(doc.root, ['spec', 'replicas'])), '3:3-3:14');
  assert.equal(valueLine(nodeAt(doc.root, ['spec', 'replicas'])), '3:13-3:14');
  assert.equal(line(spec).slice(0, 4), '2:1-');
  assert.equal(valueLine(spec).slice(0, 4), '3:3-');
  // List items have no key: the item is its value.
  const b = nodeAt(doc.root, ['spec', 'args', '1']);
  assert.equal(line(b), '4:13-4:14');
  assert.equal(valueLine(b), '4:13-4:14');
  assert.deepEqual([b?.scalar, b?.entries, b?.items], ['b', undefined, undefined]);
  assert.equal(nodeAt(doc.root, ['spec', 'empty'])?.scalar, null);
  assert.equal(line(doc.root).slice(0, 4), '1:1-');
});

test('nodes hold entries, items or a scalar; plainValue rebuilds what toJS gives', () => {
  const text = 'a: 1\nb: [x, {c: true}]\nd:\n  e: null\n  f: "2"\n';
  const [doc] = parseSourceDocuments(text);
  assert.deepEqual(plainValue(doc.root), parse(text));
  assert.deepEqual([...(doc.root.entries?.keys() ?? [])], ['a', 'b', 'd']);
  assert.equal(doc.root.items, undefined);
  assert.equal(nodeAt(doc.root, ['b'])?.entries, undefined);
  assert.equal(nodeAt(doc.root, ['b'])?.items?.length, 2);
  assert.equal(nodeAt(doc.root, ['b'])?.scalar, undefined);
  assert.equal(doc.root.scalar, undefined);
});

test('repeated keys: the last one wins, at its own line', () => {
  const [doc] = parseSourceDocuments('replicas: 1\nreplicas: 2\n');
  assert.equal(nodeAt(doc.root, ['replicas'])?.scalar, 2);
  assert.equal(nodeAt(doc.root, ['replicas'])?.range.start.line, 2);
});

test('keys that are not scalars are left out; other keys are read as text', () => {
  const [doc] = parseSourceDocuments('? [a, b]\n: 1\n2: two\ntrue: yes\nc: 3\n');
  assert.deepEqual([...(doc.root.entries?.keys() ?? [])], ['2', 'true', 'c']);
});

test('an alias reads as the anchored node, at the anchored line', () => {
  const [doc] = parseSourceDocuments('base: &b\n  x: 1\nuse: *b\nname: &n web\nother: *n\n');
  assert.deepEqual(plainValue(nodeAt(doc.root, ['use']) as SourceNode), { x: 1 });
  assert.equal(nodeAt(doc.root, ['use', 'x'])?.range.start.line, 2);
  assert.equal(nodeAt(doc.root, ['other'])?.scalar, 'web');
  // The entry itself starts at its own key.
  assert.equal(nodeAt(doc.root, ['use'])?.range.start.line, 3);
});

test('documents with errors or without contents are left out; the others keep their index in the file', () => {
  const documents = parseSourceDocuments('a: 1\n---\nb: [\n---\n# only a comment\n---\nc: 2\n');
  // An explicit `---` with nothing after it is an empty (null) document, not a missing one.
  assert.deepEqual(
    documents.map((d) => [d.index, plainValue(d.root)]),
    [
      [0, { a: 1 }],
      [2, null],
      [3, { c: 2 }],
    ],
  );
  assert.equal(documents[2].root.range.start.line, 7);
  assert.deepEqual(parseSourceDocuments(''), []);
  assert.deepEqual(parseSourceDocuments('# nothing\n'), []);
});

test('collections nested deeper than 100 levels are cut: the cut node has a range and no value', () => {
  const depth = 105;
  const [doc] = parseSourceDocuments(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
  let node: SourceNode | undefined = doc.root;
  let levels = 0;
  while (node?.items) {
    node = node.items[0];
    levels++;
  }
  assert.equal(levels, 101);
  assert.deepEqual([node?.items, node?.entries, node?.scalar], [undefined, undefined, undefined]);
  assert.equal(node?.range.start.column, 102);
  // Mappings are cut at the same depth.
  const [maps] = parseSourceDocuments(`${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`);
  const tokens = Array.from({ length: 101 }, () => 'a');
  assert.deepEqual([nodeAt(maps.root, tokens)?.entries, nodeAt(maps.root, tokens)?.scalar], [undefined, undefined]);
  assert.ok(nodeAt(maps.root, tokens.slice(1)));
  // 100 levels are read whole.
  const [whole] = parseSourceDocuments(`${'['.repeat(100)}1${']'.repeat(100)}`);
  assert.deepEqual(plainValue(whole.root), parse(`${'['.repeat(100)}1${']'.repeat(100)}`));
});

test('scalarText reads YAML numbers and booleans as their text; null, absent and collections have none', () => {
  const [doc] = parseSourceDocuments('n: 3\nb: false\ns: x\nz: null\nm: {a: 1}\nzero: 0\nempty: ""\n');
  const at = (key: string): string | undefined => scalarText(nodeAt(doc.root, [key]));
  assert.deepEqual(['n', 'b', 's', 'z', 'm', 'zero', 'empty', 'missing'].map(at), ['3', 'false', 'x', undefined, undefined, '0', '', undefined]);
  assert.equal(scalarText(undefined), undefined);
});

test('nodeAt follows map keys and list indices; anything else is undefined', () => {
  const [doc] = parseSourceDocuments('list: [a, b]\nmap: {k: v}\nscalar: s\n');
  assert.equal(nodeAt(doc.root, [])?.entries?.size, 3);
  assert.equal(nodeAt(doc.root, ['list', '1'])?.scalar, 'b');
  assert.equal(nodeAt(doc.root, ['list', 'x']), undefined);
  assert.equal(nodeAt(doc.root, ['list', '1x']), undefined);
  assert.equal(nodeAt(doc.root, ['list', '2']), undefined);
  assert.equal(nodeAt(doc.root, ['map', 'k'])?.scalar, 'v');
  assert.equal(nodeAt(doc.root, ['map', '0']), undefined);
  assert.equal(nodeAt(doc.root, ['scalar', 'x']), undefined);
  assert.equal(nodeAt(doc.root, ['missing', 'x']), undefined);
});

test('a quoted "<<" merges nothing (YAML reads it as an ordinary key; kubectl kustomize v5.5 merges nothing from it either)', () => {
  const [doc] = parseSourceDocuments('base: &b {x: 1}\nuse:\n  "<<": *b\n  y: 2\n');
  assert.equal(nodeAt(doc.root, ['use', 'x']), undefined, 'x is not merged in');
  assert.deepEqual(plainValue(nodeAt(doc.root, ['use', '<<']) as SourceNode), { x: 1 });
});

test('a merge key brings the anchored mapping entries, unless the mapping sets them itself', () => {
  const [doc] = parseSourceDocuments('base: &b {x: 1, y: 2}\nuse:\n  y: 3\n  <<: *b\n');
  assert.deepEqual(plainValue(nodeAt(doc.root, ['use']) as SourceNode), { y: 3, x: 1 });
  assert.equal(nodeAt(doc.root, ['use', 'x'])?.range.start.line, 1);
  assert.equal(nodeAt(doc.root, ['use', 'y'])?.range.start.line, 3);
});

// ---- mergeKeys ----

test('each patched list names its items by the Kubernetes merge key', () => {
  const expected: Record<string, string> = {
    containers: 'name',
    initContainers: 'name',
    ephemeralContainers: 'name',
    env: 'name',
    volumes: 'name',
    volumeMounts: 'mountPath',
    volumeDevices: 'devicePath',
    imagePullSecrets: 'name',
    hostAliases: 'ip',
    topologySpreadConstraints: 'topologyKey',
    resourceClaims: 'name',
    readinessGates: 'conditionType',
    conditions: 'type',
  };
  for (const [field, key] of Object.entries(expected)) {
    assert.deepEqual(mergeKeysOf(field), [key], field);
    assert.equal(itemIdentity(field, { [key]: 'v', other: 'w' }), `${key}=v`, field);
    assert.equal(itemIdentity(field, { other: 'w' }), undefined, field);
  }
  assert.deepEqual(mergeKeysOf('ports'), ['containerPort', 'port']);
  assert.deepEqual(mergeKeysOf('volumeClaimTemplates'), ['metadata.name']);
  for (const atomic of ['args', 'command', 'tolerations', 'items', 'rules', undefined]) assert.equal(mergeKeysOf(atomic), undefined, String(atomic));
});

test('item identity: the first merge key with a scalar value, nested keys, never a non-object item', () => {
  assert.equal(itemIdentity('ports', { containerPort: 8080, port: 80 }), 'containerPort=8080');
  assert.equal(itemIdentity('ports', { port: 80 }), 'port=80');
  assert.equal(itemIdentity('ports', { containerPort: null, port: 80 }), 'port=80');
  assert.equal(itemIdentity('ports', { containerPort: { x: 1 }, port: 80 }), 'port=80');
  assert.equal(itemIdentity('ports', { containerPort: null }), undefined);
  assert.equal(itemIdentity('env', { name: false }), 'name=false');
  assert.equal(itemIdentity('env', { name: 0 }), 'name=0');
  assert.equal(itemIdentity('env', { name: '' }), 'name=');
  assert.equal(itemIdentity('volumeClaimTemplates', { metadata: { name: 'data' } }), 'metadata.name=data');
  assert.equal(itemIdentity('volumeClaimTemplates', { metadata: 'data' }), undefined);
  assert.equal(itemIdentity('volumeClaimTemplates', { metadata: null }), undefined);
  assert.equal(itemIdentity('volumeClaimTemplates', { metadata: ['data'] }), undefined);
  assert.equal(itemIdentity('volumeClaimTemplates', { 'metadata.name': 'data' }), undefined);
  for (const item of ['web', 3, null, undefined, [{ name: 'web' }]]) assert.equal(itemIdentity('containers', item), undefined, JSON.stringify(item));
  assert.equal(itemIdentity('args', { name: 'web' }), undefined);
  assert.equal(itemIdentity(undefined, { name: 'web' }), undefined);
});

// ---- helmValuesBlame ----

const chartValues = { file: 'chart/values.yaml', text: 'replicaCount: 1\nimage:\n  repository: ghcr.io/shop/web\n  tag: "1.0"\nappName: shop\nother: zzz\nnested:\n  map: {a: 1}\nfirst: x\nport: 0\nenabled: false\n' };
const prodValues = { file: 'envs/values-prod.yaml', text: '# prod\nreplicaCount: 6\nimage:\n  tag: "2.3"\n' };

/** file:line and whether exact, or "none". */
function helmAt(template: string, kindLine: number, values: readonly ValuesFile[], rendered: Record<string, unknown>, pointer: string): string {
  const found = helmValuesBlame(template, kindLine, values, rendered).blame(pointer);
  if (!found) return 'none';
  assert.equal(found.via, 'values');
  assert.equal(found.docIndex, 0);
  return `${found.location.file}:${found.location.range?.start.line}${found.exact ? '' : '~'} ${found.sourcePointer}`;
}

test('the document of the object runs from the --- before its kind line to the next ---, both excluded', () => {
  const template = 'replicas: {{ .Values.other }}\n---\n# the web Deployment\nreplicas: {{ .Values.replicaCount }}\nnote: a --- b\nkind: Deployment\n  --- indented\nspec: {}\n---\nreplicas: {{ .Values.other }}\n';
  const values = [chartValues];
  assert.equal(helmAt(template, 6, values, { replicas: 1 }, '/replicas'), 'chart/values.yaml:1 /replicaCount');
  // The first document (no --- before it) holds its own line 1.
  const first = 'replicas: {{ .Values.replicaCount }}\nkind: Service\n---\nreplicas: {{ .Values.other }}\nkind: Deployment\n';
  assert.equal(helmAt(first, 2, values, { replicas: 1 }, '/replicas'), 'chart/values.yaml:1 /replicaCount');
  assert.equal(helmAt(first, 5, values, { replicas: 'zzz' }, '/replicas'), 'chart/values.yaml:6 /other');
  assert.equal(helmAt('kind: Deployment\nreplicas: {{ .Values.replicaCount }}\n', 1, values, { replicas: 1 }, '/replicas'), 'chart/values.yaml:1 /replicaCount');
});

test('the environment values file wins over the chart values, the last file read winning', () => {
  const template = 'kind: Deployment\nspec:\n  replicas: {{ .Values.replicaCount }}\n';
  assert.equal(helmAt(template, 1, [chartValues, prodValues], { spec: { replicas: 6 } }, '/spec/replicas'), 'envs/values-prod.yaml:2 /replicaCount');
  // The value must read as rendered: the chart default of 1 does not explain 6.
  assert.equal(helmAt(template, 1, [chartValues], { spec: { replicas: 6 } }, '/spec/replicas'), 'none');
  // Zero and false are values like any other.
  const zero = 'kind: Service\nport: {{ .Values.port }}\nenabled: {{ .Values.enabled }}\n';
  assert.equal(helmAt(zero, 1, [chartValues], { port: 0, enabled: false }, '/port'), 'chart/values.yaml:10 /port');
  assert.equal(helmAt(zero, 1, [chartValues], { port: 0, enabled: false }, '/enabled'), 'chart/values.yaml:11 /enabled');
});

test('a line reading several values blames the last one that shows in the rendered text, as part of the field', () => {
  const template = 'kind: Deployment\nimage: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n';
  const rendered = { image: 'ghcr.io/shop/web:1.0' };
  // Both parts from the same file: the later reference on the line wins.
  assert.equal(helmAt(template, 1, [chartValues], rendered, '/image'), 'chart/values.yaml:4~ /image/tag');
  // A later file beats an earlier reference.
  const prodRepo = { file: 'envs/values-prod.yaml', text: 'image:\n  repository: ghcr.io/shop/web\n' };
  assert.equal(helmAt(template, 1, [chartValues, prodRepo], rendered, '/image'), 'envs/values-prod.yaml:2~ /image/repository');
  // One reference must read as the whole field: a part of it is not enough.
  const single = 'kind: Deployment\nimage: "ghcr.io/shop/web:{{ .Values.image.tag }}"\n';
  assert.equal(helmAt(single, 1, [chartValues], rendered, '/image'), 'none');
  assert.equal(helmAt(single, 1, [chartValues], { image: '1.0' }, '/image'), 'chart/values.yaml:4 /image/tag');
});

test('the key line must be the only one in the document: escaped key, list-item form, a space after the colon', () => {
  const label = 'kind: Deployment\nmetadata:\n  labels:\n    app.kubernetes.io/name: {{ .Values.appName }}\n    appXkubernetesXio/name: {{ .Values.other }}\n';
  assert.equal(helmAt(label, 1, [chartValues], { metadata: { labels: { 'app.kubernetes.io/name': 'shop' } } }, '/metadata/labels/app.kubernetes.io~1name'), 'chart/values.yaml:5 /appName');
  const item = 'kind: Pod\ncontainers:\n  - name: {{ .Values.appName }}\n    image: x\n';
  assert.equal(helmAt(item, 1, [chartValues], { containers: [{ name: 'shop' }] }, '/containers/0/name'), 'chart/values.yaml:5 /appName');
  // `name:` with the value on the next line, and `names:`, are other keys.
  const other = 'kind: Pod\nname:\n  {{ .Values.other }}\nnames: {{ .Values.other }}\nmetadata:\n  name: {{ .Values.appName }}\n';
  assert.equal(helmAt(other, 1, [chartValues], { metadata: { name: 'shop' } }, '/metadata/name'), 'chart/values.yaml:5 /appName');
  const twice = 'kind: Pod\nname: {{ .Values.appName }}\nspec:\n  name: {{ .Values.appName }}\n';
  assert.equal(helmAt(twice, 1, [chartValues], { name: 'shop' }, '/name'), 'none');
});

test('a list index in the pointer is skipped to find the key; no key, no scalar or no reference gives no blame', () => {
  const template = 'kind: Pod\nargs: [{{ .Values.first }}]\nspec: {{ toYaml .Values.nested }}\nplain: fixed\nmap: {{ .Values.nested.map }}\n';
  const values = [chartValues];
  const rendered = { args: ['x'], spec: { map: { a: 1 } }, plain: 'fixed', map: 'x' };
  assert.equal(helmAt(template, 1, values, rendered, '/args/0'), 'chart/values.yaml:9 /first');
  assert.equal(helmAt(template, 1, values, rendered, '/args'), 'none');
  assert.equal(helmAt(template, 1, values, rendered, '/spec'), 'none');
  assert.equal(helmAt(template, 1, values, rendered, '/plain'), 'none');
  assert.equal(helmAt(template, 1, values, rendered, '/missing'), 'none');
  assert.equal(helmAt(template, 1, values, { args: [null] }, '/args/0'), 'none');
  assert.equal(helmAt(template, 1, values, rendered, ''), 'none');
  assert.equal(helmAt('kind: Pod\n0: {{ .Values.first }}\n', 1, values, { 0: 'x' }, '/0'), 'none');
  // `.Values.nested.map` is a mapping in the values file: no scalar to compare.
  assert.equal(helmAt(template, 1, values, rendered, '/map'), 'none');
  // A values file that does not parse, or lacks the value, is skipped.
  assert.equal(helmAt(template, 1, [chartValues, { file: 'bad.yaml', text: 'first: [\n' }, { file: 'empty.yaml', text: '' }], rendered, '/args/0'), 'chart/values.yaml:9 /first');
  // A scalar or null on the way is not a container (a string has no fields, not even `length`).
  const length = 'kind: Pod\nv: {{ .Values.first }}\nlength: {{ .Values.n }}\n';
  const three = [{ file: 'v.yaml', text: 'first: x\nn: 1\nu: undefined\n' }];
  assert.equal(helmAt(length, 1, three, { v: 'x', w: 'y' }, '/w/v'), 'none');
  assert.equal(helmAt(length, 1, three, { v: 'x' }, '/v/length'), 'none');
  assert.equal(helmAt(length, 1, three, { v: null }, '/v/length'), 'none');
  // A field the rendered object lacks has no value to compare, even with a values text "undefined".
  assert.equal(helmAt('kind: Pod\nmissing: {{ .Values.u }}\n', 1, three, {}, '/missing'), 'none');
});

test('only whole-number tokens are list indices when looking for the key', () => {
  const values = [{ file: 'v.yaml', text: 'h: on\nsize: big\nfirst: x\n' }];
  assert.equal(helmAt('kind: Pod\nhttp2: {{ .Values.h }}\n', 1, values, { http2: 'on' }, '/http2'), 'v.yaml:1 /h');
  assert.equal(helmAt('kind: Pod\n2xl: {{ .Values.size }}\n', 1, values, { sizes: { '2xl': 'big' } }, '/sizes/2xl'), 'v.yaml:2 /size');
  const args = Array.from({ length: 11 }, (_, i) => (i === 10 ? 'x' : `a${i}`));
  assert.equal(helmAt('kind: Pod\nargs: [{{ .Values.first }}]\n', 1, values, { args }, '/args/10'), 'v.yaml:3 /first');
});

// ---- objectBlame: a generated overlay, its rendered object and who set each field ----

/** A value and the file:line that set it last. */
interface Owned {
  v: string | number;
  at: string;
}
interface ModelEnv {
  name: Owned;
  value: Owned;
}
interface ModelContainer {
  name: Owned;
  image: Owned;
  pull?: Owned;
  env?: ModelEnv[];
}
/** What kustomize renders for the generated Deployment, each leaf with the line that set it. */
interface Model {
  apiVersion: Owned;
  kind: Owned;
  name: Owned;
  namespace?: Owned;
  labels: Map<string, Owned>;
  annotations: Map<string, Owned>;
  replicas: Owned;
  minReady?: Owned;
  selector: Map<string, Owned>;
  templateLabels: Map<string, Owned>;
  templateAnnotations: Map<string, Owned>;
  containers: ModelContainer[];
}

/** A file written line by line, each line's number known as it is written. */
class Lines {
  readonly lines: string[] = [];
  constructor(readonly file: string) {}
  add(text: string): string {
    this.lines.push(text);
    return `${this.file}:${this.lines.length}`;
  }
  get text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function refOf(file: string, text: string, pointer = ''): SourceRef {
  const document = parseSourceDocuments(text)[0];
  const node = nodeAt(document.root, splitPointer(pointer));
  assert.ok(node, `${file}#${pointer}`);
  return { file, docIndex: 0, pointer, node };
}

interface Generated {
  files: Map<string, string>;
  base: SourceRef;
  layers: BlameLayer[];
  model: Model;
  steps: string[];
}

function splitModelImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const rest = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = rest.lastIndexOf(':');
  return colon > rest.lastIndexOf('/') ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { name: rest, digest };
}

/** A base Deployment and 1–6 overlay layers of every kind, with the model of their build. */
function generate(seed: number): Generated {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chance = (p: number): boolean => next() < p;
  const files = new Map<string, string>();
  const steps: string[] = [];
  let counter = 0;
  const fresh = (prefix: string): string => `${prefix}${seed}x${++counter}`;

  const base = new Lines('base/deployment.yaml');
  const model: Model = {
    apiVersion: { v: 'apps/v1', at: base.add('apiVersion: apps/v1') },
    kind: { v: 'Deployment', at: base.add('kind: Deployment') },
    name: { v: 'web', at: '' },
    labels: new Map(),
    annotations: new Map(),
    replicas: { v: 0, at: '' },
    selector: new Map(),
    templateLabels: new Map(),
    templateAnnotations: new Map(),
    containers: [],
  };
  base.add('metadata:');
  model.name.at = base.add('  name: web');
  base.add('  labels:');
  model.labels.set('app', { v: 'web', at: base.add('    app: web') });
  base.add('spec:');
  const replicas = 1 + Math.floor(next() * 5);
  model.replicas = { v: replicas, at: base.add(`  replicas: ${replicas}`) };
  base.add('  selector:');
  base.add('    matchLabels:');
  model.selector.set('app', { v: 'web', at: base.add('      app: web') });
  base.add('  template:');
  base.add('    metadata:');
  base.add('      labels:');
  model.templateLabels.set('app', { v: 'web', at: base.add('        app: web') });
  base.add('    spec:');
  base.add('      containers:');
  const containerCount = 1 + Math.floor(next() * 3);
  for (let c = 0; c < containerCount; c++) {
    const container: ModelContainer = { name: { v: `c${c}`, at: base.add(`        - name: c${c}`) }, image: { v: '', at: '' } };
    const image = `img${c}:t0`;
    container.image = { v: image, at: base.add(`          image: ${image}`) };
    if (chance(0.5)) {
      const pull = fresh('pull');
      container.pull = { v: pull, at: base.add(`          imagePullPolicy: ${pull}`) };
    }
    if (chance(0.6)) {
      base.add('          env:');
      container.env = [];
      const envCount = 1 + Math.floor(next() * 2);
      for (let e = 0; e < envCount; e++) {
        const value = fresh('b');
        container.env.push({ name: { v: `E${e}`, at: base.add(`            - name: E${e}`) }, value: { v: value, at: base.add(`              value: ${value}`) } });
      }
    }
    model.containers.push(container);
  }
  files.set(base.file, base.text);
  const layers: BlameLayer[] = [];
  const layerCount = 1 + Math.floor(next() * 6);
  for (let l = 0; l < layerCount; l++) {
    const kind = pick(['strategicMerge', 'strategicMerge', 'json6902', 'replicas', 'images', 'images', 'namespace', 'namePrefix', 'nameSuffix', 'labels', 'annotations'] as const);
    const kustomization = `overlay${l}/kustomization.yaml`;
    steps.push(kind);
    if (kind === 'strategicMerge') {
      const patch = new Lines(`overlay${l}/patch.yaml`);
      patch.add('apiVersion: apps/v1');
      patch.add('kind: Deployment');
      patch.add('metadata:');
      patch.add('  name: web');
      const setReplicas = chance(0.4);
      const touched = model.containers.filter(() => chance(0.6));
      const added = chance(0.3);
      // `spec:` with nothing under it would be `spec: null`, which deletes the spec.
      if (setReplicas || touched.length > 0 || added) patch.add('spec:');
      if (setReplicas) {
        const value = 10 + l * 10 + Math.floor(next() * 9);
        model.replicas = { v: value, at: patch.add(`  replicas: ${value}`) };
      }
      if (touched.length > 0 || added) {
        patch.add('  template:');
        patch.add('    spec:');
        patch.add('      containers:');
      }
      for (const container of touched) {
        patch.add(`        - name: ${container.name.v}`);
        if (chance(0.5)) {
          const pull = fresh('pull');
          container.pull = { v: pull, at: patch.add(`          imagePullPolicy: ${pull}`) };
        }
        if (chance(0.6)) {
          patch.add('          env:');
          const name = pick(['E0', 'E1', 'E2']);
          const at = patch.add(`            - name: ${name}`);
          const value = fresh('p');
          const owned: Owned = { v: value, at: patch.add(`              value: ${value}`) };
          const existing = container.env?.find((env) => env.name.v === name);
          if (existing) existing.value = owned;
          else (container.env ??= []).push({ name: { v: name, at }, value: owned });
        }
      }
      if (added) {
        const name = fresh('n');
        const image = `${name}:t1`;
        model.containers.push({ name: { v: name, at: patch.add(`        - name: ${name}`) }, image: { v: image, at: patch.add(`          image: ${image}`) } });
      }
      files.set(patch.file, patch.text);
      layers.push({ kind: 'strategicMerge', kustomization, patch: refOf(patch.file, patch.text) });
    } else if (kind === 'json6902') {
      const operations = new Lines(`overlay${l}/json.yaml`);
      const replace = chance(0.6);
      if (replace) {
        operations.add('- op: replace');
        operations.add('  path: /spec/replicas');
        const value = 100 + l;
        model.replicas = { v: value, at: operations.add(`  value: ${value}`) };
      }
      if (!replace || chance(0.5)) {
        operations.add('- op: add');
        operations.add('  path: /spec/minReadySeconds');
        const value = 200 + l;
        model.minReady = { v: value, at: operations.add(`  value: ${value}`) };
      }
      files.set(operations.file, operations.text);
      layers.push({ kind: 'json6902', kustomization, operations: refOf(operations.file, operations.text) });
    } else if (kind === 'replicas') {
      const k = new Lines(kustomization);
      k.add('replicas:');
      k.add('  - name: web');
      const count = 300 + l;
      model.replicas = { v: count, at: k.add(`    count: ${count}`) };
      files.set(k.file, k.text);
      layers.push({ kind: 'replicas', kustomization, count: refOf(k.file, k.text, '/replicas/0/count') });
    } else if (kind === 'images') {
      const k = new Lines(kustomization);
      k.add('images:');
      const names = [...new Set(model.containers.map((c) => splitModelImage(String(c.image.v)).name)), 'unused'];
      const entries: Array<{ name: string; newName?: string; newTag?: string; digest?: string; lines: Record<string, string> }> = [];
      const entryCount = 1 + Math.floor(next() * 2);
      for (let e = 0; e < entryCount; e++) {
        const name = pick(names);
        const entry: (typeof entries)[number] = { name, lines: {} };
        k.add(`  - name: ${name}`);
        const parts = pick([['newTag'], ['newName'], ['newName', 'newTag'], ['digest'], ['newName', 'digest'], ['newTag', 'digest'], ['newName', 'newTag', 'digest'], []]);
        for (const part of parts) {
          const value = part === 'newName' ? fresh('reg/m') : part === 'newTag' ? fresh('t') : `sha256:${fresh('d')}`;
          entry[part as 'newName' | 'newTag' | 'digest'] = value;
          entry.lines[part] = k.add(`    ${part}: ${value}`);
        }
        entries.push(entry);
      }
      for (const container of model.containers) {
        const current = splitModelImage(String(container.image.v));
        const entry = entries.find((candidate) => candidate.name === current.name && (candidate.newName || candidate.newTag || candidate.digest));
        if (!entry) continue;
        const name = entry.newName ?? current.name;
        // As kustomize's image transformer: a new tag or digest replaces both the old ones.
        const [tag, digest] = entry.newTag || entry.digest ? [entry.newTag, entry.digest] : [current.tag, current.digest];
        const suffix = `${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
        const part = entry.digest ? 'digest' : entry.newTag ? 'newTag' : 'newName';
        container.image = { v: `${name}${suffix}`, at: entry.lines[part] };
      }
      files.set(k.file, k.text);
      layers.push({ kind: 'images', kustomization, entries: entries.map((_, i) => refOf(k.file, k.text, `/images/${i}`)) });
    } else if (kind === 'namespace') {
      const k = new Lines(kustomization);
      const namespace = fresh('ns');
      model.namespace = { v: namespace, at: k.add(`namespace: ${namespace}`) };
      files.set(k.file, k.text);
      layers.push({ kind: 'namespace', kustomization, value: refOf(k.file, k.text, '/namespace') });
    } else if (kind === 'namePrefix' || kind === 'nameSuffix') {
      const k = new Lines(kustomization);
      const affix = kind === 'namePrefix' ? `${fresh('p')}-` : `-${fresh('s')}`;
      model.name = { v: kind === 'namePrefix' ? `${affix}${model.name.v}` : `${model.name.v}${affix}`, at: k.add(`${kind}: ${affix}`) };
      files.set(k.file, k.text);
      layers.push({ kind, kustomization, value: refOf(k.file, k.text, `/${kind}`) });
    } else if (kind === 'labels') {
      const k = new Lines(kustomization);
      const common = chance(0.5);
      const key = pick(['app', 'team', 'tier']);
      const value = fresh('l');
      if (common) {
        k.add('commonLabels:');
        const owned = { v: value, at: k.add(`  ${key}: ${value}`) };
        for (const map of [model.labels, model.selector, model.templateLabels]) map.set(key, owned);
        files.set(k.file, k.text);
        layers.push({ kind: 'labels', kustomization, pairs: refOf(k.file, k.text, '/commonLabels'), selectors: true, templates: true });
      } else {
        const templates = chance(0.5);
        k.add('labels:');
        k.add('  - pairs:');
        const owned = { v: value, at: k.add(`      ${key}: ${value}`) };
        model.labels.set(key, owned);
        if (templates) model.templateLabels.set(key, owned);
        files.set(k.file, k.text);
        layers.push({ kind: 'labels', kustomization, pairs: refOf(k.file, k.text, '/labels/0/pairs'), selectors: false, templates });
      }
    } else {
      const k = new Lines(kustomization);
      k.add('commonAnnotations:');
      const key = pick(['note', 'owner']);
      const value = fresh('a');
      const owned = { v: value, at: k.add(`  ${key}: ${value}`) };
      model.annotations.set(key, owned);
      model.templateAnnotations.set(key, owned);
      files.set(k.file, k.text);
      layers.push({ kind: 'annotations', kustomization, pairs: refOf(k.file, k.text, '/commonAnnotations') });
    }
  }
  return { files, base: refOf(base.file, base.text), layers, model, steps };
}

/** The rendered object of the model and every leaf pointer with who set it. */
function renderModel(model: Model): { rendered: Record<string, unknown>; leaves: Array<[string, Owned]> } {
  const leaves: Array<[string, Owned]> = [];
  const own = (pointer: string, owned: Owned): string | number => {
    leaves.push([pointer, owned]);
    return owned.v;
  };
  const map = (pointer: string, entries: Map<string, Owned>): Record<string, unknown> => Object.fromEntries([...entries].map(([k, o]) => [k, own(`${pointer}/${k}`, o)]));
  const metadata: Record<string, unknown> = { name: own('/metadata/name', model.name), labels: map('/metadata/labels', model.labels) };
  if (model.namespace) metadata.namespace = own('/metadata/namespace', model.namespace);
  if (model.annotations.size > 0) metadata.annotations = map('/metadata/annotations', model.annotations);
  const templateMetadata: Record<string, unknown> = { labels: map('/spec/template/metadata/labels', model.templateLabels) };
  if (model.templateAnnotations.size > 0) templateMetadata.annotations = map('/spec/template/metadata/annotations', model.templateAnnotations);
  const containers = model.containers.map((container, i) => {
    const at = `/spec/template/spec/containers/${i}`;
    const out: Record<string, unknown> = { name: own(`${at}/name`, container.name), image: own(`${at}/image`, container.image) };
    if (container.pull) out.imagePullPolicy = own(`${at}/imagePullPolicy`, container.pull);
    if (container.env) out.env = container.env.map((env, j) => ({ name: own(`${at}/env/${j}/name`, env.name), value: own(`${at}/env/${j}/value`, env.value) }));
    return out;
  });
  const spec: Record<string, unknown> = {
    replicas: own('/spec/replicas', model.replicas),
    selector: { matchLabels: map('/spec/selector/matchLabels', model.selector) },
    template: { metadata: templateMetadata, spec: { containers } },
  };
  if (model.minReady) spec.minReadySeconds = own('/spec/minReadySeconds', model.minReady);
  const rendered = { apiVersion: own('/apiVersion', model.apiVersion), kind: own('/kind', model.kind), metadata, spec };
  return { rendered, leaves };
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

test('generated overlays: every rendered field is blamed exactly on the line that set it last, and that line holds its value', () => {
  for (const seed of SEEDS) {
    const { files, base, layers, model, steps } = generate(seed);
    const { rendered, leaves } = renderModel(model);
    const blame = blameObject({ kind: 'Deployment', document: base }, layers, rendered);
    for (const [pointer, owned] of leaves) {
      const found = blame.blame(pointer);
      const context = `seed ${seed} (${steps.join(', ')}) ${pointer}`;
      assert.ok(found, context);
      assert.equal(`${found.location.file}:${found.location.range?.start.line}`, owned.at, context);
      assert.equal(found.exact, true, context);
      assert.equal(found.changedLater, undefined, context);
      const text = (files.get(found.location.file) ?? '').split('\n')[(found.location.range?.start.line ?? 0) - 1];
      const value = String(owned.v);
      // The line holds the value, or (an images entry, a name affix) the part of it the line sets.
      const held = found.imagePart ? splitModelImage(value)[found.imagePart === 'newName' ? 'name' : found.imagePart === 'newTag' ? 'tag' : 'digest'] : value;
      if (found.via === 'namePrefix' || found.via === 'nameSuffix') assert.ok(value.includes(text.split(': ')[1]), context);
      else assert.ok(text.includes(String(held)), `${context}: ${text} should hold ${String(held)}`);
      assert.equal(found.kustomization === undefined, found.via === 'base', context);
      if (found.via !== 'base') assert.equal(found.kustomization?.split('/')[0], found.location.file.split('/')[0], context);
    }
  }
});

test('generated overlays: a rendered value no layer explains keeps its line and is marked changed later', () => {
  for (const seed of SEEDS) {
    const { base, layers, model } = generate(seed);
    const { rendered, leaves } = renderModel(model);
    // Any field but a name: a different object name reads as a rename, a different item name
    // (the merge key) as another item.
    const candidates = leaves.filter(([pointer]) => !pointer.endsWith('/name'));
    const [pointer, owned] = candidates[(seed * 7) % candidates.length];
    const tokens = splitPointer(pointer);
    const changed = structuredClone(rendered);
    let parent: Record<string, unknown> = changed;
    for (const token of tokens.slice(0, -1)) parent = parent[token] as Record<string, unknown>;
    const last = tokens[tokens.length - 1];
    parent[last] = typeof parent[last] === 'number' ? (parent[last] as number) + 1000 : `${String(parent[last])}-changed`;
    const blame = blameObject({ kind: 'Deployment', document: base }, layers, changed);
    const found = blame.blame(pointer);
    const context = `seed ${seed} ${pointer}`;
    assert.equal(`${found?.location.file}:${found?.location.range?.start.line}`, owned.at, context);
    assert.equal(found?.changedLater, true, context);
    assert.equal(found?.exact, true, context);
    // A field below a scalar is blamed on the scalar's line, not exactly.
    const below = blameObject({ kind: 'Deployment', document: base }, layers, rendered).blame(`${pointer}/below`);
    assert.equal(`${below?.location.file}:${below?.location.range?.start.line}`, owned.at, context);
    assert.deepEqual([below?.exact, below?.changedLater], [false, undefined], context);
  }
});

// ---- objectBlame: one rule per test ----

/** `file:line`, `~` when an ancestor was blamed, `!` when changed later; `none` without blame. */
function where(result: ObjectBlame, pointer: string): string {
  const found = result.blame(pointer);
  if (!found) return 'none';
  return `${found.location.file}:${found.location.range?.start.line}${found.exact ? '' : '~'}${found.changedLater ? '!' : ''}`;
}

function sourceDoc(file: string, text: string): SourceRef {
  return refOf(file, text);
}

const deployment = sourceDoc(
  'base.yaml',
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
  template:
    spec:
      containers:
        - name: web
          image: web:1
          args: [a, b]
          ports:
            - containerPort: 80
              name: http
      volumes:
        - name: data
          emptyDir: {}
`,
);

function smp(file: string, text: string): BlameLayer {
  return { kind: 'strategicMerge', kustomization: 'k.yaml', patch: sourceDoc(file, text) };
}

test('a patch that sets a map replaces nothing it does not name; key: null deletes; $patch: delete and replace act on maps', () => {
  const patch = smp(
    'p.yaml',
    `kind: Deployment
metadata:
  name: web
spec:
  strategy:
    rollingUpdate:
      $patch: replace
      maxUnavailable: 2
  replicas: null
  template:
    spec:
      volumes: null
`,
  );
  const result = blameObject({ kind: 'Deployment', document: deployment }, [patch], {});
  assert.equal(where(result, '/spec/strategy/type'), 'base.yaml:9');
  assert.equal(where(result, '/spec/strategy/rollingUpdate'), 'p.yaml:6');
  assert.equal(where(result, '/spec/strategy/rollingUpdate/maxUnavailable'), 'p.yaml:8');
  // Replaced: maxSurge is gone, `$patch` is no field.
  assert.equal(where(result, '/spec/strategy/rollingUpdate/maxSurge'), 'p.yaml:6~');
  assert.equal(where(result, '/spec/strategy/rollingUpdate/$patch'), 'p.yaml:6~');
  // Deleted by null: the nearest ancestor left is blamed, not exactly.
  assert.equal(where(result, '/spec/replicas'), 'base.yaml:6~');
  assert.equal(where(result, '/spec/template/spec/volumes/0/name'), 'base.yaml:13~');
  const deleted = blameObject({ kind: 'Deployment', document: deployment }, [smp('d.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    $patch: delete\n')], {});
  assert.equal(where(deleted, '/spec/strategy/type'), 'base.yaml:6~');
  // A map that did not exist is the patch's, whole.
  const added = blameObject({ kind: 'Deployment', document: deployment }, [smp('a.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n')], {});
  assert.equal(where(added, '/spec/selector/matchLabels/app'), 'a.yaml:7');
  assert.equal(where(added, '/spec/selector'), 'a.yaml:5');
});

test('a map patched over a scalar, and a scalar over a map, replace it', () => {
  const result = blameObject({ kind: 'Deployment', document: deployment }, [smp('p.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas:\n    odd: 1\n  strategy: Recreate\n')], {});
  assert.equal(where(result, '/spec/replicas/odd'), 'p.yaml:6');
  assert.equal(where(result, '/spec/strategy'), 'p.yaml:7');
  assert.equal(where(result, '/spec/strategy/type'), 'p.yaml:7~');
});

test('lists: atomic lists are replaced whole; merge-key lists merge only when every patch item is a map', () => {
  const result = blameObject(
    { kind: 'Deployment', document: deployment },
    [
      smp(
        'p.yaml',
        `kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          args: [c]
          ports:
            - containerPort: 80
              protocol: TCP
            - containerPort: 443
      volumes:
        - cache
`,
      ),
    ],
    { spec: { template: { spec: { containers: [{ name: 'web', args: ['c'], ports: [{ containerPort: 443 }, { containerPort: 80, name: 'http', protocol: 'TCP' }] }] } } } },
  );
  assert.equal(where(result, '/spec/template/spec/containers/0/args/0'), 'p.yaml:9');
  assert.equal(where(result, '/spec/template/spec/containers/0/args/1'), 'p.yaml:9~');
  // Ports merge by containerPort, wherever the rendered list puts them.
  assert.equal(where(result, '/spec/template/spec/containers/0/ports/1/name'), 'base.yaml:20');
  assert.equal(where(result, '/spec/template/spec/containers/0/ports/1/protocol'), 'p.yaml:12');
  assert.equal(where(result, '/spec/template/spec/containers/0/ports/1/containerPort'), 'base.yaml:19');
  assert.equal(where(result, '/spec/template/spec/containers/0/ports/0/containerPort'), 'p.yaml:13');
  assert.equal(where(result, '/spec/template/spec/containers/0/image'), 'base.yaml:16');
  // A list item that is not a map: the list is replaced.
  assert.equal(where(result, '/spec/template/spec/volumes/0'), 'p.yaml:15');
  assert.equal(where(result, '/spec/template/spec/volumes/0/name'), 'p.yaml:15~');
});

test('merged list order: the items the patch lists first, in its order, then the others (JSON 6902 indices count in it)', () => {
  const base = sourceDoc('b.yaml', 'kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: a:1\n    - name: b\n      image: b:1\n    - name: c\n      image: c:1\n');
  const patch = smp('p.yaml', 'kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: c:2\n    - name: new\n      image: new:1\n    - name: a\n      $patch: delete\n');
  const json = { kind: 'json6902' as const, kustomization: 'k.yaml', operations: sourceDoc('j.yaml', '- op: replace\n  path: /spec/containers/1/image\n  value: x:9\n') };
  // No rendered object to follow: positions are the replayed build's.
  const result = blameObject({ kind: 'Pod', document: base }, [patch, json], {});
  assert.equal(where(result, '/spec/containers/0/image'), 'p.yaml:7');
  assert.equal(where(result, '/spec/containers/1/image'), 'j.yaml:3');
  assert.equal(where(result, '/spec/containers/1/name'), 'p.yaml:8');
  assert.equal(where(result, '/spec/containers/2/name'), 'b.yaml:8');
  assert.equal(where(result, '/spec/containers/3/name'), 'b.yaml:5~');
});

test('the patch names its target with apiVersion, kind, metadata.name and namespace: those stay the base lines', () => {
  const patch = smp('p.yaml', 'apiVersion: apps/v2\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    tier: web\nspec:\n  replicas: 2\n');
  const result = blameObject({ kind: 'Deployment', document: deployment }, [patch], {});
  assert.equal(where(result, '/apiVersion'), 'base.yaml:1');
  assert.equal(where(result, '/kind'), 'base.yaml:2');
  assert.equal(where(result, '/metadata/name'), 'base.yaml:4');
  assert.equal(where(result, '/metadata/namespace'), 'base.yaml:5');
  assert.equal(where(result, '/metadata/labels/tier'), 'p.yaml:7');
  assert.equal(where(result, '/spec/replicas'), 'p.yaml:9');
  // A base without those fields gets them from the patch.
  const bare = sourceDoc('bare.yaml', 'spec:\n  replicas: 1\n');
  const named = blameObject({ kind: 'Deployment', document: bare }, [patch], {});
  assert.equal(where(named, '/metadata/name'), 'p.yaml:4');
  assert.equal(where(named, '/apiVersion'), 'bare.yaml:1~');
  // The root's other keys named apiVersion-like elsewhere are ordinary fields.
  const nested = blameObject({ kind: 'Deployment', document: deployment }, [smp('n.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      name: pod\n    kind: x\n')], {});
  assert.equal(where(nested, '/spec/template/metadata/name'), 'n.yaml:7');
  assert.equal(where(nested, '/spec/template/kind'), 'n.yaml:8');
});

test('a patch document that is not a map, or deletes the object, changes nothing', () => {
  for (const text of ['- a\n- b\n', 'kind: Deployment\nmetadata:\n  name: web\n$patch: delete\nspec:\n  replicas: 5\n', 'just text\n']) {
    const result = blameObject({ kind: 'Deployment', document: deployment }, [smp('p.yaml', text)], {});
    assert.equal(where(result, '/spec/replicas'), 'base.yaml:7', text);
  }
  // `$`-keys at the root are directives, not fields.
  const directive = blameObject({ kind: 'Deployment', document: deployment }, [smp('p.yaml', 'kind: Deployment\nmetadata:\n  name: web\n$setElementOrder/x: []\nspec:\n  replicas: 5\n')], {});
  assert.equal(where(directive, '/$setElementOrder~1x'), 'base.yaml:1~');
  assert.equal(where(directive, '/spec/replicas'), 'p.yaml:6');
});

test('JSON 6902: add inserts, replace overwrites, - appends, remove and move take the field away, copy keeps it', () => {
  const operations = `- op: add
  path: /spec/template/spec/containers/0/args/0
  value: first
- op: replace
  path: /spec/template/spec/containers/0/args/2
  value: last
- op: add
  path: /spec/template/spec/containers/0/args/-
  value: appended
- op: copy
  from: /spec/strategy/type
  path: /metadata/annotations
- op: move
  from: /spec/strategy/rollingUpdate
  path: /spec/rollingUpdate
- op: remove
  path: /spec/template/spec/containers/0/ports/0
- op: test
  path: /spec/replicas
  value: 1
- op: add
  path: /spec/paused
`;
  const result = blameObject({ kind: 'Deployment', document: deployment }, [{ kind: 'json6902', kustomization: 'k.yaml', operations: sourceDoc('j.yaml', operations) }], {});
  const args = '/spec/template/spec/containers/0/args';
  assert.deepEqual([0, 1, 2, 3].map((i) => where(result, `${args}/${i}`)), ['j.yaml:3', 'base.yaml:17', 'j.yaml:6', 'j.yaml:9']);
  // Copied and moved values are blamed on the operation's path line.
  assert.equal(where(result, '/metadata/annotations'), 'j.yaml:12');
  assert.equal(where(result, '/spec/strategy/type'), 'base.yaml:9');
  assert.equal(where(result, '/spec/rollingUpdate/maxSurge'), 'j.yaml:15');
  assert.equal(where(result, '/spec/strategy/rollingUpdate'), 'base.yaml:8~');
  assert.equal(where(result, '/spec/template/spec/containers/0/ports/0'), 'base.yaml:18~');
  // `test` changes nothing; `add` without a value adds nothing.
  assert.equal(where(result, '/spec/replicas'), 'base.yaml:7');
  assert.equal(where(result, '/spec/paused'), 'base.yaml:6~');
});

test('JSON 6902 operations that cannot apply are skipped; the rest still apply', () => {
  const operations = `- op: replace
  path: spec/replicas
  value: 2
- op: replace
  path: ""
  value: {}
- path: /spec/replicas
  value: 3
- op: add
  path: /spec/missing/deep
  value: 4
- op: move
  from: /spec/nothing
  path: /spec/replicas
- op: copy
  from: /spec/template/spec/containers/0/args/x
  path: /spec/replicas
- op: remove
  path: /spec/template/spec/containers/x
- op: remove
  path: /spec/template/spec/containers/0/args/x
- op: add
  path: /spec/template/spec/containers/0/args/x
  value: 5
- op: replace
  path: /spec/template/spec/containers/0/image
  value: web:2
`;
  const result = blameObject({ kind: 'Deployment', document: deployment }, [{ kind: 'json6902', kustomization: 'k.yaml', operations: sourceDoc('j.yaml', operations) }], {});
  assert.equal(where(result, '/spec/replicas'), 'base.yaml:7');
  assert.equal(where(result, '/spec/missing'), 'base.yaml:6~');
  assert.equal(where(result, '/spec/template/spec/containers/0/args/0'), 'base.yaml:17');
  assert.equal(where(result, '/spec/template/spec/containers/0/args/x'), 'base.yaml:17~');
  assert.equal(where(result, '/spec/template/spec/containers/0/name'), 'base.yaml:15');
  assert.equal(where(result, '/spec/template/spec/containers/0/image'), 'j.yaml:27');
  const blamed = result.blame('/spec/template/spec/containers/0/image');
  assert.deepEqual([blamed?.via, blamed?.kustomization, blamed?.sourcePointer, blamed?.docIndex], ['patch', 'k.yaml', '/9/value', 0]);
});

test('JSON 6902 add into a map sets the key; into a list at an index inserts, replace overwrites in place', () => {
  const operations = '- op: add\n  path: /spec/template/spec/containers/0/args/1\n  value: mid\n- op: replace\n  path: /spec/template/spec/containers/0/args/0\n  value: a2\n- op: add\n  path: /spec/strategy/type\n  value: Recreate\n- op: add\n  path: /metadata/labels~1x\n  value: y\n';
  const result = blameObject({ kind: 'Deployment', document: deployment }, [{ kind: 'json6902', kustomization: 'k.yaml', operations: sourceDoc('j.yaml', operations) }], {});
  const args = '/spec/template/spec/containers/0/args';
  assert.deepEqual([0, 1, 2, 3].map((i) => where(result, `${args}/${i}`)), ['j.yaml:6', 'j.yaml:3', 'base.yaml:17', 'base.yaml:17~']);
  assert.equal(where(result, '/spec/strategy/type'), 'j.yaml:9');
  assert.equal(where(result, '/metadata/labels~1x'), 'j.yaml:12');
});

test('replicas: only kinds with a replicas field take the count', () => {
  const layer: BlameLayer = { kind: 'replicas', kustomization: 'k.yaml', count: refOf('k.yaml', 'replicas:\n  - name: web\n    count: 4\n', '/replicas/0/count') };
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']) {
    const result = blameObject({ kind, document: deployment }, [layer], {});
    assert.equal(where(result, '/spec/replicas'), 'k.yaml:3', kind);
    assert.deepEqual([result.blame('/spec/replicas')?.via, result.blame('/spec/replicas')?.sourcePointer, result.blame('/spec/replicas')?.kustomization], ['replicas', '/replicas/0/count', 'k.yaml']);
  }
  for (const kind of ['DaemonSet', 'Job', 'HorizontalPodAutoscaler']) assert.equal(where(blameObject({ kind, document: deployment }, [layer], {}), '/spec/replicas'), 'base.yaml:7', kind);
  // A count where the base has none creates the field, and a spec for it.
  const bare = blameObject({ kind: 'Deployment', document: sourceDoc('bare.yaml', 'kind: Deployment\n') }, [layer], { spec: { replicas: 4 } });
  assert.equal(where(bare, '/spec/replicas'), 'k.yaml:3');
  assert.equal(where(bare, '/spec'), 'k.yaml:3');
});

test('splitImage: digest after @, tag after the last colon past the last slash', () => {
  assert.deepEqual(splitImage('web'), { name: 'web', digest: undefined });
  assert.deepEqual(splitImage('web:1'), { name: 'web', tag: '1', digest: undefined });
  assert.deepEqual(splitImage('web@sha256:ab'), { name: 'web', digest: 'sha256:ab' });
  assert.deepEqual(splitImage('web:1@sha256:ab'), { name: 'web', tag: '1', digest: 'sha256:ab' });
  assert.deepEqual(splitImage('host:5000/web'), { name: 'host:5000/web', digest: undefined });
  assert.deepEqual(splitImage('host:5000/web:2'), { name: 'host:5000/web', tag: '2', digest: undefined });
  assert.deepEqual(splitImage(':1'), { name: '', tag: '1', digest: undefined });
});

function imagesLayer(text: string): BlameLayer {
  const document = parseSourceDocuments(text)[0];
  const items = document.root.entries?.get('images')?.items ?? [];
  return { kind: 'images', kustomization: 'k.yaml', entries: items.map((node, i) => ({ file: 'k.yaml', docIndex: 0, pointer: `/images/${i}`, node })) };
}

const pod = sourceDoc(
  'pod.yaml',
  `kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: tool:1
          containers:
            - name: main
              image: app@sha256:old
            - name: side
              image: app
          ephemeralContainers:
            - name: debug
              image: tool:1
          sidecars:
            - name: other
              image: tool:1
            - name: numeric
              image: 5
`,
);

test('images: every container list anywhere in the object, by image name; the part the entry sets is blamed', () => {
  const layer = imagesLayer('images:\n  - name: tool\n    newTag: "2"\n  - name: app\n    newName: reg/app\n');
  const rendered = {
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: {
              initContainers: [{ name: 'init', image: 'tool:2' }],
              containers: [
                { name: 'main', image: 'reg/app@sha256:old' },
                { name: 'side', image: 'reg/app' },
              ],
              ephemeralContainers: [{ name: 'debug', image: 'tool:2' }],
              sidecars: [{ name: 'other', image: 'tool:1' }, { name: 'numeric', image: 5 }],
            },
          },
        },
      },
    },
  };
  const result = blameObject({ kind: 'CronJob', document: pod }, [layer], rendered);
  const at = '/spec/jobTemplate/spec/template/spec';
  assert.equal(where(result, `${at}/initContainers/0/image`), 'k.yaml:3');
  assert.equal(result.blame(`${at}/initContainers/0/image`)?.imagePart, 'newTag');
  assert.equal(result.blame(`${at}/initContainers/0/image`)?.sourcePointer, '/images/0/newTag');
  assert.equal(result.blame(`${at}/initContainers/0/image`)?.via, 'images');
  assert.equal(where(result, `${at}/ephemeralContainers/0/image`), 'k.yaml:3');
  // newName keeps the tag or digest the image had; a rendered value that matches is not "changed later".
  assert.equal(where(result, `${at}/containers/0/image`), 'k.yaml:5');
  assert.equal(result.blame(`${at}/containers/0/image`)?.imagePart, 'newName');
  assert.equal(where(result, `${at}/containers/1/image`), 'k.yaml:5');
  // Not a container list, not a string image: untouched.
  assert.equal(where(result, `${at}/sidecars/0/image`), 'pod.yaml:20');
  assert.equal(where(result, `${at}/sidecars/1/image`), 'pod.yaml:22');
  // The base's lines for fields images does not set.
  assert.equal(where(result, `${at}/containers/0/name`), 'pod.yaml:11');
});

test('images: the first entry that names the image and changes something wins; a digest beats a tag', () => {
  const layer = imagesLayer('images:\n  - name: app\n  - name: app\n    newName: app\n    digest: sha256:new\n  - name: app\n    newTag: "4"\n');
  const rendered = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main', image: 'app@sha256:new' }, { name: 'side', image: 'app@sha256:new' }] } } } } } };
  const result = blameObject({ kind: 'CronJob', document: pod }, [layer], rendered);
  const image = '/spec/jobTemplate/spec/template/spec/containers/0/image';
  assert.equal(where(result, image), 'k.yaml:5');
  assert.equal(result.blame(image)?.imagePart, 'digest');
  assert.equal(result.blame(image)?.sourcePointer, '/images/1/digest');
  // The value it computes is the rendered one: a different rendered image is changed later.
  const later = blameObject({ kind: 'CronJob', document: pod }, [layer], { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main', image: 'app:4' }] } } } } } });
  assert.equal(where(later, image), 'k.yaml:5!');
  // A tag alone replaces the tag and drops nothing else.
  const tagged = blameObject({ kind: 'CronJob', document: pod }, [imagesLayer('images:\n  - name: app\n    newTag: "7"\n')], {
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main', image: 'app:7' }, { name: 'side', image: 'app:7' }] } } } } },
  });
  assert.equal(where(tagged, image), 'k.yaml:3');
  assert.equal(where(tagged, '/spec/jobTemplate/spec/template/spec/containers/1/image'), 'k.yaml:3');
  // newName alone keeps a digest, or a tag, or nothing.
  const renamed = blameObject({ kind: 'CronJob', document: pod }, [imagesLayer('images:\n  - name: app\n    newName: other\n')], {
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main', image: 'other@sha256:old' }, { name: 'side', image: 'other' }] } } } } },
  });
  assert.equal(where(renamed, image), 'k.yaml:3');
  assert.equal(where(renamed, '/spec/jobTemplate/spec/template/spec/containers/1/image'), 'k.yaml:3');
});

const selectorBase = (kind: string): SourceRef => sourceDoc(`${kind}.yaml`, `kind: ${kind}\nmetadata:\n  name: x\n`);

test('commonLabels reach each kind\'s selector and pod template labels; labels without selectors reach templates only when asked', () => {
  const k = 'commonLabels:\n  team: shop\n';
  const pairs = refOf('k.yaml', k, '/commonLabels');
  const cases: Array<[string, string[]]> = [
    ['Service', ['/spec/selector/team']],
    ['ReplicationController', ['/spec/selector/team', '/spec/template/metadata/labels/team']],
    ['Deployment', ['/spec/selector/matchLabels/team', '/spec/template/metadata/labels/team']],
    ['ReplicaSet', ['/spec/selector/matchLabels/team', '/spec/template/metadata/labels/team']],
    ['StatefulSet', ['/spec/selector/matchLabels/team', '/spec/template/metadata/labels/team']],
    ['DaemonSet', ['/spec/selector/matchLabels/team', '/spec/template/metadata/labels/team']],
    ['PodDisruptionBudget', ['/spec/selector/matchLabels/team']],
    ['NetworkPolicy', ['/spec/podSelector/matchLabels/team']],
    ['Job', ['/spec/template/metadata/labels/team']],
    ['CronJob', ['/spec/jobTemplate/metadata/labels/team', '/spec/jobTemplate/spec/template/metadata/labels/team']],
    ['ConfigMap', []],
  ];
  const all = [...new Set(cases.flatMap(([, paths]) => paths))];
  for (const [kind, paths] of cases) {
    const result = blameObject({ kind, document: selectorBase(kind) }, [{ kind: 'labels', kustomization: 'k.yaml', pairs, selectors: true, templates: true }], {});
    assert.equal(where(result, '/metadata/labels/team'), 'k.yaml:2', kind);
    for (const path of all) assert.equal(where(result, path) === 'k.yaml:2', paths.includes(path), `${kind} ${path}`);
    // Without selectors, templates only when asked.
    const plain = blameObject({ kind, document: selectorBase(kind) }, [{ kind: 'labels', kustomization: 'k.yaml', pairs, selectors: false, templates: false }], {});
    for (const path of all) assert.notEqual(where(plain, path), 'k.yaml:2', `${kind} ${path} without selectors`);
    const templates = blameObject({ kind, document: selectorBase(kind) }, [{ kind: 'labels', kustomization: 'k.yaml', pairs, selectors: false, templates: true }], {});
    for (const path of all) assert.equal(where(templates, path) === 'k.yaml:2', paths.includes(path) && path.includes('/metadata/labels/'), `${kind} ${path} templates only`);
  }
});

test('commonAnnotations reach metadata and pod templates, never selectors; values read as text', () => {
  const k = 'commonAnnotations:\n  note: hi\n  count: 3\n  empty:\n';
  const pairs = refOf('k.yaml', k, '/commonAnnotations');
  const result = blameObject({ kind: 'CronJob', document: selectorBase('CronJob') }, [{ kind: 'annotations', kustomization: 'k.yaml', pairs }], {
    metadata: { annotations: { note: 'hi', count: '3', empty: '' } },
  });
  assert.equal(where(result, '/metadata/annotations/note'), 'k.yaml:2');
  assert.equal(result.blame('/metadata/annotations/note')?.via, 'annotations');
  assert.equal(result.blame('/metadata/annotations/note')?.sourcePointer, '/commonAnnotations/note');
  assert.equal(where(result, '/spec/jobTemplate/metadata/annotations/note'), 'k.yaml:2');
  assert.equal(where(result, '/spec/jobTemplate/spec/template/metadata/annotations/note'), 'k.yaml:2');
  // 3 is written "3" and an empty value "": the rendered text matches, nothing changed later.
  assert.equal(where(result, '/metadata/annotations/count'), 'k.yaml:3');
  assert.equal(where(result, '/metadata/annotations/empty'), 'k.yaml:4');
  const deploymentResult = blameObject({ kind: 'Deployment', document: selectorBase('Deployment') }, [{ kind: 'annotations', kustomization: 'k.yaml', pairs }], {});
  assert.equal(where(deploymentResult, '/spec/template/metadata/annotations/note'), 'k.yaml:2');
  // The spec the transformer had to create for the template is its own; selectors get nothing.
  assert.equal(where(deploymentResult, '/spec/selector/matchLabels/note'), 'k.yaml:2~');
  // A label with a pointer-escaped key.
  const slash = refOf('k.yaml', 'commonLabels:\n  app.kubernetes.io/name: web\n', '/commonLabels');
  const labelled = blameObject({ kind: 'Service', document: selectorBase('Service') }, [{ kind: 'labels', kustomization: 'k.yaml', pairs: slash, selectors: false, templates: false }], {});
  assert.equal(result.blame('/metadata/annotations/count')?.location.range?.start.column, 3);
  assert.equal(labelled.blame('/metadata/labels/app.kubernetes.io~1name')?.sourcePointer, '/commonLabels/app.kubernetes.io~1name');
});

test('namespace, namePrefix and nameSuffix: set on their lines; empty values change nothing', () => {
  const k = 'namespace: prod\nnamePrefix: p-\nnameSuffix: -s\nemptyNs: ""\nemptyAffix: ""\n';
  const ref = (pointer: string): SourceRef => refOf('k.yaml', k, pointer);
  const layers: BlameLayer[] = [
    { kind: 'namespace', kustomization: 'k.yaml', value: ref('/namespace') },
    { kind: 'namePrefix', kustomization: 'k.yaml', value: ref('/namePrefix') },
    { kind: 'nameSuffix', kustomization: 'k.yaml', value: ref('/nameSuffix') },
    { kind: 'namespace', kustomization: 'k.yaml', value: ref('/emptyNs') },
    { kind: 'namePrefix', kustomization: 'k.yaml', value: ref('/emptyAffix') },
    { kind: 'nameSuffix', kustomization: 'k.yaml', value: ref('/emptyAffix') },
  ];
  const result = blameObject({ kind: 'Deployment', document: deployment }, layers, { metadata: { name: 'p-web-s', namespace: 'prod' } });
  assert.equal(where(result, '/metadata/namespace'), 'k.yaml:1');
  assert.deepEqual([result.blame('/metadata/namespace')?.via, result.blame('/metadata/namespace')?.sourcePointer], ['namespace', '/namespace']);
  // The last affix that changed the name is blamed; the computed name is the rendered one.
  assert.equal(where(result, '/metadata/name'), 'k.yaml:3');
  assert.deepEqual([result.blame('/metadata/name')?.via, result.blame('/metadata/name')?.kustomization], ['nameSuffix', 'k.yaml']);
  const prefixOnly = blameObject({ kind: 'Deployment', document: deployment }, layers.slice(1, 2), { metadata: { name: 'p-web' } });
  assert.equal(where(prefixOnly, '/metadata/name'), 'k.yaml:2');
  assert.equal(prefixOnly.blame('/metadata/name')?.via, 'namePrefix');
  const suffixOnly = blameObject({ kind: 'Deployment', document: deployment }, layers.slice(2, 3), { metadata: { name: 'web-s' } });
  assert.equal(where(suffixOnly, '/metadata/name'), 'k.yaml:3');
  // An object without a name gets the affix alone.
  const nameless = blameObject({ kind: 'Deployment', document: sourceDoc('n.yaml', 'kind: Deployment\n') }, layers.slice(1, 2), { metadata: { name: 'p-' } });
  assert.equal(where(nameless, '/metadata/name'), 'k.yaml:2');
});

test('a reference renamed along with the object it names is blamed on the affix that renamed it, the outermost first', () => {
  const base = sourceDoc('b.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  configMapRef:\n    name: app-config\n  secretRef:\n    name: creds\n  other:\n    name: lonely\n');
  const k1 = 'namePrefix: p-\n';
  const k2 = 'nameSuffix: -eu\n';
  const layers: BlameLayer[] = [
    { kind: 'namePrefix', kustomization: 'a/k.yaml', value: refOf('a/k.yaml', k1, '/namePrefix') },
    { kind: 'nameSuffix', kustomization: 'b/k.yaml', value: refOf('b/k.yaml', k2, '/nameSuffix') },
  ];
  const rendered = { metadata: { name: 'p-web-eu' }, spec: { configMapRef: { name: 'p-app-config-eu' }, secretRef: { name: 'p-creds' }, other: { name: 'lonely' } } };
  const result = blameObject({ kind: 'Deployment', document: base }, layers, rendered);
  assert.equal(where(result, '/spec/configMapRef/name'), 'b/k.yaml:1');
  assert.equal(result.blame('/spec/configMapRef/name')?.via, 'nameSuffix');
  // Only the prefix applies to this one (it ends with no suffix).
  assert.equal(where(result, '/spec/secretRef/name'), 'a/k.yaml:1');
  assert.equal(result.blame('/spec/secretRef/name')?.via, 'namePrefix');
  // Unchanged: the base line, not changed later.
  assert.equal(where(result, '/spec/other/name'), 'b.yaml:10');
  // A value that does not contain the declared one is not a rename: changed later.
  const unrelated = blameObject({ kind: 'Deployment', document: base }, layers, { spec: { configMapRef: { name: 'something' } } });
  assert.equal(where(unrelated, '/spec/configMapRef/name'), 'b.yaml:6!');
  // The suffix applies when the declared name is followed by it, even with more after it.
  const hashed = blameObject({ kind: 'Deployment', document: base }, layers.slice(1), { spec: { configMapRef: { name: 'app-config-eu-5fk2' } } });
  assert.equal(where(hashed, '/spec/configMapRef/name'), 'b/k.yaml:1');
  // Neither affix shows: the declaring line stays, changed later.
  const neither = blameObject({ kind: 'Deployment', document: base }, layers, { spec: { configMapRef: { name: 'x-app-config-y' } } });
  assert.equal(where(neither, '/spec/configMapRef/name'), 'b.yaml:6!');
  // An empty affix never explains a rename.
  const empty = blameObject({ kind: 'Deployment', document: base }, [{ kind: 'namePrefix', kustomization: 'k.yaml', value: refOf('k.yaml', 'namePrefix: ""\n', '/namePrefix') }], { spec: { configMapRef: { name: 'x-app-config' } } });
  assert.equal(where(empty, '/spec/configMapRef/name'), 'b.yaml:6!');
  // A number is never a renamed reference.
  const numbers = blameObject({ kind: 'Deployment', document: sourceDoc('n.yaml', 'spec:\n  port: 80\n') }, layers, { spec: { port: 'p-80-eu' } });
  assert.equal(where(numbers, '/spec/port'), 'n.yaml:2!');
});

test('images: kustomize keeps the tag and the digest when an entry sets neither, and writes both when it sets both', () => {
  // What kustomize v5.5 (kubectl kustomize) renders for these entries.
  const base = sourceDoc('d.yaml', 'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: app:1@sha256:old\n        - name: b\n          image: tool:1\n');
  const layer = imagesLayer('images:\n  - name: app\n    newName: reg/app\n  - name: tool\n    newTag: "3"\n    digest: sha256:new\n');
  const rendered = { spec: { template: { spec: { containers: [{ name: 'a', image: 'reg/app:1@sha256:old' }, { name: 'b', image: 'tool:3@sha256:new' }] } } } };
  const result = blameObject({ kind: 'Deployment', document: base }, [layer], rendered);
  assert.equal(where(result, '/spec/template/spec/containers/0/image'), 'k.yaml:3');
  assert.equal(where(result, '/spec/template/spec/containers/1/image'), 'k.yaml:6');
});

function generatorLayer(k: string, index: number, behavior: 'create' | 'merge' | 'replace', envFiles: Array<{ file: string; text: string }> = [], secret = false): BlameLayer {
  const entry = refOf('k.yaml', k, `/configMapGenerator/${index}`);
  return { kind: 'generator', kustomization: 'k.yaml', entry, behavior, secret, envFiles };
}

test('a generator makes the whole object: its kind and name on the entry, each key on its literal, file or env line', () => {
  const k = `configMapGenerator:
  - name: settings
    literals:
      - MODE=fast
      - =nokey
      - nothing
      - URL=http://x?a=b
    files:
      - config/app.properties
      - custom=config/other.txt
`;
  const env = { file: 'settings.env', text: '# comment\n\n  LEVEL = 3  \r\nBROKEN\n=value\nEMPTY=\n' };
  const result = blameObject({ kind: 'ConfigMap' }, [generatorLayer(k, 0, 'create', [env])], {
    data: { MODE: 'fast', URL: 'http://x?a=b', 'app.properties': 'text', custom: 'other', LEVEL: ' 3  ', EMPTY: '' },
  });
  assert.equal(where(result, '/kind'), 'k.yaml:2~');
  assert.deepEqual([result.blame('/kind')?.via, result.blame('/kind')?.sourcePointer, result.blame('/kind')?.kustomization], ['generator', '/configMapGenerator/0', 'k.yaml']);
  assert.equal(where(result, '/metadata/name'), 'k.yaml:2');
  assert.equal(result.blame('/metadata/name')?.sourcePointer, '/configMapGenerator/0/name');
  assert.equal(where(result, '/data'), 'k.yaml:2');
  assert.equal(where(result, '/data/MODE'), 'k.yaml:4');
  assert.equal(result.blame('/data/MODE')?.sourcePointer, '/configMapGenerator/0/literals/0');
  assert.equal(where(result, '/data/URL'), 'k.yaml:7');
  assert.equal(where(result, '/data/app.properties'), 'k.yaml:9');
  assert.equal(result.blame('/data/app.properties')?.sourcePointer, '/configMapGenerator/0/files/0');
  assert.equal(where(result, '/data/custom'), 'k.yaml:10');
  assert.equal(where(result, '/data/nothing'), 'k.yaml:2~');
  assert.equal(where(result, '/data/'), 'k.yaml:2~');
  // Env lines: comments, blank lines, lines without a key are skipped; the key is trimmed.
  const level = result.blame('/data/LEVEL');
  assert.deepEqual(level?.location, { file: 'settings.env', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 14 } } });
  assert.deepEqual([level?.via, level?.kustomization, level?.docIndex, level?.sourcePointer, level?.exact], ['generator', 'k.yaml', 0, '', true]);
  assert.equal(where(result, '/data/EMPTY'), 'settings.env:6');
  assert.equal(where(result, '/data/BROKEN'), 'k.yaml:2~');
  // Generated values are encoded or read from files: never "changed later".
  assert.equal(result.blame('/data/app.properties')?.changedLater, undefined);
  assert.equal(result.blame('/data/MODE')?.changedLater, undefined);
});

test('a literal sets the value after its first =, and later sources of the same key win', () => {
  const k = 'configMapGenerator:\n  - name: s\n    literals:\n      - A=1\n      - A=2\n';
  const result = blameObject({ kind: 'ConfigMap' }, [generatorLayer(k, 0, 'create', [{ file: 'e.env', text: 'A=0\n' }])], { data: { A: '2' } });
  assert.equal(where(result, '/data/A'), 'k.yaml:5');
});

test('generator behaviors: merge adds keys to the existing data, replace drops the old keys', () => {
  const k = 'configMapGenerator:\n  - name: s\n    literals:\n      - A=1\n      - B=1\n  - name: s\n    behavior: merge\n    literals:\n      - B=2\n      - C=2\n  - name: s\n    behavior: replace\n    literals:\n      - D=3\n';
  const create = generatorLayer(k, 0, 'create');
  const merged = blameObject({ kind: 'ConfigMap' }, [create, generatorLayer(k, 1, 'merge')], {});
  assert.deepEqual(['A', 'B', 'C'].map((key) => where(merged, `/data/${key}`)), ['k.yaml:4', 'k.yaml:9', 'k.yaml:10']);
  // Merge does not take the object: its name and kind stay the creating entry's.
  assert.equal(where(merged, '/metadata/name'), 'k.yaml:2');
  assert.equal(where(merged, '/kind'), 'k.yaml:2~');
  assert.equal(where(merged, '/data'), 'k.yaml:2');
  const replaced = blameObject({ kind: 'ConfigMap' }, [create, generatorLayer(k, 1, 'merge'), generatorLayer(k, 2, 'replace')], {});
  assert.deepEqual(['A', 'C', 'D'].map((key) => where(replaced, `/data/${key}`)), ['k.yaml:11~', 'k.yaml:11~', 'k.yaml:14']);
  assert.equal(where(replaced, '/metadata/name'), 'k.yaml:2');
  // Merging into a declared ConfigMap keeps its own lines for what it does not set.
  const declared = sourceDoc('cm.yaml', 'kind: ConfigMap\nmetadata:\n  name: s\ndata:\n  A: "0"\n  Z: "9"\n');
  const intoDeclared = blameObject({ kind: 'ConfigMap', document: declared }, [generatorLayer(k, 1, 'merge')], { data: { A: '0', Z: '9', B: '2', C: '2' } });
  assert.deepEqual(['A', 'Z', 'B'].map((key) => where(intoDeclared, `/data/${key}`)), ['cm.yaml:5', 'cm.yaml:6', 'k.yaml:9']);
  assert.equal(where(intoDeclared, '/kind'), 'cm.yaml:1');
  // Merging where there is no data yet creates it, blamed on the entry.
  const empty = blameObject({ kind: 'ConfigMap', document: sourceDoc('cm.yaml', 'kind: ConfigMap\n') }, [generatorLayer(k, 1, 'merge')], {});
  assert.equal(where(empty, '/data'), 'k.yaml:6');
  assert.equal(where(empty, '/data/B'), 'k.yaml:9');
});

test('an object without a document or any layer has no blame; unknown pointers fall back to the nearest set ancestor', () => {
  const none = blameObject({ kind: 'ConfigMap' }, [], { data: { a: '1' } });
  assert.equal(none.blame('/data/a'), undefined);
  assert.equal(none.blame(''), undefined);
  const result = blameObject({ kind: 'Deployment', document: deployment }, [], {});
  assert.equal(where(result, ''), 'base.yaml:1');
  assert.equal(where(result, '/nothing/here'), 'base.yaml:1~');
  assert.equal(where(result, '/spec/template/spec/containers/0/args/x'), 'base.yaml:17~');
  assert.equal(where(result, '/spec/template/spec/containers/7/name'), 'base.yaml:14~');
  assert.equal(result.blame('/spec/replicas')?.sourcePointer, '/spec/replicas');
  assert.equal(result.blame('/spec/template/spec/containers/0/args/1')?.sourcePointer, '/spec/template/spec/containers/0/args/1');
  assert.deepEqual([result.blame('/spec/replicas')?.via, result.blame('/spec/replicas')?.kustomization, result.blame('/spec/replicas')?.imagePart], ['base', undefined, undefined]);
  assert.equal('kustomization' in (result.blame('/spec/replicas') ?? {}), false);
  assert.equal('imagePart' in (result.blame('/spec/replicas') ?? {}), false);
});

test('rendered list items are found by merge key, else by position; scalars compare as text', () => {
  const base = sourceDoc('b.yaml', 'kind: Pod\nspec:\n  containers:\n    - name: a\n      image: a:1\n    - name: b\n      image: b:1\n  args: [x, 2, true]\n  env:\n    - value: one\n    - value: two\n');
  const rendered = { spec: { containers: [{ name: 'b', image: 'b:1' }, { name: 'a', image: 'a:1' }, { name: 'c', image: 'c:1' }], args: ['x', '2', 'true'], env: [{ value: 'one' }, { value: 'two' }] } };
  const result = blameObject({ kind: 'Pod', document: base }, [], rendered);
  assert.equal(where(result, '/spec/containers/0/image'), 'b.yaml:7');
  assert.equal(where(result, '/spec/containers/1/image'), 'b.yaml:5');
  // An item whose key no source item has: the one at its position.
  assert.equal(where(result, '/spec/containers/2/image'), 'b.yaml:3~');
  assert.equal(where(result, '/spec/env/1/value'), 'b.yaml:11');
  // 2 and "2", true and "true" read alike.
  assert.equal(where(result, '/spec/args/1'), 'b.yaml:8');
  assert.equal(where(result, '/spec/args/2'), 'b.yaml:8');
  // A rendered item of another kind (no map): by position.
  const odd = blameObject({ kind: 'Pod', document: base }, [], { spec: { containers: ['a', { image: 'x' }] } });
  assert.equal(where(odd, '/spec/containers/1/name'), 'b.yaml:6');
  assert.equal(where(odd, '/spec/containers/0/name'), 'b.yaml:4');
  // A list in the rendered object where the source has a map: no merge-key lookup past it.
  const mismatch = blameObject({ kind: 'Pod', document: base }, [], { spec: [{ name: 'b' }] });
  assert.equal(where(mismatch, '/spec/containers/0/image'), 'b.yaml:5');
});

test('changed later: only an exact scalar blame whose value differs; maps, lists, ancestors and generators never', () => {
  const base = sourceDoc('b.yaml', 'kind: Pod\nspec:\n  replicas: 1\n  labels:\n    a: x\n  list: [1]\n  empty:\n');
  const result = blameObject({ kind: 'Pod', document: base }, [], { spec: { replicas: 2, labels: { a: 'x', b: 'y' }, list: [1, 2], empty: 'now' } });
  assert.equal(where(result, '/spec/replicas'), 'b.yaml:3!');
  assert.equal(result.blame('/spec/replicas')?.via, 'base');
  assert.equal(where(result, '/spec/labels'), 'b.yaml:4');
  assert.equal(where(result, '/spec/labels/b'), 'b.yaml:4~');
  assert.equal(where(result, '/spec/list'), 'b.yaml:6');
  assert.equal(where(result, '/spec/list/1'), 'b.yaml:6~');
  // A null in the source and a text in the rendered object: not comparable scalars.
  assert.equal(where(result, '/spec/empty'), 'b.yaml:7');
  // A rendered map where the source has a scalar, and a missing rendered field: not compared.
  const shapes = blameObject({ kind: 'Pod', document: base }, [], { spec: { replicas: { x: 1 } } });
  assert.equal(where(shapes, '/spec/replicas'), 'b.yaml:3');
  assert.equal(where(shapes, '/spec/labels/a'), 'b.yaml:5');
  const generated = blameObject({ kind: 'ConfigMap' }, [generatorLayer('configMapGenerator:\n  - name: s\n    literals:\n      - A=1\n', 0, 'create', [], true)], { data: { A: 'MQ==' } });
  assert.equal(where(generated, '/data/A'), 'k.yaml:4');
});

// ---- survivors of the first blame-sources run with this file (2026-12-07) ----

test('listing the patch file in a kustomization without a final newline: the entry goes right after the list, before what follows', () => {
  // The text's last line is not empty, so the list's end is never "past the end" of the file.
  for (const [before, after] of [
    ['patches:\n- path: a.yaml\nimages: []', `patches:\n- path: a.yaml\n- path: ${FILE}\nimages: []`],
    ['patches:\n  - path: a.yaml\n\nimages: []', `patches:\n  - path: a.yaml\n  - path: ${FILE}\n\nimages: []`],
    ['patches:\n  - path: a.yaml\n\n\nnamePrefix: p-', `patches:\n  - path: a.yaml\n  - path: ${FILE}\n\n\nnamePrefix: p-`],
  ]) {
    const edit = listPatchEdit(before, FILE);
    assert.ok(edit && typeof edit !== 'string', JSON.stringify(before));
    assert.equal(applyEdit(before, edit), after, JSON.stringify(before));
    assert.deepEqual(edit.range.start, { line: 3, column: 1 }, JSON.stringify(before));
  }
});

test('a patch item without a merge key is appended after every existing item, never merged into one', () => {
  const before = mergeIntoPatchFile(undefined, patchDoc({ env: [{ value: 'a' }, { value: 'b' }, { value: 'c' }], args: ['x', 'y'] }));
  const after = parse(mergeIntoPatchFile(before, patchDoc({ env: [{ value: 'd' }], args: ['z'] }))) as { spec: unknown };
  assert.deepEqual(after.spec, { env: [{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: 'd' }], args: ['x', 'y', 'z'] });
});

test('a list label is an index only when it is all digits, and a merge-key label only when it starts with a field name', () => {
  for (const path of ['args[1a]', 'args[1 ]', 'x[,a=b]', 'x[,a=b,c=d]']) assert.equal(readablePathSteps(path), undefined, path);
  assert.deepEqual(readablePathSteps('args[10]'), [{ key: 'args' }, { index: 10 }]);
});

test('nodeAt reads a list index only from a token of digits alone', () => {
  const [doc] = parseSourceDocuments(`list: [${Array.from({ length: 12 }, (_, i) => `i${i}`).join(', ')}]\n`);
  assert.equal(nodeAt(doc.root, ['list', '10'])?.scalar, 'i10');
  assert.equal(nodeAt(doc.root, ['list', '11'])?.scalar, 'i11');
  // Number() would read these as 1; a pointer token that is not all digits names no item.
  for (const token of ['+1', '1.0', '1e0', ' 1', '1 ', '0x1']) assert.equal(nodeAt(doc.root, ['list', token]), undefined, JSON.stringify(token));
});

/** How many collections deep the tree goes (a scalar or a cut node counts 0). */
function treeDepth(node: SourceNode): number {
  if (!node.entries && !node.items) return 0;
  let deepest = 0;
  for (const child of [...(node.entries?.values() ?? []), ...(node.items ?? [])]) deepest = Math.max(deepest, treeDepth(child));
  return deepest + 1;
}

test('merge keys count as nesting: a chain of mappings merged through aliases is cut like any deep tree, and a self-merge ends', () => {
  // m1 = {c: {d: {<<: m0}}}, m2 = {c: {d: {<<: m1}}}, ...: the text is flat, the tree 120 levels deep.
  const lines = ['m0: &m0 {v: 1}'];
  for (let i = 1; i <= 60; i++) lines.push(`m${i}: &m${i} {c: {d: {<<: *m${i - 1}}}}`);
  const [chain] = parseSourceDocuments(`${lines.join('\n')}\n`);
  assert.ok(treeDepth(chain.root) <= 101, `depth ${treeDepth(chain.root)}`);
  // A short chain is read whole.
  const [short] = parseSourceDocuments('m0: &m0 {v: 1}\nm1: &m1 {c: {<<: *m0}}\nm2: {c: {<<: *m1}}\n');
  assert.deepEqual(plainValue(nodeAt(short.root, ['m2']) as SourceNode), { c: { c: { v: 1 } } });
  // A mapping that merges itself: its own entries once, no endless recursion.
  const [self] = parseSourceDocuments('a: &x\n  b: 1\n  <<: *x\n');
  assert.deepEqual(plainValue(self.root), { a: { b: 1 } });
});

test('Helm: only a line starting with --- ends the object document; a --- inside a value does not', () => {
  const template = 'kind: Deployment\nmetadata:\n  name: a---b\n  annotations:\n    note: "x --- y"\nspec:\n  replicas: {{ .Values.replicaCount }}\n---\nkind: Service\n';
  assert.equal(helmAt(template, 1, [{ file: 'v.yaml', text: 'replicaCount: 3\n' }], { spec: { replicas: 3 } }, '/spec/replicas'), 'v.yaml:1 /replicaCount');
});

// ---- survivors of the first blame-object run with this file (2026-12-07) ----

test('a patched field keeps its path inside the patch document as its source pointer (what Accept Live rewrites)', () => {
  const patch = smp(
    'p.yaml',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    tier: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:2\n',
  );
  const rendered = { metadata: { name: 'web', labels: { tier: 'web' } }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } };
  const result = blameObject({ kind: 'Deployment', document: deployment }, [patch], rendered);
  const at = (pointer: string): string => `${where(result, pointer)} ${result.blame(pointer)?.sourcePointer}`;
  assert.equal(at('/metadata/labels/tier'), 'p.yaml:6 /metadata/labels/tier');
  assert.equal(at('/spec/replicas'), 'p.yaml:8 /spec/replicas');
  assert.equal(at('/spec/template/spec/containers/0/image'), 'p.yaml:13 /spec/template/spec/containers/0/image');
  assert.equal(at('/spec/strategy/type'), 'base.yaml:9 /spec/strategy/type');
});

test('$patch: replace in a list: the items after the directive, each at its own index in the patch; a live-only item past them is the list\'s', () => {
  const patch = smp('p.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - $patch: replace\n        - name: web\n          image: web:2\n');
  // As kubectl kustomize renders it: the old items are gone, the directive item is no item.
  const rendered = { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } };
  const result = blameObject({ kind: 'Deployment', document: deployment }, [patch], rendered);
  assert.equal(where(result, '/spec/template/spec/containers/0/image'), 'p.yaml:10');
  assert.equal(result.blame('/spec/template/spec/containers/0/image')?.sourcePointer, '/spec/template/spec/containers/1/image');
  // A second container only the cluster has (an injected sidecar): blamed on the list that replaced them.
  assert.equal(where(result, '/spec/template/spec/containers/1/name'), 'p.yaml:7~');
});

test('name and namespace are target identity only at /metadata: a data key called name or namespace is set by the patch', () => {
  const base = sourceDoc('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  name: old\n  namespace: a\n');
  const patch = smp('p.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  name: new\n  namespace: b\n');
  const result = blameObject({ kind: 'ConfigMap', document: base }, [patch], { metadata: { name: 'cm' }, data: { name: 'new', namespace: 'b' } });
  assert.deepEqual(['/data/name', '/data/namespace', '/metadata/name'].map((pointer) => where(result, pointer)), ['p.yaml:6', 'p.yaml:7', 'cm.yaml:4']);
});

test('JSON 6902 copy into a list inserts before the index; the copy is blamed on the operation\'s path line', () => {
  const base = sourceDoc('b.yaml', 'kind: Pod\nspec:\n  args:\n    - a\n    - b\n');
  const ops: BlameLayer = { kind: 'json6902', kustomization: 'k.yaml', operations: sourceDoc('ops.yaml', '- op: copy\n  from: /spec/args/0\n  path: /spec/args/1\n') };
  const result = blameObject({ kind: 'Pod', document: base }, [ops], { spec: { args: ['a', 'a', 'b'] } });
  assert.deepEqual(['/spec/args/0', '/spec/args/1', '/spec/args/2'].map((pointer) => where(result, pointer)), ['b.yaml:4', 'ops.yaml:3', 'b.yaml:5']);
  assert.equal(result.blame('/spec/args/1')?.sourcePointer, '/0/path');
});

test('list indices are tokens of digits alone, 10 and above included, in JSON 6902 paths and in lookups', () => {
  const items = Array.from({ length: 12 }, (_, i) => i);
  // args on lines 4–15, items[i].v on lines 17+i.
  const base = sourceDoc('b.yaml', `kind: Pod\nspec:\n  args:\n${items.map((i) => `    - a${i}\n`).join('')}  items:\n${items.map((i) => `    - v: i${i}\n`).join('')}`);
  const ops: BlameLayer = {
    kind: 'json6902',
    kustomization: 'k.yaml',
    operations: sourceDoc(
      'ops.yaml',
      [
        '- op: remove', //  1
        '  path: /spec/args/11',
        '- op: replace', // 3
        '  path: /spec/args/10',
        '  value: X',
        '- op: replace', // 6
        '  path: /spec/items/10/v',
        '  value: Y',
        // Not list indices: kubectl kustomize refuses these ("doc is missing key"); blame never
        // guesses an item for them.
        '- op: remove', // 9
        '  path: /spec/args/1.0',
        '- op: replace',
        '  path: /spec/items/1.0/v',
        '  value: no',
        '- op: replace',
        '  path: /spec/args/2.0',
        '  value: no',
        '',
      ].join('\n'),
    ),
  };
  const args = items.slice(0, 11).map((i) => (i === 10 ? 'X' : `a${i}`));
  const rendered = { spec: { args, items: items.map((i) => ({ v: i === 10 ? 'Y' : `i${i}` })) } };
  const result = blameObject({ kind: 'Pod', document: base }, [ops], rendered);
  assert.equal(where(result, '/spec/args/10'), 'ops.yaml:5');
  assert.equal(where(result, '/spec/args/11'), 'b.yaml:3~');
  assert.equal(where(result, '/spec/items/10/v'), 'ops.yaml:8');
  assert.equal(where(result, '/spec/items/11/v'), 'b.yaml:28');
  assert.deepEqual([0, 1, 2, 9].map((i) => where(result, `/spec/args/${i}`)), ['b.yaml:4', 'b.yaml:5', 'b.yaml:6', 'b.yaml:13']);
  assert.equal(where(result, '/spec/items/1/v'), 'b.yaml:18');
  // A lookup token that is not all digits names no item: the list is the answer.
  for (const token of ['1.0', '1e0', '1x']) assert.equal(where(result, `/spec/args/${token}`), 'b.yaml:3~', JSON.stringify(token));
});

test('JSON 6902 list indices as kustomize reads them: +1 is 1, -1 the last item (the end of the list for an add), out of range changes nothing', () => {
  // kubectl kustomize v5.5 renders [a, b, c] with these operations as [ZERO, b, ADDNEG].
  const base = sourceDoc('b.yaml', 'kind: Pod\nspec:\n  args:\n    - a\n    - b\n    - c\n');
  const operations = '- op: add\n  path: /spec/args/-1\n  value: ADDNEG\n- op: remove\n  path: /spec/args/-2\n- op: replace\n  path: /spec/args/+0\n  value: ZERO\n- op: replace\n  path: /spec/args/9\n  value: FAR\n- op: replace\n  path: /spec/args/-9\n  value: FAR\n';
  const ops: BlameLayer = { kind: 'json6902', kustomization: 'k.yaml', operations: sourceDoc('ops.yaml', operations) };
  const result = blameObject({ kind: 'Pod', document: base }, [ops], { spec: { args: ['ZERO', 'b', 'ADDNEG'] } });
  assert.deepEqual(['/spec/args/0', '/spec/args/1', '/spec/args/2'].map((pointer) => where(result, pointer)), ['ops.yaml:8', 'b.yaml:5', 'ops.yaml:3']);
  assert.equal(where(result, '/spec/args/3'), 'b.yaml:3~', 'nothing was written past the end');
  // A replace at +1 and at -1 (the last item), as kustomize applies them.
  const plus = sourceDoc('ops2.yaml', '- op: replace\n  path: /spec/args/+1\n  value: PLUS\n- op: replace\n  path: /spec/args/-1\n  value: MINUS\n');
  const second = blameObject({ kind: 'Pod', document: base }, [{ kind: 'json6902', kustomization: 'k.yaml', operations: plus }], { spec: { args: ['a', 'PLUS', 'MINUS'] } });
  assert.deepEqual(['/spec/args/0', '/spec/args/1', '/spec/args/2'].map((pointer) => where(second, pointer)), ['b.yaml:4', 'ops2.yaml:3', 'ops2.yaml:6']);
});

test('changed later compares booleans too; a lookup below a rendered null or past a renamed reference is never exact', () => {
  const base = sourceDoc('b.yaml', 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  paused: true\n  strategy:\n    type: Recreate\n  configMapRef:\n    name: app-config\n');
  assert.equal(where(blameObject({ kind: 'Deployment', document: base }, [], { spec: { paused: false } }), '/spec/paused'), 'b.yaml:5!');
  assert.equal(where(blameObject({ kind: 'Deployment', document: base }, [], { spec: { paused: true } }), '/spec/paused'), 'b.yaml:5');
  // The rendered object has null where the source has a map: the source line, no comparison.
  assert.equal(where(blameObject({ kind: 'Deployment', document: base }, [], { spec: { strategy: null } }), '/spec/strategy/type'), 'b.yaml:7');
  const prefix: BlameLayer = { kind: 'namePrefix', kustomization: 'k.yaml', value: refOf('k.yaml', 'namePrefix: p-\n', '/namePrefix') };
  const renamed = blameObject({ kind: 'Deployment', document: base }, [prefix], { metadata: { name: 'p-web' }, spec: { configMapRef: { name: 'p-app-config' } } });
  assert.equal(where(renamed, '/spec/configMapRef/name'), 'k.yaml:1');
  assert.equal(where(renamed, '/spec/configMapRef/name/below'), 'b.yaml:9~');
});

test('a rendered item whose merge key no source item has is matched by position', () => {
  const base = sourceDoc('b.yaml', 'kind: Pod\nspec:\n  containers:\n    - name: a\n      image: a:1\n    - name: b\n      image: b:1\n');
  const result = blameObject({ kind: 'Pod', document: base }, [], { spec: { containers: [{ name: 'z', image: 'z:1' }] } });
  assert.equal(where(result, '/spec/containers/0/image'), 'b.yaml:5!');
});

test('name affixes: a value the build left as declared is its own line even when it starts with the prefix; of two suffixes the outer one renamed; an empty prefix renames nothing', () => {
  const base = sourceDoc('b.yaml', 'kind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: prod-web\nspec:\n  configMapRef:\n    name: app-config\n');
  const layer = (kind: 'namePrefix' | 'nameSuffix', file: string, text: string): BlameLayer => ({ kind, kustomization: file, value: refOf(file, text, `/${kind}`) });
  const prefixed = blameObject({ kind: 'Deployment', document: base }, [layer('namePrefix', 'k.yaml', 'namePrefix: prod-\n')], { metadata: { name: 'prod-web', labels: { app: 'prod-web' } } });
  assert.equal(where(prefixed, '/metadata/labels/app'), 'b.yaml:5');
  assert.equal(where(prefixed, '/metadata/name'), 'k.yaml:1');
  const suffixes = [layer('nameSuffix', 'inner/k.yaml', 'nameSuffix: -a\n'), layer('nameSuffix', 'outer/k.yaml', 'nameSuffix: -b\n')];
  const twice = blameObject({ kind: 'Deployment', document: base }, suffixes, { metadata: { name: 'web-a-b' }, spec: { configMapRef: { name: 'app-config-a-b' } } });
  assert.equal(where(twice, '/spec/configMapRef/name'), 'outer/k.yaml:1');
  assert.equal(where(twice, '/metadata/name'), 'outer/k.yaml:1');
  // `namePrefix:` with no value is no prefix.
  const empty = blameObject({ kind: 'Deployment', document: base }, [layer('namePrefix', 'k.yaml', 'namePrefix:\n')], { metadata: { name: 'web' } });
  assert.equal(where(empty, '/metadata/name'), 'b.yaml:3');
});

test('env files: a value ending in # is no comment (kubectl kustomize keeps A=x# as "x#"); each key is blamed exactly on its line', () => {
  const k = 'configMapGenerator:\n  - name: s\n    envs:\n      - a.env\n';
  const result = blameObject({ kind: 'ConfigMap' }, [generatorLayer(k, 0, 'create', [{ file: 'a.env', text: 'A=x#\n# B=2\nC=3\n' }])], { data: { A: 'x#', C: '3' } });
  assert.deepEqual(['/data/A', '/data/C'].map((pointer) => where(result, pointer)), ['a.env:1', 'a.env:3']);
  assert.equal(where(result, '/data/B'), 'k.yaml:2~');
});
