// Dry-runs fed one at a time (DryRunQueue): the drift service hands each object a local comparison
// finds different to the batch at once, so the cluster answers while the rest are compared. Held
// here against a fake cluster whose answers the test releases by hand: a request is sent before
// the queue closes, every request gets exactly one outcome, never more than `concurrency` are in
// flight, the batch ends only once the queue is closed and drained, and a refusal stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiDiscovery, ApiResourceInfo } from '../../src/cluster/apiDiscovery';
import { ClusterError } from '../../src/cluster/clusterError';
import type { ApplyTarget } from '../../src/cluster/drift/applyRequest';
import { DryRunQueue, runServerDryRuns, type DryRunRequest } from '../../src/cluster/drift/serverDryRun';
import type { KubeClient } from '../../src/cluster/kubeClient';
import { seededRandom } from '../support/seededRandom';

interface Pending {
  path: string;
  answer(body: unknown): void;
  fail(error: ClusterError): void;
}

/** A cluster whose every PATCH waits until the test answers it. */
function heldCluster(): { target: ApplyTarget; pending: Pending[]; maxInFlight: () => number; sent: string[] } {
  const pending: Pending[] = [];
  const sent: string[] = [];
  let inFlight = 0;
  let max = 0;
  const info: ApiResourceInfo = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, verbs: ['patch'] };
  const discovery = { resolve: async () => info } as unknown as ApiDiscovery;
  const client = {
    request: (_method: string, path: string) =>
      new Promise((resolve, reject) => {
        inFlight++;
        max = Math.max(max, inFlight);
        sent.push(path);
        pending.push({
          path,
          answer: (body) => (inFlight--, resolve(body)),
          fail: (error) => (inFlight--, reject(error)),
        });
      }),
  } as unknown as KubeClient;
  return { target: { client, discovery }, pending, maxInFlight: () => max, sent };
}

const request = (name: string): DryRunRequest => ({ key: `/ConfigMap/ns/${name}`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' } } });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a queued request is sent before the queue closes, and the batch ends only once it is closed and drained', async () => {
  const cluster = heldCluster();
  const queue = new DryRunQueue();
  let ended = false;
  const batch = runServerDryRuns(cluster.target, queue, { defaultNamespace: 'ns', concurrency: 4 }).then((result) => ((ended = true), result));
  queue.push(request('a'));
  await settle();
  assert.deepEqual(cluster.sent, ['/api/v1/namespaces/ns/configmaps/a'], 'sent while the caller is still comparing');
  cluster.pending.shift()?.answer({ kind: 'ConfigMap', metadata: { name: 'a' } });
  await settle();
  assert.equal(ended, false, 'an open queue may still get requests');
  queue.push(request('b'));
  queue.close();
  assert.throws(() => queue.push(request('c')), /closed/);
  await settle();
  cluster.pending.shift()?.answer({ kind: 'ConfigMap', metadata: { name: 'b' } });
  const result = await batch;
  assert.deepEqual([...result.outcomes.keys()].sort(), ['/ConfigMap/ns/a', '/ConfigMap/ns/b']);
});

test('every request pushed at any moment gets one outcome, with never more than `concurrency` in flight (40 seeded schedules)', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = seededRandom(seed);
    const cluster = heldCluster();
    const queue = new DryRunQueue();
    const concurrency = 1 + Math.floor(random() * 5);
    const total = Math.floor(random() * 25);
    const batch = runServerDryRuns(cluster.target, queue, { defaultNamespace: 'ns', concurrency, retries: 0 });
    let pushed = 0;
    while (pushed < total || cluster.pending.length > 0) {
      // Each step either hands over a request or lets the cluster answer one (or fail it).
      if (pushed < total && (cluster.pending.length === 0 || random() < 0.5)) queue.push(request(`o${pushed++}`));
      else {
        const index = Math.floor(random() * cluster.pending.length);
        const [held] = cluster.pending.splice(index, 1);
        if (random() < 0.2) held.fail(new ClusterError('invalid', 'dry-run: 422 bad', 422));
        else held.answer({ kind: 'ConfigMap', metadata: { name: held.path.split('/').pop() } });
      }
      await settle();
      if (pushed === total) queue.close();
    }
    queue.close();
    const result = await batch;
    assert.equal(result.outcomes.size, total, `seed ${seed}: one outcome per request`);
    assert.deepEqual([...result.outcomes.keys()].sort(), Array.from({ length: total }, (_, i) => `/ConfigMap/ns/o${i}`).sort(), `seed ${seed}`);
    assert.equal(cluster.sent.length, total, `seed ${seed}: each sent once`);
    assert.ok(cluster.maxInFlight() <= concurrency, `seed ${seed}: ${cluster.maxInFlight()} in flight for ${concurrency}`);
  }
});

test('a refusal of dry-runs as such stops a queued batch: later requests are not sent', async () => {
  const cluster = heldCluster();
  const queue = new DryRunQueue();
  const batch = runServerDryRuns(cluster.target, queue, { defaultNamespace: 'ns', concurrency: 1 });
  queue.push(request('a'));
  queue.push(request('b'));
  await settle();
  cluster.pending.shift()?.fail(new ClusterError('forbidden', 'patch forbidden', 403));
  await settle();
  queue.push(request('c'));
  queue.close();
  const result = await batch;
  assert.match(result.refused ?? '', /forbids server-side dry-runs/);
  assert.deepEqual(cluster.sent, ['/api/v1/namespaces/ns/configmaps/a']);
});
