// Who owns a live field, read from metadata.managedFields (FieldsV1): the manager shown beside a
// drifted field and the managedFieldsManagers ignore rule both depend on these answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  childForItem,
  childForKey,
  isLeafNode,
  ownersAt,
  readManagedFields,
  type ManagedFieldsEntry,
} from '../../src/core/drift/managedFields';

function entry(manager: string, fields: Record<string, unknown>): ManagedFieldsEntry {
  return { manager, operation: 'Apply', fields };
}

test('readManagedFields keeps entries with a manager and FieldsV1, with their operation, time and subresource', () => {
  const entries = readManagedFields({
    metadata: {
      managedFields: [
        { manager: 'kubectl', operation: 'Update', time: '2025-01-01T00:00:00Z', subresource: 'scale', fieldsV1: { 'f:spec': {} } },
        { manager: 'argocd-controller', fieldsV1: { 'f:metadata': {} } },
        { manager: 'no-fields', operation: 'Apply' },
        { manager: 'list-fields', operation: 'Apply', fieldsV1: [] },
        { operation: 'Apply', fieldsV1: {} },
        { manager: 7, fieldsV1: {} },
        'not an entry',
        null,
      ],
    },
  });
  assert.deepEqual(entries, [
    { manager: 'kubectl', operation: 'Update', time: '2025-01-01T00:00:00Z', subresource: 'scale', fields: { 'f:spec': {} } },
    { manager: 'argocd-controller', operation: '', time: undefined, subresource: undefined, fields: { 'f:metadata': {} } },
  ]);
});

test('readManagedFields ignores a time or subresource that is not a string', () => {
  const [only] = readManagedFields({ metadata: { managedFields: [{ manager: 'm', operation: 3, time: 5, subresource: {}, fieldsV1: {} }] } });
  assert.deepEqual(only, { manager: 'm', operation: '', time: undefined, subresource: undefined, fields: {} });
});

test('readManagedFields answers nothing for an object without readable managedFields', () => {
  assert.deepEqual(readManagedFields(undefined), []);
  assert.deepEqual(readManagedFields({}), []);
  assert.deepEqual(readManagedFields({ metadata: 'text' }), []);
  assert.deepEqual(readManagedFields({ metadata: ['list'] }), []);
  assert.deepEqual(readManagedFields({ metadata: { managedFields: { manager: 'm', fieldsV1: {} } } }), []);
});

test('a FieldsV1 node is a leaf when it has no children other than "."', () => {
  assert.equal(isLeafNode({}), true);
  assert.equal(isLeafNode({ '.': {} }), true);
  assert.equal(isLeafNode({ '.': {}, 'f:name': {} }), false);
  assert.equal(isLeafNode({ 'f:name': {} }), false);
});

test('childForKey follows f:<field> only to a map node', () => {
  const child = { 'f:replicas': {} };
  assert.equal(childForKey({ 'f:spec': child }, 'spec'), child);
  assert.equal(childForKey({ 'f:spec': child }, 'status'), undefined);
  assert.equal(childForKey({ spec: child }, 'spec'), undefined);
  assert.equal(childForKey({ 'f:spec': [] }, 'spec'), undefined);
  assert.equal(childForKey({ 'f:spec': true }, 'spec'), undefined);
});

test('childForItem matches a list item by every field of its merge key', () => {
  const web = { 'f:image': {} };
  const sidecar = { 'f:image': {} };
  const node = { 'k:{"name":"web"}': web, 'k:{"name":"sidecar"}': sidecar };
  assert.equal(childForItem(node, { name: 'sidecar', image: 'a' }, 0), sidecar);
  assert.equal(childForItem(node, { name: 'web' }, 1), web);
  assert.equal(childForItem(node, { name: 'other' }, 0), undefined);

  const ports = { 'k:{"containerPort":80,"protocol":"UDP"}': { '.': {} } };
  assert.equal(childForItem(ports, { containerPort: 80, protocol: 'TCP' }, 0), undefined, 'a later key field that differs is no match');
  assert.equal(childForItem(ports, { containerPort: 81, protocol: 'UDP' }, 0), undefined, 'a first key field that differs is no match');
  assert.equal(childForItem(ports, { containerPort: 80, protocol: 'UDP' }, 0), ports['k:{"containerPort":80,"protocol":"UDP"}']);
});

test('childForItem reads a missing protocol as TCP, as the API server defaults it', () => {
  const tcp = { 'f:name': {} };
  const node = { 'k:{"containerPort":8080,"protocol":"TCP"}': tcp };
  assert.equal(childForItem(node, { containerPort: 8080 }, 0), tcp);
  assert.equal(childForItem({ 'k:{"containerPort":8080,"protocol":"UDP"}': tcp }, { containerPort: 8080 }, 0), undefined);
  // Only `protocol` has a default: another missing key field is no match.
  assert.equal(childForItem({ 'k:{"name":"x","containerPort":1}': tcp }, { containerPort: 1 }, 0), undefined);
});

test('childForItem compares merge key values as text between numbers and strings only', () => {
  const child = { '.': {} };
  assert.equal(childForItem({ 'k:{"port":8080}': child }, { port: '8080' }, 0), child);
  assert.equal(childForItem({ 'k:{"port":"8080"}': child }, { port: 8080 }, 0), child);
  assert.equal(childForItem({ 'k:{"port":8080}': child }, { port: '8081' }, 0), undefined);
  assert.equal(childForItem({ 'k:{"flag":true}': child }, { flag: 'true' }, 0), undefined);
  assert.equal(childForItem({ 'k:{"flag":"true"}': child }, { flag: true }, 0), undefined);
  assert.equal(childForItem({ 'k:{"n":1}': child }, { n: true }, 0), undefined);
  assert.equal(childForItem({ 'k:{"n":null}': child }, { n: 'null' }, 0), undefined);
});

test('childForItem skips malformed or non-map merge keys and falls back to the item index', () => {
  const byIndex = { 'f:image': {} };
  const node = { 'k:{broken': { '.': {} }, 'k:5': { '.': {} }, 'k:{"name":"x"}': 'not a node', 'i:2': byIndex };
  assert.equal(childForItem(node, { name: 'x' }, 2), byIndex);
  assert.equal(childForItem(node, { name: 'x' }, 1), undefined);
  assert.equal(childForItem({ 'i:0': [] }, { name: 'x' }, 0), undefined, 'an index entry that is not a map owns nothing');
});

test('childForItem finds a set member by its value, else by index', () => {
  const member = { '.': {} };
  const node = { 'v:"get"': member, 'v:3': { '.': {} }, 'i:4': { '.': {} } };
  assert.equal(childForItem(node, 'get', 0), member);
  assert.equal(childForItem(node, 3, 9), node['v:3']);
  assert.equal(childForItem(node, 'list', 4), node['i:4']);
  assert.equal(childForItem(node, 'list', 0), undefined);
  assert.equal(childForItem({ 'v:"get"': 'leaf' }, 'get', 0), undefined, 'a value entry that is not a map owns nothing');
});

test('ownersAt names the managers whose fields reach the end of the path', () => {
  const hpa = entry('hpa-controller', { 'f:spec': { 'f:replicas': {} } });
  const git = entry('argocd-controller', { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } });
  const live = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'sidecar' }, { name: 'web', image: 'a' }] } } } };
  assert.deepEqual(ownersAt([hpa, git], live, ['spec', 'replicas']), [hpa]);
  assert.deepEqual(ownersAt([hpa, git], live, ['spec', 'template', 'spec', 'containers', 1, 'image']), [git]);
  assert.deepEqual(ownersAt([hpa, git], live, ['spec', 'template', 'spec', 'containers', 0, 'image']), []);
  assert.deepEqual(ownersAt([hpa, git], live, ['spec', 'paused']), []);
  assert.deepEqual(ownersAt([hpa, git], live, ['spec']), [hpa, git], 'both own parts of spec');
});

test('ownersAt: a manager owning an atomic value owns everything under it', () => {
  const atomic = entry('helm', { 'f:spec': { 'f:selector': {} } });
  assert.deepEqual(ownersAt([atomic], { spec: { selector: { matchLabels: { app: 'x' } } } }, ['spec', 'selector', 'matchLabels', 'app']), [atomic]);
  const atomicWithDot = entry('helm', { 'f:spec': { 'f:selector': { '.': {} } } });
  assert.deepEqual(ownersAt([atomicWithDot], {}, ['spec', 'selector', 'matchLabels']), [atomicWithDot]);
});

test('ownersAt: an empty FieldsV1 owns nothing below the object', () => {
  const empty = entry('nothing', {});
  assert.deepEqual(ownersAt([empty], { spec: { replicas: 1 } }, ['spec', 'replicas']), []);
  assert.deepEqual(ownersAt([empty], { spec: { replicas: 1 } }, []), [empty], 'the empty path is the object itself');
});

test('ownersAt: owning the labels or annotations map is not owning each key in it', () => {
  const labelsMap = entry('kubectl', { 'f:metadata': { 'f:labels': {}, 'f:annotations': {} } });
  const oneLabel = entry('argocd-controller', { 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  const live = { metadata: { labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } } };
  assert.deepEqual(ownersAt([labelsMap, oneLabel], live, ['metadata', 'labels', 'app']), [oneLabel]);
  assert.deepEqual(ownersAt([labelsMap, oneLabel], live, ['metadata', 'labels', 'tier']), []);
  assert.deepEqual(ownersAt([labelsMap], live, ['metadata', 'annotations', 'note']), []);
  assert.deepEqual(ownersAt([labelsMap, oneLabel], live, ['metadata', 'labels']), [labelsMap, oneLabel]);
  // Another atomic map under metadata is still owned whole.
  const finalizers = entry('controller', { 'f:metadata': { 'f:ownerReferences': {} } });
  assert.deepEqual(ownersAt([finalizers], live, ['metadata', 'ownerReferences', 0, 'uid']), [finalizers]);
});

test('ownersAt follows list items of the live value, not of the path alone', () => {
  const ports = entry('kubectl', { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:targetPort': {} } } } });
  assert.deepEqual(ownersAt([ports], { spec: { ports: [{ port: 80 }] } }, ['spec', 'ports', 0, 'targetPort']), [ports]);
  assert.deepEqual(ownersAt([ports], { spec: { ports: [{ port: 81 }] } }, ['spec', 'ports', 0, 'targetPort']), []);
  // Where the live value is not a list, the item is unknown and only an index entry can match.
  const byIndex = entry('kubectl', { 'f:spec': { 'f:args': { 'i:0': {} } } });
  assert.deepEqual(ownersAt([byIndex], { spec: { args: 'not a list' } }, ['spec', 'args', 0]), [byIndex]);
  assert.deepEqual(ownersAt([ports], { spec: 'not a map' }, ['spec', 'ports', 0, 'targetPort']), []);
  // A nested map step reads the live value below a list item too.
  const nested = entry('kubectl', { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': {} } } } } });
  const live = { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] } };
  assert.deepEqual(ownersAt([nested], live, ['spec', 'containers', 0, 'ports', 0]), [nested]);
  assert.deepEqual(ownersAt([nested], { spec: { containers: [{ name: 'web', ports: [{ containerPort: 81 }] }] } }, ['spec', 'containers', 0, 'ports', 0]), []);
});

test('childForItem: only k: entries are merge keys, even where another entry parses as a JSON map', () => {
  // A map field may be named like JSON (CRDs allow any key), and a set may hold an object value.
  const node = { 'f:{"name":"web"}': { '.': {} }, 'v:{"name":"web"}': { '.': {} } };
  assert.equal(childForItem(node, { name: 'web' }, 0), undefined);
});

test('childForItem matches merge key values that are equal but neither numbers nor strings', () => {
  const child = { '.': {} };
  assert.equal(childForItem({ 'k:{"enabled":true}': child }, { enabled: true }, 0), child);
  assert.equal(childForItem({ 'k:{"enabled":false}': child }, { enabled: true }, 0), undefined);
});

test('childForItem: the TCP default applies to protocol only, not to any missing key field', () => {
  assert.equal(childForItem({ 'k:{"name":"TCP"}': { '.': {} } }, {}, 0), undefined);
});
