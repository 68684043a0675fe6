// The drift cache: an unchanged (desired content, live resourceVersion) pair is not compared
// again, a watch event or an edit recomputes only the resources it touched, and ranges follow the
// current file even when the cached result is reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../src/core/manifest';
import { compareEnvironment, compareResource } from '../../src/core/drift/compare';
import { DriftCache } from '../../src/core/drift/driftCache';
import type { DesiredResource, KubeObject } from '../../src/core/drift/driftTypes';

function configMap(name: string, value: string, resourceVersion?: string): KubeObject {
  const metadata: Record<string, unknown> = { name, namespace: 'shop' };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { value } };
}

/** Counts how often the comparison reads `data` of an object: zero reads means no comparison ran. */
function counted(object: KubeObject, counter: { reads: number }): KubeObject {
  return new Proxy(object, {
    get(target, key, receiver) {
      if (key === 'data') counter.reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

test('a second comparison of the same pairs does no work', () => {
  const cache = new DriftCache();
  const reads = { reads: 0 };
  const desired: DesiredResource[] = [0, 1, 2].map((i) => ({ object: counted(configMap(`c${i}`, 'git'), reads) }));
  const live = [0, 1, 2].map((i) => counted(configMap(`c${i}`, i === 1 ? 'live' : 'git', `${10 + i}`), reads));
  const first = compareEnvironment(desired, live, { cache });
  assert.ok(reads.reads >= 6, `the first run compares (read data ${reads.reads} times)`);
  assert.deepEqual(cache.stats(), { hits: 0, misses: 3, size: 3 });
  reads.reads = 0;
  const second = compareEnvironment(desired, live, { cache });
  assert.equal(reads.reads, 0, 'the second run reads no content');
  assert.deepEqual(cache.stats(), { hits: 3, misses: 3, size: 3 });
  assert.deepEqual(second, first);
});

test('a watch event (new resourceVersion) recomputes only that resource', () => {
  const cache = new DriftCache();
  const desired: DesiredResource[] = [0, 1, 2].map((i) => ({ object: configMap(`c${i}`, 'git') }));
  const live = [0, 1, 2].map((i) => configMap(`c${i}`, 'git', `${10 + i}`));
  assert.equal(compareEnvironment(desired, live, { cache }).counts.InSync, 3);
  live[2] = configMap('c2', 'edited-in-cluster', '99');
  const after = compareEnvironment(desired, live, { cache });
  assert.deepEqual(cache.stats(), { hits: 2, misses: 4, size: 3 });
  assert.deepEqual(after.resources.map((r) => r.status), ['InSync', 'InSync', 'Drifted']);
});

test('an edit in Git (new content) recomputes only the edited resource; an identical copy is a hit', () => {
  const cache = new DriftCache();
  const live = [configMap('a', 'x', '1'), configMap('b', 'x', '2')];
  compareEnvironment([{ object: configMap('a', 'x') }, { object: configMap('b', 'x') }], live, { cache });
  // Same content in new objects (a re-render): still hits, because the key is the content hash.
  const rerendered = compareEnvironment([{ object: configMap('a', 'x') }, { object: configMap('b', 'y') }], live, { cache });
  assert.deepEqual(cache.stats(), { hits: 1, misses: 3, size: 2 });
  assert.deepEqual(rerendered.resources.map((r) => r.status), ['InSync', 'Drifted']);
});

test('changed options (an ignore rule) do not reuse results computed without them', () => {
  const cache = new DriftCache();
  const desired = [{ object: configMap('a', 'git') }];
  const live = [configMap('a', 'live', '1')];
  assert.equal(compareEnvironment(desired, live, { cache }).counts.Drifted, 1);
  const ignoring = compareEnvironment(desired, live, { cache, ignoreRules: [{ kind: 'ConfigMap', jsonPointers: ['/data/value'] }] });
  assert.equal(ignoring.counts.InSync, 1);
});

test('a cached result gets the ranges of the current file when lines above the field moved', () => {
  const cache = new DriftCache();
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  value: git\n';
  const [before] = parseManifests(text, 'a.yaml').manifests;
  const live = configMap('a', 'live', '1');
  const first = compareResource({ desired: { object: before.object, manifest: before }, live, options: { cache } });
  assert.equal(first.fields[0].range?.start.line, 7);
  const [after] = parseManifests(`# a comment\n# another\n${text}`, 'a.yaml').manifests;
  const second = compareResource({ desired: { object: after.object, manifest: after }, live, options: { cache } });
  assert.equal(cache.stats().hits, 1);
  assert.equal(second.fields[0].range?.start.line, 9);
});

test('the cache is bounded: the least recently written entry goes first', () => {
  const cache = new DriftCache(2);
  compareEnvironment([0, 1, 2].map((i) => ({ object: configMap(`c${i}`, 'v') })), [0, 1, 2].map((i) => configMap(`c${i}`, 'v', '1')), { cache });
  assert.equal(cache.stats().size, 2);
  cache.invalidate('/ConfigMap/shop/c2');
  assert.equal(cache.stats().size, 1);
  cache.clear();
  assert.equal(cache.stats().size, 0);
});
