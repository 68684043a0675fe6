// The core rules behind `gitops-env validate`'s judgement of files: the role of every file a
// kustomization names, patches stripped of kustomize's directives, and documents that are no object.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests } from '../../src/core/manifest';
import { isHelmValuesFileName, kustomizationFileReferences, strongerRole, type KustomizeFileRole } from '../../src/core/validation/kustomizeFileRoles';
import { notObjectDocuments, withoutPatchDirectives } from '../../src/core/validation/partialObjects';

/** Where each field puts a path, and the role it gives the file. */
const placements: { field: string; role: KustomizeFileRole; place: (path: string) => Record<string, unknown> }[] = [
  { field: 'resources', role: 'resource', place: (p) => ({ resources: [p] }) },
  { field: 'bases', role: 'resource', place: (p) => ({ bases: [p] }) },
  { field: 'components', role: 'resource', place: (p) => ({ components: [p] }) },
  { field: 'crds', role: 'resource', place: (p) => ({ crds: [p] }) },
  { field: 'patches', role: 'patch', place: (p) => ({ patches: [{ path: p, target: { kind: 'Deployment' } }] }) },
  { field: 'patchesStrategicMerge', role: 'patch', place: (p) => ({ patchesStrategicMerge: [p] }) },
  { field: 'patchesJson6902', role: 'patch', place: (p) => ({ patchesJson6902: [{ target: { kind: 'Deployment', name: 'x' }, path: p }] }) },
  { field: 'configurations', role: 'config', place: (p) => ({ configurations: [p] }) },
  { field: 'transformers', role: 'config', place: (p) => ({ transformers: [p] }) },
  { field: 'generators', role: 'config', place: (p) => ({ generators: [p] }) },
  { field: 'validators', role: 'config', place: (p) => ({ validators: [p] }) },
  { field: 'replacements', role: 'config', place: (p) => ({ replacements: [{ path: p }] }) },
  { field: 'openapi', role: 'config', place: (p) => ({ openapi: { path: p } }) },
  { field: 'helmCharts', role: 'config', place: (p) => ({ helmCharts: [{ name: 'c', valuesFile: p }] }) },
  { field: 'configMapGenerator', role: 'data', place: (p) => ({ configMapGenerator: [{ name: 'c', files: [`key=${p}`] }] }) },
  { field: 'secretGenerator', role: 'data', place: (p) => ({ secretGenerator: [{ name: 's', envs: [p] }] }) },
];

const paths = ['p.yaml', 'patches/replicas.yaml', '../../shared/p.yml', 'x.json'];

describe('kustomizationFileReferences', () => {
  it('gives every path of every field its role, alone and mixed with all the others', () => {
    for (const placement of placements) {
      for (const path of paths) {
        assert.deepEqual(kustomizationFileReferences(placement.place(path)), [{ entry: path, role: placement.role, field: placement.field }], `${placement.field} ${path}`);
      }
    }
    // Every field at once, each with its own path: each path comes back once, with its role.
    const spec: Record<string, unknown> = {};
    for (const [i, placement] of placements.entries()) Object.assign(spec, placement.place(`f${i}.yaml`));
    const found = new Map(kustomizationFileReferences(spec).map((reference) => [reference.entry, reference.role]));
    assert.deepEqual(found, new Map(placements.map((placement, i) => [`f${i}.yaml`, placement.role])));
  });

  it('names no file for inline patches, missing paths or values of the wrong type', () => {
    const spec = {
      patches: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 3\n', target: { kind: 'Deployment' } }, { target: {} }, 'p.yaml', { path: 3 }],
      patchesStrategicMerge: ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n', '', null],
      patchesJson6902: [{ target: { kind: 'Deployment' }, patch: '[]' }],
      resources: 'not-a-list.yaml',
      openapi: 'schema.json',
    };
    assert.deepEqual(kustomizationFileReferences(spec), []);
  });

  it('keeps the stronger role: a resource anywhere is a complete object', () => {
    const roles: KustomizeFileRole[] = ['data', 'config', 'patch', 'resource'];
    for (const [i, a] of roles.entries()) for (const [j, b] of roles.entries()) assert.equal(strongerRole(a, b), roles[Math.max(i, j)]);
    assert.equal(strongerRole(undefined, 'patch'), 'patch');
  });
});

describe('isHelmValuesFileName', () => {
  it('knows the names Helm values files are given, and no manifest name', () => {
    for (const name of ['values.yaml', 'values.yml', 'values-prod.yaml', 'prod-values.yaml', 'prod.values.yml', 'values_eu.yaml', 'values.schema.json']) assert.ok(isHelmValuesFileName(name), name);
    for (const name of ['deployment.yaml', 'valuesets.yaml', 'myvalues.txt', 'kustomization.yaml', 'values.txt']) assert.ok(!isHelmValuesFileName(name), name);
  });
});

describe('withoutPatchDirectives', () => {
  it('drops $-directives and null deletions at any depth, keeping list indexes', () => {
    const patch = { spec: { $retainKeys: ['a'], a: null, b: 1, list: [{ name: 'x', $patch: 'delete' }, null, { name: 'y', c: null }], '$setElementOrder/list': [{ name: 'y' }] } };
    assert.deepEqual(withoutPatchDirectives(patch), { spec: { b: 1, list: [{ name: 'x' }, null, { name: 'y' }] } });
  });
});

describe('notObjectDocuments', () => {
  const found = (source: string): string[] => {
    const parsed = parseManifests(source, 'f.yaml');
    const errorLines = parsed.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.location?.range?.start.line ?? 0);
    return notObjectDocuments(source, parsed.manifests, errorLines).map((item) => `${item.position.line}:${item.position.column} ${item.message}`);
  };

  it('locates each document that is no object, and nothing else', () => {
    const object = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    assert.deepEqual(found(object), []);
    assert.deepEqual(found('foo: bar\n'), ['1:1 not a Kubernetes object: no apiVersion, no kind']);
    assert.deepEqual(found('kind: ConfigMap\n'), ['1:1 not a Kubernetes object: no apiVersion']);
    assert.deepEqual(found(`${object}---\n- a\n---\n# nothing\n---\n~\n---\n42\n`), [
      '5:1 not a Kubernetes object: a YAML list, not a mapping with apiVersion and kind',
      '11:1 not a Kubernetes object: a single value, not a mapping with apiVersion and kind',
    ]);
    // Tool configuration is no cluster object and no mistake either.
    assert.deepEqual(found('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'), []);
    // A document that does not parse is reported by the parser, not again here.
    assert.deepEqual(found(`${object}---\na: [b\n`), []);
    // Every document of a long file is found at its own line.
    const many = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? `x${i}: 1\n` : `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`)).join('---\n');
    const expected: string[] = [];
    let line = 1;
    for (let i = 0; i < 50; i++) {
      if (i % 7 === 3) expected.push(`${line}:1 not a Kubernetes object: no apiVersion, no kind`);
      line += (i % 7 === 3 ? 1 : 3) + 1;
    }
    assert.deepEqual(found(many), expected);
  });
});
