// The shared validator (src/core/validation) on literal and generated objects: valid objects pass,
// one mutation is refused at the right field with the API server's wording, CRD schemas are honoured,
// and hostile schemas are answered in bounded time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzzSettings';
import { validateKubernetesObject, type ObjectValidation } from '../../src/core/validation/objectValidator';
import { CustomResourceCatalog, stackedCatalog } from '../../src/core/validation/schemaCatalog';
import { validateAgainstSchema } from '../../src/core/validation/schemaValidator';
import { immutableFieldProblems } from '../../src/core/validation/immutableFields';
import type { OpenApiSchema } from '../../src/core/validation/openApiSchema';
import { bundledCatalog } from '../../src/sandbox/bundledSchemas';

type Json = Record<string, unknown>;

const catalog = bundledCatalog();

function validate(object: Json): ObjectValidation {
  return validateKubernetesObject(structuredClone(object), catalog, { unknownFields: 'Strict' });
}

function all(result: ObjectValidation): { path: string; message: string; reason: string }[] {
  return [...result.decodeErrors, ...result.unknownFields, ...result.invalid].map(({ path, message, reason }) => ({ path, message, reason }));
}

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);

const container = (name: string): fc.Arbitrary<Json> =>
  fc.record({
    name: fc.constant(name),
    image: fc.constantFrom('nginx:1.27', 'busybox', 'ghcr.io/acme/shop@sha256:0123'),
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'Never'),
    ports: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }), { maxLength: 2 }),
    resources: fc.record({ limits: fc.record({ cpu: fc.constantFrom('500m', '1', 2), memory: fc.constantFrom('128Mi', '1Gi', '1e3') }) }),
  });

const deploymentArbitrary: fc.Arbitrary<Json> = fc
  .record({
    name: label,
    app: label,
    replicas: fc.integer({ min: 0, max: 1000 }),
    names: fc.uniqueArray(label, { minLength: 1, maxLength: 3 }),
  })
  .chain(({ name, app, replicas, names }) =>
    fc.tuple(...names.map(container)).map((containers) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'shop', labels: { app, 'app.kubernetes.io/part-of': 'shop' } },
      spec: {
        replicas,
        selector: { matchLabels: { app } },
        template: { metadata: { labels: { app } }, spec: { containers, restartPolicy: 'Always' } },
      },
    })),
  );

describe('shared validator against the bundled built-in schemas', () => {
  it('accepts every generated valid Deployment', () => {
    fc.assert(
      fc.property(deploymentArbitrary, (object) => {
        assert.deepEqual(all(validate(object)), []);
      }),
      fuzzRuns(200, 0x6b38),
    );
  });

  it('refuses one mutation of a valid Deployment at the mutated field, with the server\'s reason', () => {
    const mutations: { apply(object: Json): void; path: string; reason: string; message: RegExp }[] = [
      { apply: (o) => (spec(o).replicas = 'two'), path: 'spec.replicas', reason: 'FieldValueTypeInvalid', message: /^json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/ },
      { apply: (o) => (firstContainer(o).imagePullPolicy = 'Sometimes'), path: 'spec.template.spec.containers[0].imagePullPolicy', reason: 'FieldValueNotSupported', message: /^Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"$/ },
      { apply: (o) => (firstContainer(o).portz = []), path: 'spec.template.spec.containers[0].portz', reason: 'FieldValueUnknown', message: /^unknown field "spec\.template\.spec\.containers\[0\]\.portz"$/ },
      { apply: (o) => delete firstContainer(o).name, path: 'spec.template.spec.containers[0].name', reason: 'FieldValueRequired', message: /^Required value$/ },
      { apply: (o) => (firstContainer(o).ports = [{ containerPort: 0 }]), path: 'spec.template.spec.containers[0].ports[0].containerPort', reason: 'FieldValueInvalid', message: /^Invalid value: 0: must be between 1 and 65535, inclusive$/ },
      { apply: (o) => (firstContainer(o).ports = [{ containerPort: 80, protocol: 'HTTP' }]), path: 'spec.template.spec.containers[0].ports[0].protocol', reason: 'FieldValueNotSupported', message: /supported values: "SCTP", "TCP", "UDP"$/ },
      { apply: (o) => ((o.metadata as Json).name = 'Bad_Name'), path: 'metadata.name', reason: 'FieldValueInvalid', message: /^Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/ },
      { apply: (o) => (((o.metadata as Json).labels as Json)['bad key'] = 'x'), path: 'metadata.labels', reason: 'FieldValueInvalid', message: /^Invalid value: "bad key": name part must consist of/ },
      { apply: (o) => (podSpec(o).restartPolicy = 'Never'), path: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported', message: /^Unsupported value: "Never": supported values: "Always"$/ },
      { apply: (o) => (spec(o).replicas = -1), path: 'spec.replicas', reason: 'FieldValueInvalid', message: /must be greater than or equal to 0$/ },
      { apply: (o) => (spec(o).paused = 'yes'), path: 'spec.paused', reason: 'FieldValueTypeInvalid', message: /of type bool$/ },
    ];
    fc.assert(
      fc.property(deploymentArbitrary, fc.constantFrom(...mutations), (object, mutation) => {
        const mutated = structuredClone(object);
        mutation.apply(mutated);
        const problems = all(validate(mutated));
        const hit = problems.find((problem) => problem.path === mutation.path);
        assert.ok(hit, `expected a problem at ${mutation.path}, got ${JSON.stringify(problems)}`);
        assert.equal(hit.reason, mutation.reason);
        assert.match(hit.message, mutation.message);
        assert.ok(problems.every((problem) => problem.path === mutation.path), `only the mutated field is refused: ${JSON.stringify(problems)}`);
      }),
      fuzzRuns(300, 0x6b39),
    );
  });

  it('refuses duplicate container names across containers and init containers', () => {
    const object = baseDeployment();
    podSpec(object).initContainers = [{ name: 'nginx', image: 'busybox' }];
    assert.deepEqual(all(validate(object)).map((problem) => `${problem.path}: ${problem.message}`), ['spec.template.spec.initContainers[0].name: Duplicate value: "nginx"']);
  });

  it('reports an unparsable quantity as the decoder does', () => {
    const object = baseDeployment();
    firstContainer(object).resources = { requests: { cpu: 'lots' } };
    const result = validate(object);
    assert.equal(result.decodeErrors[0]?.path, 'spec.template.spec.containers[0].resources.requests[cpu]');
    assert.match(result.decodeErrors[0].message, /^quantities must match the regular expression/);
  });

  it('accepts int-or-string in both forms and refuses a boolean there', () => {
    const object = baseDeployment();
    spec(object).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } };
    assert.deepEqual(all(validate(object)), []);
    (spec(object).strategy as { rollingUpdate: Json }).rollingUpdate.maxSurge = true;
    assert.equal(all(validate(object))[0]?.path, 'spec.strategy.rollingUpdate.maxSurge');
  });

  it('checks selector syntax: operators, values for In and Exists', () => {
    const object = baseDeployment();
    spec(object).selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Has' }, { key: 'zone', operator: 'In', values: [] }] };
    assert.deepEqual(
      all(validate(object)).map((problem) => problem.path),
      ['spec.selector.matchExpressions[0].operator', 'spec.selector.matchExpressions[1].values', 'spec.template.metadata.labels'],
    );
  });
});

describe('immutable fields on update', () => {
  it('refuses a changed Deployment selector and a changed Job template; allows replicas', () => {
    const before = baseDeployment();
    const scaled = structuredClone(before);
    spec(scaled).replicas = 9;
    assert.deepEqual(immutableFieldProblems(before, scaled, 'apps', 'Deployment'), []);
    const moved = structuredClone(before);
    spec(moved).selector = { matchLabels: { app: 'other' } };
    const [problem] = immutableFieldProblems(before, moved, 'apps', 'Deployment');
    assert.equal(problem.path, 'spec.selector');
    assert.equal(problem.message, 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
    const job = { spec: { template: { spec: { containers: [{ name: 'a', image: 'one' }] } } } };
    const changedJob = { spec: { template: { spec: { containers: [{ name: 'a', image: 'two' }] } } } };
    assert.match(immutableFieldProblems(job, changedJob, 'batch', 'Job')[0].message, /field is immutable$/);
  });

  it('allows a bound claim to grow but not to change its class', () => {
    const claim = { spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } };
    const grown = { spec: { storageClassName: 'fast', resources: { requests: { storage: '2Gi' } }, volumeName: 'pv-1' } };
    assert.deepEqual(immutableFieldProblems(claim, grown, '', 'PersistentVolumeClaim'), []);
    const reclassed = { spec: { storageClassName: 'slow', resources: { requests: { storage: '1Gi' } } } };
    assert.equal(immutableFieldProblems(claim, reclassed, '', 'PersistentVolumeClaim')[0]?.path, 'spec');
  });

  it('refuses a changed Service clusterIP', () => {
    const before = { spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } };
    const after = { spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] } };
    assert.equal(immutableFieldProblems(before, after, '', 'Service')[0]?.message, 'Invalid value: []string{"10.96.0.11"}: may not change once set');
  });
});

describe('custom resources from their CRD', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { type: 'integer' },
                    port: { 'x-kubernetes-int-or-string': true },
                    color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
              },
            },
          },
        },
        { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
  const crs = new CustomResourceCatalog();
  crs.add(crd);
  const both = stackedCatalog([crs, catalog]);

  it('accepts a valid custom resource, fills defaults, keeps preserved fields', () => {
    const widget: Json = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3, port: 'http', extra: { anything: [1, { deep: true }] } } };
    const result = validateKubernetesObject(widget, both, { unknownFields: 'Strict', applyDefaults: true });
    assert.deepEqual(all(result), []);
    assert.equal((widget.spec as Json).color, 'red');
  });

  it('refuses wrong types, enum values, missing required fields and unknown fields', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { port: true, color: 'green', shape: 'round' } };
    const problems = all(validateKubernetesObject(widget, both, { unknownFields: 'Strict' }));
    assert.deepEqual(problems.map((problem) => `${problem.path}: ${problem.message}`).sort(), [
      'spec.color: Unsupported value: "green": supported values: "red", "blue"',
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      'spec.shape: unknown field "spec.shape"',
      'spec.size: Required value',
    ]);
  });

  it('knows only served versions', () => {
    assert.equal(crs.kindSchema('example.com', 'v0', 'Widget'), undefined);
    assert.equal(validateKubernetesObject({ apiVersion: 'example.com/v0', kind: 'Widget', metadata: { name: 'w' } }, both, { unknownFields: 'Strict' }).schemaFound, false);
  });
});

describe('hostile schemas', () => {
  it('answers a $ref cycle with no end in bounded time', () => {
    const schemas: Record<string, OpenApiSchema> = {};
    for (let i = 0; i < 100; i++) schemas[`s${i}`] = { $ref: `#/components/schemas/s${(i + 1) % 100}` };
    const started = performance.now();
    const result = validateAgainstSchema({ a: 1 }, { $ref: '#/components/schemas/s0' }, { resolve: (ref) => schemas[ref.slice(21)], unknownFields: 'Strict', style: 'structural' });
    assert.ok(performance.now() - started < 200);
    assert.deepEqual(result.invalid, []);
  });

  it('walks a self-referencing schema only as deep as the value, and stops a too-deep value', () => {
    const node: OpenApiSchema = { type: 'object', properties: { child: { $ref: '#/node' } } };
    let value: Json = {};
    for (let i = 0; i < 5000; i++) value = { child: value };
    const started = performance.now();
    const result = validateAgainstSchema(value, node, { resolve: () => node, unknownFields: 'Strict', style: 'structural' });
    assert.ok(performance.now() - started < 500);
    assert.equal(result.exhausted, true);
  });

  it('looks values up in a huge enum without scanning it each time', () => {
    const values = Array.from({ length: 200_000 }, (_, i) => `v${i}`);
    const schema: OpenApiSchema = { type: 'array', items: { type: 'string', enum: values } };
    const items = Array.from({ length: 20_000 }, (_, i) => `v${i * 7}`);
    const started = performance.now();
    const result = validateAgainstSchema([...items, 'nope'], schema, { resolve: () => undefined, unknownFields: 'Strict', style: 'structural' });
    assert.ok(performance.now() - started < 1000, `${performance.now() - started} ms`);
    assert.equal(result.invalid.length, 1);
    assert.equal(result.invalid[0].path, '[20000]');
  });

  it('stops after its step budget on a huge value', () => {
    const schema: OpenApiSchema = { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } };
    const value = Array.from({ length: 1000 }, () => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'])));
    const result = validateAgainstSchema(value, schema, { resolve: () => undefined, unknownFields: 'Strict', style: 'structural', stepBudget: 10_000 });
    assert.equal(result.exhausted, true);
  });
});

function baseDeployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  };
}

function spec(object: Json): Json {
  return object.spec as Json;
}

function podSpec(object: Json): Json {
  return (spec(object).template as Json).spec as Json;
}

function firstContainer(object: Json): Json {
  return (podSpec(object).containers as Json[])[0];
}
