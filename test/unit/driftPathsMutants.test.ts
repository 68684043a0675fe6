// The comparison's building blocks, held directly rather than through whole comparisons: which values
// the API server writes when Git leaves a field out (serverDefaults), where two objects differ
// (diffWalk), how a raw difference becomes a field with pointers and an owner (driftFields), and
// the canonical JSON and hashes the cache and Secret masking rely on (hash).
// Written to kill the mutation survivors of the group core-drift-paths (`npm run mutate --
// core-drift-paths`): serverDefaults had no direct test at all, and the drift tests reach diffWalk
// only through a handful of shapes. Properties hold the walker against an independent recursive
// reference on seeded random objects, and the hashes against node:crypto.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DiffWalker, isEmptyValue, type Frame, type RawDrift } from '../../src/core/drift/diffWalk';
import { buildFields, type FieldContext } from '../../src/core/drift/driftFields';
import type { DriftMode } from '../../src/core/drift/driftTypes';
import { contentHash, sha256Hex, shortSecretHash, stableStringify } from '../../src/core/drift/hash';
import type { FieldsNode, ManagedFieldsEntry } from '../../src/core/drift/managedFields';
import { isServerDefault } from '../../src/core/drift/serverDefaults';
import { seededRandom } from '../support/seededRandom';

type Json = unknown;

// ---------------------------------------------------------------------------------------------
// serverDefaults
// ---------------------------------------------------------------------------------------------

/** [path, the value the API server writes, a value a user might set instead]. */
type DefaultRow = [string, unknown, unknown];

/** Fields whose value the server picks (allocations, counters): any value is the server's. */
const SERVER_CHOSEN: Array<[string, string]> = [
  ['Deployment', 'metadata.annotations.deployment.kubernetes.io/revision'],
  ['StatefulSet', 'spec.volumeClaimTemplates[].status'],
  ['Job', 'spec.selector'],
  ['Service', 'spec.ipFamilies'],
  ['Service', 'spec.clusterIP'],
  ['Service', 'spec.clusterIPs'],
  ['Service', 'spec.healthCheckNodePort'],
  ['Service', 'spec.ports[].nodePort'],
  ['PersistentVolumeClaim', 'spec.volumeName'],
  ['PersistentVolumeClaim', 'spec.storageClassName'],
  ['ServiceAccount', 'secrets'],
  ['MutatingWebhookConfiguration', 'webhooks[].admissionReviewVersions'],
  ['ValidatingWebhookConfiguration', 'webhooks[].admissionReviewVersions'],
];

const WEBHOOK_DEFAULTS: DefaultRow[] = [
  // v1 and v1beta1 default these differently: both are the server's.
  ['webhooks[].matchPolicy', 'Equivalent', 'Fuzzy'],
  ['webhooks[].matchPolicy', 'Exact', 'exact'],
  ['webhooks[].namespaceSelector', {}, { matchLabels: { team: 'a' } }],
  ['webhooks[].objectSelector', {}, { matchLabels: { team: 'a' } }],
  ['webhooks[].reinvocationPolicy', 'Never', 'IfNeeded'],
  ['webhooks[].timeoutSeconds', 10, 5],
  ['webhooks[].timeoutSeconds', 30, 29],
  ['webhooks[].failurePolicy', 'Fail', 'fail'],
  ['webhooks[].failurePolicy', 'Ignore', 'ignore'],
  ['webhooks[].sideEffects', 'Unknown', 'NoneOnDryRun'],
  ['webhooks[].sideEffects', 'None', 'Some'],
  ['webhooks[].rules[].scope', '*', 'Namespaced'],
  ['webhooks[].clientConfig.service.port', 443, 8443],
];

const KIND_DEFAULTS: Record<string, DefaultRow[]> = {
  Deployment: [
    ['spec.replicas', 1, 2],
    ['spec.revisionHistoryLimit', 10, 5],
    ['spec.progressDeadlineSeconds', 600, 300],
    ['spec.strategy.type', 'RollingUpdate', 'Recreate'],
    ['spec.strategy.rollingUpdate.maxSurge', '25%', '50%'],
    ['spec.strategy.rollingUpdate.maxUnavailable', '25%', 0],
  ],
  StatefulSet: [
    ['spec.replicas', 1, 3],
    ['spec.revisionHistoryLimit', 10, 1],
    ['spec.podManagementPolicy', 'OrderedReady', 'Parallel'],
    ['spec.updateStrategy.type', 'RollingUpdate', 'OnDelete'],
    ['spec.updateStrategy.rollingUpdate.partition', 0, 2],
    ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted', 'Retain', 'Delete'],
    ['spec.persistentVolumeClaimRetentionPolicy.whenScaled', 'Retain', 'Delete'],
    ['spec.volumeClaimTemplates[].spec.volumeMode', 'Filesystem', 'Block'],
  ],
  DaemonSet: [
    ['spec.revisionHistoryLimit', 10, 3],
    ['spec.updateStrategy.type', 'RollingUpdate', 'OnDelete'],
    ['spec.updateStrategy.rollingUpdate.maxUnavailable', 1, 2],
    ['spec.updateStrategy.rollingUpdate.maxSurge', 0, 1],
  ],
  ReplicaSet: [['spec.replicas', 1, 0]],
  Job: [
    ['spec.backoffLimit', 6, 0],
    ['spec.completions', 1, 5],
    ['spec.parallelism', 1, 2],
    ['spec.completionMode', 'NonIndexed', 'Indexed'],
    ['spec.suspend', false, true],
    ['spec.podReplacementPolicy', 'TerminatingOrFailed', 'Failed'],
  ],
  CronJob: [
    ['spec.concurrencyPolicy', 'Allow', 'Forbid'],
    ['spec.suspend', false, true],
    ['spec.successfulJobsHistoryLimit', 3, 1],
    ['spec.failedJobsHistoryLimit', 1, 3],
  ],
  Service: [
    ['spec.type', 'ClusterIP', 'NodePort'],
    ['spec.sessionAffinity', 'None', 'ClientIP'],
    ['spec.internalTrafficPolicy', 'Cluster', 'Local'],
    ['spec.externalTrafficPolicy', 'Cluster', 'Local'],
    ['spec.ipFamilyPolicy', 'SingleStack', 'PreferDualStack'],
    ['spec.allocateLoadBalancerNodePorts', true, false],
    ['spec.ports[].protocol', 'TCP', 'UDP'],
  ],
  PersistentVolumeClaim: [['spec.volumeMode', 'Filesystem', 'Block']],
  Endpoints: [['subsets[].ports[].protocol', 'TCP', 'UDP']],
  NetworkPolicy: [
    ['spec.ingress[].ports[].protocol', 'TCP', 'SCTP'],
    ['spec.egress[].ports[].protocol', 'TCP', 'UDP'],
  ],
  MutatingWebhookConfiguration: WEBHOOK_DEFAULTS,
  ValidatingWebhookConfiguration: WEBHOOK_DEFAULTS,
};

/** Pod-spec defaults, relative to the pod spec. */
const POD_DEFAULTS: DefaultRow[] = [
  ['restartPolicy', 'Always', 'OnFailure'],
  ['dnsPolicy', 'ClusterFirst', 'Default'],
  ['schedulerName', 'default-scheduler', 'my-scheduler'],
  ['securityContext', {}, { runAsNonRoot: true }],
  ['terminationGracePeriodSeconds', 30, 60],
  ['enableServiceLinks', true, false],
  ['preemptionPolicy', 'PreemptLowerPriority', 'Never'],
  ['priority', 0, 1000],
  ['serviceAccountName', 'default', 'builder'],
  ['volumes[].configMap.defaultMode', 420, 511],
  ['volumes[].secret.defaultMode', 420, 256],
  ['volumes[].projected.defaultMode', 420, 384],
  ['volumes[].downwardAPI.defaultMode', 420, 292],
  ['volumes[].emptyDir', {}, { medium: 'Memory' }],
  ['volumes[].hostPath.type', '', 'Directory'],
];

/** Container defaults, relative to one container (the same for every container list). */
const CONTAINER_DEFAULTS: DefaultRow[] = [
  ['terminationMessagePath', '/dev/termination-log', '/tmp/log'],
  ['terminationMessagePolicy', 'File', 'FallbackToLogsOnError'],
  ['resources', {}, { limits: { cpu: '1' } }],
  ['ports[].protocol', 'TCP', 'UDP'],
  ['env[].valueFrom.fieldRef.apiVersion', 'v1', 'v2'],
  ['env[].valueFrom.resourceFieldRef.divisor', '0', '1m'],
  ['env[].valueFrom.resourceFieldRef.divisor', 0, 1],
];
for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
  CONTAINER_DEFAULTS.push(
    [`${probe}.failureThreshold`, 3, 5],
    [`${probe}.periodSeconds`, 10, 5],
    [`${probe}.successThreshold`, 1, 2],
    [`${probe}.timeoutSeconds`, 1, 5],
    [`${probe}.httpGet.scheme`, 'HTTP', 'HTTPS'],
  );
}
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** Where each kind holds its pod spec. */
const POD_SPEC_AT: Array<[string, string]> = [
  ['Pod', 'spec'],
  ['PodTemplate', 'template.spec'],
  ['CronJob', 'spec.jobTemplate.spec.template.spec'],
  ['Deployment', 'spec.template.spec'],
  ['StatefulSet', 'spec.template.spec'],
  ['DaemonSet', 'spec.template.spec'],
  ['ReplicaSet', 'spec.template.spec'],
  ['ReplicationController', 'spec.template.spec'],
  ['Job', 'spec.template.spec'],
];

/** Every pod-spec default as [path relative to the pod spec, default, other]. */
function podRows(): DefaultRow[] {
  const rows = [...POD_DEFAULTS];
  for (const list of CONTAINER_LISTS) for (const [path, value, other] of CONTAINER_DEFAULTS) rows.push([`${list}[].${path}`, value, other]);
  return rows;
}

describe('serverDefaults: isServerDefault', () => {
  it('holds every per-kind default the API server writes, and only that value', () => {
    for (const [kind, rows] of Object.entries(KIND_DEFAULTS)) {
      for (const [path, value, other] of rows) {
        assert.equal(isServerDefault(kind, path, value, undefined), true, `${kind} ${path} = ${JSON.stringify(value)}`);
        assert.equal(isServerDefault(kind, path, other, undefined), false, `${kind} ${path} = ${JSON.stringify(other)}`);
      }
    }
  });

  it('takes any value of a field the server allocates or chooses', () => {
    for (const [kind, path] of SERVER_CHOSEN) {
      for (const value of ['10.0.0.7', 30080, ['IPv4'], { a: 1 }, 'anything']) {
        assert.equal(isServerDefault(kind, path, value, undefined), true, `${kind} ${path} = ${JSON.stringify(value)}`);
      }
    }
  });

  it('holds every pod-spec and container default under the pod spec of each kind that has one', () => {
    const rows = podRows();
    for (const [kind, prefix] of POD_SPEC_AT) {
      for (const [path, value, other] of rows) {
        const full = `${prefix}.${path}`;
        assert.equal(isServerDefault(kind, full, value, undefined), true, `${kind} ${full} = ${JSON.stringify(value)}`);
        assert.equal(isServerDefault(kind, full, other, undefined), false, `${kind} ${full} = ${JSON.stringify(other)}`);
      }
    }
  });

  it('finds no pod default outside a pod spec: a kind without one, another kind’s prefix, a prefix not ending at a dot', () => {
    for (const [path, value] of POD_DEFAULTS) {
      for (const kind of ['Service', 'ConfigMap', 'Widget', 'constructor', '__proto__']) {
        assert.equal(isServerDefault(kind, `spec.template.spec.${path}`, value, undefined), false, `${kind} ${path}`);
        assert.equal(isServerDefault(kind, `spec.${path}`, value, undefined), false, `${kind} ${path}`);
      }
      // A Pod's spec is `spec`, not `spec.template.spec`; a Deployment's is not `spec`.
      assert.equal(isServerDefault('Pod', `spec.template.spec.${path}`, value, undefined), false, path);
      assert.equal(isServerDefault('Deployment', `spec.${path}`, value, undefined), false, path);
      // The same length as the prefix and its dot, but not the prefix.
      assert.equal(isServerDefault('Deployment', `spec.template.spec_${path}`, value, undefined), false, path);
      assert.equal(isServerDefault('Deployment', `spec.template.specs${path}`, value, undefined), false, path);
      assert.equal(isServerDefault('Pod', `specs${path}`, value, undefined), false, path);
      assert.equal(isServerDefault('PodTemplate', `template.spec_${path}`, value, undefined), false, path);
      // The pod-relative marker itself is not a path of any object.
      assert.equal(isServerDefault('Pod', `$pod.${path}`, value, undefined), false, path);
    }
  });

  it('keeps each kind’s defaults to that kind', () => {
    assert.equal(isServerDefault('Job', 'spec.replicas', 1, undefined), false);
    assert.equal(isServerDefault('DaemonSet', 'spec.replicas', 1, undefined), false);
    assert.equal(isServerDefault('Deployment', 'spec.type', 'ClusterIP', undefined), false);
    assert.equal(isServerDefault('Service', 'spec.selector', { app: 'x' }, undefined), false);
    assert.equal(isServerDefault('Deployment', 'spec.clusterIP', '10.0.0.1', undefined), false);
    assert.equal(isServerDefault('ConfigMap', 'secrets', [], undefined), false);
    assert.equal(isServerDefault('Widget', 'webhooks[].timeoutSeconds', 10, undefined), false);
    assert.equal(isServerDefault('constructor', 'spec.replicas', 1, undefined), false);
    assert.equal(isServerDefault('Deployment', 'constructor', 1, undefined), false);
    assert.equal(isServerDefault('Deployment', '__proto__', {}, undefined), false);
  });

  it('counts undefined, null, [] and {} as the empty default, and nothing else', () => {
    for (const path of ['spec.template.spec.securityContext', 'spec.template.spec.volumes[].emptyDir', 'spec.template.spec.containers[].resources']) {
      for (const value of [undefined, null, [], {}]) assert.equal(isServerDefault('Deployment', path, value, undefined), true, `${path} ${JSON.stringify(value)}`);
      for (const value of [0, '', false, 'x', 5, [0], [null], { a: 1 }, { a: null }]) {
        assert.equal(isServerDefault('Deployment', path, value, undefined), false, `${path} ${JSON.stringify(value)}`);
      }
    }
    for (const value of [undefined, null, [], {}]) assert.equal(isServerDefault('ValidatingWebhookConfiguration', 'webhooks[].namespaceSelector', value, undefined), true);
  });

  it('defaults imagePullPolicy as the kubelet does: Always for :latest or no tag, IfNotPresent for a tag or a digest', () => {
    const cases: Array<[unknown, string]> = [
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['nginx:', 'Always'],
      ['nginx:1.25', 'IfNotPresent'],
      ['nginx:latest-alpine', 'IfNotPresent'],
      ['nginx:Latest', 'IfNotPresent'],
      ['library/nginx', 'Always'],
      ['registry.example.com:5000/team/nginx', 'Always'],
      ['registry.example.com:5000/team/nginx:latest', 'Always'],
      ['registry.example.com:5000/team/nginx:2', 'IfNotPresent'],
      ['registry.example.com:5000/team/app:v1', 'IfNotPresent'],
      ['example.com/:v1', 'IfNotPresent'],
      ['nginx@sha256:0123abcd', 'IfNotPresent'],
      ['nginx:latest@sha256:0123abcd', 'IfNotPresent'],
      ['registry:5000/nginx@sha256:0123abcd', 'IfNotPresent'],
      [undefined, 'IfNotPresent'],
      [42, 'IfNotPresent'],
    ];
    for (const list of CONTAINER_LISTS) {
      for (const [kind, prefix] of POD_SPEC_AT) {
        const path = `${prefix}.${list}[].imagePullPolicy`;
        for (const [image, expected] of cases) {
          const container = image === undefined ? { name: 'app' } : { name: 'app', image };
          for (const policy of ['Always', 'IfNotPresent', 'Never', '']) {
            assert.equal(isServerDefault(kind, path, policy, container), policy === expected, `${kind} ${list} ${String(image)} ${policy}`);
          }
        }
        // No container at all: the image is unknown, so IfNotPresent.
        assert.equal(isServerDefault(kind, path, 'IfNotPresent', undefined), true);
        assert.equal(isServerDefault(kind, path, 'Always', undefined), false);
      }
    }
  });

  it('defaults serviceAccount to serviceAccountName, or to `default` without one', () => {
    for (const [kind, prefix] of POD_SPEC_AT) {
      const path = `${prefix}.serviceAccount`;
      assert.equal(isServerDefault(kind, path, 'default', undefined), true);
      assert.equal(isServerDefault(kind, path, 'default', {}), true);
      assert.equal(isServerDefault(kind, path, 'builder', {}), false);
      assert.equal(isServerDefault(kind, path, '', undefined), false);
      assert.equal(isServerDefault(kind, path, 'builder', { serviceAccountName: 'builder' }), true);
      assert.equal(isServerDefault(kind, path, 'default', { serviceAccountName: 'builder' }), false);
    }
  });

  it('defaults a Service port’s targetPort to its port', () => {
    const path = 'spec.ports[].targetPort';
    assert.equal(isServerDefault('Service', path, 80, { port: 80 }), true);
    assert.equal(isServerDefault('Service', path, 8080, { port: 80 }), false);
    assert.equal(isServerDefault('Service', path, 'http', { port: 80, name: 'http' }), false);
    assert.equal(isServerDefault('Service', path, '80', { port: 80 }), false);
    assert.equal(isServerDefault('Deployment', path, 80, { port: 80 }), false);
  });
});

// ---------------------------------------------------------------------------------------------
// hash
// ---------------------------------------------------------------------------------------------

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Independent canonical form: keys sorted, undefined members left out, undefined list items null. */
function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = canonical(member);
    }
    return out;
  }
  return value;
}

function randomJson(random: () => number, depth: number, withUndefined: boolean): Json {
  const roll = random();
  // No integer-like keys: JavaScript objects list those first, so JSON.stringify of the sorted
  // reference would not be sorted (the exact-forms test below holds them).
  const keys = ['a', 'b', 'zeta', 'Alpha', 'x y', 'é', 'k10', 'k2', '"q"'];
  if (depth > 0 && roll < 0.3) {
    const out: Record<string, unknown> = {};
    const count = Math.floor(random() * 5);
    for (let i = 0; i < count; i++) out[keys[Math.floor(random() * keys.length)]] = randomJson(random, depth - 1, withUndefined);
    return out;
  }
  if (depth > 0 && roll < 0.5) {
    const count = Math.floor(random() * 4);
    return Array.from({ length: count }, () => randomJson(random, depth - 1, withUndefined));
  }
  const scalars: Json[] = [0, 1, -2.5, 'text', '', 'a,b', 'q"uote', true, false, null];
  if (withUndefined) scalars.push(undefined);
  return scalars[Math.floor(random() * scalars.length)];
}

/** The same object with its keys inserted in reverse order. */
function reversedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) out[key] = reversedKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

describe('hash', () => {
  it('stableStringify is JSON.stringify of the key-sorted value, undefined members dropped and undefined items null', () => {
    const random = seededRandom(4242);
    for (let run = 0; run < 400; run++) {
      const value = randomJson(random, 4, true);
      const expected = JSON.stringify(canonical(value)) ?? 'null';
      assert.equal(stableStringify(value), expected, `seed 4242 run ${run}`);
      assert.equal(stableStringify(reversedKeys(value)), expected, `seed 4242 run ${run} reversed`);
      assert.equal(contentHash(value), sha256(expected));
    }
  });

  it('stableStringify writes exact forms for the edge cases', () => {
    assert.equal(stableStringify(undefined), 'null');
    assert.equal(stableStringify(() => 1), 'null');
    assert.equal(stableStringify(null), 'null');
    assert.equal(stableStringify([]), '[]');
    assert.equal(stableStringify({}), '{}');
    assert.equal(stableStringify([undefined]), '[null]');
    assert.equal(stableStringify([1, undefined, 'a']), '[1,null,"a"]');
    assert.equal(stableStringify({ a: undefined }), '{}');
    assert.equal(stableStringify({ b: 1, a: undefined, c: [2, 3] }), '{"b":1,"c":[2,3]}');
    assert.equal(stableStringify({ b: { d: 1, c: 2 }, a: 'x' }), '{"a":"x","b":{"c":2,"d":1}}');
    // Keys sort as text, integer-like ones included.
    assert.equal(stableStringify({ 2: 'b', 10: 'a', x: 1 }), '{"10":"a","2":"b","x":1}');
  });

  it('sha256Hex is the SHA-256 of the UTF-8 text', () => {
    for (const text of ['', 'a', 'é€𝄞', 'x'.repeat(1000)]) assert.equal(sha256Hex(text), sha256(text));
  });

  it('shortSecretHash is the first 8 hex digits of SHA-256, of the text itself without a salt and of salt NUL text with one', () => {
    const random = seededRandom(77);
    for (let run = 0; run < 100; run++) {
      const value = randomJson(random, 3, false);
      const text = typeof value === 'string' ? value : JSON.stringify(canonical(value));
      assert.equal(shortSecretHash(value), sha256(text).slice(0, 8));
      assert.equal(shortSecretHash(value, ''), sha256(text).slice(0, 8));
      assert.equal(shortSecretHash(value, 'pepper'), sha256(`pepper\u0000${text}`).slice(0, 8));
    }
    assert.equal(shortSecretHash('hunter2'), sha256('hunter2').slice(0, 8));
    assert.equal(shortSecretHash({ b: 1, a: 2 }), sha256('{"a":2,"b":1}').slice(0, 8));
  });
});

// ---------------------------------------------------------------------------------------------
// diffWalk
// ---------------------------------------------------------------------------------------------

interface WalkOptions {
  lastApplied?: unknown;
  applied?: FieldsNode[];
  git?: unknown;
  ignoreUndeclared?: boolean;
}

function walk(kind: string, mode: DriftMode, desired: unknown, live: unknown, options: WalkOptions = {}): RawDrift[] {
  // Without the option, the walker's own default (skip undeclared differences) applies.
  const walker = options.ignoreUndeclared === undefined ? new DiffWalker(kind, mode) : new DiffWalker(kind, mode, options.ignoreUndeclared);
  const git = 'git' in options ? options.git : desired;
  return walker.run(desired, live, options.lastApplied, options.applied, git);
}

/** `spec.list[name=a].x` / `args[0]`, from frames. */
function pathOf(frames: readonly Frame[]): string {
  let out = '';
  for (const frame of frames) {
    if (frame.key !== undefined) out += out === '' ? frame.key : `.${frame.key}`;
    else out += `[${frame.label ?? frame.d}]`;
  }
  return out;
}

/** Drifts as `change path` lines, sorted. */
function summary(drifts: readonly RawDrift[]): string[] {
  return drifts.map((drift) => `${drift.change} ${pathOf(drift.frames)}`).sort();
}

const keyFrame = (key: string, inGit: boolean, inLive: boolean): Frame => ({ key, d: -1, l: -1, s: -1, inGit, inLive });

describe('diffWalk: isEmptyValue', () => {
  it('is true for undefined, null, [] and {} only', () => {
    for (const value of [undefined, null, [], {}, Object.create(null) as object]) assert.equal(isEmptyValue(value), true, JSON.stringify(value));
    for (const value of [0, '', false, 'x', NaN, [undefined], [0], { a: undefined }, { a: 1 }]) assert.equal(isEmptyValue(value), false, JSON.stringify(value));
  });
});

// --- An independent reference for objects without merge keys, set lists or defaults -------------

function refIsEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf empty: what Git may declare where live has nothing, in local mode, without a default. */
function refAllEmpty(value: unknown): boolean {
  if (refIsEmpty(value)) return true;
  return isMap(value) && Object.values(value).every(refAllEmpty);
}

interface RefDrift {
  change: string;
  desired?: unknown;
  live?: unknown;
  frames: Frame[];
}

/**
 * Where `desired` and `live` differ, walked independently: maps by key, lists atomically (a
 * different length is one difference, else item by item), empty = null = missing, NaN = NaN.
 * `server`: every field counts (git = desired); `local`: fields only live has never count.
 */
function reference(mode: DriftMode, desired: unknown, live: unknown): RefDrift[] {
  const out: RefDrift[] = [];
  const frames: Frame[] = [];
  const push = (change: string, d: unknown, l: unknown): void => {
    const drift: RefDrift = { change, desired: d, live: l, frames: frames.map((frame) => ({ ...frame })) };
    out.push(drift);
  };
  const visit = (d: unknown, l: unknown): void => {
    const dHas = d !== undefined && d !== null;
    const lHas = l !== undefined && l !== null;
    if (!dHas) {
      if (lHas && mode === 'server' && !refIsEmpty(l)) push('notInGit', undefined, l);
      return;
    }
    if (!lHas) {
      if (refIsEmpty(d) || (mode === 'local' && refAllEmpty(d))) return;
      push('notInLive', d, undefined);
      return;
    }
    if (isMap(d) && isMap(l)) {
      for (const key of Object.keys(d)) {
        frames.push(keyFrame(key, true, l[key] !== undefined));
        visit(d[key], l[key]);
        frames.pop();
      }
      if (mode === 'server') {
        for (const key of Object.keys(l)) {
          if (d[key] !== undefined) continue;
          frames.push(keyFrame(key, false, true));
          visit(undefined, l[key]);
          frames.pop();
        }
      }
      return;
    }
    if (Array.isArray(d) && Array.isArray(l)) {
      if (d.length !== l.length) {
        push('changed', d, l);
        return;
      }
      for (let i = 0; i < d.length; i++) {
        frames.push({ d: i, l: i, s: i, inGit: true, inLive: true });
        visit(d[i], l[i]);
        frames.pop();
      }
      return;
    }
    const same = d === l || (refIsEmpty(d) && refIsEmpty(l)) || (Number.isNaN(d) && Number.isNaN(l));
    if (!same) push('changed', d, l);
  };
  visit(desired, live);
  return out;
}

/** Random objects without `name` keys (so no list is keyed) and without keyed or set list names. */
function randomValue(random: () => number, depth: number): Json {
  const roll = random();
  const keys = ['a', 'b', 'c', 'data', 'spec', 'x'];
  if (depth > 0 && roll < 0.35) {
    const out: Record<string, unknown> = {};
    const count = Math.floor(random() * 4);
    for (let i = 0; i < count; i++) out[keys[Math.floor(random() * keys.length)]] = randomValue(random, depth - 1);
    return out;
  }
  if (depth > 0 && roll < 0.55) {
    const count = Math.floor(random() * 3);
    return Array.from({ length: count }, () => randomValue(random, depth - 1));
  }
  const scalars: Json[] = [0, 1, 2, 'v', 'w', '', true, false, null, NaN, [], {}];
  return scalars[Math.floor(random() * scalars.length)];
}

/** A copy of `value` with random edits: changed scalars, dropped and added keys, longer or shorter lists. */
function mutateValue(random: () => number, value: Json, depth: number): Json {
  if (random() < 0.12) return randomValue(random, depth);
  if (Array.isArray(value)) {
    const out = value.map((item) => mutateValue(random, item, depth - 1));
    if (random() < 0.1) out.push(randomValue(random, depth - 1));
    if (random() < 0.1) out.pop();
    return out;
  }
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) if (random() > 0.1) out[key] = mutateValue(random, member, depth - 1);
    if (random() < 0.25) out[['a', 'b', 'c', 'data', 'spec', 'x'][Math.floor(random() * 6)]] = randomValue(random, depth - 1);
    return out;
  }
  return value;
}

const comparable = (drifts: ReadonlyArray<RawDrift | RefDrift>): string[] =>
  drifts.map((drift) => JSON.stringify({ change: drift.change, desired: drift.desired, live: drift.live, frames: drift.frames }, (_key, value: unknown) => (Number.isNaN(value) ? 'NaN' : value))).sort();

describe('diffWalk: DiffWalker against an independent reference', () => {
  for (const mode of ['server', 'local'] as const) {
    it(`lists exactly the leaves where two random objects differ, with their frames (${mode} mode)`, () => {
      const random = seededRandom(mode === 'server' ? 9001 : 9002);
      let differing = 0;
      for (let run = 0; run < 600; run++) {
        const desired = { spec: randomValue(random, 4) };
        const live = mutateValue(random, desired, 5);
        const expected = reference(mode, desired, live);
        if (expected.length > 0) differing++;
        const actual = walk('Widget', mode, desired, live, { ignoreUndeclared: false });
        assert.deepEqual(comparable(actual), comparable(expected), `seed run ${run}: ${JSON.stringify({ desired, live })}`);
        if (mode === 'server') {
          // Git is the desired object: every difference is declared, so ignoreUndeclared drops nothing.
          assert.deepEqual(comparable(walk('Widget', mode, desired, live)), comparable(expected), `run ${run} (ignoreUndeclared)`);
        }
      }
      assert.ok(differing > 150, `only ${differing} of 600 cases differ`);
    });
  }
});

describe('diffWalk: values and emptiness', () => {
  it('treats null, an empty list, an empty map and a missing field alike', () => {
    for (const mode of ['local', 'server'] as const) {
      const empties = [null, [], {}, undefined];
      for (const a of empties) {
        for (const b of empties) assert.deepEqual(walk('Widget', mode, { x: a, y: 1 }, { x: b, y: 1 }), [], `${mode} ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
  });

  it('finds a value that differs from an empty one of another shape', () => {
    for (const mode of ['local', 'server'] as const) {
      assert.deepEqual(summary(walk('Widget', mode, { x: 'v' }, { x: {} })), ['changed x']);
      assert.deepEqual(summary(walk('Widget', mode, { x: 'v' }, { x: [] })), ['changed x']);
      assert.deepEqual(summary(walk('Widget', mode, { x: 0 }, { x: [] })), ['changed x']);
    }
  });

  it('holds NaN equal to NaN and to nothing else', () => {
    assert.deepEqual(walk('Widget', 'local', { x: NaN }, { x: NaN }), []);
    assert.deepEqual(summary(walk('Widget', 'local', { x: 1 }, { x: NaN })), ['changed x']);
    assert.deepEqual(summary(walk('Widget', 'local', { x: NaN }, { x: 1 })), ['changed x']);
    assert.deepEqual(summary(walk('Widget', 'local', { x: NaN }, { x: 'NaN' })), ['changed x']);
    assert.deepEqual(summary(walk('Widget', 'local', { x: 'NaN' }, { x: NaN })), ['changed x']);
  });

  it('reports a value live has as null as missing from live, not as changed', () => {
    for (const mode of ['local', 'server'] as const) {
      const drifts = walk('Widget', mode, { x: 5 }, { x: null });
      assert.deepEqual(
        drifts.map(({ change, desired, live }) => ({ change, desired, live })),
        [{ change: 'notInLive', desired: 5, live: undefined }],
      );
      assert.deepEqual(walk('Widget', mode, { x: 5 }, {}), [{ change: 'notInLive', desired: 5, live: undefined, frames: [keyFrame('x', true, false)] }]);
    }
  });

  it('reads a field Git sets to null as not declared: no drift in local mode, notInGit in server mode', () => {
    assert.deepEqual(walk('Widget', 'local', { x: null, y: 1 }, { x: 5, y: 1 }), []);
    assert.deepEqual(walk('Widget', 'server', { x: null, y: 1 }, { x: 5, y: 1 }), [
      { change: 'notInGit', desired: undefined, live: 5, frames: [keyFrame('x', true, true)] },
    ]);
    assert.deepEqual(walk('Widget', 'local', null, { x: 5 }), []);
    assert.deepEqual(walk('Widget', 'local', undefined, 'x'), []);
  });

  it('finds no drift where Git declares only empty values or maps of them and live has nothing', () => {
    assert.deepEqual(walk('Widget', 'local', { spec: { a: [], b: {}, c: { d: null, e: [] } } }, {}), []);
    assert.deepEqual(walk('Widget', 'local', { spec: { a: [] } }, { other: 1 }), []);
    assert.deepEqual(walk('Widget', 'local', { spec: { a: {}, b: [] } }, {}), []);
    // Server mode compares complete objects: an empty list is still nothing.
    assert.deepEqual(walk('Widget', 'server', { spec: { a: [] } }, { spec: {} }), []);
    assert.deepEqual(walk('Widget', 'server', { spec: {} }, { spec: { a: [] } }), []);
  });

  it('reports a value Git declares and live lacks, unless it is the server’s default (local mode only)', () => {
    assert.deepEqual(walk('Deployment', 'local', { spec: { replicas: 3 } }, { spec: {} }), [
      { change: 'notInLive', desired: 3, live: undefined, frames: [keyFrame('spec', true, true), keyFrame('replicas', true, false)] },
    ]);
    assert.deepEqual(walk('Deployment', 'local', { spec: { replicas: 1 } }, { spec: {} }), []);
    assert.deepEqual(summary(walk('Deployment', 'local', { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } }, { spec: {} })), []);
    assert.deepEqual(summary(walk('Deployment', 'local', { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } } } }, { spec: {} })), [
      'notInLive spec.strategy',
    ]);
    assert.deepEqual(summary(walk('Deployment', 'local', { spec: { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: '25%' } } } }, { spec: {} })), [
      'notInLive spec.strategy',
    ]);
    // Server mode compares a dry-run, defaults included: a missing default is a difference.
    assert.deepEqual(summary(walk('Deployment', 'server', { spec: { replicas: 1 } }, { spec: {} })), ['notInLive spec.replicas']);
  });

  it('walks lists of lists by position', () => {
    assert.deepEqual(walk('Widget', 'local', { matrix: [[1, 2], [3]] }, { matrix: [[1, 2], [3]] }), []);
    assert.deepEqual(walk('Widget', 'local', { matrix: [[1, 2], [3]] }, { matrix: [[1, 4], [3]] }), [
      {
        change: 'changed',
        desired: 2,
        live: 4,
        frames: [keyFrame('matrix', true, true), { d: 0, l: 0, s: 0, inGit: true, inLive: true }, { d: 1, l: 1, s: 1, inGit: true, inLive: true }],
      },
    ]);
    // A list of lists under a keyed list's name is still a list of lists.
    assert.deepEqual(summary(walk('Widget', 'local', { containers: [['a'], ['b']] }, { containers: [['a'], ['c']] })), ['changed containers[1][0]']);
  });
});

describe('diffWalk: set lists (finalizers)', () => {
  it('in local mode, requires Git’s members and ignores members others added', () => {
    assert.deepEqual(walk('Widget', 'local', { finalizers: ['a', 'b'] }, { finalizers: ['c', 'b', 'a'] }), []);
    assert.deepEqual(walk('Widget', 'local', { metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'x'] } }), [
      {
        change: 'notInLive',
        desired: 'a',
        live: undefined,
        frames: [keyFrame('metadata', true, true), keyFrame('finalizers', true, true), { d: 0, l: -1, s: 0, label: 'a', inGit: true, inLive: false }],
      },
    ]);
  });

  it('in local mode, reports a member the last apply or a server-side applier of Git declared and Git dropped', () => {
    const fromLastApplied = walk('Widget', 'local', { finalizers: ['a'] }, { finalizers: ['x', 'a', 'c'] }, { lastApplied: { finalizers: ['a', 'c'] } });
    assert.deepEqual(fromLastApplied, [
      { change: 'notInGit', desired: undefined, live: 'c', frames: [keyFrame('finalizers', true, true), { d: -1, l: 2, s: -1, label: 'c', inGit: false, inLive: true }] },
    ]);
    const fromApplier = walk('Widget', 'local', { finalizers: ['a'] }, { finalizers: ['x', 'a', 'c'] }, { applied: [{ 'f:finalizers': { 'v:"x"': {} } }] });
    assert.deepEqual(fromApplier, [
      { change: 'notInGit', desired: undefined, live: 'x', frames: [keyFrame('finalizers', true, true), { d: -1, l: 0, s: -1, label: 'x', inGit: false, inLive: true }] },
    ]);
    assert.deepEqual(walk('Widget', 'local', { finalizers: ['a'] }, { finalizers: ['x', 'a'] }, { lastApplied: { finalizers: ['a'] }, applied: [{ 'f:finalizers': {} }] }), []);
  });

  it('in server mode and for other lists, compares by position', () => {
    assert.deepEqual(summary(walk('Widget', 'server', { finalizers: ['a', 'b'] }, { finalizers: ['b', 'a'] })), ['changed finalizers[0]', 'changed finalizers[1]']);
    assert.deepEqual(summary(walk('Widget', 'server', { finalizers: ['a'] }, { finalizers: ['a', 'x'] })), ['changed finalizers']);
    assert.deepEqual(summary(walk('Widget', 'local', { args: ['a', 'b'] }, { args: ['b', 'a'] })), ['changed args[0]', 'changed args[1]']);
    assert.deepEqual(summary(walk('Widget', 'local', { args: ['a'] }, { args: ['a', 'x'] })), ['changed args']);
  });
});

describe('diffWalk: keyed lists', () => {
  const c = (name: string, image: string): Record<string, unknown> => ({ name, image });

  it('matches items by merge key, with each side’s index in the frames', () => {
    const git = { containers: [c('web', 'v2'), c('side', 's1')] };
    const live = { containers: [c('side', 's1'), c('log', 'l1'), c('web', 'v1')] };
    assert.deepEqual(walk('Widget', 'local', git, live), [
      {
        change: 'changed',
        desired: 'v2',
        live: 'v1',
        frames: [keyFrame('containers', true, true), { d: 0, l: 2, s: 0, label: 'name=web', inGit: true, inLive: true }, keyFrame('image', true, true)],
      },
    ]);
  });

  it('reports an item Git has and live lacks with its Git index and no live index', () => {
    const git = { containers: [c('web', 'v1'), c('new', 'n1')] };
    const live = { containers: [c('web', 'v1')] };
    assert.deepEqual(walk('Widget', 'local', git, live), [
      {
        change: 'notInLive',
        desired: c('new', 'n1'),
        live: undefined,
        frames: [keyFrame('containers', true, true), { d: 1, l: -1, s: 1, label: 'name=new', inGit: true, inLive: false }],
      },
    ]);
  });

  it('in server mode, skips differences inside an item only the dry-run added, but reports one Git declares', () => {
    const git = { containers: [c('web', 'v1')] };
    const desired = { containers: [c('web', 'v1'), c('injected', 'mesh:2')] };
    const live = { containers: [c('injected', 'mesh:1'), c('web', 'v0')] };
    assert.deepEqual(walk('Widget', 'server', desired, live, { git }), [
      {
        change: 'changed',
        desired: 'v1',
        live: 'v0',
        frames: [keyFrame('containers', true, true), { d: 0, l: 1, s: 0, label: 'name=web', inGit: true, inLive: true }, keyFrame('image', true, true)],
      },
    ]);
    // Without the filter, the injected container's difference counts too, with no Git index.
    assert.deepEqual(walk('Widget', 'server', desired, live, { git, ignoreUndeclared: false })[1], {
      change: 'changed',
      desired: 'mesh:2',
      live: 'mesh:1',
      frames: [keyFrame('containers', true, true), { d: 1, l: 0, s: -1, label: 'name=injected', inGit: false, inLive: true }, keyFrame('image', false, true)],
    });
  });

  it('reports a live item Git lacks only when declared before: server mode, the last apply, or a Git applier', () => {
    const git = { containers: [c('web', 'v1')] };
    const live = { containers: [c('old', 'o1'), c('web', 'v1')] };
    const notInGit: RawDrift = {
      change: 'notInGit',
      desired: undefined,
      live: c('old', 'o1'),
      frames: [keyFrame('containers', true, true), { d: -1, l: 0, s: -1, label: 'name=old', inGit: false, inLive: true }],
    };
    assert.deepEqual(walk('Widget', 'local', git, live), []);
    assert.deepEqual(walk('Widget', 'local', git, live, { lastApplied: { containers: [c('web', 'v1')] } }), []);
    assert.deepEqual(walk('Widget', 'local', git, live, { applied: [{ 'f:containers': { 'k:{"name":"web"}': {} } }] }), []);
    assert.deepEqual(walk('Widget', 'server', git, live), [notInGit]);
    assert.deepEqual(walk('Widget', 'local', git, live, { lastApplied: { containers: [c('old', 'o0'), c('web', 'v1')] } }), [notInGit]);
    assert.deepEqual(walk('Widget', 'local', git, live, { applied: [{ 'f:containers': { 'k:{"name":"old"}': {} } }] }), [notInGit]);
  });
});

describe('diffWalk: atomic lists in server mode', () => {
  it('skips a difference at an index beyond Git’s list, reports one within it', () => {
    const git = { args: ['a', 'b'] };
    assert.deepEqual(walk('Widget', 'server', { args: ['a', 'b', 'x'] }, { args: ['a', 'b', 'y'] }, { git }), []);
    assert.deepEqual(walk('Widget', 'server', { args: ['a', 'b', 'x'] }, { args: ['a', 'c', 'y'] }, { git }), [
      { change: 'changed', desired: 'b', live: 'c', frames: [keyFrame('args', true, true), { d: 1, l: 1, s: 1, inGit: true, inLive: true }] },
    ]);
    assert.deepEqual(walk('Widget', 'server', { args: ['a', 'b', 'x'] }, { args: ['a', 'b', 'y'] }, { git, ignoreUndeclared: false }), [
      { change: 'changed', desired: 'x', live: 'y', frames: [keyFrame('args', true, true), { d: 2, l: 2, s: -1, inGit: false, inLive: true }] },
    ]);
  });

  it('skips differences in a list Git does not declare at all', () => {
    assert.deepEqual(walk('Widget', 'server', { args: ['a'], x: 1 }, { args: ['b'], x: 1 }, { git: { x: 1 } }), []);
    assert.deepEqual(walk('Widget', 'server', { args: ['a'], x: 1 }, { args: ['b'], x: 1 }, { git: { x: 1 }, ignoreUndeclared: false }), [
      { change: 'changed', desired: 'a', live: 'b', frames: [keyFrame('args', false, true), { d: 0, l: 0, s: -1, inGit: false, inLive: true }] },
    ]);
  });

  it('reports a field only live has even when Git does not declare its parent (a removal is Git’s doing)', () => {
    assert.deepEqual(walk('Widget', 'server', { spec: { a: 1 } }, { spec: { a: 1, b: 2 } }, { git: {} }), [
      { change: 'notInGit', desired: undefined, live: 2, frames: [keyFrame('spec', false, true), keyFrame('b', false, true)] },
    ]);
  });
});

describe('diffWalk: fields only live has, in local mode', () => {
  it('reports only the keys the last apply declared, below a map Git dropped', () => {
    const drifts = walk('Widget', 'local', { spec: { a: 1 } }, { spec: { a: 1, extra: { x: 1, y: 2 } } }, { lastApplied: { spec: { a: 1, extra: { x: 1 } } } });
    assert.deepEqual(drifts, [
      { change: 'notInGit', desired: undefined, live: 1, frames: [keyFrame('spec', true, true), keyFrame('extra', false, true), keyFrame('x', false, true)] },
    ]);
  });

  it('reports a field the last apply declared whole when it is not a map on both sides', () => {
    assert.deepEqual(summary(walk('Widget', 'local', { a: 1 }, { a: 1, extra: { x: 1 } }, { lastApplied: { extra: 'was text' } })), ['notInGit extra']);
    assert.deepEqual(summary(walk('Widget', 'local', { a: 1 }, { a: 1, extra: 'text' }, { lastApplied: { extra: { x: 1 } } })), ['notInGit extra']);
    assert.deepEqual(summary(walk('Widget', 'local', { a: 1 }, { a: 1, extra: ['a'] }, { lastApplied: { extra: 'was text' } })), ['notInGit extra']);
  });

  it('does not report a field the last apply set to null, or an empty value', () => {
    assert.deepEqual(walk('Widget', 'local', { a: 1 }, { a: 1, extra: 5 }, { lastApplied: { extra: null } }), []);
    assert.deepEqual(walk('Widget', 'local', { a: 1 }, { a: 1, extra: [] }, { lastApplied: { extra: [] } }), []);
    assert.deepEqual(walk('Widget', 'local', { a: 1 }, { a: 1, extra: {} }, { lastApplied: { extra: { x: 1 } } }), []);
  });

  it('does not report a dropped field that holds the server’s default', () => {
    assert.deepEqual(walk('Deployment', 'local', { spec: { paused: false } }, { spec: { paused: false, replicas: 1 } }, { lastApplied: { spec: { replicas: 4 } } }), []);
    assert.deepEqual(summary(walk('Deployment', 'local', { spec: { paused: false } }, { spec: { paused: false, replicas: 2 } }, { lastApplied: { spec: { replicas: 4 } } })), [
      'notInGit spec.replicas',
    ]);
  });

  it('follows a server-side applier’s fields key by key', () => {
    const applied: FieldsNode[] = [{ 'f:spec': { 'f:a': {}, 'f:extra': { 'f:y': {} } } }];
    assert.deepEqual(walk('Widget', 'local', { spec: { a: 1 } }, { spec: { a: 1, extra: { x: 1, y: 2 } } }, { applied }), [
      { change: 'notInGit', desired: undefined, live: 2, frames: [keyFrame('spec', true, true), keyFrame('extra', false, true), keyFrame('y', false, true)] },
    ]);
    // Declared by the last apply or owned by the applier: both count.
    assert.deepEqual(
      summary(walk('Widget', 'local', { spec: { a: 1 } }, { spec: { a: 1, extra: { x: 1, y: 2, z: 3 } } }, { applied, lastApplied: { spec: { extra: { x: 1 } } } })),
      ['notInGit spec.extra.x', 'notInGit spec.extra.y'],
    );
  });

  it('reports a value an applier owns whole as one field, when any applier owns it whole', () => {
    const whole: FieldsNode = { 'f:spec': { 'f:a': {}, 'f:extra': {} } };
    const partly: FieldsNode = { 'f:spec': { 'f:extra': { 'f:y': {} } } };
    const live = { spec: { a: 1, extra: { x: 1, y: 2 } } };
    assert.deepEqual(walk('Widget', 'local', { spec: { a: 1 } }, live, { applied: [whole] }), [
      { change: 'notInGit', desired: undefined, live: { x: 1, y: 2 }, frames: [keyFrame('spec', true, true), keyFrame('extra', false, true)] },
    ]);
    assert.deepEqual(summary(walk('Widget', 'local', { spec: { a: 1 } }, live, { applied: [partly, whole] })), ['notInGit spec.extra']);
    assert.deepEqual(summary(walk('Widget', 'local', { spec: { a: 1 } }, live, { applied: [partly] })), ['notInGit spec.extra.y']);
    // A list owned whole is one field too.
    assert.deepEqual(summary(walk('Widget', 'local', { a: 1 }, { a: 1, args: ['x', 'y'] }, { applied: [{ 'f:args': {} }] })), ['notInGit args']);
  });

  it('reports the items of a dropped keyed list that were declared, each with its live index', () => {
    const live = { spec: { a: 1, containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }, { name: 'c', image: 'z' }] } };
    const item = (label: string, l: number, value: unknown): RawDrift => ({
      change: 'notInGit',
      desired: undefined,
      live: value,
      frames: [keyFrame('spec', true, true), keyFrame('containers', false, true), { d: -1, l, s: -1, label, inGit: false, inLive: true }],
    });
    assert.deepEqual(walk('Widget', 'local', { spec: { a: 1 } }, live, { lastApplied: { spec: { containers: [{ name: 'b', image: 'old' }] } } }), [
      item('name=b', 1, { name: 'b', image: 'y' }),
    ]);
    assert.deepEqual(walk('Widget', 'local', { spec: { a: 1 } }, live, { applied: [{ 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {} } } } }] }), [
      item('name=c', 2, { name: 'c', image: 'z' }),
    ]);
    assert.deepEqual(
      walk('Widget', 'local', { spec: { a: 1 } }, live, {
        lastApplied: { spec: { containers: [{ name: 'a' }] } },
        applied: [{ 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {} } } } }],
      }),
      [item('name=a', 0, { name: 'a', image: 'x' }), item('name=c', 2, { name: 'c', image: 'z' })],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// driftFields
// ---------------------------------------------------------------------------------------------

function context(kind: string, live: unknown, extra: Partial<FieldContext> = {}): FieldContext {
  return { kind, live, managedFields: [], ignoredManagers: new Set(), ...extra };
}

function entry(manager: string, time: string | undefined, fields: FieldsNode): ManagedFieldsEntry {
  return time === undefined ? { manager, operation: 'Update', fields } : { manager, operation: 'Update', time, fields };
}

describe('driftFields: buildFields', () => {
  const git = { spec: { replicas: 3 } };
  const live = { spec: { replicas: 5 } };
  const raw = walk('Deployment', 'local', git, live);
  const owns: FieldsNode = { 'f:spec': { 'f:replicas': {} } };

  it('names the latest writer of a field, the first of equal times, a timed one before an untimed one', () => {
    const cases: Array<[ManagedFieldsEntry[], string, string | undefined]> = [
      [[entry('old', '2026-01-01T00:00:00Z', owns), entry('new', '2026-02-01T00:00:00Z', owns)], 'new', '2026-02-01T00:00:00Z'],
      [[entry('new', '2026-02-01T00:00:00Z', owns), entry('old', '2026-01-01T00:00:00Z', owns)], 'new', '2026-02-01T00:00:00Z'],
      [[entry('first', '2026-01-01T00:00:00Z', owns), entry('second', '2026-01-01T00:00:00Z', owns)], 'first', '2026-01-01T00:00:00Z'],
      [[entry('untimed', undefined, owns), entry('timed', '2026-01-01T00:00:00Z', owns)], 'timed', '2026-01-01T00:00:00Z'],
      [[entry('timed', '2026-01-01T00:00:00Z', owns), entry('untimed', undefined, owns)], 'timed', '2026-01-01T00:00:00Z'],
      [[entry('other', '2027-01-01T00:00:00Z', { 'f:metadata': {} }), entry('owner', '2026-01-01T00:00:00Z', owns)], 'owner', '2026-01-01T00:00:00Z'],
      [[entry('untimed', undefined, owns)], 'untimed', undefined],
    ];
    for (const [managedFields, manager, changedAt] of cases) {
      const { fields } = buildFields(raw, context('Deployment', live, { managedFields }));
      assert.equal(fields.length, 1);
      assert.equal(fields[0].manager, manager, managedFields.map((e) => e.manager).join(','));
      assert.equal(fields[0].changedAt, changedAt);
      assert.equal(Object.hasOwn(fields[0], 'changedAt'), changedAt !== undefined);
    }
  });

  it('builds a changed field with both pointers and values, and no member for a value a side lacks', () => {
    const built = buildFields(raw, context('Deployment', live));
    assert.deepEqual(built, {
      fields: [{ pointer: '/spec/replicas', livePointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', desired: 3, live: 5 }],
      rangePointers: ['/spec/replicas'],
      ignored: 0,
    });
    const missing = buildFields(walk('Deployment', 'local', git, { spec: {} }), context('Deployment', { spec: {} }));
    assert.deepEqual(missing.fields, [{ pointer: '/spec/replicas', path: 'spec.replicas', change: 'notInLive', desired: 3 }]);
    assert.equal(Object.hasOwn(missing.fields[0], 'live'), false);
    assert.equal(Object.hasOwn(missing.fields[0], 'livePointer'), false);
    const liveOnly = { spec: { replicas: 3, paused: true } };
    const extra = buildFields(walk('Deployment', 'server', git, liveOnly), context('Deployment', liveOnly));
    assert.deepEqual(extra.fields, [{ pointer: '/spec/paused', livePointer: '/spec/paused', path: 'spec.paused', change: 'notInGit', live: true }]);
    assert.equal(Object.hasOwn(extra.fields[0], 'desired'), false);
  });

  it('points the range at the deepest ancestor Git declares', () => {
    const liveOnly = { spec: { replicas: 3, extra: { deep: 1 } } };
    const built = buildFields(walk('Deployment', 'local', git, liveOnly, { lastApplied: { spec: { extra: { deep: 0 } } } }), context('Deployment', liveOnly));
    assert.deepEqual(built.fields.map((field) => field.pointer), ['/spec/extra/deep']);
    assert.deepEqual(built.rangePointers, ['/spec']);
    // An item Git lacks inside a list Git declares: the range is the list.
    const liveList = { spec: { replicas: 3, containers: [{ name: 'a' }, { name: 'b' }] } };
    const listed = buildFields(
      walk('Deployment', 'server', { spec: { replicas: 3, containers: [{ name: 'a' }] } }, liveList),
      context('Deployment', liveList),
    );
    assert.deepEqual(listed.fields.map((field) => [field.pointer, field.livePointer, field.path]), [['/spec/containers/1', '/spec/containers/1', 'spec.containers[name=b]']]);
    assert.deepEqual(listed.rangePointers, ['/spec/containers']);
  });

  it('moves the range of a Secret’s data key to stringData only when Git declares that key under stringData', () => {
    const secretGit = { data: { token: 'YQ==', other: 'Yg==' }, metadata: { labels: { token: 'a' } } };
    const secretLive = { data: { token: 'Yw==', other: 'Yw==' }, metadata: { labels: { token: 'b' } } };
    const secretRaw = walk('Secret', 'local', secretGit, secretLive);
    const built = buildFields(secretRaw, context('Secret', secretLive, { stringDataKeys: new Set(['token', 'labels']) }));
    assert.deepEqual(built.fields.map((field) => field.pointer), ['/data/token', '/data/other', '/metadata/labels/token']);
    assert.deepEqual(built.rangePointers, ['/stringData/token', '/data/other', '/metadata/labels/token']);
    const plain = buildFields(secretRaw, context('Secret', secretLive));
    assert.deepEqual(plain.rangePointers, ['/data/token', '/data/other', '/metadata/labels/token']);
  });

  it('names a list item without a merge key by its Git index, or by its live index when Git lacks it', () => {
    const frames = (item: Frame): Frame[] => [keyFrame('spec', true, true), keyFrame('args', true, true), item];
    const rawItems: RawDrift[] = [
      { change: 'notInGit', live: 'x', frames: frames({ d: -1, l: 2, s: -1, inGit: false, inLive: true }) },
      { change: 'changed', desired: 'a', live: 'b', frames: frames({ d: 0, l: 4, s: 0, inGit: true, inLive: true }) },
      { change: 'notInLive', desired: 'y', frames: frames({ d: 3, l: -1, s: 3, inGit: true, inLive: false }) },
    ];
    const built = buildFields(rawItems, context('Widget', { spec: { args: ['p', 'q', 'x', 'r', 'b'] } }));
    assert.deepEqual(built.fields.map((field) => field.path), ['spec.args[2]', 'spec.args[0]', 'spec.args[3]']);
  });
});
