// The DriftStore indexes each drifted field under the file that sets its value (blame), so an
// overlay environment's hints land in its patch file and kustomization, not in the base; the
// declaring file keeps the resource-level entry (CodeLens, resource hint) and the fields it sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import type { FieldBlame } from '../../src/core/blame/blameTypes';
import type { DriftField, EnvironmentDrift, ResourceDrift } from '../../src/core/drift/driftTypes';
import type * as DriftStoreModule from '../../src/ui/drift/driftStore';
import { FakeEmitter } from './helpers/fakeEmitter';

const fakeVscode = { EventEmitter: FakeEmitter, Uri: { file: (fsPath: string) => ({ fsPath, toString: () => `file://${fsPath}` }) } };
const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : originalLoad(request, ...rest));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DriftStore, fieldRange } = require('../../src/ui/drift/driftStore') as typeof DriftStoreModule;

function source(file: string, line: number, via: FieldBlame['via']): FieldBlame {
  return { location: { file, range: { start: { line, column: 3 }, end: { line, column: 20 } } }, via, docIndex: 0, sourcePointer: '', exact: true };
}

function field(path: string, blame: FieldBlame | undefined): DriftField {
  return { pointer: `/${path.replace(/\./g, '/')}`, path, change: 'changed', desired: 1, live: 2, ...(blame ? { source: blame } : { range: { start: { line: 9, column: 3 }, end: { line: 9, column: 9 } } }) };
}

test('fields are indexed under the file that sets them; the declaring file keeps the resource entry', () => {
  const resource: ResourceDrift = {
    id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop-prod', name: 'prod-shop' },
    key: 'apps/Deployment/shop-prod/prod-shop',
    status: 'Drifted',
    origin: { file: 'base/deployment.yaml', range: { start: { line: 2, column: 1 }, end: { line: 2, column: 17 } } },
    mode: 'local',
    approximate: true,
    ignored: 0,
    fields: [
      field('spec.replicas', source('envs/prod/scale.yaml', 6, 'patch')),
      field('spec.image', source('envs/prod/kustomization.yaml', 14, 'images')),
      field('spec.logLevel', source('base/deployment.yaml', 22, 'base')),
      field('spec.region', source('variants/eu/region.yaml', 12, 'patch')),
    ],
  };
  const drift: EnvironmentDrift = { mode: 'local', approximate: true, resources: [resource], counts: { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 }, problems: [] };
  const store = new DriftStore();
  const repoRoot = '/repo';
  const changed: string[][] = [];
  store.onDidChange(({ files }) => changed.push(files.map((f) => (f as unknown as { fsPath: string }).fsPath).sort()));
  store.set({ key: 'f#prod', folderUri: 'f', environment: 'prod', repoRoot, checkedOut: true, drift, asOf: 1, stale: false, computing: false });

  const at = (file: string) => store.forFile(join(repoRoot, file));
  assert.deepEqual(
    at('envs/prod/scale.yaml').map((e) => [e.declares, e.fields.map((f) => `${f.path}@${fieldRange(f)?.start.line}`)]),
    [[false, ['spec.replicas@6']]],
  );
  assert.deepEqual(at('envs/prod/kustomization.yaml')[0].fields.map((f) => f.path), ['spec.image']);
  assert.deepEqual(at('variants/eu/region.yaml')[0].fields.map((f) => f.path), ['spec.region']);
  const base = at('base/deployment.yaml');
  assert.equal(base.length, 1);
  assert.equal(base[0].declares, true);
  assert.deepEqual(base[0].fields.map((f) => `${f.path}@${fieldRange(f)?.start.line}`), ['spec.logLevel@22']);
  // Every file the environment's drift touches is announced, so each editor repaints.
  assert.deepEqual(changed, [['/repo/base/deployment.yaml', '/repo/envs/prod/kustomization.yaml', '/repo/envs/prod/scale.yaml', '/repo/variants/eu/region.yaml']]);
});

test('a plain manifest field (no blame) stays in the declaring file at its own range', () => {
  const resource: ResourceDrift = {
    id: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'dev', name: 'settings' },
    key: '/ConfigMap/dev/settings',
    status: 'Drifted',
    origin: { file: 'envs/dev/config.yaml', range: { start: { line: 2, column: 1 }, end: { line: 2, column: 16 } } },
    mode: 'local',
    approximate: true,
    ignored: 0,
    fields: [field('data.mode', undefined)],
  };
  const store = new DriftStore();
  store.set({
    key: 'f#dev',
    folderUri: 'f',
    environment: 'dev',
    repoRoot: '/repo',
    checkedOut: true,
    drift: { mode: 'local', approximate: true, resources: [resource], counts: { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 }, problems: [] },
    asOf: 1,
    stale: false,
    computing: false,
  });
  assert.deepEqual(store.files(), ['/repo/envs/dev/config.yaml']);
  const [entry] = store.forFile('/repo/envs/dev/config.yaml');
  assert.equal(entry.declares, true);
  assert.deepEqual(entry.fields.map((f) => fieldRange(f)?.start.line), [9]);
});
