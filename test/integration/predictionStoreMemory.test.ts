// The prediction store keeps each dry-run's answer for the next round while neither side changed
// (the extension recomputes often); a one-shot run (the CLI) asks it to keep nothing, and then
// it must not reuse anything either, yet predict exactly what a remembering store predicts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { objectPath } from '../../src/cluster/apiDiscovery';
import { gvkOf, type ApplyTarget } from '../../src/cluster/drift/applyRequest';
import { PredictionStore, type PredictionRound } from '../../src/cluster/drift/predictionStore';
import { objectId } from '../../src/core/drift/compare';
import type { DesiredResource, KubeObject } from '../../src/core/drift/driftTypes';
import { resourceKey } from '../../src/core/model';
import { DriftSandbox } from './helpers/driftSandbox';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

const NS = 'memory';
let cluster: DriftSandbox;
let manager: ClusterManager;

const configMap = (name: string, mode: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { mode } });
// No Deployment: the sandbox's controllers write to one between rounds; nothing writes to these.
const service = (name: string, targetPort: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort }] },
});

before(async () => {
  cluster = await DriftSandbox.start('gitops-prediction-memory-');
  cluster.namespace(NS);
  manager = new ClusterManager({ path: cluster.kubeconfig });
});

after(async () => {
  manager?.dispose();
  await cluster?.stop();
  removeTempDirs();
});

function target(): ApplyTarget {
  const context = cluster.sandbox.contextName;
  return { client: manager.client(context), discovery: manager.discovery(context) };
}

async function liveOf(object: KubeObject): Promise<KubeObject> {
  const { client, discovery } = target();
  const info = await discovery.resolve(gvkOf(object));
  const id = objectId(object);
  return client.request<KubeObject>('GET', objectPath(info, id.namespace, id.name));
}

/**
 * What a round predicted, comparable across stores and rounds: without the status and the
 * metadata the server rewrites on every write.
 */
function predictions(round: PredictionRound): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, object] of [...round.predictedLive].sort(([a], [b]) => a.localeCompare(b))) {
    const { status: _status, ...rest } = object;
    const metadata = { ...(object.metadata as Record<string, unknown>) };
    for (const field of ['managedFields', 'resourceVersion', 'generation']) delete metadata[field];
    out[key] = { ...rest, metadata };
  }
  return { predicted: out, unknown: [...round.unknown.keys()].sort(), invalid: [...round.invalid.keys()].sort(), mode: round.mode };
}

test('a store that remembers reuses its predictions; one that does not dry-runs every round and predicts the same', async () => {
  const dir = tempDir('gitops-prediction-memory-live-');
  writeFiles(dir, {
    'a.yaml': JSON.stringify(configMap('a', 'slow')),
    'b.yaml': JSON.stringify(configMap('b', 'fast')),
    'web.yaml': JSON.stringify(service('web', 8080)),
  });
  await cluster.kubectl('apply', '--server-side', '-f', dir);
  // Git now: `a` and `web` differ from the cluster, `b` does not.
  const git = [configMap('a', 'fast'), configMap('b', 'fast'), service('web', 9090)];
  const desired = new Map<string, DesiredResource>(git.map((object) => [resourceKey(objectId(object)), { object }]));
  const live = new Map<string, KubeObject>();
  for (const object of git) live.set(resourceKey(objectId(object)), await liveOf(object));

  const remembering = new PredictionStore({});
  const first = await remembering.predict(target, desired, live, NS);
  assert.equal(first.mode, 'server');
  assert.deepEqual([...first.dryRuns].sort(), [...desired.keys()].sort());
  assert.equal((first.predictedLive.get('/ConfigMap/memory/a')?.data as Record<string, unknown>).mode, 'fast', 'the prediction is what an apply of Git gives');
  const ports = (first.predictedLive.get('/Service/memory/web')?.spec as { ports: Array<Record<string, unknown>> }).ports;
  assert.deepEqual(ports.map((port) => [port.port, port.targetPort, port.protocol]), [[80, 9090, 'TCP']], 'with the defaults the server adds');
  const again = await remembering.predict(target, desired, live, NS);
  assert.deepEqual(again.dryRuns, [], 'nothing changed on either side: no dry-run is sent again');
  assert.equal(remembering.sent, desired.size);
  assert.deepEqual(predictions(again), predictions(first));

  const forgetting = new PredictionStore({ remember: false });
  for (let round = 1; round <= 2; round++) {
    const answer = await forgetting.predict(target, desired, live, NS);
    assert.deepEqual([...answer.dryRuns].sort(), [...desired.keys()].sort(), `round ${round}: every object is dry-run`);
    assert.equal(forgetting.sent, desired.size * round);
    assert.deepEqual(predictions(answer), predictions(first), `round ${round}: the same predictions as the remembering store`);
  }
});
