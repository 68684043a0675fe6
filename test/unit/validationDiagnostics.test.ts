// The editor's validation core: diagnostics land on the line of the offending key (or of the parent
// of a missing field), unknown fields get "did you mean", enums list their allowed values, the
// incremental validator answers exactly what a fresh validation answers, the generated schema
// asset answers exactly what the live models answer, and the hover finds nested fields' schemas.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzzSettings';
import { IncrementalDocumentValidator, textDiagnostics, type ManifestDiagnostic } from '../../src/core/validation/documentValidation';
import { buildSchemaAsset, parseSchemaAsset, SchemaAssetCatalog } from '../../src/core/validation/schemaAsset';
import { describeField } from '../../src/core/validation/schemaLookup';
import { pathText } from '../../src/core/validation/openApiSchema';
import { fieldAt } from '../../src/core/validation/yamlPathAt';
import { bundledCatalog, BUNDLED_SCHEMA_SOURCE } from '../../src/sandbox/bundledSchemas';
import * as generatedModels from '@kubernetes/client-node/dist/gen/models/all.js';
import { environmentOfFile, inHelmChart, type EnvironmentCandidate } from '../../src/ui/validation/fileEnvironment';
import { demoDeployment, joinDocuments } from './helpers/bigManifest';

const catalog = bundledCatalog();
const base = { catalog, key: 'bundled' };

async function loadAsset(): Promise<SchemaAssetCatalog> {
  // The generator's own description reader (a plain ES module shared with the build).
  const module = (await import('../../scripts/schemaDescriptions.mjs' as string)) as { schemaDescriptions(): Record<string, Record<string, string>> };
  const asset = buildSchemaAsset(generatedModels as unknown as Record<string, unknown>, module.schemaDescriptions(), BUNDLED_SCHEMA_SOURCE);
  return new SchemaAssetCatalog(parseSchemaAsset(JSON.stringify(asset)));
}

/** One mutation of a demo Deployment, with what the diagnostic must point at. */
type Mutation =
  | { kind: 'typo'; line: 'ports' | 'image' | 'replicas' | 'selector'; into: string }
  | { kind: 'pullPolicy'; value: string }
  | { kind: 'replicasText' }
  | { kind: 'dropContainerName' }
  | { kind: 'none' };

const typoKey = (key: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(`${key}z`),
    fc.constant(`${key.slice(0, -1)}`),
    fc.constant(key.length > 3 ? `${key.slice(0, 1)}${key.slice(2, 3)}${key.slice(1, 2)}${key.slice(3)}` : `${key}x`),
  );

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom('ports' as const, 'image' as const, 'replicas' as const, 'selector' as const).chain((line) => typoKey(line).map((into) => ({ kind: 'typo' as const, line, into }))),
  fc.stringMatching(/^[A-Z][a-z]{2,9}$/).filter((value) => !['Always', 'Never', 'IfNotPresent'].includes(value)).map((value) => ({ kind: 'pullPolicy' as const, value })),
  fc.constant({ kind: 'replicasText' as const }),
  fc.constant({ kind: 'dropContainerName' as const }),
  fc.constant({ kind: 'none' as const }),
);

function mutated(i: number, m: Mutation): string {
  let text = demoDeployment(i, { replicas: 2, namespace: 'shop' });
  switch (m.kind) {
    case 'typo': {
      const indent = { ports: '          ', image: '          ', replicas: '  ', selector: '  ' }[m.line];
      text = text.replace(`\n${indent}${m.line}:`, `\n${indent}${m.into}:`);
      break;
    }
    case 'pullPolicy':
      text = text.replace('\n          image:', `\n          imagePullPolicy: ${m.value}\n          image:`);
      break;
    case 'replicasText':
      text = text.replace('replicas: 2', 'replicas: "two"');
      break;
    case 'dropContainerName':
      text = text.replace('        - name: app\n          image:', '        - image:');
      break;
    case 'none':
      break;
  }
  return text;
}

/** The key a diagnostic must sit on: the offending field, or the parent of a missing one (an item: its first line, `- …`). */
function assertOnItsLine(text: string, diagnostic: ManifestDiagnostic): void {
  const lines = text.split('\n');
  const line = lines[diagnostic.line - 1];
  assert.ok(line !== undefined, `line ${diagnostic.line} exists`);
  const segments = diagnostic.path.split(/\.|\[|\]/).filter((part) => part !== '');
  if (diagnostic.reason === 'FieldValueRequired') {
    const parent = segments[segments.length - 2];
    if (parent !== undefined && /^\d+$/.test(parent)) assert.match(line, /^\s*- /, `${diagnostic.path}: line ${diagnostic.line} "${line}" starts the list item`);
    else if (parent !== undefined) assert.ok(line.includes(`${parent}:`), `${diagnostic.path}: line ${diagnostic.line} "${line}" holds ${parent}:`);
    return;
  }
  const key = segments[segments.length - 1];
  assert.ok(line.includes(`${key}:`), `${diagnostic.path}: line ${diagnostic.line} "${line}" holds ${key}:`);
  assert.equal(line.indexOf(`${key}:`) + 1, diagnostic.column, `${diagnostic.path}: column of the key`);
}

describe('editor validation: where and what', () => {
  it('puts every diagnostic on the line of its key (a missing field: its parent), in multi-document files', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        const text = joinDocuments(mutations.map((m, i) => mutated(i, m)));
        const diagnostics = textDiagnostics(text, catalog);
        for (const diagnostic of diagnostics) assertOnItsLine(text, diagnostic);
        // Each mutation is reported (one at least), a clean document not at all.
        const expected = mutations.filter((m) => m.kind !== 'none').length;
        const documentsWithProblems = new Set(diagnostics.map((d) => d.name)).size;
        assert.equal(documentsWithProblems, expected);
      }),
      fuzzRuns(60, 1207),
    );
  });

  it('suggests the declared field for a misspelt one, at any depth', () => {
    const text = mutated(1, { kind: 'none' })
      .replace('\n          ports:', '\n          portz:')
      .replace('\n  namespace: shop', '\n  namspace: shop')
      .replace('\n  replicas: 2', '\n  replicsa: 2');
    const messages = textDiagnostics(text, catalog).map((d) => d.message);
    assert.ok(messages.includes('unknown field "spec.template.spec.containers[0].portz"; did you mean "ports"?'), messages.join('\n'));
    assert.ok(messages.includes('unknown field "metadata.namspace"; did you mean "namespace"?'), messages.join('\n'));
    assert.ok(messages.includes('unknown field "spec.replicsa"; did you mean "replicas"?'), messages.join('\n'));
  });

  it('offers no suggestion when nothing is close', () => {
    const text = mutated(1, { kind: 'none' }).replace('\n          ports:', '\n          zzzqqq:');
    const unknown = textDiagnostics(text, catalog).filter((d) => d.reason === 'FieldValueUnknown');
    assert.deepEqual(
      unknown.map((d) => d.message),
      ['unknown field "spec.template.spec.containers[0].zzzqqq"'],
    );
  });

  it('lists the allowed values of an enum', () => {
    const text = mutated(1, { kind: 'pullPolicy', value: 'Sometimes' }).replace('        - name: app\n', '        - name: app\n          ports: [{ containerPort: 80, protocol: TCPX }]\n').replace('\n          ports:\n            - containerPort: 8080', '');
    const messages = textDiagnostics(text, catalog).map((d) => d.message);
    assert.ok(messages.some((m) => m === 'spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'), messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('protocol: Unsupported value: "TCPX"') && m.includes('"TCP"') && m.includes('"UDP"') && m.includes('"SCTP"')), messages.join('\n'));
  });

  it('re-validates only the edited document and answers what a fresh validation answers', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 2, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 5 }), (start, edits) => {
        const documents = start.map((m, i) => mutated(i, m));
        const validator = new IncrementalDocumentValidator();
        validator.validate(joinDocuments(documents), base);
        for (const [at, m] of edits) {
          const index = at % documents.length;
          const before = documents[index];
          documents[index] = mutated(index, m);
          const text = joinDocuments(documents);
          const result = validator.validate(text, base);
          assert.deepEqual(result.diagnostics, textDiagnostics(text, catalog));
          assert.equal(result.validated, before === documents[index] ? 0 : 1, 'only the edited document is validated again');
        }
      }),
      fuzzRuns(40, 1208),
    );
  });

  it('validates everything again when the catalog changes', () => {
    const validator = new IncrementalDocumentValidator();
    const text = joinDocuments([mutated(0, { kind: 'none' }), mutated(1, { kind: 'none' })]);
    assert.equal(validator.validate(text, base).validated, 2);
    assert.equal(validator.validate(text, base).validated, 0);
    assert.equal(validator.validate(text, { catalog, key: 'cluster' }).validated, 2);
  });

  it('checks custom resources against a CRD declared in the same file', () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      'spec:',
      '  group: example.com',
      '  names: { kind: Widget, plural: widgets }',
      '  scope: Namespaced',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema:',
      '        openAPIV3Schema:',
      '          type: object',
      '          properties:',
      '            spec:',
      '              type: object',
      '              properties:',
      '                size: { type: string, enum: [small, large] }',
    ].join('\n');
    const widget = ['apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', 'spec:', '  size: huge', '  colour: red'].join('\n');
    const text = joinDocuments([crd, widget]);
    const diagnostics = textDiagnostics(text, catalog);
    assert.deepEqual(
      diagnostics.map((d) => [d.line, d.path]),
      [
        [28, 'spec.colour'],
        [27, 'spec.size'],
      ],
    );
    assert.match(diagnostics[1].message, /supported values: "small", "large"/);
    // Without the CRD the custom resource is not checked at all.
    assert.deepEqual(textDiagnostics(widget, catalog), []);
  });
});

describe('editor validation: the generated schema asset', () => {
  it('answers exactly what the live models answer', async () => {
    const asset = await loadAsset();
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const text = joinDocuments(mutations.map((m, i) => mutated(i, m)));
        assert.deepEqual(textDiagnostics(text, asset), textDiagnostics(text, catalog));
      }),
      fuzzRuns(30, 1209),
    );
    for (const [group, version, kind] of [
      ['', 'v1', 'Service'],
      ['apps', 'v1', 'StatefulSet'],
      ['batch', 'v1', 'CronJob'],
      ['networking.k8s.io', 'v1', 'Ingress'],
      ['', 'v1', 'Event'],
      ['events.k8s.io', 'v1', 'Event'],
    ]) {
      assert.equal(asset.kindSchema(group, version, kind)?.root.$ref, catalog.kindSchema(group, version, kind)?.root.$ref, `${group}/${version} ${kind}`);
    }
  });
});

describe('editor validation: hover', () => {
  const deployment = joinDocuments([
    ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: settings }'].join('\n'),
    mutated(3, { kind: 'pullPolicy', value: 'Always' }).replace('          image:', '          resources: { limits: { cpu: 1 } }\n          image:'),
  ]);
  const lines = deployment.split('\n');
  const lineOf = (needle: string): number => lines.findIndex((line) => line.includes(needle));

  it('finds nested fields through lists and flow mappings', () => {
    const policy = lineOf('imagePullPolicy:');
    const at = fieldAt(deployment, policy, lines[policy].indexOf('imagePullPolicy') + 3);
    assert.deepEqual(at?.segments, ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy']);
    assert.equal(at?.kind, 'Deployment');
    const limits = lineOf('resources:');
    assert.deepEqual(fieldAt(deployment, limits, lines[limits].indexOf('limits') + 1)?.segments, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits']);
    // On a value, a dash or a blank: no field.
    assert.equal(fieldAt(deployment, policy, lines[policy].length - 1), undefined);
    assert.equal(fieldAt(deployment, lineOf('- name: app'), lines[lineOf('- name: app')].indexOf('-')), undefined);
  });

  it('shows the type and the description of spec.template.spec.containers[0].imagePullPolicy and other fields', async () => {
    const asset = await loadAsset();
    const kind = asset.kindSchema('apps', 'v1', 'Deployment');
    assert.ok(kind);
    const policy = describeField(kind, ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'], 'x', asset.describe);
    assert.equal(policy?.type, 'string');
    assert.match(policy?.description ?? '', /^Image pull policy\. One of Always, Never, IfNotPresent\./);
    const replicas = describeField(kind, ['spec', 'replicas'], 'spec.replicas', asset.describe);
    assert.equal(replicas?.type, 'integer (int32)');
    assert.match(replicas?.description ?? '', /Number of desired pods/);
    assert.equal(describeField(kind, ['spec', 'template', 'spec', 'containers'], 'x', asset.describe)?.type, '[]Container');
    assert.equal(describeField(kind, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'], 'x', asset.describe)?.type, 'map[string]Quantity (string or number)');
    assert.equal(describeField(kind, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], 'x', asset.describe)?.type, 'integer (int32)');
    assert.equal(describeField(kind, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], 'x', asset.describe)?.type, 'int-or-string');
    assert.equal(describeField(kind, ['spec', 'portz'], 'x', asset.describe), undefined);
  });

  it('reads descriptions and enums a cluster schema carries inline', () => {
    const kind = {
      root: { $ref: '#/components/schemas/Thing' },
      resolve: (ref: string) =>
        ref === '#/components/schemas/Thing'
          ? { type: 'object', properties: { mode: { allOf: [{ $ref: '#/components/schemas/Mode' }], description: 'How it runs.' } } }
          : ref === '#/components/schemas/Mode'
            ? { type: 'string', enum: ['fast', 'slow'], description: 'A mode.' }
            : undefined,
      style: 'structural' as const,
      builtin: false,
    };
    const field = describeField(kind, ['mode'], pathText(['mode']));
    assert.deepEqual(field, { path: 'mode', type: 'string', format: undefined, allowed: '"fast", "slow"', description: 'How it runs.' });
  });
});

describe('editor validation: which files belong to an environment', () => {
  const env = (name: string, folders: string[], repoRoot = '/repo'): EnvironmentCandidate => ({ key: `file:///repo#${name}`, name, repoRoot, folders, context: null });

  it('picks the deepest folder holding the file, and nothing outside every environment', () => {
    const candidates = [env('web-prod', ['apps/web/overlays/prod']), env('apps', ['apps']), env('api', ['apps/api', 'shared/api'])];
    assert.equal(environmentOfFile(candidates, '/repo/apps/web/overlays/prod/deploy.yaml')?.name, 'web-prod');
    assert.equal(environmentOfFile(candidates, '/repo/apps/web/base/deploy.yaml')?.name, 'apps');
    assert.equal(environmentOfFile(candidates, '/repo/shared/api/x.yaml')?.name, 'api');
    assert.equal(environmentOfFile(candidates, '/repo/apps-old/x.yaml'), undefined, 'a folder name prefix is not the folder');
    assert.equal(environmentOfFile(candidates, '/repo/ci/pipeline.yaml'), undefined);
    assert.equal(environmentOfFile(candidates, '/elsewhere/apps/x.yaml'), undefined);
  });

  it('gives a whole-repository environment every file of the repository but its .git folder', () => {
    const candidates = [env('dev', [])];
    assert.equal(environmentOfFile(candidates, '/repo/deploy/web.yaml')?.name, 'dev');
    assert.equal(environmentOfFile(candidates, '/repo/.git/config.yaml'), undefined);
    assert.equal(environmentOfFile(candidates, '/other/web.yaml'), undefined);
    // A folder environment is more specific than the whole repository.
    assert.equal(environmentOfFile([...candidates, env('prod', ['envs/prod'])], '/repo/envs/prod/a.yaml')?.name, 'prod');
  });
});

describe('editor validation: descriptions for a cluster schema without them', () => {
  it('finds the generated models\' description under the cluster\'s model name', async () => {
    const asset = await loadAsset();
    const kind = {
      root: { $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' },
      resolve: (ref: string) => (ref === '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' ? { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } } : undefined),
      style: 'go' as const,
      builtin: true,
    };
    assert.match(describeField(kind, ['replicas'], 'replicas', asset.describe)?.description ?? '', /Number of desired pods/);
    assert.equal(describeField(kind, ['replicas'], 'replicas')?.description, undefined);
  });
});

describe('editor validation: Helm charts stay quiet', () => {
  it('finds a Chart.yaml between the file and the repository root, and only there', () => {
    const outer = mkdtempSync(join(tmpdir(), 'gitops-chart-'));
    const root = join(outer, 'repo');
    mkdirSync(join(root, 'envs', 'dev', 'chart', 'templates', 'sub'), { recursive: true });
    writeFileSync(join(root, 'envs', 'dev', 'chart', 'Chart.yaml'), 'name: web\n');
    // A Chart.yaml above the repository root does not count.
    writeFileSync(join(outer, 'Chart.yaml'), 'name: outside\n');
    const charts = new Map<string, boolean>();
    assert.equal(inHelmChart(join(root, 'envs', 'dev', 'chart', 'templates', 'sub', 'deploy.yaml'), root, charts), true);
    assert.equal(inHelmChart(join(root, 'envs', 'dev', 'chart', 'values.yaml'), root, charts), true);
    assert.equal(inHelmChart(join(root, 'envs', 'dev', 'deploy.yaml'), root, charts), false);
    assert.equal(inHelmChart(join(root, 'top.yaml'), root, charts), false);
    // Remembered per folder: the answers stay the same from the cache.
    assert.equal(charts.get(join(root, 'envs', 'dev', 'chart', 'templates')), true);
    assert.equal(inHelmChart(join(root, 'envs', 'dev', 'chart', 'templates', 'other.yaml'), root, charts), true);
  });
});
