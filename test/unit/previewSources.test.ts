// The preview's touched check reads kustomizations only (kustomizationsOnlyView): every other file
// reads empty. Property: on generated kustomization trees — resources, bases, components,
// folders, strategic-merge and JSON patches (by path and inline), generators with files and env
// files, crds, transformers, replacements, missing and remote entries, cycles — the sources it
// finds are exactly those the full view gives. Untouched environments must stay absent and
// touched ones present, so any difference would be a wrong preview.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RepoView } from '../../src/core/repoView';
import { kustomizationsOnlyView } from '../../src/git/preview/changePreview';
import { environmentSourceFiles } from '../../src/render/environmentSources';
import { fuzzRuns } from '../support/fuzzSettings';

function memoryView(files: Record<string, string>): RepoView & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    listFiles: async () => Object.keys(files).sort(),
    readFile: async (path) => {
      reads.push(path);
      return files[path];
    },
    branches: async () => [],
  };
}

// All at depth two, so `../../<folder>` reaches any of them from any of them.
const FOLDERS = ['lib/base', 'lib/comp', 'envs/dev', 'envs/prod', 'lib/shared'];
const ENVS = ['envs/dev', 'envs/prod'];
const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n';

/** A random repository: each folder maybe a kustomization listing random entries of every kind. */
const repository = fc
  .record({
    kustomized: fc.subarray(FOLDERS.filter((f) => !ENVS.includes(f))),
    plain: fc.subarray(['a.yaml', 'b.yaml', 'patch.yaml', 'app.env', 'crd.yaml', 'cm.properties']),
    entries: fc.array(
      fc.record({
        // Mostly the environments' own kustomizations: they decide what is reached.
        folder: fc.constantFrom(...ENVS, ...ENVS, ...FOLDERS),
        field: fc.constantFrom('resources', 'bases', 'components', 'patchesStrategicMerge', 'patches', 'patchesJson6902', 'configMapGenerator', 'secretGenerator', 'crds', 'transformers', 'replacements', 'configurations'),
        target: fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(...FOLDERS).map((f) => `../../${f}`) },
          { weight: 2, arbitrary: fc.constantFrom(...FOLDERS).chain((f) => fc.constantFrom(`../../${f}/a.yaml`, `../../${f}/patch.yaml`, `../../${f}/app.env`)) },
          fc.constantFrom('a.yaml', 'b.yaml', 'patch.yaml', 'app.env', 'crd.yaml', 'cm.properties', 'missing.yaml'),
          fc.constantFrom(...FOLDERS).map((f) => `../../${f}`),
          fc.constantFrom(...FOLDERS).chain((f) => fc.constantFrom(`../../${f}/a.yaml`, `../../${f}/patch.yaml`, `../../${f}/app.env`)),
          fc.constantFrom('../base', '../../lib', 'github.com/acme/x//base?ref=v1', 'https://example.com/x.yaml'),
        ),
        inline: fc.boolean(),
      }),
      { maxLength: 24 },
    ),
    plainFolders: fc.subarray(FOLDERS, { minLength: 1 }),
  })
  .map(({ kustomized, plain, entries, plainFolders }) => {
    const files: Record<string, string> = {};
    for (const folder of plainFolders) for (const name of plain) files[`${folder}/${name}`] = MANIFEST;
    // The environments are always kustomizations; the libraries maybe.
    for (const folder of [...ENVS, ...kustomized]) {
      const mine = entries.filter((e) => e.folder === folder);
      const lines: string[] = [];
      const byField = new Map<string, string[]>();
      for (const entry of mine) {
        let item: string;
        if (entry.field === 'patches' || entry.field === 'patchesJson6902') item = entry.inline ? `  - target: {kind: ConfigMap}\n    patch: "[]"` : `  - path: ${entry.target}`;
        else if (entry.field === 'configMapGenerator' || entry.field === 'secretGenerator') item = `  - name: gen\n    ${entry.inline ? 'envs' : 'files'}:\n      - ${entry.target}`;
        else if (entry.field === 'replacements') item = `  - path: ${entry.target}`;
        else if (entry.field === 'patchesStrategicMerge' && entry.inline) item = `  - |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: x}`;
        else item = `  - ${entry.target}`;
        byField.set(entry.field, [...(byField.get(entry.field) ?? []), item]);
      }
      for (const [field, items] of byField) lines.push(`${field}:\n${items.join('\n')}`);
      files[`${folder}/kustomization.yaml`] = `${lines.join('\n')}\n`;
    }
    return files;
  });

describe('the touched check reads kustomizations only', () => {
  it('property: the same sources as reading every file, for every environment folder', async () => {
    await fc.assert(
      fc.asyncProperty(repository, fc.constantFrom(...ENVS), async (files, path) => {
        const full = await environmentSourceFiles(memoryView(files), { path });
        const light = memoryView(files);
        const sources = await environmentSourceFiles(kustomizationsOnlyView(light), { path });
        assert.deepEqual([...sources].sort(), [...full].sort());
        assert.ok(light.reads.every((file) => /(^|\/)kustomization\.yaml$/.test(file)), `read only kustomizations, not ${light.reads.join(', ')}`);
      }),
      fuzzRuns(300, 2024),
    );
  });

  it('an absent file stays absent, a present one reads empty', async () => {
    const view = kustomizationsOnlyView(memoryView({ 'base/kustomization.yaml': 'resources: [a.yaml]\n', 'base/a.yaml': MANIFEST }));
    assert.equal(await view.readFile('base/kustomization.yaml'), 'resources: [a.yaml]\n');
    assert.equal(await view.readFile('base/a.yaml'), '');
    assert.equal(await view.readFile('base/nope.yaml'), undefined);
  });
});
