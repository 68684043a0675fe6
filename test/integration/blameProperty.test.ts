// The blame property on generated layout-1 repositories, rendered by the real `kubectl kustomize`:
// for EVERY leaf value of every rendered object, the blamed file's blamed line holds that value
// (as text), or is the transformer entry that produced it (a namePrefix, an `images:` newTag, a
// generator entry). Targeted checks then pin the layers an overlay user cares about: replicas on
// the overlay's `replicas:` count or scale patch, the image on the `images:` newTag line, env vars
// on the overlay patch, a component's value on the component's file.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { FieldBlame } from '../../src/core/blame/blameTypes';
import { escapePointerToken } from '../../src/core/manifest';
import type { RepoView } from '../../src/core/repoView';
import { renderEnvironment, type RenderedObject } from '../../src/render/renderEnvironment';
import { overlayRepo, type OverlayRepo } from './helpers/overlayRepo';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

const kubectlAvailable = existsSync('/usr/bin/kubectl');
const RUNS = 10;

function memoryView(files: Record<string, string>): RepoView {
  return {
    listFiles: () => Promise.resolve(Object.keys(files).sort()),
    readFile: (path) => Promise.resolve(files[path]),
    branches: () => Promise.resolve([]),
  };
}

const renders = new Map<number, Promise<Map<string, RenderedObject[]>>>();

/** Each seed's repository is rendered once and shared by the tests. */
function renderSeed(seed: number): Promise<Map<string, RenderedObject[]>> {
  let pending = renders.get(seed);
  if (!pending) {
    pending = renderAll(overlayRepo({ seed }));
    renders.set(seed, pending);
  }
  return pending;
}

async function renderAll(repo: OverlayRepo): Promise<Map<string, RenderedObject[]>> {
  const dir = tempDir('gitops-blame-prop-');
  writeFiles(dir, repo.files);
  const out = new Map<string, RenderedObject[]>();
  for (const env of repo.envs) {
    const result = await renderEnvironment({ view: memoryView(repo.files), path: env.folder, trusted: true, materialize: () => Promise.resolve(dir) });
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), [], `${env.name} renders`);
    out.set(env.name, result.objects);
  }
  return out;
}

function leaves(value: unknown, pointer = ''): Array<{ pointer: string; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${pointer}/${i}`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${pointer}/${escapePointerToken(k)}`));
  }
  return [{ pointer, value }];
}

/** The scalar a source line holds: after `key:`, after `- `, or after `KEY=`. */
function lineScalar(line: string): string {
  let text = line.trim().replace(/^-\s+/, '');
  const colon = /^("[^"]*"|'[^']*'|[^\s:"'][^:]*?):(\s|$)/.exec(text);
  if (colon) text = text.slice(colon[0].length).trim();
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) text = text.slice(text.indexOf('=') + 1);
  return text.replace(/^["']|["']$/g, '');
}

/** Transformers produce values their line only contributes to: a prefix, a tag, a generator's hashed name. */
const CONTRIBUTING: ReadonlySet<FieldBlame['via']> = new Set(['namePrefix', 'nameSuffix', 'images', 'generator']);

function check(repo: OverlayRepo, object: RenderedObject, leaf: { pointer: string; value: unknown }): string | undefined {
  const blame = object.origin.blame?.blame(leaf.pointer);
  const where = `${object.id.kind} ${object.id.name} ${leaf.pointer}`;
  if (!blame) return `${where}: no blame`;
  if (blame.changedLater) return `${where}: blame says a step it does not replay changed the value after ${blame.location.file}:${blame.location.range?.start.line}`;
  const text = repo.files[blame.location.file];
  const line = blame.location.range?.start.line;
  if (text === undefined || line === undefined) return `${where}: blamed on ${blame.location.file}:${line} which does not exist`;
  const source = text.split('\n')[line - 1] ?? '';
  let rendered = leaf.value === null ? '' : String(leaf.value);
  if (object.id.kind === 'Secret' && leaf.pointer.startsWith('/data/')) rendered = Buffer.from(rendered, 'base64').toString('utf8');
  const scalar = lineScalar(source);
  if (scalar === rendered) return undefined;
  // Flow lists (`args: ["--log-level", "warn"]`) hold their items on the key's line.
  if (scalar.startsWith('[') && scalar.includes(`"${rendered}"`)) return undefined;
  if (CONTRIBUTING.has(blame.via) && scalar !== '' && rendered.includes(scalar)) return undefined;
  // A reference to a generated object, renamed with it: the name plus its content hash.
  if (scalar !== '' && new RegExp(`^${scalar.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]{10}$`).test(rendered)) return undefined;
  if (blame.via === 'generator' && (leaf.pointer === '/apiVersion' || leaf.pointer === '/kind')) return undefined;
  return `${where} = ${JSON.stringify(rendered)}: blamed on ${blame.location.file}:${line} (${blame.via}) which reads ${JSON.stringify(source)}`;
}

describe('blame through kustomize overlays', { skip: !kubectlAvailable && 'kubectl not installed' }, () => {
  test('every leaf of every rendered object is blamed on a line that holds its value or the transformer entry that made it', async (t) => {
    let checked = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const repo = overlayRepo({ seed });
      const rendered = await renderSeed(seed);
      const failures: string[] = [];
      for (const objects of rendered.values()) {
        for (const object of objects) {
          assert.ok(object.origin.blame, `${object.id.kind} ${object.id.name} has a blame`);
          for (const leaf of leaves(object.object)) {
            checked++;
            const failure = check(repo, object, leaf);
            if (failure) failures.push(failure);
          }
        }
      }
      assert.deepEqual(failures, [], `seed ${seed}`);
    }
    assert.ok(checked > 500, `${checked} leaves checked`);
    t.diagnostic(`${checked} leaves of ${RUNS} generated repositories checked`);
  });

  test('the generated repositories hold every layer kind at least once', () => {
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= RUNS; seed++) {
      for (const env of overlayRepo({ seed }).envs) {
        for (const [piece, present] of Object.entries(env.has)) if (present === true) seen.set(piece, (seen.get(piece) ?? 0) + 1);
      }
    }
    const pieces = Object.keys(overlayRepo({ seed: 1 }).envs[0].has).filter((piece) => piece !== 'components');
    assert.deepEqual(pieces.filter((piece) => !seen.has(piece)), []);
  });

  test('overlay values are blamed on the overlay: replicas, the images newTag, env vars, a component, the namespace', async () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const repo = overlayRepo({ seed });
      const rendered = await renderSeed(seed);
      for (const env of repo.envs) {
        const deployment = rendered.get(env.name)?.find((o) => o.id.kind === 'Deployment');
        assert.ok(deployment?.origin.blame, `${env.name} deployment`);
        const blame = (pointer: string): string => {
          const found = deployment.origin.blame?.blame(pointer);
          return `${found?.location.file}:${found?.via}`;
        };
        const kustomization = `${env.folder}/kustomization.yaml`;
        const replicas = env.has.replicasTransformer ? `${kustomization}:replicas` : env.has.scalePatch ? `${env.folder}/scale.yaml:patch` : 'base/deployment.yaml:base';
        assert.equal(blame('/spec/replicas'), replicas, `seed ${seed} ${env.name} replicas`);
        const image = env.has.imagesTransformer ? `${kustomization}:images` : env.has.imagePatch ? `${env.folder}/image.yaml:patch` : 'base/deployment.yaml:base';
        assert.equal(blame('/spec/template/spec/containers/0/image'), image, `seed ${seed} ${env.name} image`);
        assert.equal(blame('/metadata/namespace'), `${kustomization}:namespace`);
        assert.equal(blame('/metadata/name'), `${kustomization}:namePrefix`);
        const containers = (deployment.object as { spec: { template: { spec: { containers: Array<{ name: string; env: Array<{ name: string }> }> } } } }).spec.template.spec.containers;
        const shop = containers.findIndex((c) => c.name === 'shop');
        const envIndex = (name: string): number => containers[shop].env.findIndex((e) => e.name === name);
        // The reference to the generated ConfigMap was renamed with it by the overlay's namePrefix.
        assert.equal(blame(`/spec/template/spec/containers/${shop}/envFrom/0/configMapRef/name`), `${kustomization}:namePrefix`);
        const stage = (containers[shop].env[envIndex('STAGE')] as { value?: string }).value;
        const stageSetBy = stage === 'set-by-json-patch' ? `${env.folder}/json-patch.yaml:patch` : env.has.envPatch ? `${env.folder}/env-patch.yaml:patch` : 'base/deployment.yaml:base';
        assert.equal(blame(`/spec/template/spec/containers/${shop}/env/${envIndex('STAGE')}/value`), stageSetBy, `seed ${seed} ${env.name} STAGE`);
        if (env.has.deleteSidecar) assert.deepEqual(containers.map((c) => c.name), ['shop'], `seed ${seed} ${env.name}: $patch: delete removed the sidecar`);
        const service = rendered.get(env.name)?.find((o) => o.id.kind === 'Service');
        const serviceBlame = (pointer: string): string => {
          const found = service?.origin.blame?.blame(pointer);
          return `${found?.location.file}:${found?.location.range?.start.line}:${found?.via}`;
        };
        if (env.has.inlinePatch) {
          // An inline patch is blamed on its own line inside the kustomization's block scalar.
          const line = repo.files[kustomization].split('\n').findIndex((l) => l.includes(`owner: team-${env.name}`)) + 1;
          assert.equal(serviceBlame('/metadata/annotations/owner'), `${kustomization}:${line}:patch`);
        }
        const config = rendered.get(env.name)?.find((o) => o.id.kind === 'ConfigMap');
        if (env.has.generatorMerge && env.has.generatorReplace) assert.deepEqual(Object.keys((config?.object.data ?? {}) as object), ['ONLY'], 'behavior: replace');
        if (env.has.components.includes('../../variants/eu')) {
          const region = (containers[shop].env[envIndex('REGION')] as { value?: string }).value;
          const regionSetBy = region === 'set-by-json-patch' ? `${env.folder}/json-patch.yaml:patch` : 'variants/eu/region.yaml:patch';
          assert.equal(blame(`/spec/template/spec/containers/${shop}/env/${envIndex('REGION')}/value`), regionSetBy, `seed ${seed} ${env.name} REGION`);
        }
        if (env.has.components.includes('../../variants/prod')) {
          assert.equal(blame(`/spec/template/spec/containers/${shop}/resources/limits/cpu`), 'variants/prod/resources.yaml:patch');
        }
      }
    }
  });
});
