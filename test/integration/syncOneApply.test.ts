// A first sync without the membership label's co-owner (the default now): exactly one write per
// new member, and the label still survives a later single-object apply and a drift dry-run under
// our field manager once they send it through keepMembership (the drift service always does; the
// co-owner existed for that). The co-owner mode (coOwnMembership: true): two writes per new
// member, label owned twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { applyObject, FIELD_MANAGER } from '../../src/cluster/drift/applyRequest';
import { APPLYSET_FIELD_MANAGER, EnvironmentSync } from '../../src/cluster/sync/environmentSync';
import { openSyncConnection, type SyncConnection } from '../../src/cluster/sync/syncConnection';
import { APPLYSET_PART_OF_LABEL, applySetId, applySetParentRef, keepMembership } from '../../src/core/sync/applySet';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

let sandbox: SandboxHandle;
let connection: SyncConnection;

before(async () => {
  const kubeconfig = join(tempDir('gitops-sync-one-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, controllers: false });
  connection = openSyncConnection({ kubeconfig, context: 'sandbox' });
});

after(async () => {
  await sandbox?.stop();
  removeTempDirs();
});

function configMap(ns: string, name: string, value: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { team: 'shop' } }, data: { k: value } };
}

function live(ns: string, name: string): KubeObject | undefined {
  return sandbox.store.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name }) as KubeObject | undefined;
}

function labelOf(object: KubeObject | undefined): string | undefined {
  return (object?.metadata as { labels?: Record<string, string> } | undefined)?.labels?.[APPLYSET_PART_OF_LABEL];
}

function managers(object: KubeObject | undefined): string[] {
  const entries = ((object?.metadata as { managedFields?: Array<{ manager: string; operation: string }> } | undefined)?.managedFields ?? []);
  return entries.filter((e) => e.operation === 'Apply').map((e) => e.manager).sort();
}

async function namespace(ns: string): Promise<void> {
  await applyObject(connection, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { dryRun: false, defaultNamespace: ns, fieldManager: 'test-setup' });
}

/** Writes the sandbox made during `work` (every create, update and delete takes a resourceVersion). */
async function writesDuring(work: () => Promise<unknown>): Promise<number> {
  const start = Number(sandbox.store.resourceVersion);
  await work();
  return Number(sandbox.store.resourceVersion) - start;
}

test('by default (no co-owner): one write per new member (plus the parent, twice); the label is ours alone', async () => {
  const ns = 'one-apply';
  await namespace(ns);
  const objects = Array.from({ length: 12 }, (_, i) => configMap(ns, `c${i}`, '1'));
  const sync = new EnvironmentSync(connection);
  let outcome: Awaited<ReturnType<EnvironmentSync['sync']>> | undefined;
  const writes = await writesDuring(async () => {
    outcome = await sync.sync({ environment: 'one', revision: 'r1', objects, prune: true, dryRun: false, namespace: ns });
  });
  assert.deepEqual(outcome?.failures, []);
  assert.equal(writes, objects.length + 2, 'each member once, and the parent before and after');
  const id = applySetId(applySetParentRef('one', ns));
  for (const object of objects) {
    const name = (object.metadata as { name: string }).name;
    assert.equal(labelOf(live(ns, name)), id);
    assert.deepEqual(managers(live(ns, name)), [FIELD_MANAGER]);
  }
  // The next sync of the same objects sends nothing (no co-owner is required to skip).
  const again = await writesDuring(() => sync.sync({ environment: 'one', revision: 'r2', objects, prune: true, dryRun: false, namespace: ns, coOwnMembership: false }));
  assert.equal(again, 1, 'only the parent records the new revision');
});

test('without the co-owner, a single-object apply and a drift dry-run keep the label when they send it through keepMembership (and drop it when they do not)', async () => {
  const ns = 'one-apply-keep';
  await namespace(ns);
  const sync = new EnvironmentSync(connection);
  const git = [configMap(ns, 'kept', '1'), configMap(ns, 'dropped', '1')];
  await sync.sync({ environment: 'keep', revision: 'r1', objects: git, prune: false, dryRun: false, namespace: ns, coOwnMembership: false });
  const id = applySetId(applySetParentRef('keep', ns));

  // The drift dry-run: Git's object, with the label the live object carries.
  const predicted = await applyObject(connection, keepMembership(configMap(ns, 'kept', '2'), live(ns, 'kept')), { dryRun: true, defaultNamespace: ns });
  assert.equal(labelOf(predicted), id);
  assert.equal((predicted.data as { k: string }).k, '2');
  // The same dry-run of Git's object as it is: the label would go — what keepMembership is for.
  const bare = await applyObject(connection, configMap(ns, 'kept', '2'), { dryRun: true, defaultNamespace: ns });
  assert.equal(labelOf(bare), undefined);

  // A single-object sync (real write).
  await applyObject(connection, keepMembership(configMap(ns, 'kept', '2'), live(ns, 'kept')), { dryRun: false, defaultNamespace: ns });
  assert.equal(labelOf(live(ns, 'kept')), id);
  await applyObject(connection, configMap(ns, 'dropped', '2'), { dryRun: false, defaultNamespace: ns });
  assert.equal(labelOf(live(ns, 'dropped')), undefined);

  // The next sync puts the dropped label back (our owned fields changed: the member is applied again).
  const back = await sync.sync({ environment: 'keep', revision: 'r2', objects: git, prune: false, dryRun: false, namespace: ns, coOwnMembership: false });
  assert.deepEqual(back.failures, []);
  assert.equal(labelOf(live(ns, 'dropped')), id);
});

test('with the co-owner (coOwnMembership: true): two writes per new member, the label owned twice, and it survives a bare single-object apply', async () => {
  const ns = 'co-owned';
  await namespace(ns);
  const objects = Array.from({ length: 5 }, (_, i) => configMap(ns, `c${i}`, '1'));
  const sync = new EnvironmentSync(connection);
  const writes = await writesDuring(() => sync.sync({ environment: 'co', revision: 'r1', objects, prune: true, dryRun: false, namespace: ns, coOwnMembership: true }));
  assert.equal(writes, 2 * objects.length + 2);
  assert.deepEqual(managers(live(ns, 'c0')), [APPLYSET_FIELD_MANAGER, FIELD_MANAGER].sort());
  await applyObject(connection, configMap(ns, 'c0', '2'), { dryRun: false, defaultNamespace: ns });
  assert.equal(labelOf(live(ns, 'c0')), applySetId(applySetParentRef('co', ns)));
});
