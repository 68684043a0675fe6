// Drift snapshots on literal inputs: which desired objects still match a kept entry (content,
// namespace, and the lines the hints sit on), the size bounds and what they keep, Secret-safe
// reasons, and the debounced writer (one write per burst, the latest report, nothing rewritten
// when nothing changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DesiredHashes, filesNeedingTextHash, NOT_IN_SNAPSHOT_REASON, restoreDriftSnapshot, toDriftSnapshot, type DesiredSource } from '../../src/cluster/snapshots/driftSnapshot';
import { DriftSnapshotWriter } from '../../src/cluster/snapshots/driftSnapshotWriter';
import type { DriftSnapshotSection } from '../../src/cluster/snapshots/snapshotSchema';
import type { DriftSnapshotUpdate, SnapshotStore } from '../../src/cluster/snapshots/snapshotStore';
import type { DriftStatus, EnvironmentDrift, ResourceDrift } from '../../src/core/drift/driftTypes';

const range = (line: number, endLine = line + 10) => ({ start: { line, column: 1 }, end: { line: endLine, column: 1 } });

function source(name: string, options: { namespace?: string; replicas?: number; line?: number; endLine?: number; file?: string; manifest?: boolean } = {}): DesiredSource {
  const metadata: Record<string, unknown> = { name };
  if (options.namespace) metadata.namespace = options.namespace;
  const file = options.file ?? `${name}.yaml`;
  const line = options.line ?? 1;
  return {
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: options.replicas ?? 2 } },
    origin: { file, range: range(line + 1, line + 1) },
    ...(options.manifest === false ? {} : { manifest: { range: range(line, options.endLine) } }),
  };
}

function resource(name: string, status: DriftStatus, namespace = 'shop', file = `${name}.yaml`): ResourceDrift {
  return {
    id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace, name },
    key: `apps/Deployment/${namespace}/${name}`,
    status,
    mode: 'server',
    approximate: false,
    ignored: 0,
    origin: { file, range: range(2, 2) },
    fields: status === 'Drifted' ? [{ pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', desired: 2, live: 5, range: range(7, 7) }] : [],
  };
}

function report(resources: ResourceDrift[]): EnvironmentDrift {
  const counts: Record<DriftStatus, number> = { InSync: 0, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 };
  for (const r of resources) counts[r.status]++;
  return { mode: 'server', approximate: false, resources, counts, problems: [] };
}

function section(drift: EnvironmentDrift, hashes: DesiredHashes): DriftSnapshotSection {
  const payload = toDriftSnapshot(drift, hashes);
  return { asOf: '2025-05-03T10:42:00.000Z', data: payload.drift, desiredHashes: payload.desiredHashes, durationMs: 12 };
}

test('an object without a namespace matches the namespace the report placed it in; one with a namespace only its own', () => {
  const hashes = new DesiredHashes([source('web'), source('api', { namespace: 'other' })]);
  const web = hashes.of({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
  assert.match(web, /^[0-9a-f]{32}$/);
  assert.equal(hashes.of({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'anything', name: 'web' }), web);
  assert.equal(hashes.of({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'api' }), '', 'api declares namespace other');
  assert.equal(hashes.of({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' }), '', 'another kind');
});

test('kept entries survive an unchanged render; a changed object, a moved document or a grown one drops exactly its entry', () => {
  const before = new DesiredHashes([source('web'), source('api')]);
  const stored = section(report([resource('web', 'Drifted'), resource('api', 'InSync')]), before);

  const same = restoreDriftSnapshot(stored, new DesiredHashes([source('web'), source('api')]));
  assert.equal(same?.dropped, 0);
  assert.deepEqual(same?.drift.counts, { InSync: 1, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 });

  for (const [what, changed] of [
    ['content', source('web', { replicas: 3 })],
    ['a line added above (the hints would be one line off)', source('web', { line: 2 })],
    ['a line added inside the document', source('web', { endLine: 12 })],
    ['another file', source('web', { file: 'moved.yaml' })],
  ] as const) {
    const restored = restoreDriftSnapshot(stored, new DesiredHashes([changed, source('api')]));
    // The changed object stays listed, as Unknown with the reason: its old result no longer applies.
    assert.deepEqual(restored?.drift.resources.map((r) => `${r.key} ${r.status}`), ['apps/Deployment/shop/api InSync', 'apps/Deployment/shop/web Unknown'], what);
    assert.equal(restored?.drift.resources[1].reason, NOT_IN_SNAPSHOT_REASON, what);
    assert.equal(restored?.dropped, 1, what);
    assert.deepEqual(restored?.drift.counts, { InSync: 1, Drifted: 0, Missing: 0, Extra: 0, Unknown: 1, Invalid: 0 }, what);
  }
  assert.equal(restoreDriftSnapshot(stored, new DesiredHashes([])), null, 'nothing left: nothing shown');
});

test('an Extra (not in Git then) stays while Git still does not declare it, and goes when it does', () => {
  const stored = section(report([resource('web', 'InSync'), resource('stray', 'Extra')]), new DesiredHashes([source('web')]));
  assert.equal(stored.desiredHashes['apps/Deployment/shop/stray'], '');
  assert.deepEqual(restoreDriftSnapshot(stored, new DesiredHashes([source('web')]))?.drift.counts.Extra, 1);
  assert.deepEqual(restoreDriftSnapshot(stored, new DesiredHashes([source('web'), source('stray')]))?.drift.counts.Extra, 0);
});

test('kustomize/helm objects (no parsed document) hash the text of their source and patch files', () => {
  const rendered: DesiredSource = { ...source('web', { manifest: false, file: 'base/web.yaml' }), origin: { file: 'base/web.yaml', range: range(2, 2), patches: [{ file: 'overlays/dev/patch.yaml' }] } };
  assert.deepEqual(filesNeedingTextHash([rendered, source('api')]), ['base/web.yaml', 'overlays/dev/patch.yaml']);
  const id = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
  const a = new DesiredHashes([rendered], new Map([['base/web.yaml', 'h1'], ['overlays/dev/patch.yaml', 'p1']])).of(id);
  assert.equal(new DesiredHashes([rendered], new Map([['base/web.yaml', 'h1'], ['overlays/dev/patch.yaml', 'p1']])).of(id), a);
  assert.notEqual(new DesiredHashes([rendered], new Map([['base/web.yaml', 'h2'], ['overlays/dev/patch.yaml', 'p1']])).of(id), a, 'a comment in the base');
  assert.notEqual(new DesiredHashes([rendered], new Map([['base/web.yaml', 'h1'], ['overlays/dev/patch.yaml', 'p2']])).of(id), a, 'the patch');
});

test('beyond maxResources, what is not in sync is kept first; counts still cover everything; it says how many were kept', () => {
  const resources = [...Array.from({ length: 6 }, (_, i) => resource(`ok-${i}`, 'InSync')), resource('bad', 'Drifted'), resource('gone', 'Missing')];
  const payload = toDriftSnapshot(report(resources), new DesiredHashes([]), { maxResources: 4 });
  assert.deepEqual(payload.drift.resources.map((r) => r.id.name), ['ok-0', 'ok-1', 'bad', 'gone'], 'report order kept');
  assert.deepEqual(payload.truncated, { kept: 4, total: 8 });
  assert.deepEqual(payload.drift.counts, { InSync: 6, Drifted: 1, Missing: 1, Extra: 0, Unknown: 0, Invalid: 0 });
  assert.equal(toDriftSnapshot(report(resources), new DesiredHashes([])).truncated, undefined);
});

test('resources of files with unsaved edits are left out; long values are clipped; reasons and problems lose credentials', () => {
  const big = { ...resource('big', 'Drifted'), fields: [{ pointer: '/data/blob', path: 'data.blob', change: 'changed' as const, desired: 'a'.repeat(5000), live: { nested: 'b'.repeat(5000) } }] };
  const unknown = { ...resource('odd', 'Unknown'), reason: 'dry-run refused: Authorization: Bearer abcdefghijklmnop1234 rejected' };
  const drift = { ...report([resource('edited', 'Drifted'), big, unknown]), problems: ['ignore rule uses token=supersecretvalue'] };
  const payload = toDriftSnapshot(drift, new DesiredHashes([]), { excludeFiles: new Set(['edited.yaml']), maxValueChars: 100 });
  assert.deepEqual(payload.drift.resources.map((r) => r.id.name), ['big', 'odd']);
  assert.equal(payload.drift.counts.Drifted, 1, 'the edited resource is not counted');
  const [field] = payload.drift.resources[0].fields;
  assert.equal(field.desired, `${'a'.repeat(100)}…`);
  assert.equal(typeof field.live, 'string');
  assert.ok((field.live as string).length <= 101);
  assert.ok(!JSON.stringify(payload).includes('abcdefghijklmnop1234'));
  assert.ok(!JSON.stringify(payload).includes('supersecretvalue'));
  assert.deepEqual(drift.resources[1].fields[0].desired, 'a'.repeat(5000), 'the report itself is not changed');
});

test('the writer writes once per burst with the latest report, skips a report equal to the last one written, and reports errors', async () => {
  const writes: Array<{ environment: string; update: DriftSnapshotUpdate | undefined }> = [];
  let fail = false;
  const store = {
    dir: '/storage',
    write: async (environment: string, update: { drift?: DriftSnapshotUpdate }) => {
      if (fail) throw new Error('disk full');
      writes.push({ environment, update: update.drift });
      return {} as never;
    },
  } as unknown as SnapshotStore;
  const errors: string[] = [];
  const writer = new DriftSnapshotWriter({ delayMs: 30, onError: (env, error) => errors.push(`${env}: ${error.message}`) });
  const update = (status: DriftStatus): (() => DriftSnapshotUpdate) => () => ({ drift: report([resource('web', status)]), desiredHashes: { 'apps/Deployment/shop/web': 'h' }, durationMs: 5 });
  const job = (status: DriftStatus) => ({ store, environment: 'dev', context: 'sandbox', asOf: new Date(), update: update(status) });

  writer.schedule(job('InSync'));
  writer.schedule(job('Missing'));
  writer.schedule(job('Drifted'));
  assert.equal(writes.length, 0, 'nothing before the delay');
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(writes.length, 1);
  assert.equal(writes[0].update?.drift.resources[0].status, 'Drifted', 'the latest one');

  writer.schedule(job('Drifted'));
  await writer.flush();
  assert.equal(writes.length, 1, 'unchanged: not written again');
  writer.schedule(job('InSync'));
  await writer.flush();
  assert.equal(writes.length, 2);

  fail = true;
  writer.schedule(job('Missing'));
  await writer.flush();
  assert.deepEqual(errors, ['dev: disk full']);
  fail = false;
  writer.schedule({ ...job('Missing'), update: () => undefined });
  writer.cancel(store, 'dev');
  await writer.dispose();
  assert.equal(writes.length, 2, 'a cancelled job and an empty update write nothing');
  writer.schedule(job('Unknown'));
  await writer.flush();
  assert.equal(writes.length, 2, 'nothing after dispose');
});

test('an object added to Git after the snapshot is listed as Unknown with the reason, at its declaration', () => {
  const stored = section(report([resource('web', 'Drifted')]), new DesiredHashes([source('web')]));
  const restored = restoreDriftSnapshot(stored, new DesiredHashes([source('web'), source('added', { file: 'added.yaml', line: 1 })]));
  const added = restored?.drift.resources.find((r) => r.id.name === 'added');
  assert.equal(added?.status, 'Unknown');
  assert.equal(added?.origin?.file, 'added.yaml');
  assert.equal(added?.origin?.range?.start.line, 2);
  assert.deepEqual(restored?.drift.counts, { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 1, Invalid: 0 });
});
