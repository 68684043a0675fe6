// Last-known snapshots on disk: read back as written, Secret values never stored, sections merged,
// size-bounded, atomic and serialized, and a file of another schema version or a corrupt one
// ignored with the reason.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotError, SnapshotStore, snapshotFileName } from '../../src/cluster/snapshots/snapshotStore';
import type { EnvironmentDrift } from '../../src/core/drift/driftTypes';
import type { MappedOperator } from '../../src/core/operators/operatorMapping';
import { readOperatorStatuses } from '../../src/core/operators/operatorStatus';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';
import { driftedSecret } from '../unit/helpers/driftFixture';

const PASSWORD = 'hunter2-very-secret';
const TOKEN = 'plain-secret-token-value';
const PASSWORD_B64 = Buffer.from(PASSWORD).toString('base64');

function secret(password = PASSWORD_B64): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db',
      namespace: 'shop',
      resourceVersion: '12',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password }, stringData: { token: TOKEN } }), team: 'payments' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:data': {} } }],
    },
    type: 'Opaque',
    data: { password },
    stringData: { token: TOKEN },
  };
}

function operators(): MappedOperator[] {
  const [status] = readOperatorStatuses(
    [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { path: './apps' }, status: { lastAppliedRevision: `main@sha1:${'a'.repeat(40)}`, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }] } }],
    'prod',
  );
  return [{ status, match: 'path' }];
}

function drift(): EnvironmentDrift {
  return driftedSecret([{ pointer: '/data/password', path: 'data.password', change: 'changed', desired: PASSWORD_B64, live: 'b3RoZXI=' }]);
}

after(() => removeTempDirs());

describe('snapshot store', () => {
  it('writes a versioned snapshot and reads it back, as of the time given', async () => {
    const store = new SnapshotStore(join(tempDir('gitops-snap-'), 'nested', 'storage'));
    const asOf = new Date('2025-04-05T06:07:08.000Z');
    const written = await store.write('prod', { context: 'prod-cluster', asOf, connection: { status: 'connected', reason: null }, operators: operators() });
    const loaded = await store.load('prod');
    assert.deepEqual(loaded, written);
    assert.equal(loaded?.schemaVersion, 2);
    assert.equal(loaded?.asOf, '2025-04-05T06:07:08.000Z');
    assert.equal(loaded?.operators?.asOf, '2025-04-05T06:07:08.000Z');
    assert.equal(loaded?.operators?.data[0].status.deployedRevision, `main@sha1:${'a'.repeat(40)}`);
    assert.equal(loaded?.context, 'prod-cluster');
    assert.equal(await store.load('dev'), null, 'no snapshot yet');
  });

  it('never stores Secret values: data and stringData become hashes, the last-applied copy and managedFields are dropped', async () => {
    const store = new SnapshotStore(tempDir('gitops-snap-'), { secretHashSalt: 'workspace-salt' });
    await store.write('prod', {
      liveObjects: [secret(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', managedFields: [{}] }, data: { mode: 'fast' } }],
      drift: { drift: drift(), desiredHashes: { '/Secret/shop/db': 'abc' }, durationMs: 12 },
    });
    const text = readFileSync(store.pathOf('prod'), 'utf8');
    for (const value of [PASSWORD, PASSWORD_B64, TOKEN, 'b3RoZXI=']) assert.ok(!text.includes(value), `the file holds ${value}`);
    const loaded = await store.load('prod');
    const [stored, configMap] = loaded?.liveObjects?.data ?? [];
    const data = stored.data as Record<string, { masked: boolean; hash: string }>;
    assert.equal(data.password.masked, true);
    assert.match(data.password.hash, /^[0-9a-f]{8}$/);
    assert.equal((stored.metadata as Record<string, unknown>).managedFields, undefined);
    assert.deepEqual((stored.metadata as { annotations: Record<string, string> }).annotations, { team: 'payments' });
    assert.deepEqual(configMap.data, { mode: 'fast' }, 'other objects keep their data');
    const field = loaded?.drift?.data.resources[0].fields[0];
    assert.deepEqual(Object.keys(field?.desired as object).sort(), ['hash', 'masked']);

    // A changed value shows as a changed hash; the same value as the same hash.
    await store.write('other', { liveObjects: [secret(Buffer.from('changed').toString('base64')), secret()] });
    const [changed, same] = (await store.load('other'))?.liveObjects?.data ?? [];
    assert.notEqual((changed.data as typeof data).password.hash, data.password.hash);
    assert.equal((same.data as typeof data).password.hash, data.password.hash);
  });

  it('keeps the sections a write does not give, each with its own time', async () => {
    const store = new SnapshotStore(tempDir('gitops-snap-'));
    await store.write('prod', { asOf: new Date('2025-01-01T00:00:00Z'), operators: operators() });
    const merged = await store.write('prod', { asOf: new Date('2025-01-02T00:00:00Z'), liveObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }] });
    assert.equal(merged.operators?.asOf, '2025-01-01T00:00:00.000Z');
    assert.equal(merged.liveObjects?.asOf, '2025-01-02T00:00:00.000Z');
    assert.equal(merged.asOf, '2025-01-02T00:00:00.000Z');
  });

  it('stays within its size bound: live objects are dropped from the end first, and it says how many were kept', async () => {
    const store = new SnapshotStore(tempDir('gitops-snap-'), { maxBytes: 20_000 });
    const objects = Array.from({ length: 200 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { payload: 'x'.repeat(200) } }));
    const written = await store.write('prod', { operators: operators(), liveObjects: objects });
    assert.ok(statSync(store.pathOf('prod')).size <= 20_000);
    const kept = written.liveObjects?.truncated?.kept ?? 0;
    assert.ok(kept > 10 && kept < 200, `kept ${kept}`);
    assert.equal(written.liveObjects?.truncated?.total, 200);
    assert.deepEqual(written.liveObjects?.data.map((o) => (o.metadata as { name: string }).name), objects.slice(0, kept).map((o) => o.metadata.name));
    assert.equal(written.operators?.data.length, 1, 'the operator view is never dropped');

    const tiny = new SnapshotStore(store.dir, { maxBytes: 300 });
    await assert.rejects(tiny.write('prod', { operators: operators() }), (error: unknown) => error instanceof SnapshotError && error.code === 'tooLarge');
    assert.equal((await store.load('prod'))?.liveObjects?.truncated?.kept, kept, 'a refused write leaves the previous file intact');
  });

  it('a drift section over the byte bound keeps every status and desired hash but drops the field details, and says so', async () => {
    const store = new SnapshotStore(tempDir('gitops-snap-'), { maxBytes: 8_000 });
    const base = drift().resources[0];
    const resources = Array.from({ length: 20 }, (_, i) => ({
      ...base,
      id: { ...base.id, kind: 'ConfigMap', name: `cm-${i}` },
      key: `/ConfigMap/shop/cm-${i}`,
      fields: [{ pointer: '/data/blob', path: 'data.blob', change: 'changed' as const, desired: 'd'.repeat(400), live: 'l'.repeat(400) }],
    }));
    const hashes = Object.fromEntries(resources.map((r) => [r.key, `h-${r.id.name}`]));
    const written = await store.write('prod', { drift: { drift: { ...drift(), resources }, desiredHashes: hashes, durationMs: 40 } });
    assert.ok(statSync(store.pathOf('prod')).size <= 8_000);
    assert.equal(written.drift?.fieldsDropped, true);
    assert.equal(written.drift?.data.resources.length, 20);
    assert.ok(written.drift?.data.resources.every((r) => r.status === 'Drifted' && r.fields.length === 0));
    assert.deepEqual(written.drift?.desiredHashes, hashes);
    assert.equal(written.drift?.durationMs, 40);
  });

  it('ignores a file of another schema version, a corrupt one and another environment\'s, saying why', async () => {
    const store = new SnapshotStore(tempDir('gitops-snap-'));
    await store.write('prod', { operators: operators() });
    const path = store.pathOf('prod');
    const valid = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...valid, schemaVersion: 1 }));
    assert.deepEqual(await store.loadDetailed('prod'), { snapshot: null, problem: 'schema version 1 (this version reads 2)' });
    writeFileSync(path, JSON.stringify({ ...valid, drift: { asOf: valid.asOf, data: drift() } }));
    assert.deepEqual(await store.loadDetailed('prod'), { snapshot: null, problem: 'drift section has no desired hashes' });
    writeFileSync(path, '{"schemaVersion": 2, "environ');
    assert.deepEqual(await store.loadDetailed('prod'), { snapshot: null, problem: 'the snapshot file is not valid JSON' });
    writeFileSync(path, JSON.stringify({ ...valid, environment: 'dev' }));
    assert.match((await store.loadDetailed('prod')).problem ?? '', /written for environment "dev"/);
    // A broken file does not block the next write.
    await store.write('prod', { operators: operators() });
    assert.ok(await store.load('prod'));
  });

  it('writes atomically and one at a time: concurrent writes leave one whole file and no temporary files', async () => {
    const dir = tempDir('gitops-snap-');
    const store = new SnapshotStore(dir);
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.write('prod', { asOf: new Date(Date.UTC(2025, 0, 1, 0, 0, i)), liveObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `w-${i}` } }] })));
    assert.deepEqual(readdirSync(dir), [snapshotFileName('prod')]);
    const loaded = await store.load('prod');
    assert.equal((loaded?.liveObjects?.data[0].metadata as { name: string }).name, 'w-11', 'the last write wins');
  });

  it('a write that cannot reach the disk fails with a typed io error', async () => {
    const dir = tempDir('gitops-snap-');
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    await assert.rejects(new SnapshotStore(blocker).write('prod', { operators: operators() }), (error: unknown) => error instanceof SnapshotError && error.code === 'io');
  });

  it('file names are safe and distinct for any environment name', () => {
    assert.match(snapshotFileName('prod'), /^prod-[0-9a-f]{10}\.json$/);
    assert.notEqual(snapshotFileName('a/b'), snapshotFileName('a_b'));
    assert.match(snapshotFileName('../../etc'), /^[A-Za-z0-9._-]+\.json$/);
    assert.ok(!snapshotFileName('../../etc').includes('/'));
  });
});
