// What blame through overlays adds to a cold drift report of a kustomize environment: a layout-1
// overlay of 200 Deployments (+ 200 Services) over a base, with a component, image, scale and
// env patches, `images:` and `replicas:` transformers; live objects are the render with 50
// Deployments drifted (replicas, image, an env var). Cold = render with `kubectl kustomize` +
// desired resources + compare, blame on vs off (the same render with its blame removed).
// Run: node --import tsx bench/blameBench.ts (BLAME_BENCH_APPS, BLAME_BENCH_DRIFTED, BLAME_BENCH_RUNS to vary it)
import { compareEnvironment } from '../src/core/drift/compare';
import type { DesiredResource, KubeObject } from '../src/core/drift/driftTypes';
import { toDesiredResources } from '../src/cluster/drift/desiredResources';
import { directoryView } from '../src/git/directoryView';
import { renderEnvironment, type RenderedObject } from '../src/render/renderEnvironment';
import { tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';

const APPS = Number(process.env.BLAME_BENCH_APPS ?? 200);
const DRIFTED = Number(process.env.BLAME_BENCH_DRIFTED ?? 50);
const RUNS = Number(process.env.BLAME_BENCH_RUNS ?? 5);

function repoFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const resources: string[] = [];
  for (let i = 0; i < APPS; i++) {
    const name = `app-${i}`;
    files[`base/${name}.yaml`] = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  replicas: 2',
      '  selector:',
      `    matchLabels: { app: ${name} }`,
      '  template:',
      `    metadata: { labels: { app: ${name} } }`,
      '    spec:',
      '      containers:',
      `        - name: ${name}`,
      `          image: registry.example.com/${name}:1.0.0`,
      '          env:',
      '            - { name: STAGE, value: base }',
      '            - { name: LOG_LEVEL, value: info }',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  selector: { app: ${name} }`,
      '  ports: [{ port: 80, targetPort: 8080 }]',
      '',
    ].join('\n');
    resources.push(`  - ${name}.yaml`);
  }
  files['base/kustomization.yaml'] = ['resources:', ...resources, ''].join('\n');
  files['variants/eu/kustomization.yaml'] = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: region.yaml\n    target: { kind: Deployment }\n';
  files['variants/eu/region.yaml'] = '- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: { name: REGION, value: eu }\n';
  const patches: string[] = [];
  const images: string[] = [];
  const replicas: string[] = [];
  for (let i = 0; i < APPS; i++) {
    const name = `app-${i}`;
    files[`envs/prod/${name}-scale.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          env:\n            - { name: STAGE, value: prod }\n`;
    patches.push(`  - path: ${name}-scale.yaml`);
    images.push(`  - name: registry.example.com/${name}`, '    newTag: 2.0.0');
    replicas.push(`  - name: ${name}`, '    count: 4');
  }
  files['envs/prod/kustomization.yaml'] = [
    'namespace: shop-prod',
    'namePrefix: prod-',
    'resources:',
    '  - ../../base',
    'components:',
    '  - ../../variants/eu',
    'patches:',
    ...patches,
    'images:',
    ...images,
    'replicas:',
    ...replicas,
    '',
  ].join('\n');
  return files;
}

function drifted(objects: readonly RenderedObject[]): KubeObject[] {
  let count = 0;
  return objects.map((rendered) => {
    const object = structuredClone(rendered.object) as KubeObject & { spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string; env?: Array<{ value?: string }> }> } } } };
    if (rendered.id.kind === 'Deployment' && count++ < DRIFTED) {
      object.spec = object.spec ?? {};
      object.spec.replicas = 9;
      const container = object.spec.template?.spec?.containers?.[0];
      if (container) {
        container.image = `${container.image}-hotfix`;
        if (container.env?.[0]) container.env[0].value = 'hotfix';
      }
    }
    return object;
  });
}

async function coldReport(dir: string, blame: boolean, live: readonly KubeObject[] | undefined): Promise<{ ms: number; renderMs: number; objects: RenderedObject[]; sourced: number }> {
  const view = directoryView(dir);
  const started = performance.now();
  const result = await renderEnvironment({ view, path: 'envs/prod', trusted: true, materialize: () => Promise.resolve(dir) });
  const renderMs = performance.now() - started;
  const objects = blame ? result.objects : result.objects.map((o) => ({ ...o, origin: { file: o.origin.file, range: o.origin.range } }));
  const desired: DesiredResource[] = await toDesiredResources(objects, (file) => view.readFile(file));
  const drift = compareEnvironment(desired, live ?? objects.map((o) => o.object), { mode: 'local' });
  const ms = performance.now() - started;
  const sourced = drift.resources.flatMap((r) => r.fields).filter((f) => f.source && f.source.via !== 'base').length;
  return { ms, renderMs, objects: result.objects, sourced };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const dir = tempDir('gitops-blame-bench-');
  writeFiles(dir, repoFiles());
  const first = await coldReport(dir, false, undefined);
  const live = drifted(first.objects);
  const off: number[] = [];
  const on: number[] = [];
  const afterRenderOff: number[] = [];
  const afterRenderOn: number[] = [];
  let sourced = 0;
  for (let i = 0; i < RUNS; i++) {
    const without = await coldReport(dir, false, live);
    off.push(without.ms);
    afterRenderOff.push(without.ms - without.renderMs);
    const withBlame = await coldReport(dir, true, live);
    on.push(withBlame.ms);
    afterRenderOn.push(withBlame.ms - withBlame.renderMs);
    sourced = withBlame.sourced;
  }
  console.log(`after the render (desired + compare): blame off ${median(afterRenderOff).toFixed(0)} ms, on ${median(afterRenderOn).toFixed(0)} ms`);
  const a = median(off);
  const b = median(on);
  const renderOnly = median(off.map((ms, i) => ms - afterRenderOff[i]));
  const added = median(afterRenderOn) - median(afterRenderOff);
  console.log(`objects ${first.objects.length}, drifted Deployments ${DRIFTED}, fields blamed on an overlay layer ${sourced}`);
  console.log(`cold drift report (render + desired + compare), median of ${RUNS}: blame off ${a.toFixed(0)} ms, blame on ${b.toFixed(0)} ms (kustomize's run time varies by seconds between runs)`);
  // The render is the same either way: blame's share is what it adds after it, over the whole cold report.
  console.log(`render ${renderOnly.toFixed(0)} ms; blame adds ${added.toFixed(0)} ms after it: +${((added / (renderOnly + median(afterRenderOff))) * 100).toFixed(1)}% of a cold report (target ≤ 20%)`);
}

void main();
