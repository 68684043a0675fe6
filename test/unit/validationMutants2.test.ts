// The schema walk and the helpers around it in src/core/validation (schemaValidator.ts, immutableFields.ts,
// goValues.ts, schemaLookup.ts, modelTypeMaps.ts, yamlPathAt.ts, schemaCatalog.ts, schemaAsset.ts,
// objectValidator.ts, documentValidation.ts) on small hand-written schemas and model classes: Go type names in
// decode errors, structural type errors, int-or-string, quantities, int32 bounds, enums, required,
// defaults, unknown and embedded fields, pruning, the step/depth/ref bounds, update rules, hover
// lookups. Exists to kill the mutation survivors of those modules (`npm run mutate -- core-validation`);
// the bundled catalog is not loaded, so the file stays fast.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goTypeParts, validateAgainstSchema, type SchemaValidationOptions, type SchemaValidationResult } from '../../src/core/validation/schemaValidator';
import type { OpenApiSchema } from '../../src/core/validation/openApiSchema';
import { CustomResourceCatalog, crdKindSchemas, OpenApiDocumentCatalog, stackedCatalog, type KindSchema, type SchemaCatalog } from '../../src/core/validation/schemaCatalog';
import { buildSchemaAsset, parseSchemaAsset, parseSchemaDescriptions, SchemaAssetCatalog, splitSchemaAsset } from '../../src/core/validation/schemaAsset';
import { BUNDLED_KUBERNETES_VERSION, BUNDLED_SCHEMA_SOURCE } from '../../src/core/validation/bundledVersion';
import { IncrementalDocumentValidator, manifestDiagnostics, MAX_VALIDATED_TEXT, textDiagnostics, type ManifestDiagnostic } from '../../src/core/validation/documentValidation';
import { parseManifests, type ParsedManifest } from '../../src/core/manifest';
import { fieldAt } from '../../src/core/validation/yamlPathAt';
import { declaredFields, describeField, enumText, schemaAtPath, schemaTypeText } from '../../src/core/validation/schemaLookup';
import { MODEL_REF_PREFIX, ModelSchemaCatalog, modelNameCandidates, modelNameOfKind, modelSchema } from '../../src/core/validation/modelTypeMaps';

type Json = Record<string, unknown>;

const REF = '#/components/schemas/';

/** A small Go-style model set, as the bundled asset shapes it. */
const models: Record<string, OpenApiSchema> = {
  V1Thing: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: `${REF}V1ObjectMeta` },
      spec: { $ref: `${REF}V1ThingSpec` },
    },
  },
  V1ObjectMeta: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } }, creationTimestamp: { $ref: `${REF}V1Time` } } },
  V1Time: { type: 'string', format: 'date-time' },
  V1MicroTime: { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  V1ThingSpec: {
    type: 'object',
    properties: {
      replicas: { type: 'integer', format: 'int32' },
      count: { type: 'integer', format: 'int64' },
      plain: { type: 'integer' },
      ratio: { type: 'number', format: 'double' },
      paused: { type: 'boolean' },
      name: { type: 'string' },
      names: { type: 'array', items: { type: 'string' } },
      anything: { type: 'array' },
      items: { type: 'array', items: { $ref: `${REF}V1Item` } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      free: { type: 'object' },
      byName: { type: 'object', additionalProperties: { $ref: `${REF}V1Item` } },
      port: { 'x-kubernetes-int-or-string': true },
      portText: { type: 'string', format: 'int-or-string' },
      at: { $ref: `${REF}V1Time` },
      microAt: { $ref: `${REF}V1MicroTime` },
      size: { type: 'string', format: 'quantity' },
      cpu: { $ref: `${REF}io.k8s.apimachinery.pkg.api.resource.Quantity` },
      wrapped: { allOf: [{ $ref: `${REF}V1Item` }], description: 'a wrapped ref' },
      raw: {},
      policy: { type: 'string', enum: ['Always', 'Never'] },
      level: { type: 'integer', enum: [1, 2] },
      weight: { type: 'number', enum: [0.5, 1.5] },
      shape: { type: 'object', enum: [{ a: 1 }], additionalProperties: true },
      more: { type: 'object', additionalProperties: true },
      ext: { $ref: `${REF}AppsV1beta2Ext` },
      nested: { type: 'array', items: { type: 'array', items: { type: 'integer', format: 'int32' } } },
      mapOfLists: { type: 'object', additionalProperties: { type: 'array', items: { type: 'number' } } },
    },
  },
  V1Item: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'integer', format: 'int32' } }, required: ['name'] },
  AppsV1beta2Ext: { type: 'object', properties: { on: { type: 'boolean' } } },
};

const resolve = (ref: string): OpenApiSchema | undefined => (ref.startsWith(REF) ? models[ref.slice(REF.length)] : undefined);

function goCheck(spec: Json, extra: Partial<SchemaValidationOptions> = {}): SchemaValidationResult {
  return validateAgainstSchema({ apiVersion: 'example/v1', kind: 'Thing', metadata: { name: 'a' }, spec }, { $ref: `${REF}V1Thing` }, { resolve, unknownFields: 'Strict', style: 'go', ...extra });
}

const decodeMessages = (result: SchemaValidationResult): string[] => result.decodeErrors.map((problem) => `${problem.path}: ${problem.message}`);
const invalidMessages = (result: SchemaValidationResult): string[] => result.invalid.map((problem) => `${problem.path}: ${problem.message}`);

describe('schemaValidator: Go type names of built-in models', () => {
  it('goTypeParts reads the package and type from a dotted or a generated model name', () => {
    const cases: [string, { pkg: string; name: string }][] = [
      ['io.k8s.api.apps.v1.DeploymentSpec', { pkg: 'v1', name: 'DeploymentSpec' }],
      ['#/definitions/io.k8s.api.autoscaling.v2.MetricSpec', { pkg: 'v2', name: 'MetricSpec' }],
      ['#/components/schemas/V1DeploymentSpec', { pkg: 'v1', name: 'DeploymentSpec' }],
      ['V2beta1Foo', { pkg: 'v2beta1', name: 'Foo' }],
      ['V1alpha1Foo', { pkg: 'v1alpha1', name: 'Foo' }],
      ['V1alpha12Foo', { pkg: 'v1alpha12', name: 'Foo' }],
      ['V1beta12Foo', { pkg: 'v1beta12', name: 'Foo' }],
      ['V12Foo', { pkg: 'v12', name: 'Foo' }],
      ['CoreV1Event', { pkg: 'v1', name: 'Event' }],
      ['EventsV1Event', { pkg: 'v1', name: 'Event' }],
      ['FlowcontrolApiserverV1FlowSchema', { pkg: 'v1', name: 'FlowSchema' }],
      ['lowerV1Foo', { pkg: 'v1', name: 'lowerV1Foo' }],
      ['CORV1Foo', { pkg: 'v1', name: 'CORV1Foo' }],
      ['Plain', { pkg: 'v1', name: 'Plain' }],
      ['V1', { pkg: 'v1', name: 'V1' }],
    ];
    for (const [ref, expected] of cases) assert.deepEqual(goTypeParts(ref), expected, ref);
    assert.deepEqual(goTypeParts('V1alpha1Foo'), { pkg: 'v1alpha1', name: 'Foo' }, 'the cached answer is the same');
  });

  it('a wrong JSON type is a decode error naming the enclosing Go struct, the field path and the Go type', () => {
    const result = goCheck({
      replicas: 'two',
      count: true,
      plain: 1.5,
      ratio: 'x',
      paused: 1,
      name: { a: 1 },
      names: 'web',
      anything: {},
      items: [{ name: 'a', value: 'x' }, 3],
      labels: [],
      free: 'x',
      byName: 'x',
      port: true,
      at: 5,
      microAt: false,
      cpu: [],
      ext: 'x',
      nested: [[1, 'x']],
      more: 'x',
    });
    assert.deepEqual(decodeMessages(result), [
      'spec.replicas: json: cannot unmarshal string into Go struct field ThingSpec.spec.replicas of type int32',
      'spec.count: json: cannot unmarshal bool into Go struct field ThingSpec.spec.count of type int64',
      'spec.plain: json: cannot unmarshal number 1.5 into Go struct field ThingSpec.spec.plain of type int64',
      'spec.ratio: json: cannot unmarshal string into Go struct field ThingSpec.spec.ratio of type float64',
      'spec.paused: json: cannot unmarshal number into Go struct field ThingSpec.spec.paused of type bool',
      'spec.name: json: cannot unmarshal object into Go struct field ThingSpec.spec.name of type string',
      'spec.names: json: cannot unmarshal string into Go struct field ThingSpec.spec.names of type []string',
      'spec.anything: json: cannot unmarshal object into Go struct field ThingSpec.spec.anything of type []interface {}',
      'spec.items[0].value: json: cannot unmarshal string into Go struct field Item.spec.items.value of type int32',
      'spec.items[1]: json: cannot unmarshal number into Go struct field ThingSpec.spec.items of type v1.Item',
      'spec.labels: json: cannot unmarshal array into Go struct field ThingSpec.spec.labels of type map[string]string',
      'spec.free: json: cannot unmarshal string into Go struct field ThingSpec.spec.free of type map[string]interface {}',
      'spec.byName: json: cannot unmarshal string into Go struct field ThingSpec.spec.byName of type map[string]v1.Item',
      'spec.port: json: cannot unmarshal bool into Go struct field ThingSpec.spec.port of type intstr.IntOrString',
      'spec.at: json: cannot unmarshal number into Go struct field ThingSpec.spec.at of type v1.Time',
      'spec.microAt: json: cannot unmarshal bool into Go struct field ThingSpec.spec.microAt of type v1.MicroTime',
      'spec.cpu: json: cannot unmarshal array into Go struct field ThingSpec.spec.cpu of type resource.Quantity',
      'spec.ext: json: cannot unmarshal string into Go struct field ThingSpec.spec.ext of type v1beta2.Ext',
      'spec.nested[0][1]: json: cannot unmarshal string into Go struct field ThingSpec.spec.nested of type int32',
      'spec.more: json: cannot unmarshal string into Go struct field ThingSpec.spec.more of type map[string]interface {}',
    ]);
    assert.deepEqual(result.decodeErrors[8].segments, ['spec', 'items', 0, 'value']);
    assert.deepEqual(goCheck({ mapOfLists: { a: ['x'] } }).decodeErrors.map((problem) => [problem.path, problem.segments]), [['spec.mapOfLists[a][0]', ['spec', 'mapOfLists', 'a', 0]]]);
    assert.deepEqual(result.decodeErrors.map((problem) => problem.reason), result.decodeErrors.map(() => 'FieldValueTypeInvalid'));
    assert.deepEqual(result.invalid, []);
    assert.deepEqual(result.unknownFields, []);
  });

  it('the Go type of a list or map whose items have no structure, of an untyped field, and of a ref-less array of refs', () => {
    const schema: OpenApiSchema = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'array' } },
        map: { type: 'object', additionalProperties: { type: 'object' } },
        mystery: { type: 'object', additionalProperties: { type: 'mystery' } },
        deep: { type: 'array', items: { $ref: 'missing' } },
      },
    };
    const result = validateAgainstSchema({ list: 1, map: 2, mystery: 3, deep: 4 }, schema, { resolve, unknownFields: 'Strict', style: 'go' });
    assert.deepEqual(
      result.decodeErrors.map((problem) => problem.message),
      [
        'json: cannot unmarshal number into Go struct field .list of type [][]interface {}',
        'json: cannot unmarshal number into Go struct field .map of type map[string]map[string]interface {}',
        'json: cannot unmarshal number into Go struct field .mystery of type map[string]interface {}',
        'json: cannot unmarshal number into Go struct field .deep of type []interface {}',
      ],
    );
  });

  it('a date-time string, a decimal number and any JSON under an untyped field decode', () => {
    const result = goCheck({ at: '2024-01-01T00:00:00Z', ratio: 2, raw: { any: [1, 'x'] }, portText: 'http', plain: -3, count: 2 ** 40 });
    assert.deepEqual(decodeMessages(result), []);
    assert.deepEqual(result.invalid, []);
  });
});

describe('schemaValidator: numbers, int-or-string, quantities', () => {
  it('int32 holds −2³¹ … 2³¹−1; int64 and plain integers are not bounded so', () => {
    const bad = (value: number): string[] => decodeMessages(goCheck({ replicas: value }));
    assert.deepEqual(bad(2 ** 31 - 1), []);
    assert.deepEqual(bad(-(2 ** 31)), []);
    assert.deepEqual(bad(2 ** 31), ['spec.replicas: json: cannot unmarshal number 2147483648 into Go struct field ThingSpec.spec.replicas of type int32'.replace('number 2147483648', 'number')]);
    assert.deepEqual(bad(-(2 ** 31) - 1), ['spec.replicas: json: cannot unmarshal number into Go struct field ThingSpec.spec.replicas of type int32']);
    assert.deepEqual(decodeMessages(goCheck({ count: 2 ** 31, plain: -(2 ** 31) - 1 })), []);
  });

  it('int-or-string takes a string or an integer, nothing else', () => {
    for (const port of ['http', 80, 0, -1]) assert.deepEqual(decodeMessages(goCheck({ port })), [], String(port));
    for (const port of [1.5, true, [], {}]) assert.equal(goCheck({ port }).decodeErrors.length, 1, JSON.stringify(port));
    assert.deepEqual(decodeMessages(goCheck({ port: 1.5 })), ['spec.port: json: cannot unmarshal number 1.5 into Go struct field ThingSpec.spec.port of type intstr.IntOrString']);
    // The `int-or-string` format on a string field is still a string field.
    assert.deepEqual(decodeMessages(goCheck({ portText: 80 })), ['spec.portText: json: cannot unmarshal number into Go struct field ThingSpec.spec.portText of type string']);
  });

  it('a quantity is a number or a string of resource.Quantity’s grammar', () => {
    const message = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    const good = ['1', '+1', '-1', '1.', '1.5', '.5', '.55', '-.25Mi', '500m', '1Gi', '128Mi', '1Ki', '2Ei', '1e3', '1E-3', '1e+3', '12n', '3u', '1k', '1M', '1G', '1T', '1P', '1E', '1.25Gi', '10.5e12'];
    const bad = ['', 'x', '1x', '++1', '1.2.3', '.', '1e', '1Gb', 'Gi', '1ki', '1 Gi', ' 1', '1Gi ', 'a1', '1.x', '.x', '1e+', '1e3.5', '1ee3', '-.5x', '1mi'];
    for (const size of good) assert.deepEqual(decodeMessages(goCheck({ size })), [], size);
    for (const size of [0, 1.5, -2]) assert.deepEqual(decodeMessages(goCheck({ size })), [], String(size));
    for (const size of bad) assert.deepEqual(decodeMessages(goCheck({ size })), [`spec.size: ${message}`], size);
    assert.deepEqual(goCheck({ size: 'x' }).decodeErrors[0].reason, 'FieldValueInvalid');
    assert.deepEqual(decodeMessages(goCheck({ cpu: 'lots' })), [`spec.cpu: ${message}`]);
    assert.deepEqual(decodeMessages(goCheck({ cpu: '250m' })), []);
    assert.deepEqual(decodeMessages(goCheck({ size: true })), ['spec.size: json: cannot unmarshal bool into Go struct field ThingSpec.spec.size of type string']);
    const structural = validateAgainstSchema({ size: '1Gb' }, { type: 'object', properties: { size: { type: 'string', format: 'quantity' } } }, { resolve, unknownFields: 'Strict', style: 'structural' });
    assert.deepEqual(structural.decodeErrors, []);
    assert.deepEqual(invalidMessages(structural), [`size: Invalid value: "1Gb": ${message}`]);
    assert.deepEqual(structural.invalid[0].reason, 'FieldValueInvalid');
  });

  it('null is an absent value for every type, and a required field given null is missing', () => {
    assert.deepEqual(validateAgainstSchema(undefined, { type: 'string' }, { resolve, unknownFields: 'Strict', style: 'structural' }).invalid, []);
    assert.deepEqual(validateAgainstSchema({ a: undefined }, { type: 'object', properties: { a: { type: 'string' } } }, { resolve, unknownFields: 'Strict', style: 'go' }).decodeErrors, []);
    const result = goCheck({ replicas: null, name: null, names: null, labels: null, port: null, size: null, paused: null, items: [{ name: null }], policy: null });
    assert.deepEqual(decodeMessages(result), []);
    assert.deepEqual(invalidMessages(result), ['spec.items[0].name: Required value']);
  });
});

describe('schemaValidator: enums, required fields', () => {
  it('an enum refuses other values with every supported value listed (objects compared by content)', () => {
    assert.deepEqual(invalidMessages(goCheck({ policy: 'Sometimes', level: 3, weight: 0.25, shape: { a: 2 } })), [
      'spec.policy: Unsupported value: "Sometimes": supported values: "Always", "Never"',
      'spec.level: Unsupported value: 3: supported values: 1, 2',
      'spec.weight: Unsupported value: 0.25: supported values: 0.5, 1.5',
    ]);
    assert.deepEqual(invalidMessages(goCheck({ policy: 'Always', level: 2, weight: 1.5 })), []);
    assert.deepEqual(goCheck({ policy: 'x' }).invalid[0].reason, 'FieldValueNotSupported');
    const schema: OpenApiSchema = { type: 'object', properties: { choice: { enum: [{ a: 1 }, null, 'x'] } } };
    // An untyped field is not checked against its enum (no type: anything goes).
    assert.deepEqual(validateAgainstSchema({ choice: { a: 2 } }, schema, { resolve, unknownFields: 'Strict', style: 'structural' }).invalid, []);
    const typed: OpenApiSchema = { type: 'object', properties: { choice: { type: 'string', enum: ['{"a":1}'] } } };
    assert.deepEqual(invalidMessages(validateAgainstSchema({ choice: '{"a":1}' }, typed, { resolve, unknownFields: 'Strict', style: 'structural' })), []);
    const objectEnum: OpenApiSchema = { type: 'object', properties: { choice: { type: 'string', enum: [{ a: 1 }] } } };
    assert.deepEqual(invalidMessages(validateAgainstSchema({ choice: '{"a":1}' }, objectEnum, { resolve, unknownFields: 'Strict', style: 'structural' })), [], 'an object enum value is compared as its JSON text');
    const nullEnum: OpenApiSchema = { type: 'object', properties: { choice: { type: 'string', enum: [null, 'null'] } } };
    assert.deepEqual(invalidMessages(validateAgainstSchema({ choice: 'null' }, nullEnum, { resolve, unknownFields: 'Strict', style: 'structural' })), []);
    const emptyEnum: OpenApiSchema = { type: 'object', properties: { choice: { type: 'string', enum: [] } } };
    assert.deepEqual(invalidMessages(validateAgainstSchema({ choice: 'x' }, emptyEnum, { resolve, unknownFields: 'Strict', style: 'structural' })), []);
  });

  it('an enum of more than 100 values lists 100 and says how many more; exactly 100 are all listed', () => {
    const values = (count: number): string[] => Array.from({ length: count }, (_, index) => `v${index}`);
    const message = (count: number): string =>
      validateAgainstSchema({ choice: 'none' }, { type: 'object', properties: { choice: { type: 'string', enum: values(count) } } }, { resolve, unknownFields: 'Strict', style: 'structural' }).invalid[0].message;
    const hundred = values(100).map((value) => JSON.stringify(value)).join(', ');
    assert.equal(message(100), `Unsupported value: "none": supported values: ${hundred}`);
    assert.equal(message(101), `Unsupported value: "none": supported values: ${hundred}, … (1 more)`);
    assert.equal(message(250), `Unsupported value: "none": supported values: ${hundred}, … (150 more)`);
  });

  it('required fields absent or null are reported at their own path', () => {
    const schema: OpenApiSchema = { type: 'object', required: ['a', 'b', 'c'], properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } };
    const result = validateAgainstSchema({ a: 'x', b: null }, schema, { resolve, unknownFields: 'Strict', style: 'structural' });
    assert.deepEqual(result.invalid, [
      { path: 'b', segments: ['b'], reason: 'FieldValueRequired', message: 'Required value' },
      { path: 'c', segments: ['c'], reason: 'FieldValueRequired', message: 'Required value' },
    ]);
  });
});

describe('schemaValidator: structural (custom resource) type errors', () => {
  const crd: OpenApiSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          ratio: { type: 'number' },
          on: { type: 'boolean' },
          text: { type: 'string' },
          list: { type: 'array', items: { type: 'string' } },
          port: { 'x-kubernetes-int-or-string': true },
          map: { type: 'object', additionalProperties: { type: 'integer' } },
          props: { properties: { a: { type: 'string' } } },
          loose: { additionalProperties: { type: 'string' } },
          keep: { 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
          keepTyped: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  };
  const check = (spec: Json): string[] => invalidMessages(validateAgainstSchema({ spec }, crd, { resolve, unknownFields: 'Strict', style: 'structural' }));

  it('says the expected and the given JSON type in the server’s words', () => {
    assert.deepEqual(check({ size: 'big', ratio: 'x', on: 'yes', text: 1.5, list: {}, port: [], map: { a: 1.5 } }), [
      'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
      'spec.ratio: Invalid value: "string": spec.ratio in body must be of type number: "string"',
      'spec.on: Invalid value: "string": spec.on in body must be of type boolean: "string"',
      'spec.text: Invalid value: "number": spec.text in body must be of type string: "number"',
      'spec.list: Invalid value: "object": spec.list in body must be of type array: "object"',
      'spec.port: Invalid value: "array": spec.port in body must be of type integer,string: "array"',
      'spec.map[a]: Invalid value: "number": spec.map[a] in body must be of type integer: "number"',
    ]);
    assert.deepEqual(check({ size: 1.5, text: 2, on: [], list: [true] }), [
      'spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"',
      'spec.text: Invalid value: "integer": spec.text in body must be of type string: "integer"',
      'spec.on: Invalid value: "array": spec.on in body must be of type boolean: "array"',
      'spec.list[0]: Invalid value: "boolean": spec.list[0] in body must be of type string: "boolean"',
    ]);
  });

  it('a schema with properties or additionalProperties is an object schema even without a type', () => {
    assert.deepEqual(check({ props: 'x', loose: 3 }), [
      'spec.props: Invalid value: "string": spec.props in body must be of type object: "string"',
      'spec.loose: Invalid value: "integer": spec.loose in body must be of type object: "integer"',
    ]);
    assert.deepEqual(check({ props: { a: 1 }, loose: { b: 2 } }), [
      'spec.props.a: Invalid value: "integer": spec.props.a in body must be of type string: "integer"',
      'spec.loose[b]: Invalid value: "integer": spec.loose[b] in body must be of type string: "integer"',
    ]);
  });

  it('x-kubernetes-preserve-unknown-fields without a type takes any JSON; with type object only objects', () => {
    assert.deepEqual(check({ keep: 'anything' }), []);
    assert.deepEqual(check({ keep: [1] }), []);
    assert.deepEqual(check({ keep: { a: 1, other: 2 } }), ['spec.keep.a: Invalid value: "integer": spec.keep.a in body must be of type string: "integer"']);
    assert.deepEqual(check({ keepTyped: 'x' }), ['spec.keepTyped: Invalid value: "string": spec.keepTyped in body must be of type object: "string"']);
    assert.deepEqual(check({ keepTyped: { any: { thing: 1 } } }), []);
  });
});

describe('schemaValidator: unknown fields, embedded resources, pruning, defaults', () => {
  const schema: OpenApiSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          a: { type: 'string' },
          inner: { type: 'object', properties: { b: { type: 'string' } } },
          embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
          open: { type: 'object', additionalProperties: true },
          closed: { type: 'object', additionalProperties: false, properties: { c: { type: 'string' } } },
        },
      },
    },
  };

  it('every undeclared field is reported once, with its path, in the order found', () => {
    const result = validateAgainstSchema(
      { apiVersion: 'x/v1', kind: 'K', metadata: {}, extra: 1, spec: { z: 1, inner: { kind: 'x', b: 'y', c: 2 }, embedded: { apiVersion: 'v1', kind: 'Pod', metadata: {}, other: 1 }, open: { any: 1 }, closed: { d: 1 } } },
      schema,
      { resolve, unknownFields: 'Strict', style: 'structural' },
    );
    assert.deepEqual(
      result.unknownFields.map((problem) => [problem.path, problem.message, problem.reason]),
      [
        ['extra', 'unknown field "extra"', 'FieldValueUnknown'],
        ['spec.z', 'unknown field "spec.z"', 'FieldValueUnknown'],
        ['spec.inner.kind', 'unknown field "spec.inner.kind"', 'FieldValueUnknown'],
        ['spec.inner.c', 'unknown field "spec.inner.c"', 'FieldValueUnknown'],
        ['spec.embedded.other', 'unknown field "spec.embedded.other"', 'FieldValueUnknown'],
        ['spec.closed.d', 'unknown field "spec.closed.d"', 'FieldValueUnknown'],
      ],
    );
    assert.deepEqual(result.unknownFields[2].segments, ['spec', 'inner', 'kind']);
  });

  it('prune removes exactly the unknown fields; without it the value is untouched', () => {
    const value = { apiVersion: 'x/v1', extra: 1, spec: { a: 'x', z: 1, open: { any: 1 } } };
    const kept = structuredClone(value);
    validateAgainstSchema(kept, schema, { resolve, unknownFields: 'Strict', style: 'structural' });
    assert.deepEqual(kept, value);
    const pruned = structuredClone(value);
    validateAgainstSchema(pruned, schema, { resolve, unknownFields: 'Ignore', style: 'structural', prune: true });
    assert.deepEqual(pruned, { apiVersion: 'x/v1', spec: { a: 'x', open: { any: 1 } } });
  });

  it('defaults fill absent fields only, when asked, as copies', () => {
    const shared = { n: 1 };
    const withDefaults: OpenApiSchema = {
      type: 'object',
      properties: { a: { type: 'string', default: 'x' }, b: { type: 'object', default: shared }, c: { type: 'string' }, d: { type: 'integer', default: 0 } },
    };
    const value: Json = { a: 'given', d: null };
    validateAgainstSchema(value, withDefaults, { resolve, unknownFields: 'Strict', style: 'structural', applyDefaults: true });
    assert.deepEqual(value, { a: 'given', b: { n: 1 }, d: null });
    assert.notEqual(value.b, shared);
    assert.equal(Object.prototype.hasOwnProperty.call(value, 'c'), false);
    const untouched: Json = {};
    validateAgainstSchema(untouched, withDefaults, { resolve, unknownFields: 'Strict', style: 'structural' });
    assert.deepEqual(untouched, {});
  });
});

describe('schemaValidator: bounds', () => {
  it('a $ref chain is followed 64 hops deep and no further', () => {
    const chain = (length: number): SchemaValidationResult =>
      validateAgainstSchema('x', { $ref: 'r0' }, {
        resolve: (ref) => {
          const index = Number(ref.slice(1));
          return index < length ? { $ref: `r${index + 1}` } : { type: 'integer' };
        },
        unknownFields: 'Strict',
        style: 'structural',
      });
    assert.equal(chain(62).invalid.length, 1);
    assert.equal(chain(63).invalid.length, 0);
    assert.equal(chain(63).exhausted, false);
  });

  it('single-element allOf wrappers are followed; allOf beside a type or properties, or with two entries, is not', () => {
    const check = (schema: OpenApiSchema): number => validateAgainstSchema({ v: 'x' }, { type: 'object', properties: { v: schema } }, { resolve, unknownFields: 'Strict', style: 'structural' }).invalid.length;
    assert.equal(check({ allOf: [{ type: 'integer' }] }), 1);
    assert.equal(check({ allOf: [{ allOf: [{ type: 'integer' }] }] }), 1);
    assert.equal(check({ allOf: [{ type: 'integer' }, { type: 'integer' }] }), 0);
    assert.equal(check({ allOf: [{ type: 'integer' }], type: 'string' }), 0);
    assert.equal(check({ allOf: [{ type: 'integer' }], properties: {} }), 1, 'an object schema: a string is no object');
    assert.equal(check({ allOf: [{ type: 'integer' }], properties: { a: {} } }), 1);
    const wrapped = goCheck({ wrapped: { value: 'x' } });
    assert.deepEqual(decodeMessages(wrapped), ['spec.wrapped.value: json: cannot unmarshal string into Go struct field Item.spec.wrapped.value of type int32']);
    assert.deepEqual(invalidMessages(wrapped), ['spec.wrapped.name: Required value']);
  });

  it('a $ref no resolver knows checks nothing', () => {
    assert.deepEqual(validateAgainstSchema({ a: 1 }, { $ref: 'nowhere' }, { resolve, unknownFields: 'Strict', style: 'go' }), { decodeErrors: [], unknownFields: [], invalid: [], exhausted: false });
  });

  it('the step budget counts one step per value: exactly enough is not exhausted', () => {
    const schema: OpenApiSchema = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'array', items: { type: 'string' } } } };
    const run = (stepBudget: number): SchemaValidationResult => validateAgainstSchema({ a: 'x', b: ['1', 2] }, schema, { resolve, unknownFields: 'Strict', style: 'structural', stepBudget });
    assert.equal(run(5).exhausted, false);
    assert.equal(run(5).invalid.length, 2);
    assert.equal(run(4).exhausted, true);
    assert.equal(run(4).invalid.length, 1);
    assert.equal(run(2).invalid.length, 1);
    assert.equal(run(1).invalid.length, 0);
  });

  it('values nest 512 deep (objects, lists and maps alike), and no deeper', () => {
    const models2: Record<string, OpenApiSchema> = {
      Obj: { type: 'object', properties: { c: { $ref: 'Obj' } } },
      List: { type: 'array', items: { $ref: 'List' } },
      Map: { type: 'object', additionalProperties: { $ref: 'Map' } },
    };
    const options: SchemaValidationOptions = { resolve: (ref) => models2[ref], unknownFields: 'Strict', style: 'structural' };
    const nest = (depth: number, wrap: (inner: unknown) => unknown): unknown => {
      let value: unknown = {};
      for (let i = 0; i < depth; i++) value = wrap(value);
      return value;
    };
    const asObj = (inner: unknown): unknown => ({ c: inner });
    const asList = (inner: unknown): unknown => [inner];
    const asMap = (inner: unknown): unknown => ({ k: inner });
    assert.equal(validateAgainstSchema(nest(512, asObj), { $ref: 'Obj' }, options).exhausted, false);
    assert.equal(validateAgainstSchema(nest(513, asObj), { $ref: 'Obj' }, options).exhausted, true);
    assert.equal(validateAgainstSchema(nest(700, asList), { $ref: 'List' }, options).exhausted, true);
    assert.equal(validateAgainstSchema(nest(700, asMap), { $ref: 'Map' }, options).exhausted, true);
    assert.equal(validateAgainstSchema(nest(300, asMap), { $ref: 'Map' }, options).exhausted, false);
  });
});

// ——— schemaLookup (the hover and "did you mean") ———

const lookupModels: Record<string, OpenApiSchema> = {
  V1Pod: { type: 'object', properties: { metadata: { $ref: `${REF}V1ObjectMeta` }, spec: { allOf: [{ $ref: `${REF}V1PodSpec` }], description: '  The pod spec.  ' } } },
  V1ObjectMeta: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
  V1PodSpec: {
    type: 'object',
    description: 'PodSpec model',
    properties: {
      containers: { type: 'array', items: { $ref: `${REF}io.k8s.api.core.v1.Container` } },
      restartPolicy: { type: 'string', enum: ['Always', 'OnFailure', 'Never'] },
      overhead: { type: 'object', additionalProperties: { $ref: `${REF}io.k8s.apimachinery.pkg.api.resource.Quantity` } },
      priority: { type: 'integer', format: 'int32' },
      ratio: { type: 'number' },
      hostNetwork: { type: 'boolean' },
      port: { 'x-kubernetes-int-or-string': true },
      portText: { type: 'string', format: 'int-or-string' },
      size: { type: 'string', format: 'quantity' },
      grid: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'string' } } } } },
      cube: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'string' } } } } } },
      untypedDeep: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: {} } } } },
      mapDeep: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } } } },
      mapDeeper: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } } } } },
      nullMap: { type: 'object', additionalProperties: null as unknown as OpenApiSchema },
      loose: { type: 'array' },
      lostMap: { type: 'object', additionalProperties: { $ref: 'nowhere' } },
      lostItems: { type: 'array', items: { $ref: 'nowhere' } },
      free: {},
      object: { type: 'object' },
      withProps: { properties: { a: { type: 'string' } } },
      twoAllOf: { allOf: [{ type: 'string' }, { type: 'integer' }] },
      typedAllOf: { type: 'string', allOf: [{ type: 'integer' }] },
      propsAllOf: { properties: {}, allOf: [{ type: 'integer' }] },
      many: { type: 'string', enum: Array.from({ length: 25 }, (_, index) => `e${index}`) },
      twenty: { type: 'string', enum: Array.from({ length: 20 }, (_, index) => `e${index}`) },
    },
  },
  'io.k8s.api.core.v1.Container': { type: 'object', properties: { name: { type: 'string', description: 'Container name.' }, image: { type: 'string' }, blank: { type: 'string', description: '   ' } } },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
};
const podKind: KindSchema = { root: { $ref: `${REF}V1Pod` }, resolve: (ref) => (ref.startsWith(REF) ? lookupModels[ref.slice(REF.length)] : undefined), style: 'go', builtin: true };
const typeAt = (...segments: (string | number)[]): string | undefined => {
  const field = schemaAtPath(podKind, segments);
  return field ? schemaTypeText(field, podKind) : undefined;
};

describe('schemaLookup: the schema at a path', () => {
  it('follows fields, list items, map values and wrappers, and says which model declares the field', () => {
    assert.equal(schemaAtPath(podKind, [])?.refName, `${REF}V1Pod`);
    const container = schemaAtPath(podKind, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(container, { schema: lookupModels['io.k8s.api.core.v1.Container'].properties?.name, refName: undefined, description: 'Container name.', parentModel: 'io.k8s.api.core.v1.Container', fieldName: 'name' });
    const spec = schemaAtPath(podKind, ['spec']);
    assert.equal(spec?.schema, lookupModels.V1PodSpec);
    assert.equal(spec?.description, '  The pod spec.  ', 'the wrapper’s own description comes first');
    assert.equal(spec?.parentModel, 'V1Pod');
    assert.equal(schemaAtPath(podKind, ['spec', 'restartPolicy'])?.parentModel, 'V1PodSpec');
    assert.equal(schemaAtPath(podKind, ['spec', 'containers'])?.description, undefined);
    assert.equal(schemaAtPath(podKind, ['metadata'])?.description, undefined);
    assert.deepEqual(schemaAtPath(podKind, ['metadata', 'labels', 'app'])?.schema, { type: 'string' });
    assert.equal(schemaAtPath(podKind, ['metadata', 'labels', 'app'])?.fieldName, undefined);
    assert.equal(schemaAtPath(podKind, ['metadata', 'nope']), undefined);
    assert.equal(schemaAtPath(podKind, ['spec', 'restartPolicy', 0]), undefined);
    assert.equal(schemaAtPath(podKind, ['spec', 'free', 'x']), undefined);
    assert.equal(schemaAtPath(podKind, ['spec', 'lostItems', 0]), undefined);
  });

  it('apiVersion and kind exist at the root of every kind, and nowhere else', () => {
    assert.deepEqual(schemaAtPath(podKind, ['apiVersion'])?.schema, { type: 'string' });
    assert.deepEqual(schemaAtPath(podKind, ['kind'])?.schema, { type: 'string' });
    assert.equal(typeAt('kind'), 'string');
    assert.equal(schemaAtPath(podKind, ['spec', 'kind']), undefined);
    assert.equal(schemaAtPath(podKind, ['metadata', 'apiVersion']), undefined);
  });

  it('single-element allOf wrappers are unwrapped, others are the field’s own schema', () => {
    assert.equal(schemaAtPath(podKind, ['spec', 'twoAllOf'])?.schema, lookupModels.V1PodSpec.properties?.twoAllOf);
    assert.equal(schemaAtPath(podKind, ['spec', 'typedAllOf'])?.schema, lookupModels.V1PodSpec.properties?.typedAllOf);
    assert.equal(schemaAtPath(podKind, ['spec', 'propsAllOf'])?.schema, lookupModels.V1PodSpec.properties?.propsAllOf);
  });

  it('a $ref chain is followed 64 hops and no further', () => {
    const chain = (length: number): KindSchema => ({ root: { $ref: 'r0' }, resolve: (ref) => (Number(ref.slice(1)) < length ? { $ref: `r${Number(ref.slice(1)) + 1}` } : { type: 'integer' }), style: 'structural', builtin: false });
    assert.deepEqual(schemaAtPath(chain(62), [])?.schema, { type: 'integer' });
    assert.equal(schemaAtPath(chain(63), []), undefined);
  });

  it('declaredFields: a parent’s field names; the root adds apiVersion, kind and metadata once', () => {
    assert.deepEqual(declaredFields(podKind, []), ['metadata', 'spec', 'apiVersion', 'kind']);
    assert.deepEqual(declaredFields(podKind, ['spec', 'containers', 0]), ['name', 'image', 'blank']);
    assert.deepEqual(declaredFields(podKind, ['metadata', 'labels']), []);
    assert.deepEqual(declaredFields(podKind, ['nope']), []);
  });

  it('schemaTypeText names every shape, and stops four levels down', () => {
    assert.equal(typeAt('spec', 'containers'), '[]Container');
    assert.equal(typeAt('spec', 'containers', 0), 'Container');
    assert.equal(typeAt('spec', 'restartPolicy'), 'string');
    assert.equal(typeAt('spec', 'priority'), 'integer (int32)');
    assert.equal(typeAt('spec', 'ratio'), 'number');
    assert.equal(typeAt('spec', 'hostNetwork'), 'boolean');
    assert.equal(typeAt('spec', 'port'), 'int-or-string');
    assert.equal(typeAt('spec', 'portText'), 'int-or-string');
    assert.equal(typeAt('spec', 'size'), 'Quantity (string or number)');
    assert.equal(typeAt('spec', 'overhead'), 'map[string]Quantity (string or number)');
    assert.equal(typeAt('metadata', 'labels'), 'map[string]string');
    assert.equal(typeAt('metadata'), 'ObjectMeta');
    assert.equal(typeAt('spec', 'grid'), '[][][][]string');
    assert.equal(typeAt('spec', 'cube'), '[][][][]array');
    assert.equal(typeAt('spec', 'untypedDeep'), '[][][][]object');
    assert.equal(typeAt('spec', 'mapDeep'), 'map[string]map[string]map[string]map[string]integer');
    assert.equal(typeAt('spec', 'mapDeeper'), 'map[string]map[string]map[string]map[string]object');
    assert.equal(typeAt('spec', 'nullMap'), 'object');
    assert.equal(schemaAtPath(podKind, ['spec', 'nullMap', 'x']), undefined);
    assert.equal(typeAt('spec', 'loose'), '[]any');
    assert.equal(typeAt('spec', 'lostMap'), 'map[string]any');
    assert.equal(typeAt('spec', 'lostItems'), '[]any');
    assert.equal(typeAt('spec', 'free'), 'any');
    assert.equal(typeAt('spec', 'object'), 'object');
    assert.equal(typeAt('spec', 'withProps'), 'object');
  });

  it('enumText lists at most 20 values and says how many more', () => {
    assert.equal(enumText({ enum: ['a', 1, null] }), '"a", 1, null');
    assert.equal(enumText({ enum: [] }), undefined);
    assert.equal(enumText({}), undefined);
    const twenty = Array.from({ length: 20 }, (_, index) => `"e${index}"`).join(', ');
    assert.equal(describeField(podKind, ['spec', 'twenty'], 'spec.twenty')?.allowed, twenty);
    assert.equal(describeField(podKind, ['spec', 'many'], 'spec.many')?.allowed, `${twenty}, … (5 more)`);
  });

  it('describeField: type, format, allowed values and the trimmed description, the separate ones by model or client model name', () => {
    assert.deepEqual(describeField(podKind, ['spec', 'restartPolicy'], 'spec.restartPolicy'), { path: 'spec.restartPolicy', type: 'string', format: undefined, allowed: '"Always", "OnFailure", "Never"', description: undefined });
    assert.deepEqual(describeField(podKind, ['spec'], 'spec'), { path: 'spec', type: 'PodSpec', format: undefined, allowed: undefined, description: 'The pod spec.' });
    assert.equal(describeField(podKind, ['nope'], 'nope'), undefined);
    const seen: string[] = [];
    const byClientName = (model: string, field: string): string | undefined => {
      seen.push(`${model}.${field}`);
      return model === 'V1Container' && field === 'image' ? ' The image. ' : undefined;
    };
    assert.equal(describeField(podKind, ['spec', 'containers', 0, 'image'], 'x', byClientName)?.description, 'The image.');
    assert.deepEqual(seen, ['io.k8s.api.core.v1.Container.image', 'V1Container.image']);
    assert.equal(describeField(podKind, ['spec', 'containers', 0, 'image'], 'x', (model) => (model === 'io.k8s.api.core.v1.Container' ? 'Own.' : 'Other.'))?.description, 'Own.');
    assert.equal(describeField(podKind, ['spec', 'containers', 0, 'name'], 'x', () => 'separate')?.description, 'Container name.', 'the schema’s own description wins');
    assert.equal(describeField(podKind, ['spec', 'containers', 0, 'blank'], 'x')?.description, undefined, 'a blank description is none');
    assert.equal(describeField(podKind, ['spec', 'priority'], 'x')?.format, 'int32');
  });
});

// ——— modelTypeMaps (schemas from the generated client models) ———

function model(attributes: [string, string, string?][]): unknown {
  return class {
    static attributeTypeMap = attributes.map(([baseName, type, format]) => ({ baseName, type, format: format ?? '' }));
  };
}

const quantityMap = '{ [key: string]: string; }';
const clientModels: Record<string, unknown> = {
  V1Thing: model([
    ['text', 'string'],
    ['bytes', 'string', 'byte'],
    ['small', 'number', 'int32'],
    ['big', 'number', 'int64'],
    ['real', 'number'],
    ['single', 'number', 'float'],
    ['on', 'boolean'],
    ['at', 'Date'],
    ['day', 'Date', 'date'],
    ['port', 'IntOrString'],
    ['any', 'any'],
    ['obj', 'object'],
    ['list', 'Array<string>'],
    ['map', '{ [key: string]: number; }', 'int32'],
    ['items', 'Array<V1Item>'],
    ['micro', 'V1MicroTime', 'date-time-micro'],
    ['unknown', 'V1Unknown'],
    ['notModel', 'NotAModel'],
    ['grid', 'Array<Array<{ [key: string]: V1Item; }>>'],
  ]),
  V1Item: model([['name', 'string'], ['child', 'V1Thing']]),
  V1MicroTime: class {},
  NotAModel: 'text',
  BrokenModel: class {
    static attributeTypeMap = 'not a list';
  },
  V1ResourceRequirements: model([['limits', quantityMap], ['requests', quantityMap], ['claims', 'Array<V1Item>']]),
  V1VolumeResourceRequirements: model([['limits', quantityMap], ['requests', quantityMap]]),
  V1EmptyDirVolumeSource: model([['sizeLimit', 'string'], ['medium', 'string']]),
  V1ResourceQuotaSpec: model([['hard', quantityMap], ['scopes', 'Array<string>']]),
  V1ResourceQuotaStatus: model([['hard', quantityMap], ['used', quantityMap]]),
  V1LimitRangeItem: model([['default', quantityMap], ['defaultRequest', quantityMap], ['max', quantityMap], ['maxLimitRequestRatio', quantityMap], ['min', quantityMap], ['type', 'string']]),
  V1NodeStatus: model([['allocatable', quantityMap], ['capacity', quantityMap], ['phase', 'string']]),
  V1PersistentVolumeSpec: model([['capacity', quantityMap], ['storageClassName', 'string']]),
  V1PersistentVolumeClaimStatus: model([['allocatedResources', quantityMap], ['capacity', quantityMap], ['phase', 'string']]),
  V1ContainerStatus: model([['allocatedResources', quantityMap], ['name', 'string']]),
  V1PodSpec: model([['overhead', quantityMap], ['nodeSelector', quantityMap]]),
  V1Overhead: model([['podFixed', quantityMap]]),
  V1CSIStorageCapacity: model([['capacity', 'string'], ['maximumVolumeSize', 'string'], ['storageClassName', 'string']]),
  V2MetricTarget: model([['averageValue', 'string'], ['value', 'string'], ['type', 'string']]),
  V2MetricValueStatus: model([['averageValue', 'string'], ['value', 'string'], ['averageUtilization', 'number', 'int32']]),
  CoreV1Event: model([['reason', 'string']]),
  EventsV1Event: model([['note', 'string']]),
  V1Event: model([['other', 'string']]),
  AppsV1Deployment: model([['x', 'string']]),
};

describe('modelTypeMaps: schemas from generated model classes', () => {
  it('converts each generator type and format to its OpenAPI schema', () => {
    const properties = modelSchema('V1Thing', clientModels)?.properties ?? {};
    assert.deepEqual(properties, {
      text: { type: 'string' },
      bytes: { type: 'string', format: 'byte' },
      small: { type: 'integer', format: 'int32' },
      big: { type: 'integer', format: 'int64' },
      real: { type: 'number', format: 'double' },
      single: { type: 'number', format: 'float' },
      on: { type: 'boolean' },
      at: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      port: { 'x-kubernetes-int-or-string': true },
      any: {},
      obj: {},
      list: { type: 'array', items: { type: 'string' } },
      map: { type: 'object', additionalProperties: { type: 'integer', format: 'int32' } },
      items: { type: 'array', items: { $ref: `${MODEL_REF_PREFIX}V1Item` } },
      micro: { type: 'string', format: 'date-time' },
      unknown: {},
      notModel: {},
      grid: { type: 'array', items: { type: 'array', items: { type: 'object', additionalProperties: { $ref: `${MODEL_REF_PREFIX}V1Item` } } } },
    });
    assert.equal(modelSchema('V1Thing', clientModels)?.type, 'object');
  });

  it('only classes with an attribute list are models', () => {
    assert.equal(modelSchema('NotAModel', clientModels), undefined);
    assert.equal(modelSchema('BrokenModel', clientModels), undefined);
    assert.equal(modelSchema('V1MicroTime', clientModels), undefined);
    assert.equal(modelSchema('Missing', clientModels), undefined);
  });

  it('the fields Kubernetes types as resource.Quantity become quantities (maps of them stay maps); their neighbours do not', () => {
    const quantity = { type: 'string', format: 'quantity' };
    const quantities = { type: 'object', additionalProperties: quantity };
    const expected: Record<string, Record<string, OpenApiSchema>> = {
      V1ResourceRequirements: { limits: quantities, requests: quantities },
      V1VolumeResourceRequirements: { limits: quantities, requests: quantities },
      V1EmptyDirVolumeSource: { sizeLimit: quantity, medium: { type: 'string' } },
      V1ResourceQuotaSpec: { hard: quantities },
      V1ResourceQuotaStatus: { hard: quantities, used: quantities },
      V1LimitRangeItem: { default: quantities, defaultRequest: quantities, max: quantities, maxLimitRequestRatio: quantities, min: quantities, type: { type: 'string' } },
      V1NodeStatus: { allocatable: quantities, capacity: quantities, phase: { type: 'string' } },
      V1PersistentVolumeSpec: { capacity: quantities, storageClassName: { type: 'string' } },
      V1PersistentVolumeClaimStatus: { allocatedResources: quantities, capacity: quantities },
      V1ContainerStatus: { allocatedResources: quantities, name: { type: 'string' } },
      V1PodSpec: { overhead: quantities, nodeSelector: { type: 'object', additionalProperties: { type: 'string' } } },
      V1Overhead: { podFixed: quantities },
      V1CSIStorageCapacity: { capacity: quantity, maximumVolumeSize: quantity, storageClassName: { type: 'string' } },
      V2MetricTarget: { averageValue: quantity, value: quantity, type: { type: 'string' } },
      V2MetricValueStatus: { averageValue: quantity, value: quantity, averageUtilization: { type: 'integer', format: 'int32' } },
    };
    for (const [name, fields] of Object.entries(expected)) {
      const properties = modelSchema(name, clientModels)?.properties ?? {};
      for (const [field, schema] of Object.entries(fields)) assert.deepEqual(properties[field], schema, `${name}.${field}`);
    }
    assert.deepEqual(modelSchema('V1ResourceRequirements', clientModels)?.properties?.claims, { type: 'array', items: { $ref: `${MODEL_REF_PREFIX}V1Item` } });
    assert.deepEqual(modelSchema('V1Item', clientModels)?.properties?.name, { type: 'string' });
  });

  it('a kind’s model: <Group><Version><Kind> first (Core for the core group, the group’s first word), then <Version><Kind>', () => {
    assert.deepEqual(modelNameCandidates('', 'v1', 'Event'), ['CoreV1Event', 'V1Event']);
    assert.deepEqual(modelNameCandidates('events.k8s.io', 'v1', 'Event'), ['EventsV1Event', 'V1Event']);
    assert.deepEqual(modelNameCandidates('apps', 'v1beta2', 'Deployment'), ['AppsV1beta2Deployment', 'V1beta2Deployment']);
    assert.equal(modelNameOfKind('', 'v1', 'Event', clientModels), 'CoreV1Event');
    assert.equal(modelNameOfKind('events.k8s.io', 'v1', 'Event', clientModels), 'EventsV1Event');
    assert.equal(modelNameOfKind('other.io', 'v1', 'Event', clientModels), 'V1Event');
    assert.equal(modelNameOfKind('apps', 'v1', 'Deployment', clientModels), 'AppsV1Deployment');
    assert.equal(modelNameOfKind('apps', 'v1', 'Missing', clientModels), undefined);
  });

  it('ModelSchemaCatalog converts a model once, resolves only its own refs, and lists the models reachable from one', () => {
    const catalog = new ModelSchemaCatalog(clientModels);
    const first = catalog.schema('V1Thing');
    assert.ok(first);
    assert.equal(catalog.schema('V1Thing'), first, 'the same converted object');
    assert.equal(catalog.schema('Missing'), undefined);
    assert.equal(catalog.schema('Missing'), undefined);
    assert.equal(catalog.resolve(`${MODEL_REF_PREFIX}V1Thing`), first);
    assert.equal(catalog.resolve('#/definitions/V1Thing'), undefined);
    assert.equal(catalog.resolve('V1Thing'), undefined);
    assert.equal(catalog.kindModel('', 'v1', 'Event'), 'CoreV1Event');
    assert.deepEqual(catalog.reachable('V1Thing').sort(), ['V1Item', 'V1Thing']);
    assert.deepEqual(catalog.reachable('V1ResourceRequirements').sort(), ['V1Item', 'V1ResourceRequirements', 'V1Thing']);
    assert.deepEqual(catalog.reachable('V1EmptyDirVolumeSource'), ['V1EmptyDirVolumeSource']);
    assert.deepEqual(catalog.reachable('Missing'), []);
    const refs = new ModelSchemaCatalog({ A: model([['b', 'V1B'], ['m', '{ [key: string]: V1C; }']]), V1B: model([['a', 'A']]), V1C: model([]) });
    assert.deepEqual(refs.reachable('A').sort(), ['A', 'V1B', 'V1C']);
  });
});

// ——— yamlPathAt (which key the cursor is on) ———

describe('yamlPathAt: the field under the cursor', () => {
  const text = 'apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: x\nspec:\n  list:\n  - a: 1\n    b: 2\n  - c: 3\n';

  it('finds the key in the document under the cursor, with its 0-based line and key columns', () => {
    assert.deepEqual(fieldAt(text, 0, 0), { apiVersion: 'v1', kind: 'A', segments: ['apiVersion'], line: 0, startColumn: 0, endColumn: 10 });
    assert.deepEqual(fieldAt(text, 3, 0), { apiVersion: 'v1', kind: 'B', segments: ['apiVersion'], line: 3, startColumn: 0, endColumn: 10 });
    assert.deepEqual(fieldAt(text, 6, 2), { apiVersion: 'v1', kind: 'B', segments: ['metadata', 'name'], line: 6, startColumn: 2, endColumn: 6 });
    assert.deepEqual(fieldAt(text, 6, 6)?.segments, ['metadata', 'name'], 'the end of the key counts');
    assert.deepEqual(fieldAt(text, 9, 4), { apiVersion: 'v1', kind: 'B', segments: ['spec', 'list', 0, 'a'], line: 9, startColumn: 4, endColumn: 5 });
    assert.deepEqual(fieldAt(text, 10, 4)?.segments, ['spec', 'list', 0, 'b']);
    assert.deepEqual(fieldAt(text, 11, 4)?.segments, ['spec', 'list', 1, 'c']);
    assert.deepEqual(fieldAt(text, 7, 1)?.segments, ['spec']);
    // The first character of a key right after a nested map: the map's value range ends there.
    assert.deepEqual(fieldAt(text, 7, 0)?.segments, ['spec']);
    assert.deepEqual(fieldAt('apiVersion: v1\nkind: B\nmetadata:\n  name: x\nspec:\n  replicas: 1\n', 4, 0), {
      apiVersion: 'v1', kind: 'B', segments: ['spec'], line: 4, startColumn: 0, endColumn: 4,
    });
  });

  it('no field on a value, a list dash, past the end, in a broken or non-object document', () => {
    assert.equal(fieldAt(text, 6, 8), undefined);
    assert.equal(fieldAt(text, 9, 2), undefined);
    assert.equal(fieldAt(text, 40, 0), undefined);
    assert.equal(fieldAt('apiVersion: v1\nkind: A\nspec: [\n', 0, 0), undefined);
    assert.equal(fieldAt('- a\n', 0, 2), undefined);
    assert.equal(fieldAt('apiVersion: 1\nkind: A\n', 1, 0), undefined);
    assert.equal(fieldAt('apiVersion: v1\nkind: [A]\n', 0, 0), undefined);
  });

  it('a key without a value before the cursor is passed over', () => {
    assert.deepEqual(fieldAt('apiVersion: v1\nkind: A\nempty:\nother: 1\n', 3, 1)?.segments, ['other']);
  });

  it('duplicate keys do not stop the hover', () => {
    assert.deepEqual(fieldAt('apiVersion: v1\nkind: A\nkind: B\nx: 1\n', 3, 0)?.segments, ['x']);
  });

  it('keys 200 levels deep are found, deeper ones are not', () => {
    const lines = ['apiVersion: v1', 'kind: Deep'];
    for (let level = 0; level <= 201; level++) lines.push(`${' '.repeat(level)}k${level}:${level === 201 ? ' 1' : ''}`);
    const deep = lines.join('\n');
    assert.equal(fieldAt(deep, 2 + 199, 199)?.segments.length, 200);
    assert.equal(fieldAt(deep, 2 + 200, 200), undefined);
  });
});

// ——— documentValidation (the editor's diagnostics) ———

const thingRoot: OpenApiSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: {},
    spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer' }, replicas: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } },
  },
};
const deepRoot: OpenApiSchema = { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: {}, c: { $ref: 'Deep' } } };
const thingCatalog: SchemaCatalog = {
  kindSchema: (group, _version, kind) => {
    if (kind === 'Deep') return { root: deepRoot, resolve: () => ({ type: 'object', properties: { c: { $ref: 'Deep' } } }), style: 'structural', builtin: false };
    return kind === 'Thing' ? { root: thingRoot, resolve: () => undefined, style: group === 'go.example' ? 'go' : 'structural', builtin: false } : undefined;
  },
};
const brief = (diagnostics: ManifestDiagnostic[]): string[] => diagnostics.map((d) => `${d.line}:${d.column}-${d.endColumn ?? ''} ${d.reason} ${d.kind}/${d.name} ${d.path} | ${d.message}`);

describe('documentValidation: diagnostics of an open file', () => {
  it('places each problem on its key (a missing field on its parent, a missing root field on the kind line), documents offset by their start', () => {
    const text = 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: a\nspec:\n  replicaz: 1\n  tags:\n  - 1\n  - x\n  zzzzzzzz: 1\n---\napiVersion: go.example/v1\nkind: Thing\nmetadata:\n  name: b\n';
    assert.deepEqual(brief(textDiagnostics(text, thingCatalog)), [
      '6:3-14 FieldValueUnknown Thing/a spec.replicaz | unknown field "spec.replicaz"; did you mean "replicas"?',
      '10:3-14 FieldValueUnknown Thing/a spec.zzzzzzzz | unknown field "spec.zzzzzzzz"',
      '5:1- FieldValueRequired Thing/a spec.size | spec.size: Required value',
      '8:5-6 FieldValueTypeInvalid Thing/a spec.tags[0] | spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"',
      '13:1-12 FieldValueRequired Thing/b spec | spec: Required value',
    ]);
  });

  it('a decode error is printed after its path; documents without an identity are not validated', () => {
    assert.deepEqual(brief(textDiagnostics('apiVersion: go.example/v1\nkind: Thing\nmetadata:\n  name: b\nspec:\n  size: "x"\n', thingCatalog)), [
      '6:3-12 FieldValueTypeInvalid Thing/b spec.size | spec.size: json: cannot unmarshal string into Go struct field .spec.size of type int64',
    ]);
    assert.deepEqual(textDiagnostics('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n', thingCatalog), []);
    assert.deepEqual(textDiagnostics('just: text\n', thingCatalog), []);
  });

  it('a byte-order mark does not shift lines or columns', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n';
    const plain = brief(textDiagnostics(text, thingCatalog));
    assert.equal(plain.length, 1);
    assert.deepEqual(brief(textDiagnostics(`\uFEFF${text}`, thingCatalog)), plain);
    const first = 'extra: 1\napiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: a\nspec:\n  size: 1\n';
    assert.deepEqual(brief(textDiagnostics(`\uFEFF${first}`, thingCatalog)), ['1:1-9 FieldValueUnknown Thing/a extra | unknown field "extra"']);
  });

  it('a walk that runs out of depth says so on the kind line', () => {
    // The manifest reader refuses YAML nested 200 deep, so the deep value is put in by hand.
    const [manifest] = parseManifests('apiVersion: x/v1\nkind: Deep\nmetadata: {name: d}\n', '', { fileChecks: false, byDocument: false }).manifests;
    let value: Json = {};
    for (let i = 0; i < 520; i++) value = { c: value };
    const deep = { ...manifest, object: { ...manifest.object, c: value } } as ParsedManifest;
    assert.deepEqual(brief(manifestDiagnostics(deep, thingCatalog)), ['2:1-11 FieldValueInvalid Deep/d  | validation stopped: the schema is too large or recursive to check in time']);
    assert.deepEqual(manifestDiagnostics(manifest, thingCatalog), []);
  });

  it('texts over 8 MiB are not validated as you type; exactly 8 MiB are', () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n';
    const padded = (length: number): string => `${doc}#${'x'.repeat(length - doc.length - 2)}\n`;
    assert.equal(padded(MAX_VALIDATED_TEXT).length, MAX_VALIDATED_TEXT);
    assert.equal(textDiagnostics(padded(MAX_VALIDATED_TEXT), thingCatalog).length, 1);
    assert.deepEqual(textDiagnostics(padded(MAX_VALIDATED_TEXT + 1), thingCatalog), []);
    assert.equal(MAX_VALIDATED_TEXT, 8 * 1024 * 1024);
  });
});

describe('documentValidation: CRDs declared in the same file', () => {
  const crd = (kindLine = 'kind: CustomResourceDefinition', apiVersion = 'apiextensions.k8s.io/v1', sizeType = 'integer'): string =>
    `apiVersion: ${apiVersion}\n${kindLine}\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size:\n                type: ${sizeType}\n`;
  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n';
  const sizeProblem = 'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"';
  const messages = (text: string): string[] => textDiagnostics(text, thingCatalog).map((d) => d.message);

  it('define the file’s custom resources, whatever the spacing, quoting or comment of the kind line', () => {
    for (const kindLine of ['kind: CustomResourceDefinition', 'kind:  CustomResourceDefinition', 'kind: "CustomResourceDefinition"', "kind: 'CustomResourceDefinition'", 'kind: CustomResourceDefinition  # the CRD', 'kind: CustomResourceDefinition #x']) {
      assert.deepEqual(messages(`${crd(kindLine)}---\n${widget}`), [sizeProblem], kindLine);
    }
    assert.deepEqual(messages(widget), [], 'without its CRD, a Widget is an unknown kind');
  });

  it('only an apiextensions.k8s.io CustomResourceDefinition defines kinds', () => {
    assert.deepEqual(messages(`${crd('kind: CustomResourceDefinition', 'example.com/v1')}---\n${widget}`), []);
  });

  it('documents are re-validated only when their text or the file’s CRDs change', () => {
    const validator = new IncrementalDocumentValidator();
    const base = { catalog: thingCatalog, key: 'k' };
    const first = validator.validate(`${crd()}---\n${widget}`, base);
    assert.equal(first.validated, 2);
    assert.deepEqual(first.diagnostics.map((d) => d.message), [sizeProblem]);
    assert.equal(validator.validate(`${crd()}---\n${widget}`, base).validated, 0);
    assert.deepEqual(validator.validate(`${crd()}---\n${widget}`, base).diagnostics.map((d) => d.line), [first.diagnostics[0].line]);
    const edited = validator.validate(`${crd()}---\n${widget.replace('big', '3')}`, base);
    assert.deepEqual([edited.validated, edited.diagnostics], [1, []]);
    const retyped = validator.validate(`${crd('kind: CustomResourceDefinition', 'apiextensions.k8s.io/v1', 'string')}---\n${widget}`, base);
    assert.deepEqual([retyped.validated, retyped.diagnostics], [2, []]);
    const rekeyed = validator.validate(`${crd('kind: CustomResourceDefinition', 'apiextensions.k8s.io/v1', 'string')}---\n${widget}`, { ...base, key: 'other' });
    assert.equal(rekeyed.validated, 2);
  });

  it('a document that only mentions the CRD kind on an indented or longer line is no CRD: editing it keeps the others remembered', () => {
    const validator = new IncrementalDocumentValidator();
    const base = { catalog: thingCatalog, key: 'k' };
    const mention = (n: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${n}\ndata:\n  kind: CustomResourceDefinition\n`;
    const longer = (n: number): string => `apiVersion: v1\nkind: CustomResourceDefinitionList\nmetadata:\n  name: l${n}\n`;
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n';
    assert.equal(validator.validate(`${mention(1)}---\n${other}`, base).validated, 2);
    assert.equal(validator.validate(`${mention(2)}---\n${other}`, base).validated, 1);
    assert.equal(validator.validate(`${longer(1)}---\n${other}`, base).validated, 1);
    assert.equal(validator.validate(`${longer(2)}---\n${other}`, base).validated, 1);
  });
});

// ——— schemaCatalog, schemaAsset, bundledVersion ———

describe('schemaCatalog: where kinds’ schemas come from', () => {
  it('a CRD serves each served version with its own schema, the shared v1beta1 one, or one that keeps every field', () => {
    const own: OpenApiSchema = { type: 'object', properties: { spec: { type: 'object' } } };
    const shared: OpenApiSchema = { type: 'object', properties: { old: { type: 'string' } } };
    const entries = crdKindSchemas({
      spec: {
        group: 'example.com',
        names: { kind: 'Widget' },
        validation: { openAPIV3Schema: shared },
        versions: [null, 'v0', { name: 'v1', served: true, schema: { openAPIV3Schema: own } }, { name: 'v2', schema: {} }, { name: 'v3', served: false }, { served: true }],
      },
    });
    assert.deepEqual(
      entries.map((entry) => [entry.group, entry.version, entry.kind, entry.schema.root, entry.schema.style, entry.schema.builtin, entry.schema.resolve('x')]),
      [
        ['example.com', 'v1', 'Widget', own, 'structural', false, undefined],
        ['example.com', 'v2', 'Widget', shared, 'structural', false, undefined],
      ],
    );
    const bare = crdKindSchemas({ spec: { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1' }] } });
    assert.deepEqual(bare[0].schema.root, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(crdKindSchemas({ spec: { names: { kind: 'Widget' }, versions: [{ name: 'v1' }] } }), []);
    assert.deepEqual(crdKindSchemas({ spec: { group: 'example.com', names: {}, versions: [{ name: 'v1' }] } }), []);
    assert.deepEqual(crdKindSchemas({ spec: { group: 'example.com', names: { kind: 'Widget' }, versions: 'v1' } }), []);
    const catalog = new CustomResourceCatalog();
    catalog.add({ spec: { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1' }, { name: 'v2' }] } });
    assert.equal(catalog.size, 2);
    assert.ok(catalog.kindSchema('example.com', 'v2', 'Widget'));
    assert.equal(catalog.kindSchema('example.com', 'v3', 'Widget'), undefined);
  });

  it('a cluster’s OpenAPI documents: kinds by x-kubernetes-group-version-kind, refs within the document, style by group', () => {
    const deployment: OpenApiSchema = { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }] };
    const widget = { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }, { version: 'v1', kind: 'Core' }, 'junk', { group: 'x', kind: 'NoVersion' }, { group: 'x', version: 'v1' }, { group: 5, version: 'v1', kind: 'OddGroup' }] };
    const catalog = new OpenApiDocumentCatalog(
      [null, { components: [] }, { components: { schemas: [widget] } }, { components: { schemas: { D: deployment, W: widget, Plain: { type: 'string' }, Bad: { 'x-kubernetes-group-version-kind': 'x' } } } }],
      (group) => group === 'apps' || group === '',
    );
    assert.equal(catalog.size, 4);
    const found = catalog.kindSchema('apps', 'v1', 'Deployment');
    assert.deepEqual([found?.root, found?.style, found?.builtin], [deployment, 'go', true]);
    assert.equal(found?.resolve('#/components/schemas/W'), widget);
    assert.equal(found?.resolve('#/components/schemas/Plain')?.type, 'string');
    assert.equal(found?.resolve('#/definitions/W'), undefined);
    assert.equal(found?.resolve('W'), undefined);
    assert.equal(found?.resolve('#/definitions/abcdefgW'), undefined, 'another prefix of the same length');
    assert.deepEqual([catalog.kindSchema('example.com', 'v1', 'Widget')?.style, catalog.kindSchema('example.com', 'v1', 'Widget')?.builtin], ['structural', false]);
    assert.equal(catalog.kindSchema('', 'v1', 'Core')?.style, 'go');
    assert.equal(catalog.kindSchema('', 'v1', 'OddGroup')?.builtin, true, 'a group that is no string is the core group');
    assert.equal(catalog.kindSchema('x', '', 'NoVersion'), undefined);
  });

  it('stacked catalogs answer with the first that knows the kind', () => {
    const a: KindSchema = { root: { type: 'string' }, resolve: () => undefined, style: 'go', builtin: true };
    const b: KindSchema = { root: { type: 'integer' }, resolve: () => undefined, style: 'structural', builtin: false };
    const stacked = stackedCatalog([{ kindSchema: (_g, _v, kind) => (kind === 'A' ? a : undefined) }, { kindSchema: () => b }]);
    assert.equal(stacked.kindSchema('', 'v1', 'A'), a);
    assert.equal(stacked.kindSchema('', 'v1', 'B'), b);
    assert.equal(stackedCatalog([]).kindSchema('', 'v1', 'A'), undefined);
  });
});

describe('schemaAsset: the generated asset and its catalog', () => {
  it('keeps every model (sorted) and only the descriptions of models', () => {
    const asset = buildSchemaAsset({ V1Zeta: model([['a', 'string']]), V1Alpha: model([['b', 'V1Zeta']]), NotAModel: 'x' }, { V1Zeta: { a: 'A field.' }, NotAModel: { x: 'y' }, Gone: { z: 'w' } }, 'test source');
    assert.deepEqual(Object.keys(asset.schemas), ['V1Alpha', 'V1Zeta']);
    assert.deepEqual(asset.descriptions, { V1Zeta: { a: 'A field.' } });
    assert.equal(asset.source, 'test source');
    const sorted = buildSchemaAsset({}, { V1B: {}, V1A: {} }, 's');
    assert.deepEqual(sorted.descriptions, {});
    const ordered = buildSchemaAsset({ V1B: model([]), V1A: model([]) }, { V1B: { x: 'b' }, V1A: { x: 'a' } }, 's');
    assert.deepEqual(Object.keys(ordered.descriptions), ['V1A', 'V1B']);
  });

  it('parseSchemaAsset refuses anything that is no asset; descriptions are optional', () => {
    for (const text of ['[]', 'null', '{"source":"s"}', '{"source":"s","schemas":[]}', '{"source":1,"schemas":{}}', '{"schemas":{}}']) {
      assert.throws(() => parseSchemaAsset(text), /not a schema asset/, text);
    }
    assert.deepEqual(parseSchemaAsset('{"source":"s","schemas":{"A":{}},"descriptions":[]}'), { source: 's', schemas: { A: {} }, descriptions: {} });
    assert.deepEqual(parseSchemaAsset('{"source":"s","schemas":{},"descriptions":{"A":{"f":"d"}}}').descriptions, { A: { f: 'd' } });
  });

  it('the asset catalog finds kinds by model name, resolves its refs and describes fields', () => {
    const catalog = new SchemaAssetCatalog(parseSchemaAsset(JSON.stringify(buildSchemaAsset(clientModels, { CoreV1Event: { reason: 'Why.' } }, 'src'))));
    assert.equal(catalog.source, 'src');
    assert.deepEqual(catalog.kindSchema('', 'v1', 'Event'), { root: { $ref: `${MODEL_REF_PREFIX}CoreV1Event` }, resolve: catalog.resolve, style: 'go', builtin: true });
    assert.equal(catalog.kindSchema('apps', 'v1', 'Missing'), undefined);
    assert.deepEqual(catalog.resolve(`${MODEL_REF_PREFIX}CoreV1Event`), { type: 'object', properties: { reason: { type: 'string' } } });
    assert.equal(catalog.resolve('#/definitions/CoreV1Event'), undefined);
    assert.equal(catalog.describe('CoreV1Event', 'reason'), 'Why.');
    assert.equal(catalog.describe('Missing', 'reason'), undefined);
  });

  it('a split asset: schemas in one text, descriptions in another, read on the first describe() only and once', () => {
    const asset = buildSchemaAsset(clientModels, { CoreV1Event: { reason: 'Why.' } }, 'src');
    const { schemas, descriptions } = splitSchemaAsset(asset);
    assert.equal(JSON.parse(schemas).descriptions, undefined, 'the schemas text carries no descriptions');
    assert.deepEqual(parseSchemaDescriptions(descriptions), asset.descriptions);
    for (const text of ['[]', 'null', '{"A":"x"}', '{"A":[]}']) assert.throws(() => parseSchemaDescriptions(text), /not schema descriptions/, text);
    let reads = 0;
    const catalog = new SchemaAssetCatalog(parseSchemaAsset(schemas), () => (reads++, parseSchemaDescriptions(descriptions)));
    assert.ok(catalog.kindSchema('', 'v1', 'Event'));
    assert.equal(reads, 0, 'validation never reads the descriptions');
    assert.equal(catalog.describe('CoreV1Event', 'reason'), 'Why.');
    assert.equal(catalog.describe('CoreV1Event', 'message'), undefined);
    assert.equal(reads, 1);
    const broken = new SchemaAssetCatalog(parseSchemaAsset(schemas), () => {
      throw new Error('ENOENT');
    });
    assert.equal(broken.describe('CoreV1Event', 'reason'), undefined, 'a missing descriptions file leaves fields undescribed');
    const inline = new SchemaAssetCatalog(parseSchemaAsset(JSON.stringify(asset)), () => {
      throw new Error('not asked: the asset has its own descriptions');
    });
    assert.equal(inline.describe('CoreV1Event', 'reason'), 'Why.');
  });

  it('names the Kubernetes version the bundled models come from', () => {
    assert.equal(BUNDLED_KUBERNETES_VERSION, '1.34');
    assert.equal(BUNDLED_SCHEMA_SOURCE, '@kubernetes/client-node 1.4.0 models (Kubernetes OpenAPI v1.34.0)');
  });
});
