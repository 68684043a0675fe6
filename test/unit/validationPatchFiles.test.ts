// The editor's validation of kustomize patch files: the role of an open file is found from the
// kustomizations in its folder and above (and those they pull in), over generated folder trees of
// several kustomization shapes; a patch is never told about the required fields it leaves out,
// while what it sets wrong is still reported on its line; configuration and generator inputs get
// nothing; and the role finder reads each kustomization once until it changes.

import assert from 'node:assert/strict';
import { join, posix, relative } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzzSettings';
import { IncrementalDocumentValidator, textDiagnostics } from '../../src/core/validation/documentValidation';
import { KUSTOMIZATION_FILE_NAMES, type KustomizeFileRole } from '../../src/core/validation/kustomizeFileRoles';
import { bundledCatalog } from '../../src/sandbox/bundledSchemas';
import { foldersUpTo, kustomizationReader, KustomizeRoles, kustomizeRoleOfFile, type ReadText } from '../../src/ui/validation/kustomizeRoleOfFile';

const catalog = bundledCatalog();
const ROOT = '/repo';

/** An in-memory tree: absolute path → text; the reader counts what it was asked. */
function tree(files: Record<string, string>): { read: ReadText; reads: string[]; files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  const reads: string[] = [];
  return {
    files: map,
    reads,
    read: async (path) => {
      reads.push(path);
      await Promise.resolve();
      return map.get(path);
    },
  };
}

const roleOf = (file: string, read: ReadText, root = ROOT): Promise<KustomizeFileRole | undefined> => kustomizeRoleOfFile(file, root, kustomizationReader(read));

/** One kustomization as YAML (JSON is YAML). */
const kustomization = (kind: 'Kustomization' | 'Component', fields: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1', kind, ...fields });

/** Where each field puts a path, and the role it gives the file (the fields the brief names, and the others). */
const placements: { field: string; role: KustomizeFileRole; place: (path: string) => Record<string, unknown[] | Record<string, unknown>> }[] = [
  { field: 'resources', role: 'resource', place: (p) => ({ resources: [p] }) },
  { field: 'patches', role: 'patch', place: (p) => ({ patches: [{ path: p }] }) },
  { field: 'patches+target', role: 'patch', place: (p) => ({ patches: [{ path: p, target: { kind: 'Deployment' } }] }) },
  { field: 'patchesStrategicMerge', role: 'patch', place: (p) => ({ patchesStrategicMerge: [p] }) },
  { field: 'patchesJson6902', role: 'patch', place: (p) => ({ patchesJson6902: [{ target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' }, path: p }] }) },
  { field: 'configurations', role: 'config', place: (p) => ({ configurations: [p] }) },
  { field: 'transformers', role: 'config', place: (p) => ({ transformers: [p] }) },
  { field: 'generators', role: 'config', place: (p) => ({ generators: [p] }) },
  { field: 'replacements', role: 'config', place: (p) => ({ replacements: [{ path: p }] }) },
  { field: 'configMapGenerator', role: 'data', place: (p) => ({ configMapGenerator: [{ name: 'c', files: [`key=${p}`] }] }) },
  { field: 'secretGenerator', role: 'data', place: (p) => ({ secretGenerator: [{ name: 's', envs: [p] }] }) },
];

/** Merges list fields of several placements into one kustomization's fields. */
function merged(parts: readonly Record<string, unknown[] | Record<string, unknown>>[]): Record<string, unknown> {
  const out: Record<string, unknown[]> = {};
  for (const part of parts) for (const [key, value] of Object.entries(part)) out[key] = [...(out[key] ?? []), ...(Array.isArray(value) ? value : [value])];
  return out;
}

const replicasPatch = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 3', ''].join('\n');

describe('kustomizeRoleOfFile: the shapes users write', () => {
  it('finds the overlay patch of the bug report under patches, patchesStrategicMerge, patchesJson6902, a Component and a `Kustomization` file', async () => {
    const shapes: Record<string, string>[] = [
      { '/repo/overlay/kustomization.yaml': kustomization('Kustomization', { resources: ['../base'], patches: [{ path: 'replicas-patch.yaml' }] }) },
      { '/repo/overlay/kustomization.yml': kustomization('Kustomization', { patchesStrategicMerge: ['replicas-patch.yaml'] }) },
      { '/repo/overlay/Kustomization': kustomization('Kustomization', { patchesJson6902: [{ target: { kind: 'Deployment', name: 'web' }, path: 'replicas-patch.yaml' }] }) },
      // A Component in the overlay folder, and one elsewhere that the overlay pulls in and that names the file.
      { '/repo/overlay/kustomization.yaml': kustomization('Component', { patches: [{ path: 'replicas-patch.yaml' }] }) },
      {
        '/repo/overlay/kustomization.yaml': kustomization('Kustomization', { components: ['../components/scale'] }),
        '/repo/components/scale/kustomization.yaml': kustomization('Component', { patches: [{ path: '../../overlay/replicas-patch.yaml' }] }),
      },
      // Named from a folder above (an overlay that keeps its patches in a sub-folder).
      { '/repo/kustomization.yaml': kustomization('Kustomization', { patches: [{ path: 'overlay/replicas-patch.yaml', target: { kind: 'Deployment' } }] }) },
    ];
    for (const shape of shapes) {
      const { read } = tree({ ...shape, '/repo/overlay/replicas-patch.yaml': replicasPatch });
      assert.equal(await roleOf('/repo/overlay/replicas-patch.yaml', read), 'patch', JSON.stringify(shape));
    }
  });

  it('gives a file named both ways the stronger role, and a file nobody names none', async () => {
    const { read } = tree({
      // The nearest kustomization says patch first; the one it pulls in says resource.
      '/repo/a/kustomization.yaml': kustomization('Kustomization', { resources: ['../b'], patchesStrategicMerge: ['x.yaml'], patches: [{ path: 'y.yaml' }] }),
      '/repo/b/kustomization.yaml': kustomization('Kustomization', { resources: ['../a/x.yaml'], configurations: ['../a/y.yaml'] }),
    });
    assert.equal(await roleOf('/repo/a/x.yaml', read), 'resource');
    assert.equal(await roleOf('/repo/a/y.yaml', read), 'patch');
    assert.equal(await roleOf('/repo/a/z.yaml', read), undefined);
  });

  it('reads no kustomization above the root, and none for a file outside it', async () => {
    const { read, reads } = tree({ '/kustomization.yaml': kustomization('Kustomization', { patches: [{ path: 'repo/p.yaml' }] }) });
    assert.equal(await roleOf('/repo/p.yaml', read), undefined);
    assert.deepEqual(reads, KUSTOMIZATION_FILE_NAMES.map((name) => join('/repo', name)));
    assert.deepEqual(foldersUpTo('/repo/a/b/p.yaml', '/repo'), ['/repo/a/b', '/repo/a', '/repo']);
    assert.deepEqual(foldersUpTo('/elsewhere/p.yaml', '/repo'), []);
    assert.deepEqual(foldersUpTo('/repository/p.yaml', '/repo'), []);
  });

  it('names nothing through an unreadable or broken kustomization, and follows a cycle of bases once', async () => {
    const { read, reads } = tree({
      '/repo/a/kustomization.yaml': 'resources: [\n',
      '/repo/kustomization.yaml': kustomization('Kustomization', { resources: ['b'] }),
      '/repo/b/kustomization.yaml': kustomization('Kustomization', { resources: ['..'], patches: [{ path: '../a/p.yaml' }] }),
    });
    assert.equal(await roleOf('/repo/a/p.yaml', read), 'patch');
    assert.equal(new Set(reads).size, reads.length, `each kustomization read once: ${reads.join(', ')}`);
    assert.equal(await roleOf('/repo/a/p.yaml', async () => Promise.reject(new Error('EACCES'))), undefined);
  });
});

/** A generated repository: a top kustomization above the files, and kustomizations it pulls in. */
interface Shape {
  top: string[];
  topName: string;
  pulled: { name: string; kind: 'Kustomization' | 'Component'; via: 'resources' | 'bases' | 'components'; from: number }[];
  files: { owner: number; placement: number; underTop: boolean; sub: string }[];
}

const segment = fc.constantFrom('apps', 'web', 'overlays', 'prod', 'env');
const shape: fc.Arbitrary<Shape> = fc.record({
  top: fc.array(segment, { maxLength: 3 }),
  topName: fc.constantFrom(...KUSTOMIZATION_FILE_NAMES),
  pulled: fc.array(
    fc.record({
      name: fc.constantFrom(...KUSTOMIZATION_FILE_NAMES),
      kind: fc.constantFrom('Kustomization' as const, 'Component' as const),
      via: fc.constantFrom('resources' as const, 'bases' as const, 'components' as const),
      from: fc.nat(),
    }),
    { maxLength: 3 },
  ),
  files: fc.array(fc.record({ owner: fc.nat(), placement: fc.nat(placements.length - 1), underTop: fc.boolean(), sub: fc.constantFrom('', 'patches', 'a/b') }), { minLength: 1, maxLength: 8 }),
});

/** The tree of a shape, and the role each of its files must get. */
function build(s: Shape): { files: Record<string, string>; expected: Map<string, KustomizeFileRole>; unnamed: string } {
  const topFolder = posix.join(ROOT, 'env', ...s.top);
  // Kustomization 0 is the top one; kustomization i (1…) sits under /repo/lib and is pulled in by an earlier one.
  const folders = [topFolder, ...s.pulled.map((_, i) => posix.join(ROOT, 'lib', `k${i + 1}`))];
  const parts: Record<string, unknown[] | Record<string, unknown>>[][] = folders.map(() => []);
  s.pulled.forEach((pull, i) => {
    const from = pull.from % (i + 1);
    parts[from].push({ [pull.via]: [relative(folders[from], folders[i + 1])] });
  });
  const expected = new Map<string, KustomizeFileRole>();
  s.files.forEach((file, i) => {
    const owner = file.owner % folders.length;
    // A pulled-in kustomization may name a file under the top folder: only following it finds the role.
    const path = posix.join(file.underTop ? topFolder : folders[owner], 'named', file.sub, `f${i}.yaml`);
    parts[owner].push(placements[file.placement].place(relative(folders[owner], path)));
    expected.set(path, placements[file.placement].role);
  });
  const files: Record<string, string> = {};
  folders.forEach((folder, i) => {
    const name = i === 0 ? s.topName : s.pulled[i - 1].name;
    files[posix.join(folder, name)] = kustomization(i === 0 ? 'Kustomization' : s.pulled[i - 1].kind, merged(parts[i]));
  });
  for (const path of expected.keys()) files[path] = replicasPatch;
  return { files, expected, unnamed: posix.join(topFolder, 'named', 'nobody.yaml') };
}

describe('kustomizeRoleOfFile: generated trees', () => {
  it('every patch named in any shape is a patch, every resources entry a resource, every config and generator input its role, anything else none', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const { files, expected, unnamed } = build(s);
        const { read } = tree(files);
        for (const [path, role] of expected) assert.equal(await roleOf(path, read), role, `${path} in ${JSON.stringify(files, null, 1)}`);
        assert.equal(await roleOf(unnamed, read), undefined);
        // The cached finder agrees with the plain one.
        const roles = new KustomizeRoles(read);
        for (const [path, role] of expected) assert.equal(await roles.resolve(path, ROOT), role);
      }),
      fuzzRuns(150, 0x6b757374),
    );
  });
});

describe('KustomizeRoles: a cache per kustomization file', () => {
  const files = {
    '/repo/base/kustomization.yaml': kustomization('Kustomization', { resources: ['deployment.yaml'] }),
    '/repo/overlay/kustomization.yaml': kustomization('Kustomization', { resources: ['../base'], patches: [{ path: 'replicas-patch.yaml' }] }),
  };

  it('answers from memory after the first search, shares concurrent searches, and reads a changed kustomization again', async () => {
    const t = tree(files);
    const roles = new KustomizeRoles(t.read);
    assert.equal(roles.known('/repo/overlay/replicas-patch.yaml', ROOT), undefined);
    const [a, b] = await Promise.all([roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT), roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT)]);
    assert.deepEqual([a, b], ['patch', 'patch']);
    assert.deepEqual(roles.known('/repo/overlay/replicas-patch.yaml', ROOT), { role: 'patch' });
    const first = t.reads.length;
    assert.equal(new Set(t.reads).size, first, 'one search for two questions');
    // Another file in the same tree: the kustomizations already read are not read again.
    assert.equal(await roles.resolve('/repo/base/deployment.yaml', ROOT), 'resource');
    assert.equal(t.reads.filter((path) => path === '/repo/overlay/kustomization.yaml').length, 1);
    const afterSecond = t.reads.length;
    assert.equal(await roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT), 'patch');
    assert.equal(t.reads.length, afterSecond, 'a known role reads nothing');

    // The patch becomes a resource: only the changed kustomization is read again.
    t.files.set('/repo/overlay/kustomization.yaml', kustomization('Kustomization', { resources: ['../base', 'replicas-patch.yaml'] }));
    roles.changed('/repo/overlay/kustomization.yaml');
    assert.equal(roles.known('/repo/overlay/replicas-patch.yaml', ROOT), undefined);
    assert.equal(await roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT), 'resource');
    // (The new resources entry is looked into once, as a folder that might hold a kustomization.)
    const before = new Set(t.reads.slice(0, afterSecond));
    assert.deepEqual(
      t.reads.slice(afterSecond).filter((path) => before.has(path)),
      ['/repo/overlay/kustomization.yaml'],
    );

    // A kustomization created where none was: its absence is not remembered past the change.
    t.files.set('/repo/overlay/patches/kustomization.yaml', kustomization('Component', { patches: [{ path: 'p.yaml' }] }));
    roles.changed('/repo/overlay/patches/kustomization.yaml');
    assert.equal(await roles.resolve('/repo/overlay/patches/p.yaml', ROOT), 'patch');
  });

  it('keeps no answer a change overtook, and no failed read', async () => {
    const t = tree(files);
    let fail = true;
    const roles = new KustomizeRoles(async (path) => {
      if (fail) throw new Error('EIO');
      return t.read(path);
    });
    assert.equal(await roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT), undefined);
    fail = false;
    roles.changed('/repo/overlay/kustomization.yaml');
    const search = roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT);
    t.files.set('/repo/overlay/kustomization.yaml', kustomization('Kustomization', { resources: ['replicas-patch.yaml'] }));
    roles.changed('/repo/overlay/kustomization.yaml');
    await search;
    assert.equal(roles.known('/repo/overlay/replicas-patch.yaml', ROOT), undefined, 'the overtaken search is not kept');
    assert.equal(await roles.resolve('/repo/overlay/replicas-patch.yaml', ROOT), 'resource');
  });
});

/** A Deployment patch built from the fields a patch sets (never selector nor template's required parts). */
interface PatchShape {
  name: boolean;
  replicas: number | 'wrong type' | 'misspelt' | undefined;
  minReadySeconds: boolean;
  strategy: boolean;
  container: 'none' | 'image' | 'resources';
  directive: boolean;
}

const patchShape: fc.Arbitrary<PatchShape> = fc.record({
  name: fc.boolean(),
  replicas: fc.oneof(fc.constant(undefined), fc.nat(20), fc.constant('wrong type' as const), fc.constant('misspelt' as const)),
  minReadySeconds: fc.boolean(),
  strategy: fc.boolean(),
  container: fc.constantFrom('none' as const, 'image' as const, 'resources' as const),
  directive: fc.boolean(),
});

function patchText(p: PatchShape): string {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', p.name ? '  name: web' : '  labels: { tier: web }', 'spec:'];
  if (p.replicas === 'wrong type') lines.push('  replicas: three');
  else if (p.replicas === 'misspelt') lines.push('  replica: 3');
  else if (p.replicas !== undefined) lines.push(`  replicas: ${p.replicas}`);
  if (p.minReadySeconds) lines.push('  minReadySeconds: 5');
  if (p.strategy) lines.push('  strategy:', '    rollingUpdate: { maxSurge: 1 }');
  if (p.container !== 'none') {
    lines.push('  template:', '    spec:', '      containers:', '        - name: web');
    lines.push(p.container === 'image' ? '          image: ghcr.io/example/web:2.0.0' : '          resources: { limits: { memory: 256Mi } }');
    if (p.directive) lines.push('      $setElementOrder/containers:', '        - name: web');
  }
  if (p.directive) lines.push('  paused: null');
  return `${lines.join('\n')}\n`;
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('documentValidation: a patch file is held to what it sets', () => {
  it('never reports a required field of a patch, and still reports its wrong types and unknown fields on their line', () => {
    fc.assert(
      fc.property(patchShape, (p) => {
        const text = patchText(p);
        const asPatch = textDiagnostics(text, catalog, 'patch');
        assert.deepEqual(
          asPatch.filter((d) => d.reason === 'FieldValueRequired'),
          [],
          text,
        );
        if (p.replicas === 'wrong type') {
          const problem = asPatch.find((d) => d.path === 'spec.replicas');
          assert.ok(problem, `${text}\n${JSON.stringify(asPatch)}`);
          assert.equal(problem.line, lineOf(text, 'replicas: three'));
        }
        if (p.replicas === 'misspelt') {
          const problem = asPatch.find((d) => d.reason === 'FieldValueUnknown');
          assert.ok(problem, text);
          assert.equal(problem.line, lineOf(text, 'replica: 3'));
          assert.match(problem.message, /spec\.replica.*did you mean "replicas"/);
        }
        if (p.replicas !== 'wrong type' && p.replicas !== 'misspelt') assert.deepEqual(asPatch, [], text);
        // The same text as a resource (or a file no kustomization names) lacks what a Deployment needs.
        if (p.name) {
          for (const role of ['resource', undefined] as const) {
            const asResource = textDiagnostics(text, catalog, role);
            assert.ok(asResource.some((d) => d.reason === 'FieldValueRequired' && d.path.startsWith('spec')), JSON.stringify(asResource));
          }
        }
        // Configuration and generator inputs are no objects: nothing at all.
        assert.deepEqual(textDiagnostics(text, catalog, 'config'), []);
        assert.deepEqual(textDiagnostics(text, catalog, 'data'), []);
      }),
      fuzzRuns(200, 0x70617463),
    );
  });

  it('re-validates remembered documents when the role of their file changes', () => {
    const validator = new IncrementalDocumentValidator();
    const base = { catalog, key: 'bundled' };
    const required = (role?: KustomizeFileRole): number => validator.validate(replicasPatch, base, role).diagnostics.filter((d) => d.reason === 'FieldValueRequired').length;
    assert.ok(required() > 0);
    assert.equal(required('patch'), 0);
    assert.ok(required('resource') > 0);
    assert.equal(required('patch'), 0);
  });

  it('leaves a transformer configuration quiet that an ordinary manifest of the same text is told about', () => {
    const transformer = ['apiVersion: builtin', 'kind: PrefixSuffixTransformer', 'metadata:', '  name: notImportantHere', 'prefix: qa-', 'fieldSpecs:', '  - path: metadata/name', ''].join('\n');
    assert.notDeepEqual(textDiagnostics(transformer, catalog), [], 'an ordinary file keeps its metadata rules');
    assert.deepEqual(textDiagnostics(transformer, catalog, 'config'), []);
  });
});
