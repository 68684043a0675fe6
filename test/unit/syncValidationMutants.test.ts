// What a sync decides and what the editor's diagnostics say, held precisely: the ApplySet parent as
// KEP-3659 and kubectl spell it (the id by kubectl's own formula, the parent Secret whole, our
// annotation keys and tooling value, the folded parent name, the comma-separated lists), the
// phase order and dry-run verdicts of syncPlan (bookkeeping ignored, key order ignored, lists
// compared item by item), the progress line word for word, the hashes recorded on the parent, and
// the editor's validation of a whole file (CRDs of the same file, a byte-order mark before a CRD,
// objects without metadata, a NUL past the file's first 8,000 characters).
// Exists to kill the mutation survivors of src/core/sync/syncPlan.ts, src/core/sync/applySet.ts
// (group core-operators) and src/core/validation/documentValidation.ts (group core-validation).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  APPLYSET_PART_OF_LABEL,
  applySetId,
  applySetParentObject,
  applySetParentRef,
  base64UrlOfHex,
  groupKindOf,
  keepMembership,
  parseGroupKind,
  parseList,
  readApplySetParent,
  withMembership,
} from '../../src/core/sync/applySet';
import {
  bodyHash,
  dryRunAction,
  hasApplyEntry,
  namespacesHoldingOthers,
  ownedFieldsFingerprint,
  phasesOf,
  progressLine,
  syncPhase,
  type ObjectHealth,
} from '../../src/core/sync/syncPlan';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { parseManifests } from '../../src/core/manifest';
import { manifestDiagnostics, textDiagnostics, type ManifestDiagnostic } from '../../src/core/validation/documentValidation';
import type { SchemaCatalog } from '../../src/core/validation/schemaCatalog';
import { fuzzRuns } from '../support/fuzzSettings';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

// ——— applySet: the parent and its labels (KEP-3659) ———

describe('applySet: the parent object as the KEP and kubectl spell it', () => {
  it('the id is kubectl\'s formula: applyset-<base64url(sha256(name.namespace.kind.group))>-v1 (property)', () => {
    const word = fc.stringMatching(/^[a-z0-9.-]{0,20}$/);
    fc.assert(
      fc.property(word, word, fc.constantFrom('Secret', 'ConfigMap', 'Widget'), fc.constantFrom('', 'example.com'), (name, namespace, kind, group) => {
        const expected = `applyset-${sha256(`${name}.${namespace}.${kind}.${group}`).toString('base64url')}-v1`;
        assert.equal(applySetId({ name, namespace }, kind, group), expected);
      }),
      fuzzRuns(200, 3301),
    );
    // The defaults are kubectl's default parent kind: a Secret, in the core group.
    assert.equal(applySetId({ name: 'p', namespace: 'n' }), `applyset-${sha256('p.n.Secret.').toString('base64url')}-v1`);
  });

  it('base64url of any hex text is the base64url of the bytes Node reads from it (a trailing odd digit is no byte)', () => {
    for (let length = 0; length <= 12; length++) {
      const hex = randomBytes(8).toString('hex').slice(0, length);
      assert.equal(base64UrlOfHex(hex), Buffer.from(hex, 'hex').toString('base64url'), `hex ${JSON.stringify(hex)}`);
    }
    assert.equal(base64UrlOfHex('abc'), base64UrlOfHex('ab'));
    assert.equal(base64UrlOfHex('f'), '');
  });

  it('the parent is the whole Secret: type Opaque, id label, tooling, sorted lists, both revisions, and no data unless some is given', () => {
    const ref = { name: 'gitops-env-dev', namespace: 'shop' };
    const content = { groupKinds: ['Deployment.apps', 'ConfigMap'], namespaces: ['shop', 'web'], revision: 'abc', healthyRevision: 'def' };
    const annotations = {
      'applyset.kubernetes.io/tooling': 'gitops-env/v0.1.0',
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Deployment.apps',
      'applyset.kubernetes.io/additional-namespaces': 'web',
      'gitops-environments.io/revision': 'abc',
      'gitops-environments.io/healthy-revision': 'def',
    };
    const metadata = { name: 'gitops-env-dev', namespace: 'shop', labels: { 'applyset.kubernetes.io/id': applySetId(ref) }, annotations };
    assert.deepEqual(applySetParentObject(ref, content), { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque' });
    assert.deepEqual(applySetParentObject(ref, { ...content, data: {} }), { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque' }, 'empty data is no data');
    const data = { 'a.b': 'eHl6' };
    assert.deepEqual(applySetParentObject(ref, { ...content, data }), { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data });
  });

  it('the tooling value is <tool>/<semver>; a parent from another version of this tool is ours, one from kubectl is foreign', () => {
    const tooling = (applySetParentObject({ name: 'p', namespace: 'n' }, { groupKinds: [], namespaces: [], revision: null, healthyRevision: null }).metadata as { annotations: Record<string, string> })
      .annotations['applyset.kubernetes.io/tooling'];
    assert.match(tooling, /^gitops-env\/v\d+\.\d+\.\d+$/);
    const parent = (value: string): KubeObject => ({ metadata: { annotations: { 'applyset.kubernetes.io/tooling': value } } });
    assert.equal(readApplySetParent(parent('gitops-env/v9.9.9')).foreignTooling, null);
    assert.equal(readApplySetParent(parent(tooling)).foreignTooling, null);
    assert.equal(readApplySetParent(parent('kubectl/v1.32.4')).foreignTooling, 'kubectl/v1.32.4');
  });

  it('revisions are read from the annotation keys other versions of the tool wrote', () => {
    const parent = { metadata: { annotations: { 'gitops-environments.io/revision': 'r1', 'gitops-environments.io/healthy-revision': 'r0' } } };
    const state = readApplySetParent(parent);
    assert.deepEqual([state.revision, state.healthyRevision], ['r1', 'r0']);
    assert.deepEqual([readApplySetParent({ metadata: {} }).revision, readApplySetParent({ metadata: {} }).healthyRevision], [null, null]);
  });

  it('comma-separated annotations: trimmed, empty entries dropped, de-duplicated, sorted', () => {
    assert.deepEqual(parseList('b, a,,a , c'), ['a', 'b', 'c']);
    assert.deepEqual(parseList(' , '), []);
    assert.deepEqual(parseList(undefined), []);
    const parent = { metadata: { annotations: { 'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps, ConfigMap,', 'applyset.kubernetes.io/additional-namespaces': 'web,,api' } } };
    assert.deepEqual(readApplySetParent(parent), { groupKinds: ['ConfigMap', 'Deployment.apps'], namespaces: ['api', 'web'], revision: null, healthyRevision: null, foreignTooling: null, source: null });
  });

  it('the parent name folds each run of other characters to one dash, trims dashes at both ends, and stays within 253 characters', () => {
    assert.equal(applySetParentRef('a  b', 'n').name, 'gitops-env-a-b');
    assert.equal(applySetParentRef('a_.b', 'n').name, 'gitops-env-a-b');
    assert.equal(applySetParentRef('--a--', 'n').name, 'gitops-env-a');
    assert.equal(applySetParentRef('__Prod__', 'n').name, 'gitops-env-prod');
    assert.equal(applySetParentRef('__', 'n').name, 'gitops-env-environment', 'nothing left: a fixed word');
    assert.equal(applySetParentRef('', 'n').name, 'gitops-env-environment');
    const long = applySetParentRef('x'.repeat(300), 'n').name;
    assert.equal(long, `gitops-env-${'x'.repeat(242)}`);
    assert.equal(long.length, 253);
  });

  it('the parent name is a valid Secret name (DNS subdomain, at most 253) for any environment name (property)', () => {
    const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
    assert.match(applySetParentRef(`${'a'.repeat(241)}-b`, 'n').name, subdomain);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (environment) => {
        const { name } = applySetParentRef(environment, 'n');
        assert.ok(name.length <= 253);
        assert.match(name, subdomain);
      }),
      fuzzRuns(200, 3302),
    );
  });

  it('group-kinds: Kind.group read back into kind and group for every kind and group, an empty kind included (property)', () => {
    const kind = fc.stringMatching(/^[A-Za-z0-9]{0,10}$/);
    const group = fc.constantFrom('', 'apps', 'example.com', 'a.b.c');
    fc.assert(
      fc.property(kind, group, (k, g) => {
        const entry = groupKindOf({ apiVersion: g ? `${g}/v1` : 'v1', kind: k });
        assert.deepEqual(parseGroupKind(entry), { kind: k, group: g });
      }),
      fuzzRuns(200, 3303),
    );
    assert.equal(groupKindOf({ apiVersion: 'apps/v1' }), '.apps', 'no kind: an empty one');
    assert.equal(groupKindOf({ apiVersion: 'v1', kind: 7 }), '');
    assert.deepEqual(parseGroupKind('.apps'), { kind: '', group: 'apps' });
  });

  it('membership replaces a labels value that is no map (a string) with the membership label alone', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: 'team=shop' } };
    assert.deepEqual(withMembership(object, 'applyset-x-v1').metadata, { name: 'a', labels: { [APPLYSET_PART_OF_LABEL]: 'applyset-x-v1' } });
    const none = withMembership({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', labels: null } }, 'applyset-x-v1');
    assert.deepEqual(none.metadata, { name: 'b', labels: { [APPLYSET_PART_OF_LABEL]: 'applyset-x-v1' } });
  });

  it('keepMembership: Git\'s `labels:` left empty (null) gets the live membership label', () => {
    const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: null } };
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { [APPLYSET_PART_OF_LABEL]: 'applyset-x-v1' } } };
    assert.deepEqual(keepMembership(desired, live).metadata, { name: 'a', labels: { [APPLYSET_PART_OF_LABEL]: 'applyset-x-v1' } });
  });
});

// ——— syncPlan: order, verdicts, progress, hashes ———

const cm = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('syncPlan: phases', () => {
  it('only a CustomResourceDefinition of apiextensions.k8s.io is applied in the CRD phase', () => {
    assert.equal(syncPhase({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }), 1);
    assert.equal(syncPhase({ apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition' }), 1);
    assert.equal(syncPhase({ apiVersion: 'example.com/v1', kind: 'CustomResourceDefinition' }), 2, 'a kind of that name in another group');
    assert.equal(syncPhase({ kind: 'CustomResourceDefinition' }), 2, 'no apiVersion');
    assert.equal(syncPhase({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList' }), 2);
    assert.equal(syncPhase({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'Widget' }), 2);
  });

  it('empty phases are left out: objects of one phase give one group', () => {
    const items = [{ object: cm('a', 'x') }, { object: cm('a', 'y') }];
    assert.deepEqual(phasesOf(items), [items]);
    assert.deepEqual(phasesOf([]), []);
    const ns = { object: namespace('n') };
    assert.deepEqual(phasesOf([items[0], ns]), [[ns], [items[0]]]);
  });
});

describe('syncPlan: a dry-run\'s verdict', () => {
  const before = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n', labels: { app: 'x' }, resourceVersion: '5', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z', uid: 'u-1', managedFields: [] }, data: { a: '1', b: '2' } };

  it('each piece of server bookkeeping (resourceVersion, generation, creationTimestamp, uid, managedFields) is ignored on its own', () => {
    const changes: Record<string, unknown> = { resourceVersion: '6', generation: 2, creationTimestamp: '2026-02-02T00:00:00Z', uid: 'u-2', managedFields: [{ manager: 'm' }] };
    for (const [key, value] of Object.entries(changes)) {
      assert.equal(dryRunAction(before, { ...before, metadata: { ...before.metadata, [key]: value } }), 'unchanged', key);
      const { [key]: _dropped, ...without } = before.metadata as Record<string, unknown>;
      assert.equal(dryRunAction(before, { ...before, metadata: without }), 'unchanged', `${key} absent`);
    }
    assert.equal(dryRunAction(before, { ...before, metadata: { ...before.metadata, labels: { app: 'y' } } }), 'configured', 'other metadata counts');
  });

  it('key order does not matter, at any depth', () => {
    const reordered = { data: { b: '2', a: '1' }, metadata: { managedFields: [], uid: 'u-1', creationTimestamp: '2026-01-01T00:00:00Z', generation: 1, resourceVersion: '5', labels: { app: 'x' }, namespace: 'n', name: 'a' }, kind: 'ConfigMap', apiVersion: 'v1' };
    assert.equal(dryRunAction(before, reordered), 'unchanged');
  });

  it('a member whose value is undefined is no member; an undefined list item is null, as JSON sends them', () => {
    assert.equal(dryRunAction(before, { ...before, data: { a: '1', b: '2', c: undefined } }), 'unchanged');
    assert.equal(dryRunAction({ ...before, list: [null, 1] }, { ...before, list: [undefined, 1] }), 'unchanged');
    assert.equal(dryRunAction({ ...before, list: [1] }, { ...before, list: [undefined, 1] }), 'configured');
  });

  it('lists are compared item by item', () => {
    assert.equal(dryRunAction({ ...before, list: ['x'] }, { ...before, list: ['y'] }), 'configured');
    assert.equal(dryRunAction({ ...before, list: [1, 23] }, { ...before, list: [12, 3] }), 'configured');
    assert.equal(dryRunAction({ ...before, list: [{ a: 1 }, 'x'] }, { ...before, list: [{ a: 1 }, 'x'] }), 'unchanged');
    assert.equal(dryRunAction({ ...before, list: [] }, { ...before, list: {} }), 'configured', 'an empty list is no empty map');
  });
});

describe('syncPlan: the progress line', () => {
  const id = (kind: string, ns: string | null, name: string): ObjectHealth['id'] => ({ group: '', version: 'v1', kind, namespace: ns, name });

  it('names the first object waiting (without a namespace for a cluster-scoped one), its status alone when the rule gave no message, and how many more wait', () => {
    const objects: ObjectHealth[] = [
      { id: id('Namespace', null, 'shop'), health: { status: 'Progressing' } },
      { id: id('Service', 'shop', 'web'), health: { status: 'Healthy' } },
      { id: id('PersistentVolumeClaim', 'shop', 'data'), health: { status: 'Degraded', message: 'lost' } },
      { id: id('Pod', 'shop', 'p'), health: { status: 'Missing' } },
    ];
    assert.equal(progressLine(objects, 7), '1/4 healthy after 7s; waiting on Namespace shop: Progressing and 2 more');
    assert.equal(progressLine(objects.slice(0, 3), 7), '1/3 healthy after 7s; waiting on Namespace shop: Progressing and 1 more');
    assert.equal(progressLine(objects.slice(0, 2), 7), '1/2 healthy after 7s; waiting on Namespace shop: Progressing');
    assert.equal(progressLine(objects.slice(1, 3), 0.4), '1/2 healthy after 0s; waiting on PersistentVolumeClaim shop/data: Degraded (lost)');
    assert.equal(progressLine(objects.slice(1, 2), 1), '1/1 healthy after 1s');
  });
});

describe('syncPlan: what the parent records', () => {
  it('a body hash is the first 24 hex digits of SHA-256 of the body\'s JSON with sorted keys', () => {
    const body = { kind: 'ConfigMap', apiVersion: 'v1', data: { b: '2', a: '1' } };
    const canonical = '{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap"}';
    assert.equal(bodyHash(body), sha256(canonical).toString('hex').slice(0, 24));
  });

  it('the owned-fields fingerprint is the first 16 hex digits of SHA-256 of our Apply entry\'s fieldsV1', () => {
    const fieldsV1 = { 'f:metadata': { 'f:labels': {} }, 'f:data': { 'f:k': {} } };
    const object = { metadata: { managedFields: [{ manager: 'other', operation: 'Apply', fieldsV1: {} }, { manager: 'me', operation: 'Apply', fieldsV1 }] } };
    assert.equal(ownedFieldsFingerprint(object, 'me'), sha256('{"f:data":{"f:k":{}},"f:metadata":{"f:labels":{}}}').toString('hex').slice(0, 16));
  });

  it('an Apply entry is ours only for our manager, operation Apply, on the main resource, with fields', () => {
    const entry = (fields: Record<string, unknown>): KubeObject => ({ metadata: { managedFields: [{ manager: 'me', operation: 'Apply', fieldsV1: { 'f:data': {} }, ...fields }] } });
    assert.equal(hasApplyEntry(entry({}), 'me'), true);
    assert.equal(hasApplyEntry(entry({ subresource: '' }), 'me'), true);
    assert.equal(hasApplyEntry(entry({}), 'you'), false);
    assert.equal(hasApplyEntry(entry({ operation: 'Update' }), 'me'), false);
    assert.equal(hasApplyEntry(entry({ subresource: 'status' }), 'me'), false);
    assert.equal(hasApplyEntry(entry({ fieldsV1: undefined }), 'me'), false);
    assert.equal(hasApplyEntry({ metadata: { name: 'x' } }, 'me'), false);
  });
});

describe('syncPlan: namespaces a prune keeps', () => {
  it('the default ServiceAccount and kube-root-ca.crt are the namespace\'s own, not someone else\'s', () => {
    const candidates = [namespace('gone')];
    const live = [...candidates, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'gone' } }, cm('gone', 'kube-root-ca.crt')];
    assert.deepEqual([...namespacesHoldingOthers(candidates, live)], []);
    const builder = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'gone' } };
    assert.deepEqual([...namespacesHoldingOthers(candidates, [...live, builder])], [['gone', 'ServiceAccount gone/builder']]);
  });

  it('only pruned Namespaces are looked into, not a namespace sharing a pruned object\'s name', () => {
    const candidates = [namespace('gone'), cm('gone', 'old'), cm('keep', 'app')];
    const live = [...candidates, cm('app', 'stranger'), cm('old', 'stranger')];
    assert.deepEqual([...namespacesHoldingOthers(candidates, live)], []);
  });
});

// ——— documentValidation: the editor's diagnostics ———

const noSchemas: SchemaCatalog = { kindSchema: () => undefined };
const brief = (diagnostics: ManifestDiagnostic[]): string[] => diagnostics.map((d) => `${d.line}:${d.column}-${d.endColumn ?? ''} ${d.reason} ${d.kind}/${d.name} ${d.path} | ${d.message}`);
const parsedOne = (text: string): ReturnType<typeof parseManifests>['manifests'][number] => {
  const { manifests } = parseManifests(text, '', { fileChecks: false, byDocument: false });
  assert.equal(manifests.length, 1);
  return manifests[0];
};
const crd = (properties: string, kindLine = 'kind: CustomResourceDefinition'): string =>
  `${kindLine}\napiVersion: apiextensions.k8s.io/v1\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n${properties}`;
const sizeInteger = '              size:\n                type: integer\n';
const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n';
const sizeProblem = 'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"';

describe('documentValidation: objects as the editor holds them', () => {
  it('an object without metadata, or with `metadata:` left empty, is reported with an empty name', () => {
    const required = 'metadata.name: Required value: name or generateName is required';
    assert.deepEqual(brief(manifestDiagnostics(parsedOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n'), noSchemas)), [`3:1-10 FieldValueRequired ConfigMap/ metadata.name | ${required}`]);
    assert.deepEqual(brief(manifestDiagnostics(parsedOne('apiVersion: v1\nkind: ConfigMap\ndata: {}\n'), noSchemas)).map((d) => d.replace(/^\S+ /, '')), [`FieldValueRequired ConfigMap/ metadata.name | ${required}`]);
    assert.deepEqual(brief(manifestDiagnostics(parsedOne('apiVersion: v1\nkind: ConfigMap\nmetadata: [a]\n'), noSchemas)), [`3:1-14 FieldValueRequired ConfigMap/ metadata.name | ${required}`]);
  });

  it('a kind or name that is no string is reported as empty', () => {
    const [kindless] = manifestDiagnostics(parsedOne('apiVersion: v1\nkind: 5\nmetadata:\n  name: Bad_Name\n'), noSchemas);
    assert.deepEqual([kindless.kind, kindless.name, kindless.path], ['', 'Bad_Name', 'metadata.name']);
    const [nameless] = manifestDiagnostics(parsedOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 5\n'), noSchemas);
    assert.deepEqual([nameless.kind, nameless.name], ['ConfigMap', '']);
  });

  it('an unknown field the schema lists with an empty schema gets no "did you mean" itself', () => {
    const text = `${crd('              size:\n')}---\n${widget}`;
    assert.deepEqual(textDiagnostics(text, noSchemas).map((d) => d.message), ['unknown field "spec.size"']);
    const near = `${crd('              sise:\n                type: integer\n')}---\n${widget}`;
    assert.deepEqual(textDiagnostics(near, noSchemas).map((d) => d.message), ['unknown field "spec.size"; did you mean "sise"?']);
  });
});

describe('documentValidation: CRDs of the same file', () => {
  it('a CRD whose kind line comes first defines its kinds in a file that starts with a byte-order mark', () => {
    const text = `${crd(sizeInteger)}---\n${widget}`;
    const plain = brief(textDiagnostics(text, noSchemas));
    assert.deepEqual(plain, [`27:3-12 FieldValueTypeInvalid Widget/w spec.size | ${sizeProblem}`]);
    assert.deepEqual(brief(textDiagnostics(`\uFEFF${text}`, noSchemas)), plain);
  });

  it('a document whose kind is repeated is read with the last kind (as kubectl does): a CRD kind line followed by another kind defines nothing', () => {
    const repeated = crd(sizeInteger, 'kind: CustomResourceDefinition\nkind: WidgetDefinition');
    assert.deepEqual(parseManifests(repeated, '', { fileChecks: false, byDocument: false }).manifests.map((m) => m.object.kind), ['WidgetDefinition']);
    assert.deepEqual(textDiagnostics(`${repeated}---\n${widget}`, noSchemas), []);
    assert.deepEqual(textDiagnostics(`${crd(sizeInteger)}---\n${widget}`, noSchemas).map((d) => d.message), [sizeProblem]);
  });

  it('a NUL past the file\'s first 8,000 characters does not make documents unreadable: each is validated as the CLI reads the file', () => {
    // The CLI checks the file as a whole (binary: a NUL in its first 8,000 characters); the editor
    // must not refuse one document for a NUL near its own start.
    const long = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: ${'x'.repeat(9000)}\n`;
    const text = `${long}---\n# a \u0000 in a comment\n${crd(sizeInteger)}---\n# another \u0000\n${widget}`;
    const cli = parseManifests(text, 'f.yaml');
    assert.deepEqual([cli.manifests.map((m) => m.object.kind), cli.problems], [['ConfigMap', 'CustomResourceDefinition', 'Widget'], []]);
    assert.deepEqual(textDiagnostics(text, noSchemas).map((d) => `${d.line} ${d.message}`), [`36 ${sizeProblem}`]);
  });
});
