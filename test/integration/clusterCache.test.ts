// The cluster layer against the sandbox API server: probes and typed errors, paged lists, the
// shared list+watch cache, resuming after dropped watches, re-listing on 410, and recovery after
// the cluster goes away and comes back. The kubeconfig's current context is never changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterError } from '../../src/cluster/clusterError';
import { ClusterManager } from '../../src/cluster/clusterManager';
import type { KubeObject } from '../../src/cluster/liveCache';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

let sandbox: SandboxHandle;
let kubeconfig: string;
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(name: string, replicas: number, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
  };
}

async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  kubeconfig = join(tempDir('gitops-cluster-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, bookmarkIntervalMs: 200 });
  for (const name of ['paging', 'resume', 'expired', 'silent', 'outage', 'throttled']) {
    sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as never);
  }
});

after(async () => {
  await sandbox?.stop();
  removeTempDirs();
});

test('probe reports connected with the server version, and never rewrites the kubeconfig', async () => {
  const before = readFileSync(kubeconfig, 'utf8');
  const manager = new ClusterManager({ path: kubeconfig });
  const state = await manager.probe(sandbox.contextName);
  assert.equal(state.status, 'connected');
  assert.match(state.serverVersion ?? '', /^v1\./);
  manager.dispose();
  assert.equal(readFileSync(kubeconfig, 'utf8'), before);
});

test('probe maps 401, 403 and an unknown context to typed states with a hint', async () => {
  const manager = new ClusterManager({ path: kubeconfig });
  const unauthorized = sandbox.faults.add({ path: /^\/version/, status: 401 });
  let state = await manager.probe(sandbox.contextName);
  assert.equal(state.status, 'unauthorized');
  assert.ok(state.hint && state.hint.length > 0);
  sandbox.faults.remove(unauthorized);

  const forbidden = sandbox.faults.add({ path: /^\/version/, status: 403 });
  state = await manager.probe(sandbox.contextName);
  assert.equal(state.status, 'forbidden');
  sandbox.faults.remove(forbidden);

  state = await manager.probe('no-such-context');
  assert.equal(state.status, 'noContext');
  assert.match(state.message ?? '', /no-such-context/);
  manager.dispose();
});

test('a bad token is unauthorized; an unreachable server answers within the timeout', async () => {
  const badConfig = join(tempDir('gitops-cluster-'), 'bad');
  writeFileSync(badConfig, readFileSync(kubeconfig, 'utf8').replace(sandbox.token, 'wrong-token'));
  const bad = new ClusterManager({ path: badConfig });
  assert.equal((await bad.probe(sandbox.contextName)).status, 'unauthorized');
  bad.dispose();

  const goneConfig = join(tempDir('gitops-cluster-'), 'gone');
  writeFileSync(goneConfig, readFileSync(kubeconfig, 'utf8').replace(sandbox.url, 'https://127.0.0.1:1'));
  const gone = new ClusterManager({ path: goneConfig });
  const started = Date.now();
  const state = await gone.probe(sandbox.contextName, 2000);
  assert.equal(state.status, 'unreachable');
  assert.ok(Date.now() - started < 3000);
  gone.dispose();
});

test('the cache lists in pages, then follows watch events', async () => {
  for (let i = 0; i < 25; i++) sandbox.store.apply(deployment(`paged-${i}`, 1, 'paging') as never);
  const manager = new ClusterManager({ path: kubeconfig }, { pageSize: 10 });
  const cache = manager.cache(sandbox.contextName, DEPLOYMENT, 'paging');
  assert.equal(manager.cache(sandbox.contextName, DEPLOYMENT, 'paging'), cache, 'one shared cache per kind and namespace');
  await cache.start();
  assert.equal(cache.list().length, 25);
  assert.equal(cache.list()[0].kind, 'Deployment');

  const seen: string[] = [];
  cache.onDidChange((c) => seen.push(`${c.type}:${c.object?.metadata.name ?? ''}`));
  sandbox.store.apply(deployment('paged-new', 3, 'paging') as never);
  await until(() => cache.get('paging', 'paged-new') !== undefined, 5000, 'ADDED event');
  sandbox.store.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'paging', name: 'paged-0' });
  await until(() => cache.get('paging', 'paged-0') === undefined, 5000, 'DELETED event');
  assert.ok(seen.includes('ADDED:paged-new'));
  assert.ok(seen.includes('DELETED:paged-0'));
  manager.dispose();
});

test('a dropped watch resumes from the last resourceVersion without losing events', async () => {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 200 });
  const cache = manager.cache(sandbox.contextName, DEPLOYMENT, 'resume');
  await cache.start();
  let resyncs = 0;
  cache.onDidChange((c) => {
    if (c.type === 'RESYNC') resyncs += 1;
  });
  sandbox.faults.dropWatches('reset');
  sandbox.store.apply(deployment('after-drop', 2, 'resume') as never);
  await until(() => cache.get('resume', 'after-drop') !== undefined, 8000, 'event after a dropped watch');
  assert.equal(resyncs, 0, 'resumed from the resourceVersion, no full re-list');
  manager.dispose();
});

test('410 Gone on resume makes the cache list again and stay correct', async () => {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 200 });
  const cache = manager.cache(sandbox.contextName, DEPLOYMENT, 'expired');
  await cache.start();
  let resyncs = 0;
  cache.onDidChange((c) => {
    if (c.type === 'RESYNC') resyncs += 1;
  });
  // Changes while the watch is down, then the history is compacted: resuming gets 410.
  sandbox.faults.add({ watch: true, path: /expired/, status: 503, times: 1 });
  sandbox.faults.dropWatches('close', /expired/);
  sandbox.store.apply(deployment('while-down', 1, 'expired') as never);
  sandbox.store.compact();
  await until(() => cache.get('expired', 'while-down') !== undefined, 8000, 'relist after 410');
  assert.ok(resyncs >= 1, 'a full re-list happened');
  manager.dispose();
});

test('a silent watch is detected and replaced', async () => {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 200, watchIdleTimeoutMs: 600 });
  const cache = manager.cache(sandbox.contextName, DEPLOYMENT, 'silent');
  await cache.start();
  sandbox.faults.dropWatches('hang', /silent/);
  sandbox.store.apply(deployment('after-hang', 1, 'silent') as never);
  await until(() => cache.get('silent', 'after-hang') !== undefined, 8000, 'event after a hung watch');
  manager.dispose();
});

test('the cluster goes away: the cache keeps its objects, says stale, and recovers by itself', async () => {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
  const cache = manager.cache(sandbox.contextName, DEPLOYMENT, 'outage');
  sandbox.store.apply(deployment('survivor', 1, 'outage') as never);
  await cache.start();
  const states: string[] = [];
  cache.onDidChangeState((s) => states.push(s));
  await sandbox.faults.goAway();
  await until(() => cache.state === 'stale', 8000, 'stale state');
  assert.ok(cache.lastError instanceof ClusterError);
  assert.equal(cache.lastError?.code, 'unreachable');
  assert.equal(cache.list().length, 1, 'last known objects are kept');
  await sandbox.faults.comeBack();
  sandbox.store.apply(deployment('after-outage', 2, 'outage') as never);
  await until(() => cache.state === 'synced' && cache.get('outage', 'after-outage') !== undefined, 10000, 'recovery');
  assert.deepEqual(states.slice(-1), ['synced']);
  manager.dispose();
});

test('429 with Retry-After is honoured before the next attempt', async () => {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 10, maxBackoffMs: 20 });
  sandbox.faults.add({ method: 'GET', path: /namespaces\/throttled\/deployments/, watch: false, status: 429, retryAfterSeconds: 1, times: 1 });
  const cache = manager.cache(sandbox.contextName, DEPLOYMENT, 'throttled');
  const started = Date.now();
  await assert.rejects(cache.start(), (e: unknown) => e instanceof ClusterError && e.code === 'tooManyRequests' && e.retryAfterSeconds === 1);
  await until(() => cache.state === 'synced', 5000, 'sync after Retry-After');
  assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
  manager.dispose();
});

test('a missing kubeconfig is reported as a state with the paths looked at, not thrown', async () => {
  const manager = new ClusterManager({ path: join(tempDir('gitops-cluster-'), 'does-not-exist') });
  const started = Date.now();
  const state = await manager.probe('anything');
  assert.equal(state.status, 'noContext');
  assert.match(state.message ?? '', /No kubeconfig found/);
  assert.ok(Date.now() - started < 1000);
  manager.dispose();
});
