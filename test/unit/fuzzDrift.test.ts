// Property-based tests of the normalizer and the comparison (issue 6 §2): fixed seed, a fixed
// number of runs (no time limit), the whole file under ~20 s on a 2-core machine.
//   - an object compared with itself is InSync, whatever it holds;
//   - normalizing twice changes nothing;
//   - comparing arbitrary JSON (any shape, any kind, broken metadata) never throws;
//   - a Secret's values never appear in what the comparison returns or the CLI prints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { driftReportJson, driftReportText } from '../../src/cluster/drift/driftReportOutput';
import { compareEnvironment, compareResource } from '../../src/core/drift/compare';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { normalizeObject } from '../../src/core/drift/normalize';
import { utf8ToBase64 } from '../../src/core/drift/base64';
import { fuzzRuns } from '../support/fuzzSettings';

/** A fixed number of runs with a fixed seed (FUZZ_SEED overrides it): every machine runs the same cases. */
const settings = (numRuns: number): fc.Parameters<unknown> => fuzzRuns(numRuns, 20_240_601);

/** Kinds with rules of their own in the normalizer, and some without. */
const KINDS = ['Deployment', 'Service', 'ConfigMap', 'Secret', 'Endpoints', 'Role', 'ClusterRole', 'LimitRange', 'ResourceQuota', 'Pod', 'CronJob', 'Widget', ''];
/** Keys the normalizer treats specially, mixed into arbitrary ones. */
const SPECIAL_KEYS = ['ports', 'port', 'targetPort', 'containerPort', 'protocol', 'replicas', 'resources', 'requests', 'limits', 'cpu', 'memory', 'hard', 'max', 'min', 'default', 'sizeLimit', 'subsets', 'addresses', 'rules', 'aggregationRule', 'data', 'stringData', 'metadata', 'annotations', 'labels', 'managedFields', 'status', '__proto__', 'constructor'];
const key = fc.oneof(fc.constantFrom(...SPECIAL_KEYS), fc.string({ maxLength: 8 }));
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('100m', '0.1', '1Gi', '1024Mi', '1e3', '80', '-1', '', 'TCP', 'UDP'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('map')),
  list: fc.array(tie('json'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('json'), { maxKeys: 5, noNullPrototype: true }),
}));

/** Objects shaped like Kubernetes objects, with arbitrary content where it is free. */
const kubeObject = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'example.com/v1alpha1'),
    name: fc.string({ minLength: 1, maxLength: 10 }),
    namespace: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
    labels: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)), { maxKeys: 3, noNullPrototype: true }), { nil: undefined }),
    body: fc.dictionary(key, json, { maxKeys: 6, noNullPrototype: true }),
  })
  .map(({ kind, apiVersion, name, namespace, labels, body }): KubeObject => ({
    ...body,
    apiVersion,
    kind,
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}), ...(labels ? { labels } : {}) },
  }));

/** JSON of any shape, including where Kubernetes expects a mapping (metadata as a list, kind as a number…). */
const anything = fc.oneof(kubeObject, fc.dictionary(key, json, { maxKeys: 6, noNullPrototype: true }) as fc.Arbitrary<KubeObject>);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('normalization and comparison on arbitrary objects', () => {
  it('an object compared with a copy of itself is InSync', () => {
    fc.assert(
      fc.property(kubeObject, (object) => {
        const drift = compareResource({ desired: { object }, live: structuredClone(object) });
        assert.equal(drift.status, 'InSync', JSON.stringify(drift.fields.map((f) => f.path)));
      }),
      settings(4_000),
    );
  });

  it('normalizing twice changes nothing', () => {
    fc.assert(
      fc.property(anything, fc.boolean(), (object, compareStatus) => {
        const once = normalizeObject(object, { compareStatus, ignoreAggregatedRoles: compareStatus });
        const twice = normalizeObject(once, { compareStatus, ignoreAggregatedRoles: compareStatus });
        assert.ok(sameJson(twice, once), `${JSON.stringify(once)}\n→ ${JSON.stringify(twice)}`);
        // And it leaves its input alone.
        assert.ok(sameJson(normalizeObject(object, { compareStatus }), normalizeObject(structuredClone(object), { compareStatus })));
      }),
      settings(4_000),
    );
  });

  it('comparison never throws on arbitrary JSON, one resource or an environment', () => {
    const mode = fc.constantFrom<'local' | 'server'>('local', 'server');
    fc.assert(
      fc.property(anything, fc.option(anything, { nil: undefined }), fc.option(anything, { nil: undefined }), mode, (desired, live, predicted, m) => {
        const drift = compareResource({ desired: { object: desired }, live, predictedLive: predicted, options: { mode: m } });
        assert.ok(['InSync', 'Drifted', 'Missing', 'Extra', 'Unknown'].includes(drift.status));
        const environment = compareEnvironment([{ object: desired }], live ? [live, desired] : [desired], { mode: m, extraSelector: 'app', defaultNamespace: 'ns' });
        assert.ok(environment.resources.length >= 1);
        assert.equal(typeof driftReportText(environment), 'string');
      }),
      settings(3_000),
    );
  });

  it('a Secret\'s values never appear in the comparison or in what the CLI prints', () => {
    // Values long and marked enough that finding one by accident is impossible.
    const secret = fc.string({ minLength: 4, maxLength: 16 }).map((s) => `S3CR3T-${s}-V4LU3`);
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), secret, { minKeys: 1, maxKeys: 4, noNullPrototype: true }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), secret, { maxKeys: 3, noNullPrototype: true }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), secret, { maxKeys: 4, noNullPrototype: true }),
        fc.boolean(),
        (data, stringData, liveData, annotate) => {
          const encode = (values: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, utf8ToBase64(v)]));
          const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'prod' }, type: 'Opaque', data: encode(data), stringData };
          const live: KubeObject = {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {
              name: 'creds',
              namespace: 'prod',
              // kubectl's client-side apply keeps the whole object, values included, in an annotation.
              ...(annotate ? { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ ...desired, data: encode(liveData) }) } } : {}),
            },
            type: 'Opaque',
            data: encode(liveData),
          };
          const drift = compareResource({ desired: { object: desired }, live, options: { secretHashSalt: 'salt' } });
          const environment = compareEnvironment([{ object: desired }], [live], { secretHashSalt: 'salt' });
          const shown = [JSON.stringify(drift), JSON.stringify(driftReportJson(environment)), driftReportText(environment)].join('\n');
          for (const value of [...Object.values(data), ...Object.values(stringData), ...Object.values(liveData)]) {
            assert.ok(!shown.includes(value), `shows ${value}`);
            assert.ok(!shown.includes(utf8ToBase64(value)), `shows base64 of ${value}`);
          }
        },
      ),
      settings(2_000),
    );
  });
});
