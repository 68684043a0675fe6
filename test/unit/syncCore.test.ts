// The pure rules of `gitops-env sync`: the ApplySet id as kubectl computes it, the parent's
// annotations, phase order, what counts as created / configured / unchanged, and that a prune only
// ever picks labelled members Git dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  APPLYSET_PART_OF_LABEL,
  applySetId,
  applySetParentObject,
  applySetParentRef,
  base64UrlOfHex,
  groupKindOf,
  keepMembership,
  parseGroupKind,
  readApplySetParent,
  withMembership,
} from '../../src/core/sync/applySet';
import {
  appliedAction,
  applyUnneeded,
  bodyHash,
  dryRunAction,
  memberRecord,
  namespacesHoldingOthers,
  ownedFieldsFingerprint,
  phasesOf,
  progressLine,
  pruneCandidates,
  suspendedObjects,
  syncHealthOf,
  syncPhase,
  type ObjectHealth,
} from '../../src/core/sync/syncPlan';
import fc from 'fast-check';
import { rollUpHealth, type HealthStatus } from '../../src/core/health/healthStatus';
import { fuzzRuns } from '../support/fuzzSettings';
import { objectId } from '../../src/core/drift/compare';
import { resourceKey } from '../../src/core/model';

test('base64url of a hex digest matches Node\'s encoder for every length (no padding, URL alphabet)', () => {
  for (let length = 0; length <= 40; length++) {
    const bytes = randomBytes(length);
    assert.equal(base64UrlOfHex(bytes.toString('hex')), bytes.toString('base64url'), `length ${length}`);
  }
});

test('the ApplySet id is the one kubectl 1.32 wrote for secret/myset in default', () => {
  // Read from `KUBECTL_APPLYSET=true kubectl apply --server-side --prune --applyset=secret/myset -n default`.
  assert.equal(applySetId({ name: 'myset', namespace: 'default' }), 'applyset-51uXdjs_k8zt9KVdAtPaWnW_O9B-EVzd2Bkztfa9DSA-v1');
  assert.notEqual(applySetId({ name: 'myset', namespace: 'other' }), applySetId({ name: 'myset', namespace: 'default' }));
});

test('the parent is named after the environment, folded to a valid object name', () => {
  assert.deepEqual(applySetParentRef('prod-eu', 'shop'), { name: 'gitops-env-prod-eu', namespace: 'shop' });
  assert.equal(applySetParentRef('Staging_EU.1', 'x').name, 'gitops-env-staging-eu-1');
});

test('group-kinds are spelled Kind.group (core: Kind) and read back', () => {
  assert.equal(groupKindOf({ apiVersion: 'apps/v1', kind: 'Deployment' }), 'Deployment.apps');
  assert.equal(groupKindOf({ apiVersion: 'v1', kind: 'ConfigMap' }), 'ConfigMap');
  assert.equal(groupKindOf({ apiVersion: 'example.com/v1', kind: 'Widget' }), 'Widget.example.com');
  assert.deepEqual(parseGroupKind('Widget.example.com'), { kind: 'Widget', group: 'example.com' });
  assert.deepEqual(parseGroupKind('ConfigMap'), { kind: 'ConfigMap', group: '' });
});

test('the parent lists sorted group-kinds and the other namespaces, and records both revisions; reading it back gives them', () => {
  const ref = { name: 'gitops-env-dev', namespace: 'shop' };
  const parent = applySetParentObject(ref, { groupKinds: ['Deployment.apps', 'ConfigMap', 'ConfigMap'], namespaces: ['shop', 'zeta', 'alpha'], revision: 'abc', healthyRevision: 'def', source: 'f'.repeat(40) });
  const metadata = parent.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
  assert.equal(metadata.labels['applyset.kubernetes.io/id'], applySetId(ref));
  assert.equal(metadata.annotations['applyset.kubernetes.io/contains-group-kinds'], 'ConfigMap,Deployment.apps');
  assert.equal(metadata.annotations['applyset.kubernetes.io/additional-namespaces'], 'alpha,zeta');
  const state = readApplySetParent(parent);
  assert.deepEqual(state, { groupKinds: ['ConfigMap', 'Deployment.apps'], namespaces: ['alpha', 'zeta'], revision: 'abc', healthyRevision: 'def', foreignTooling: null, source: 'f'.repeat(40) });
  assert.equal(readApplySetParent(applySetParentObject(ref, { groupKinds: [], namespaces: [], revision: null, healthyRevision: null })).source, null, 'a set written before the source was recorded');
  const kubectlParent = { metadata: { annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1.32.4' } } };
  assert.equal(readApplySetParent(kubectlParent).foreignTooling, 'kubectl/v1.32.4');
  assert.deepEqual(readApplySetParent(undefined).groupKinds, []);
});

test('namespaces first, CRDs second, the rest last; order inside a phase kept', () => {
  const items = [
    { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } } },
    { object: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'w' } } },
    { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } } },
    { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } } },
  ];
  assert.deepEqual(phasesOf(items).map((phase) => phase.map((i) => (i.object.metadata as { name: string }).name)), [['n'], ['w'], ['a', 'b']]);
  assert.equal(syncPhase({ apiVersion: 'example.com/v1', kind: 'Namespace' }), 2, 'only the core Namespace');
});

test('created / configured / unchanged: by existence and resourceVersion; a dry-run by content without bookkeeping', () => {
  const before = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '5', managedFields: [{ time: '1' }] }, data: { k: '1' } };
  assert.equal(appliedAction(undefined, before), 'created');
  assert.equal(appliedAction(before, { ...before }), 'unchanged');
  assert.equal(appliedAction(before, { ...before, metadata: { ...before.metadata, resourceVersion: '6' } }), 'configured');
  assert.equal(dryRunAction(before, { ...before, metadata: { name: 'a', resourceVersion: '5', managedFields: [{ time: '2' }] } }), 'unchanged');
  assert.equal(dryRunAction(before, { ...before, data: { k: '2' } }), 'configured');
  assert.equal(dryRunAction(undefined, before), 'created');
});

test('prune picks only labelled members that Git dropped, workloads before namespaces — never an unlabelled object (property)', () => {
  const id = 'applyset-x-v1';
  const other = 'applyset-y-v1';
  for (let round = 0; round < 200; round++) {
    const live = Array.from({ length: 12 }, (_, i) => {
      const kind = ['ConfigMap', 'Namespace', 'CustomResourceDefinition'][i % 3];
      const apiVersion = kind === 'CustomResourceDefinition' ? 'apiextensions.k8s.io/v1' : 'v1';
      const label = [id, other, undefined][Math.floor(Math.random() * 3)];
      const object = { apiVersion, kind, metadata: { name: `o${i}`, namespace: kind === 'ConfigMap' ? 'ns' : undefined, labels: label ? { [APPLYSET_PART_OF_LABEL]: label, team: 'shop' } : { team: 'shop' } } };
      return object;
    });
    const desired = new Set(live.filter(() => Math.random() < 0.5).map((o) => resourceKey(objectId(o))));
    const pruned = pruneCandidates(live, desired, id);
    for (const object of pruned) {
      assert.equal((object.metadata as { labels: Record<string, string> }).labels[APPLYSET_PART_OF_LABEL], id);
      assert.ok(!desired.has(resourceKey(objectId(object))));
    }
    const expected = live.filter((o) => o.metadata.labels[APPLYSET_PART_OF_LABEL] === id && !desired.has(resourceKey(objectId(o))));
    assert.equal(pruned.length, expected.length);
    const phases = pruned.map(syncPhase);
    assert.deepEqual(phases, [...phases].sort((a, b) => b - a));
  }
});

test('membership is a label added to a copy; the input object stays as it was', () => {
  const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { team: 'shop' } } };
  const member = withMembership(object, 'applyset-x-v1');
  assert.deepEqual((member.metadata as { labels: Record<string, string> }).labels, { team: 'shop', [APPLYSET_PART_OF_LABEL]: 'applyset-x-v1' });
  assert.deepEqual(object.metadata.labels, { team: 'shop' });
});

test('keepMembership: Git\'s object gets the label the live object carries, only that, only when Git sets none (property)', () => {
  const labels = fc.dictionary(fc.constantFrom('app', 'team', APPLYSET_PART_OF_LABEL), fc.stringMatching(/^[a-z0-9-]{0,8}$/), { maxKeys: 3 });
  fc.assert(
    fc.property(fc.option(labels, { nil: undefined }), fc.option(labels, { nil: undefined }), (gitLabels, liveLabels) => {
      const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', ...(gitLabels ? { labels: gitLabels } : {}) }, data: { k: '1' } };
      const before = JSON.stringify(desired);
      const live = liveLabels === undefined ? undefined : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: liveLabels } };
      const sent = keepMembership(desired, live);
      assert.equal(JSON.stringify(desired), before, 'the input is not touched');
      const sentLabels = (sent.metadata as { labels?: Record<string, string> }).labels ?? {};
      const liveValue = liveLabels?.[APPLYSET_PART_OF_LABEL];
      const gitHas = gitLabels !== undefined && APPLYSET_PART_OF_LABEL in gitLabels;
      if (gitHas) assert.equal(sentLabels[APPLYSET_PART_OF_LABEL], gitLabels[APPLYSET_PART_OF_LABEL], 'Git wins');
      else if (liveValue) assert.equal(sentLabels[APPLYSET_PART_OF_LABEL], liveValue);
      else assert.equal(APPLYSET_PART_OF_LABEL in sentLabels, false);
      const others = (l: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(l).filter(([k]) => k !== APPLYSET_PART_OF_LABEL));
      assert.deepEqual(others(sentLabels), others(gitLabels ?? {}), 'nothing else is copied from live');
      assert.deepEqual({ ...sent, metadata: undefined }, { ...desired, metadata: undefined });
    }),
    fuzzRuns(300, 1102),
  );
});

test('health in the contract\'s words: a paused rollout is not done; progress names the first object still waiting', () => {
  assert.equal(syncHealthOf('Suspended'), 'Progressing');
  assert.equal(syncHealthOf('Degraded'), 'Degraded');
  const line = progressLine(
    [
      { id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, health: { status: 'Progressing', message: '0 of 2 updated replicas are available' } },
      { id: { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'web' }, health: { status: 'Healthy' } },
      { id: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' }, health: null },
    ],
    4.2,
  );
  assert.equal(line, '1/2 healthy after 4s; waiting on Deployment shop/web: Progressing (0 of 2 updated replicas are available)');
});

test('Suspended stays visible: the contract says Progressing, the suspended list names every paused object, the progress line counts them (property)', () => {
  const statuses: HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];
  const objectHealth = fc.record({ status: fc.option(fc.constantFrom(...statuses), { nil: undefined }), name: fc.stringMatching(/^[a-z]{1,6}$/) });
  fc.assert(
    fc.property(fc.array(objectHealth, { maxLength: 12 }), (drawn) => {
      const objects: ObjectHealth[] = drawn.map((d, i) => ({
        id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: `${d.name}-${i}` },
        health: d.status === undefined ? null : { status: d.status },
      }));
      const paused = objects.filter((o) => o.health?.status === 'Suspended').map((o) => o.id.name);
      assert.deepEqual(suspendedObjects(objects).map((id) => id.name), paused);
      const rolled = rollUpHealth(objects.map((o) => o.health)).status;
      assert.notEqual(syncHealthOf(rolled), 'Suspended' as string, 'the contract has no Suspended');
      if (rolled === 'Suspended') assert.equal(syncHealthOf(rolled), 'Progressing');
      else assert.equal(syncHealthOf(rolled), rolled);
      const line = progressLine(objects, 3);
      if (paused.length > 0) assert.match(line, new RegExp(`^\\d+/\\d+ healthy, ${paused.length} suspended after 3s`));
      else assert.doesNotMatch(line, /suspended/);
    }),
    fuzzRuns(300, 1101),
  );
  const line = progressLine([{ id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, health: { status: 'Suspended', message: 'Deployment is paused' } }], 2);
  assert.equal(line, '0/1 healthy, 1 suspended after 2s; waiting on Deployment shop/web: Suspended (Deployment is paused)');
});

test('an apply is skipped only for the body last applied, with every field we own still ours', () => {
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: '1' } };
  const ours = { manager: 'gitops-environments', operation: 'Apply', fieldsV1: { 'f:data': { 'f:k': {} } }, time: '2026-01-01T00:00:00Z' };
  const live = { ...body, metadata: { ...body.metadata, managedFields: [ours] } };
  const fingerprint = ownedFieldsFingerprint(live, 'gitops-environments');
  assert.ok(fingerprint);
  const record = memberRecord(bodyHash(body), fingerprint);
  assert.equal(applyUnneeded(live, bodyHash(body), record, 'gitops-environments'), true);
  // The time of our entry is not part of it: a later no-op apply keeps the record valid.
  const later = { ...live, metadata: { ...live.metadata, managedFields: [{ ...ours, time: '2026-02-02T00:00:00Z' }] } };
  assert.equal(applyUnneeded(later, bodyHash(body), record, 'gitops-environments'), true);
  // Git changed: send it.
  assert.equal(applyUnneeded(live, bodyHash({ ...body, data: { k: '2' } }), record, 'gitops-environments'), false);
  // Someone took a field we owned (kubectl edit): our entry shrank, send it again.
  const edited = { ...live, metadata: { ...live.metadata, managedFields: [{ ...ours, fieldsV1: { 'f:data': {} } }, { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { 'f:k': {} } } }] } };
  assert.equal(applyUnneeded(edited, bodyHash(body), record, 'gitops-environments'), false);
  // No record (first sync, or the parent lost it): send it.
  assert.equal(applyUnneeded(live, bodyHash(body), undefined, 'gitops-environments'), false);
  assert.equal(applyUnneeded(undefined, bodyHash(body), record, 'gitops-environments'), false);
  // A status write by a controller is another entry, not ours: still skipped.
  const withStatus = { ...live, metadata: { ...live.metadata, managedFields: [ours, { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } }] } };
  assert.equal(applyUnneeded(withStatus, bodyHash(body), record, 'gitops-environments'), true);
});

test('a prune keeps a Namespace that still holds objects that stay (someone else\'s, or Git\'s), but not one holding only pruned members and defaults', () => {
  const ns = (name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const cm = (namespace: string, name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
  const candidates = [ns('empty'), ns('shared'), ns('gitkeeps'), cm('empty', 'old'), cm('shared', 'old')];
  const live = [...candidates, cm('empty', 'kube-root-ca.crt'), cm('shared', 'stranger'), cm('gitkeeps', 'still-in-git')];
  assert.deepEqual([...namespacesHoldingOthers(candidates, live)], [
    ['shared', 'ConfigMap shared/stranger'],
    ['gitkeeps', 'ConfigMap gitkeeps/still-in-git'],
  ]);
});
