// Accept Live on a kustomize overlay: it writes at the line blame names (the overlay's replicas
// count, its images newTag, its env-var patch, a JSON 6902 value, a generator literal); when that
// line is in a file other environments use, it writes this environment's own overlay instead and
// says who shares the file; identity, Secrets and impossible patches are refused with the reason
// and the file to edit. The blames come from the real engine over literal files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { planAcceptLive, type AcceptLivePlan, type AcceptLiveRequest, type TextEdit } from '../../src/core/acceptLive';
import type { BlameLayer, FieldBlame, SourceRef } from '../../src/core/blame/blameTypes';
import { blameObject } from '../../src/core/blame/objectBlame';
import { parseSourceDocuments, nodeAt } from '../../src/core/blame/sourceTree';
import { splitPointer } from '../../src/core/manifest';

const files: Record<string, string> = {
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: shop
          image: registry.example.com/shop:1.0.0
          args: ["--port", "8080"]
          env:
            - name: LOG_LEVEL
              value: info
            - name: STAGE
              value: base
`,
  'envs/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-prod
namePrefix: prod-
resources:
  - ../../base
patches:
  - path: env-patch.yaml
  - path: json-patch.yaml
    target:
      kind: Deployment
images:
  - name: registry.example.com/shop
    newTag: 2.0.0
replicas:
  - name: shop
    count: 8
configMapGenerator:
  - name: settings
    literals:
      - TIMEOUT=30s
`,
  'envs/prod/env-patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      containers:
        - name: shop
          env:
            - name: STAGE
              value: prod # the environment's own
`,
  'envs/prod/json-patch.yaml': `- op: add
  path: /spec/minReadySeconds
  value: 10
`,
};

const rendered = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'prod-shop', namespace: 'shop-prod' },
  spec: {
    replicas: 8,
    minReadySeconds: 10,
    template: {
      spec: {
        containers: [
          {
            name: 'shop',
            image: 'registry.example.com/shop:2.0.0',
            args: ['--port', '8080'],
            env: [
              { name: 'STAGE', value: 'prod' },
              { name: 'LOG_LEVEL', value: 'info' },
            ],
          },
        ],
      },
    },
  },
};

function ref(file: string, pointer = ''): SourceRef {
  const document = parseSourceDocuments(files[file])[0];
  const node = nodeAt(document.root, splitPointer(pointer));
  assert.ok(node, `${file}#${pointer}`);
  return { file, docIndex: 0, pointer, node };
}

const K = 'envs/prod/kustomization.yaml';
const layers: BlameLayer[] = [
  { kind: 'strategicMerge', kustomization: K, patch: ref('envs/prod/env-patch.yaml') },
  { kind: 'json6902', kustomization: K, operations: ref('envs/prod/json-patch.yaml') },
  { kind: 'namespace', kustomization: K, value: ref(K, '/namespace') },
  { kind: 'namePrefix', kustomization: K, value: ref(K, '/namePrefix') },
  { kind: 'replicas', kustomization: K, count: ref(K, '/replicas/0/count') },
  { kind: 'images', kustomization: K, entries: [ref(K, '/images/0')] },
];
const blame = blameObject({ kind: 'Deployment', document: ref('base/deployment.yaml') }, layers, rendered);

function sourceOf(pointer: string): FieldBlame {
  const found = blame.blame(pointer);
  assert.ok(found, pointer);
  return found;
}

function request(pointer: string, path: string, live: unknown, shared: Record<string, string[]> = {}, change: 'changed' | 'notInLive' = 'changed'): AcceptLiveRequest {
  return {
    field: { pointer, path, change, live, source: sourceOf(pointer) },
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'prod-shop' },
    environment: 'prod',
    files: new Map(Object.entries(files)),
    overlayKustomization: K,
    otherUsers: (file) => shared[file] ?? [],
  };
}

function apply(text: string, edit: TextEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }): number => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
}

function edited(plan: AcceptLivePlan): { file: string; text: string } {
  assert.equal(plan.kind, 'edit', JSON.stringify(plan));
  if (plan.kind !== 'edit') throw new Error('unreachable');
  return { file: plan.file, text: apply(files[plan.file], plan.edit) };
}

test('replicas set by the overlay: the live count is written on the replicas: count line', () => {
  const { file, text } = edited(planAcceptLive(request('/spec/replicas', 'spec.replicas', 5)));
  assert.equal(file, K);
  assert.match(text, /^ {4}count: 5$/m);
  assert.equal(parse(files['base/deployment.yaml']).spec.replicas, 2, 'the base is untouched');
});

test('an image retagged by images: gets the live tag on the newTag line, not the whole image', () => {
  const { file, text } = edited(planAcceptLive(request('/spec/template/spec/containers/0/image', 'spec.template.spec.containers[name=shop].image', 'registry.example.com/shop:2.1.3')));
  assert.equal(file, K);
  assert.match(text, /^ {4}newTag: 2\.1\.3$/m);
  const digest = planAcceptLive(request('/spec/template/spec/containers/0/image', 'spec.template.spec.containers[name=shop].image', 'registry.example.com/shop@sha256:abc'));
  assert.equal(digest.kind, 'refused');
  assert.match(digest.kind === 'refused' ? digest.reason : '', /no newTag .* envs\/prod\/kustomization\.yaml:14/);
});

test('an env var the overlay patch sets is written in the patch file, keeping its comment', () => {
  const { file, text } = edited(planAcceptLive(request('/spec/template/spec/containers/0/env/0/value', 'spec.template.spec.containers[name=shop].env[name=STAGE].value', 'prod-2')));
  assert.equal(file, 'envs/prod/env-patch.yaml');
  assert.match(text, /^ {14}value: prod-2 # the environment's own$/m);
});

test('a JSON 6902 value is written in the operation list', () => {
  const { file, text } = edited(planAcceptLive(request('/spec/minReadySeconds', 'spec.minReadySeconds', 30)));
  assert.equal(file, 'envs/prod/json-patch.yaml');
  assert.deepEqual(parse(text), [{ op: 'add', path: '/spec/minReadySeconds', value: 30 }]);
});

test('a value set in the base that only this environment uses is written in the base', () => {
  const { file, text } = edited(planAcceptLive(request('/spec/template/spec/containers/0/env/1/value', 'spec.template.spec.containers[name=shop].env[name=LOG_LEVEL].value', 'debug')));
  assert.equal(file, 'base/deployment.yaml');
  assert.equal(parse(text).spec.template.spec.containers[0].env[0].value, 'debug');
});

test('a value set in a base other environments use goes into this overlay: a new patch file listed under patches:', () => {
  const plan = planAcceptLive(
    request('/spec/template/spec/containers/0/env/1/value', 'spec.template.spec.containers[name=shop].env[name=LOG_LEVEL].value', 'debug', { 'base/deployment.yaml': ['dev', 'staging'] }),
  );
  assert.equal(plan.kind, 'overlay', JSON.stringify(plan));
  if (plan.kind !== 'overlay') return;
  assert.deepEqual(plan.sharedBy, ['dev', 'staging']);
  assert.equal(plan.sharedFile, 'base/deployment.yaml');
  assert.equal(plan.patchFile, 'envs/prod/accept-live-patch.yaml');
  assert.deepEqual(parse(plan.patchText), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // The name the overlay's patches see: before its own namePrefix.
    metadata: { name: 'shop' },
    spec: { template: { spec: { containers: [{ name: 'shop', env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] } } },
  });
  assert.ok(plan.kustomizationEdit);
  const kustomization = parse(apply(files[K], plan.kustomizationEdit));
  assert.deepEqual(kustomization.patches, [{ path: 'env-patch.yaml' }, { path: 'json-patch.yaml', target: { kind: 'Deployment' } }, { path: 'accept-live-patch.yaml' }]);
  assert.equal(kustomization.images[0].newTag, '2.0.0', 'the rest of the kustomization is intact');

  // A second accepted value merges into the same patch file, which is already listed.
  const withPatch = { ...files, 'envs/prod/accept-live-patch.yaml': plan.patchText, [K]: apply(files[K], plan.kustomizationEdit) };
  const second = planAcceptLive({
    ...request('/spec/template/spec/containers/0/env/1/value', 'spec.template.spec.containers[name=shop].env[name=DEBUG].value', 'true', { 'base/deployment.yaml': ['dev'] }),
    files: new Map(Object.entries(withPatch)),
  });
  assert.equal(second.kind, 'overlay');
  if (second.kind !== 'overlay') return;
  assert.equal(second.kustomizationEdit, undefined);
  assert.deepEqual(parse(second.patchText).spec.template.spec.containers[0].env, [
    { name: 'LOG_LEVEL', value: 'debug' },
    { name: 'DEBUG', value: 'true' },
  ]);
});

test('a kustomization without patches: gets one', () => {
  const bare = files[K].replace(/patches:\n( {2}.*\n)+/, '');
  const plan = planAcceptLive({
    ...request('/spec/template/spec/containers/0/env/1/value', 'spec.template.spec.containers[name=shop].env[name=LOG_LEVEL].value', 'debug', { 'base/deployment.yaml': ['dev'] }),
    files: new Map(Object.entries({ ...files, [K]: bare })),
  });
  assert.equal(plan.kind, 'overlay');
  if (plan.kind !== 'overlay' || !plan.kustomizationEdit) return assert.fail('expected a kustomization edit');
  assert.deepEqual(parse(apply(bare, plan.kustomizationEdit)).patches, [{ path: 'accept-live-patch.yaml' }]);
});

test('refusals name the reason and the file: identity, shared list without merge key, Secret values, no overlay', () => {
  const namespace = planAcceptLive(request('/metadata/namespace', 'metadata.namespace', 'shop-staging'));
  assert.equal(namespace.kind, 'refused');
  assert.match(namespace.kind === 'refused' ? namespace.reason : '', /prod's identity, set by namespace at envs\/prod\/kustomization\.yaml:3/);

  const args = planAcceptLive(request('/spec/template/spec/containers/0/args/1', 'spec.template.spec.containers[name=shop].args[1]', '9090', { 'base/deployment.yaml': ['dev', 'qa'] }));
  assert.equal(args.kind, 'refused');
  assert.match(args.kind === 'refused' ? args.reason : '', /base\/deployment\.yaml:12 is also used by dev, qa.*args, a list without a merge key.*Edit base\/deployment\.yaml:12 on purpose/);

  const secret = planAcceptLive(request('/spec/template/spec/containers/0/env/1/value', 'spec.template.spec.containers[name=shop].env[name=LOG_LEVEL].value', { masked: true, hash: 'abcd1234' }));
  assert.equal(secret.kind, 'refused');
  assert.match(secret.kind === 'refused' ? secret.reason : '', /Secret value.*base\/deployment\.yaml:15/);

  const noOverlay = planAcceptLive({ ...request('/spec/replicas', 'spec.replicas', 3, { [K]: ['prod-us'] }), overlayKustomization: undefined });
  assert.equal(noOverlay.kind, 'refused');
  assert.match(noOverlay.kind === 'refused' ? noOverlay.reason : '', /kustomization\.yaml:17 is also used by prod-us; prod has no overlay of its own/);
});

test('a generated ConfigMap (hashed name) in a shared base is refused with the generator to use instead', () => {
  const plan = planAcceptLive({
    ...request('/spec/template/spec/containers/0/env/1/value', 'data.MODE', 'slow', { 'base/deployment.yaml': ['dev'] }),
    resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'prod-settings-5f8k2m7c9d' },
  });
  assert.equal(plan.kind, 'refused');
  assert.match(plan.kind === 'refused' ? plan.reason : '', /content hash.*behavior: merge in envs\/prod\/kustomization\.yaml/);
});
