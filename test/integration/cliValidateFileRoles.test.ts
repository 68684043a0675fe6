// `gitops-env validate` on folders that hold more than plain manifests: kustomize patches (partial
// objects, never checked for required fields, wherever a kustomization lists them), files that are
// no Kubernetes object at all (kustomizations, Helm values and charts, kustomize configuration,
// gitops.yaml), documents that should be objects and are not (a located problem), and repeated keys
// (a located warning that does not fail the run).

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

interface Run {
  code: number;
  out: string;
  err: string;
}

interface Problem {
  file: string;
  line: number;
  column: number;
  kind: string;
  name: string;
  path: string;
  message: string;
  reason: string;
  severity?: string;
}

interface Output {
  problems: Problem[];
  warnings?: Problem[];
  objects: number;
}

async function validate(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(['validate', ...argv], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function validateJson(...argv: string[]): Promise<{ code: number; output: Output; err: string }> {
  const run = await validate(...argv, '--json');
  return { code: run.code, output: JSON.parse(run.out) as Output, err: run.err };
}

/** A repository folder (a `.git` marks its root) holding the given files. */
function repo(files: Record<string, string>): string {
  const root = tempDir('gitops-validate-roles-');
  mkdirSync(join(root, '.git'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const deployment = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: nginx:1.25.0
`;

/** A Deployment without selector and template: complete objects must still fail on it. */
const incompleteDeployment = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 3
`;

const replicasPatch = incompleteDeployment('web');

const smpWithDirectives = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    obsolete: null
spec:
  template:
    spec:
      $setElementOrder/containers:
        - name: web
      containers:
        - name: sidecar
          $patch: delete
        - name: web
          resources: null
`;

const json6902 = `- op: replace
  path: /spec/replicas
  value: 3
`;

const describeProblems = (problems: readonly Problem[], root: string): string[] =>
  problems.map((problem) => `${problem.file.slice(root.length + 1)}:${problem.line}:${problem.column}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);

after(() => removeTempDirs());

describe('gitops-env validate: kustomize patches are partial objects', () => {
  it('accepts the overlay of the report (patches: [{path: replicas-patch.yaml}]) as kubectl kustomize does', async () => {
    const root = repo({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': deployment('web'),
      'overlay/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: replicas-patch.yaml\n',
      'overlay/replicas-patch.yaml': replicasPatch,
    });
    for (const target of [join(root, 'overlay'), join(root, 'overlay', 'replicas-patch.yaml'), root]) {
      const { code, output } = await validateJson(target);
      assert.deepEqual(describeProblems(output.problems, root), [], target);
      assert.equal(code, 0, target);
    }
  });

  // Every way a kustomization can name a patch file, each beside a resource file that is missing
  // required fields: the patch is never held to them, the resource always is.
  const shapes: { name: string; files: (patch: string) => Record<string, string>; patchFile: string }[] = [
    { name: 'patches path', patchFile: 'app/p.yaml', files: (p) => ({ 'app/kustomization.yaml': 'resources: [r.yaml]\npatches:\n  - path: p.yaml\n', 'app/p.yaml': p }) },
    {
      name: 'patches path with a target, in a subfolder, in kustomization.yml with apiVersion and kind',
      patchFile: 'app/patches/p.yaml',
      files: (p) => ({
        'app/kustomization.yml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - r.yaml\npatches:\n  - path: patches/p.yaml\n    target: {kind: Deployment}\n  - patch: |-\n      - op: add\n        path: /metadata/labels/x\n        value: y\n    target: {kind: Deployment}\n',
        'app/patches/p.yaml': p,
      }),
    },
    { name: 'patchesStrategicMerge', patchFile: 'app/p.yaml', files: (p) => ({ 'app/kustomization.yaml': 'resources: [r.yaml]\npatchesStrategicMerge:\n  - p.yaml\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: r}\n', 'app/p.yaml': p }) },
    { name: 'patchesJson6902 path', patchFile: 'app/p.yaml', files: (p) => ({ 'app/kustomization.yaml': 'resources: [r.yaml]\npatchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: r}\n    path: p.yaml\n', 'app/p.yaml': p }) },
    { name: 'a file named Kustomization', patchFile: 'app/p.yaml', files: (p) => ({ 'app/Kustomization': 'resources: [r.yaml]\npatches:\n  - path: p.yaml\n', 'app/p.yaml': p }) },
    {
      name: 'a component, its patch in a shared folder above it',
      patchFile: 'app/shared/p.yaml',
      files: (p) => ({
        'app/kustomization.yaml': 'resources: [r.yaml]\ncomponents: [components/ha]\n',
        'app/components/ha/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: ../../shared/p.yaml\n',
        'app/shared/p.yaml': p,
      }),
    },
  ];
  for (const shape of shapes) {
    for (const [patchName, patch] of [
      ['a strategic merge patch', replicasPatch],
      ['a patch with $patch directives and nulls', smpWithDirectives],
      ['a JSON 6902 patch', json6902],
    ] as const) {
      it(`${shape.name}: ${patchName} is not held to required fields; the resource file is`, async () => {
        const root = repo({ ...shape.files(patch), 'app/r.yaml': incompleteDeployment('r') });
        for (const target of [join(root, 'app'), join(root, shape.patchFile)]) {
          const { code, output } = await validateJson(target);
          const shown = describeProblems(output.problems, root);
          assert.deepEqual(
            shown.filter((line) => line.startsWith(shape.patchFile)),
            [],
            `${target}: ${shown.join('\n')}`,
          );
          if (target.endsWith('app')) {
            assert.deepEqual(shown, ['app/r.yaml:5:1: spec.selector: Required value', 'app/r.yaml:5:1: spec.template: Required value']);
            assert.equal(code, 1);
          } else {
            assert.equal(code, 0, shown.join('\n'));
          }
        }
      });
    }
  }

  it('still reports a wrong type or an unknown field that a patch sets, on its line', async () => {
    const root = repo({
      'app/kustomization.yaml': 'resources: [r.yaml]\npatches:\n  - path: p.yaml\n',
      'app/r.yaml': deployment('web'),
      'app/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: three\n  replicaz: 2\n',
    });
    const { code, output } = await validateJson(join(root, 'app'));
    assert.equal(code, 1);
    assert.deepEqual(
      output.problems.map((problem) => `${problem.line} ${problem.path}`),
      ['6 spec.replicas', '7 spec.replicaz'],
    );
  });

  it('validates a file listed as a resource by one kustomization even if another lists it as a patch', async () => {
    const root = repo({
      'a/kustomization.yaml': 'resources: [../shared/d.yaml]\n',
      'b/kustomization.yaml': 'patches:\n  - path: ../shared/d.yaml\n',
      'shared/d.yaml': incompleteDeployment('d'),
    });
    const { code, output } = await validateJson(root);
    assert.equal(code, 1);
    assert.deepEqual(describeProblems(output.problems, root), ['shared/d.yaml:5:1: spec.selector: Required value', 'shared/d.yaml:5:1: spec.template: Required value']);
  });
});

describe('gitops-env validate: documents that are not Kubernetes objects', () => {
  it('reports a document without apiVersion and kind at its first line, exit 1', async () => {
    const root = repo({
      'notk8s.yaml': 'foo: bar\n',
      'mixed.yaml': `${deployment('web')}---\n# a comment\nfoo: bar\n---\n- a\n- b\n---\n# only a comment\n`,
      'no-kind.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n',
    });
    const { code, output } = await validateJson(root);
    assert.equal(code, 1);
    assert.deepEqual(
      output.problems.map((problem) => `${problem.file.slice(root.length + 1)}:${problem.line}:${problem.column} ${problem.reason}`),
      ['mixed.yaml:15:1 NotAnObject', 'mixed.yaml:17:1 NotAnObject', 'no-kind.yaml:1:1 NotAnObject', 'notk8s.yaml:1:1 NotAnObject'],
    );
    for (const problem of output.problems) assert.match(problem.message, /not a Kubernetes object/);
    const text = await validate(join(root, 'notk8s.yaml'));
    assert.equal(text.code, 1);
    assert.match(text.out, /notk8s\.yaml:1:1: not a Kubernetes object: no apiVersion, no kind/);
  });

  it('does not report files that are legitimately not objects', async () => {
    const root = repo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n',
      'app/kustomization.yaml': [
        'resources: [d.yaml]',
        'configurations: [kustomizeconfig.yaml]',
        'transformers: [labels.yaml]',
        'generators: [gen.yaml]',
        'replacements:\n  - path: replacement.yaml',
        'openapi:\n  path: schema.json',
        'configMapGenerator:\n  - name: app\n    files: [app.yaml, other=extra.yml]',
        'helmCharts:\n  - name: x\n    valuesFile: my-chart-overrides.yaml',
        'patches:\n  - path: p.json',
        '',
      ].join('\n'),
      'app/d.yaml': deployment('d'),
      'app/kustomizeconfig.yaml': 'nameReference:\n  - kind: ConfigMap\n    fieldSpecs:\n      - path: spec/x\n',
      'app/labels.yaml': 'apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: labels\nlabels: {a: b}\nfieldSpecs:\n  - path: metadata/labels\n    create: true\n',
      'app/gen.yaml': 'apiVersion: example.com/v1\nkind: MyGenerator\nmetadata:\n  name: gen\nsomething: 1\n',
      'app/replacement.yaml': 'source: {kind: ConfigMap, name: app}\ntargets: []\n',
      'app/schema.json': '{"definitions": {}}\n',
      'app/app.yaml': 'server:\n  port: 8080\n',
      'app/extra.yml': '- 1\n- 2\n',
      'app/my-chart-overrides.yaml': 'replicaCount: 2\n',
      'app/p.json': '[{"op": "replace", "path": "/spec/replicas", "value": 3}]\n',
      'kustomize-only/kustomization.yaml': 'namespace: x\n',
      'helm/values.yaml': 'replicaCount: 1\n',
      'helm/values-prod.yaml': 'replicaCount: 3\n',
      'helm/prod.values.yml': 'replicaCount: 3\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/values.yaml': 'image: {tag: "1"}\n',
      'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
      'chart/templates/_helpers.tpl': '{{- define "x" -}}{{- end -}}\n',
    });
    const { code, output, err } = await validateJson(root);
    assert.deepEqual(describeProblems(output.problems, root), []);
    assert.equal(code, 0);
    assert.doesNotMatch(err, /LabelTransformer|MyGenerator/);
    // Named one by one, as a shell glob would pass them.
    const each = ['gitops.yaml', 'app/kustomization.yaml', 'app/kustomizeconfig.yaml', 'app/labels.yaml', 'app/gen.yaml', 'app/replacement.yaml', 'app/schema.json', 'app/app.yaml', 'app/extra.yml', 'app/my-chart-overrides.yaml', 'app/p.json', 'helm/values.yaml', 'helm/values-prod.yaml', 'helm/prod.values.yml', 'chart/Chart.yaml', 'chart/values.yaml', 'chart/templates/deployment.yaml'];
    for (const file of each) {
      const run = await validateJson(join(root, file));
      assert.deepEqual(describeProblems(run.output.problems, root), [], file);
      assert.equal(run.code, 0, file);
    }
    // A chart's templates named directly are skipped like the chart, and said so.
    const template = await validate(join(root, 'chart/templates/deployment.yaml'));
    assert.match(template.err, /a Helm chart, not checked/);
  });

  it('still validates objects in a file whose name looks like Helm values', async () => {
    const root = repo({ 'values-configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n' });
    const { code, output } = await validateJson(root);
    assert.equal(code, 1);
    assert.deepEqual(output.problems.map((problem) => `${problem.line} ${problem.path}`), ['4 metadata.name']);
  });
});

describe('gitops-env validate: repeated keys', () => {
  it('warns on the line of the repeated key, as drift does, without failing the run', async () => {
    const root = repo({ 'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n' });
    const { code, output } = await validateJson(join(root, 'dup.yaml'));
    assert.equal(code, 0);
    assert.deepEqual(output.problems, []);
    assert.deepEqual(
      (output.warnings ?? []).map((warning) => `${warning.line}:${warning.column} ${warning.severity} ${warning.message}`),
      ['5:3 warning Key "name" is repeated; the last value is used, as kubectl does'],
    );
    const text = await validate(join(root, 'dup.yaml'));
    assert.equal(text.code, 0);
    assert.match(text.out, /dup\.yaml:5:3: warning: Key "name" is repeated; the last value is used, as kubectl does — remove the earlier occurrence/);
    assert.match(text.err, /1 object\(s\), 0 problem\(s\), 1 warning\(s\)/);
  });

  it('warns in every file it reads, and a real problem beside it still fails the run', async () => {
    const root = repo({
      'app/kustomization.yaml': 'resources: [d.yaml]\nresources: [d.yaml]\n',
      'app/d.yaml': `${deployment('web')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "1", a: "2"}\n`,
      'app/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n',
    });
    const { code, output } = await validateJson(join(root, 'app'));
    assert.equal(code, 1);
    assert.deepEqual(
      (output.warnings ?? []).map((warning) => `${warning.file.slice(root.length + 1)}:${warning.line}`),
      ['app/d.yaml:18', 'app/kustomization.yaml:2'],
    );
    assert.deepEqual(output.problems.map((problem) => `${problem.file.slice(root.length + 1)}:${problem.line}`), ['app/bad.yaml:4']);
  });
});
