// Two sandbox clusters at once, from one merged kubeconfig, each with its own client and watches:
// operator status per environment, one cluster going away (state shown per cluster, every call
// answering within a second, the last-known snapshot served after a restart) and coming back
// (recovering without a manual retry); watches resuming from their resourceVersion or re-listing
// on 410 on each cluster independently; exec-plugin credentials, good and failing. The
// kubeconfig's current context is never used or changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { ClusterConnections } from '../../src/cluster/operators/clusterConnections';
import { EnvironmentOperators } from '../../src/cluster/operators/environmentOperators';
import { argoSync, fluxReconcile } from '../../src/cluster/operators/operatorActions';
import { OperatorWatcher } from '../../src/cluster/operators/operatorWatcher';
import { SnapshotStore } from '../../src/cluster/snapshots/snapshotStore';
import type { Environment } from '../../src/core/model';
import { startOperatorEmulation, type OperatorEmulation } from '../../src/sandbox/operatorEmulation';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

const DEV_SHA = 'de0de0de0de0de0de0de0de0de0de0de0de0de0d';
const PROD_SHA = 'f00df00df00df00df00df00df00df00df00df00d';
const NEXT_SHA = 'abcabcabcabcabcabcabcabcabcabcabcabcabca';
const REMOTE = 'https://github.com/acme/gitops.git';
const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' as const, namespace: 'argocd', name: 'shop-dev' };
const KS = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps' };
const KS_GVK = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization' };

const environments: Environment[] = [
  { name: 'dev', order: 0, repo: null, branch: 'main', path: 'envs/dev', cluster: { context: 'dev-cluster', namespace: 'shop' }, protected: false, source: 'config' },
  { name: 'prod', order: 1, repo: null, branch: 'main', path: 'envs/prod', cluster: { context: 'prod-cluster', namespace: 'shop' }, protected: true, source: 'config' },
];

async function until<T>(read: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** How soon a call must settle while a cluster is down: far below the 15 s request timeout it must not wait for. */
const ANSWER_MS = 3000;

/** Runs `call` and fails unless it settles (either way) within `ms`. */
async function answersWithin<T>(ms: number, what: string, call: () => Promise<T> | T): Promise<{ value?: T; error?: unknown }> {
  const started = performance.now();
  let outcome: { value?: T; error?: unknown };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  try {
    outcome = await Promise.race([Promise.resolve().then(call).then((value) => ({ value }), (error: unknown) => ({ error })), deadline]);
  } finally {
    clearTimeout(timer);
  }
  assert.ok(performance.now() - started < ms, `${what} took ${Math.round(performance.now() - started)} ms`);
  return outcome;
}

describe('many clusters at once', () => {
  let dir: string;
  let kubeconfig: string;
  let dev: SandboxHandle;
  let prod: SandboxHandle;
  let devOperator: OperatorEmulation;
  let prodOperator: OperatorEmulation;
  let kubeconfigBefore: string;

  before(async () => {
    dir = tempDir('gitops-multi-');
    kubeconfig = join(dir, 'kubeconfig');
    // Both sandboxes write into one file: one kubeconfig, two contexts, current-context the first.
    dev = await startSandbox({ kubeconfigPath: kubeconfig, contextName: 'dev-cluster', bookmarkIntervalMs: 200 });
    prod = await startSandbox({ kubeconfigPath: kubeconfig, contextName: 'prod-cluster', bookmarkIntervalMs: 200 });
    for (const s of [dev, prod]) for (const name of ['argocd', 'flux-system', 'shop']) s.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    dev.store.apply({
      apiVersion: APP.apiVersion,
      kind: 'Application',
      metadata: { name: APP.name, namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: 'git@github.com:acme/gitops.git', targetRevision: 'main', path: 'envs/dev' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
    });
    prod.store.apply({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@github.com/acme/gitops', ref: { branch: 'main' } } });
    prod.store.apply({ apiVersion: KS.apiVersion, kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { path: './envs/prod', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
    devOperator = startOperatorEmulation(dev, { intervalMs: 50, defaultRevision: DEV_SHA });
    prodOperator = startOperatorEmulation(prod, { intervalMs: 50, defaultRevision: PROD_SHA });
    kubeconfigBefore = readFileSync(kubeconfig, 'utf8');
    assert.equal((parse(kubeconfigBefore) as { 'current-context': string })['current-context'], 'dev-cluster');
  });

  after(async () => {
    devOperator?.stop();
    prodOperator?.stop();
    await dev?.stop();
    await prod?.stop();
    removeTempDirs();
  });

  it('shows each environment\'s operator from its own cluster; one cluster down leaves the other alone, answers fast, then recovers', async () => {
    const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
    const snapshots = new SnapshotStore(join(dir, 'snapshots'));
    const options = {
      environments,
      localRemoteUrls: [REMOTE],
      snapshots,
      snapshotIntervalMs: 50,
      connections: { probeTimeoutMs: 800, minBackoffMs: 100, maxBackoffMs: 400 },
      watcher: { debounceMs: 10, requestTimeoutMs: 800 },
    };
    const operators = new EnvironmentOperators(manager, options);
    try {
      await operators.start();
      await until(() => operators.connections.get('dev-cluster')?.status === 'connected' && operators.connections.get('prod-cluster')?.status === 'connected', 'both connected');
      const devView = await until(() => (operators.view('dev').operators[0]?.status.deployedSha === DEV_SHA ? operators.view('dev') : undefined), 'dev operator');
      assert.equal(devView.source, 'live');
      assert.deepEqual(devView.operators.map((m) => `${m.status.context}:${m.status.ref.kind}/${m.status.ref.name}:${m.match}`), ['dev-cluster:Application/shop-dev:path']);
      const prodView = await until(() => (operators.view('prod').operators.some((m) => m.status.deployedSha === PROD_SHA) ? operators.view('prod') : undefined), 'prod operator');
      assert.deepEqual(prodView.operators.map((m) => `${m.status.context}:${m.status.ref.kind}/${m.status.ref.name}:${m.match}`).sort(), ['prod-cluster:GitRepository/flux-system:source', 'prod-cluster:Kustomization/apps:path']);
      assert.deepEqual(operators.otherApplications(), []);

      // Warnings: everything in the environment's namespace, and what concerns its own operator objects.
      const event = (name: string, namespace: string, type: string, involved: Record<string, string>, time: string): Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        type,
        reason: type === 'Warning' ? 'Failed' : 'Pulled',
        message: `${name} happened`,
        involvedObject: { ...involved, namespace },
        lastTimestamp: time,
      });
      dev.store.apply(event('pull', 'shop', 'Warning', { kind: 'Pod', name: 'web-1' }, '2025-05-01T00:00:02Z'));
      dev.store.apply(event('fine', 'shop', 'Normal', { kind: 'Pod', name: 'web-1' }, '2025-05-01T00:00:03Z'));
      dev.store.apply(event('app-sync', 'argocd', 'Warning', { kind: 'Application', name: 'shop-dev' }, '2025-05-01T00:00:01Z'));
      dev.store.apply(event('unrelated', 'argocd', 'Warning', { kind: 'Application', name: 'billing' }, '2025-05-01T00:00:04Z'));
      const devWarnings = await operators.warnings('dev');
      assert.deepEqual(devWarnings.map((w) => `${w.involvedObject.kind}/${w.involvedObject.name}: ${w.message}`), ['Pod/web-1: pull happened', 'Application/shop-dev: app-sync happened']);
      const saved = await operators.saveSnapshot('prod');
      assert.equal(saved?.operators?.data.length, 2);

      await prod.faults.goAway();
      await until(() => operators.connections.get('prod-cluster')?.status === 'unreachable', 'prod unreachable');
      const down = operators.connections.get('prod-cluster');
      assert.match(down?.reason ?? '', /ECONNREFUSED|unreachable|refused/i);
      assert.ok(down?.hint);
      assert.ok(down?.nextRetryAt, 'a retry is planned');
      assert.equal(operators.connections.get('dev-cluster')?.status, 'connected', 'the other cluster is not affected');

      // Every call answers promptly while prod is down: a call that waited on the dead cluster would
      // wait out its request timeout (15 s); ANSWER_MS leaves room for a loaded machine.
      const cached = (await answersWithin(ANSWER_MS, 'view', () => operators.view('prod'))).value;
      assert.equal(cached?.source, 'cached');
      assert.ok(cached?.asOf && Date.parse(cached.asOf) <= Date.now());
      assert.equal(cached?.operators.length, 2, 'what was seen before is still shown');
      assert.equal((await answersWithin(ANSWER_MS, 'retry', () => operators.retry('prod-cluster'))).value?.status, 'unreachable');
      const warnings = await answersWithin(ANSWER_MS, 'warnings', () => operators.warnings('prod'));
      assert.deepEqual(warnings.value, []);
      const sync = await answersWithin(ANSWER_MS, 'reconcile', () => fluxReconcile(manager.client('prod-cluster'), KS));
      assert.equal((sync.error as { code?: string }).code, 'unreachable');
      assert.equal((await answersWithin(ANSWER_MS, 'probe', () => manager.probe('prod-cluster', 800))).value?.status, 'unreachable');
      assert.equal((await answersWithin(ANSWER_MS, 'dev sync', () => argoSync(manager.client('dev-cluster'), APP))).error, undefined, 'dev still takes requests');

      // A restart while prod is down: the environment renders from the snapshot, "as of" when it was taken.
      const restartedManager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
      const restarted = new EnvironmentOperators(restartedManager, options);
      try {
        await answersWithin(ANSWER_MS, 'start with a cluster down', () => restarted.start());
        const fromSnapshot = restarted.view('prod');
        assert.equal(fromSnapshot.source, 'snapshot');
        // The newest snapshot written while prod answered (auto-saves may follow the one above).
        const onDisk = await snapshots.load('prod');
        assert.equal(fromSnapshot.asOf, onDisk?.operators?.asOf);
        assert.ok(fromSnapshot.asOf && saved?.operators && fromSnapshot.asOf >= saved.operators.asOf);
        assert.deepEqual(fromSnapshot.operators.map((m) => m.status.ref.name).sort(), ['apps', 'flux-system']);
        assert.equal(restarted.connections.get('prod-cluster')?.status, 'unreachable');
        assert.equal(restarted.view('dev').source, 'live');
      } finally {
        restarted.dispose();
        restartedManager.dispose();
      }

      // Back: recovers by itself (backoff probe), the watches catch up, new status shows.
      await prod.faults.comeBack();
      prodOperator.setDeployedRevision({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, NEXT_SHA);
      await until(() => operators.connections.get('prod-cluster')?.status === 'connected', 'prod connected again');
      await until(() => operators.view('prod').operators.some((m) => m.status.deployedSha === NEXT_SHA), 'new revision seen after recovery');
      assert.equal(operators.view('prod').source, 'live');
    } finally {
      operators.dispose();
      manager.dispose();
    }
    assert.equal(readFileSync(kubeconfig, 'utf8'), kubeconfigBefore, 'the kubeconfig (and its current context) is never written');
  });

  it('watches resume from the last resourceVersion on one cluster and re-list after 410 on the other, independently', async () => {
    const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 200 });
    try {
      const devCache = manager.cache('dev-cluster', KS_GVK, null);
      const prodCache = manager.cache('prod-cluster', KS_GVK, null);
      await Promise.all([devCache.start(), prodCache.start()]);
      const resyncs = { dev: 0, prod: 0 };
      devCache.onDidChange((c) => void (c.type === 'RESYNC' && resyncs.dev++));
      prodCache.onDidChange((c) => void (c.type === 'RESYNC' && resyncs.prod++));

      dev.faults.dropWatches('reset');
      prod.faults.add({ watch: true, path: /kustomizations/, status: 503, times: 1 });
      prod.faults.dropWatches('close', /kustomizations/);
      const ks = (name: string): Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } => ({ apiVersion: KS.apiVersion, kind: 'Kustomization', metadata: { name, namespace: 'flux-system' }, spec: { path: `./${name}`, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
      dev.store.apply(ks('while-dropped'));
      prod.store.apply(ks('while-expired'));
      prod.store.compact();
      await until(() => devCache.get('flux-system', 'while-dropped') !== undefined && prodCache.get('flux-system', 'while-expired') !== undefined, 'both caches caught up');
      assert.equal(resyncs.dev, 0, 'dev resumed from its resourceVersion');
      assert.ok(resyncs.prod >= 1, 'prod re-listed after 410');
      dev.store.delete({ apiVersion: KS.apiVersion, kind: 'Kustomization', namespace: 'flux-system', name: 'while-dropped' });
      prod.store.delete({ apiVersion: KS.apiVersion, kind: 'Kustomization', namespace: 'flux-system', name: 'while-expired' });
      await until(() => devCache.get('flux-system', 'while-dropped') === undefined && prodCache.get('flux-system', 'while-expired') === undefined, 'deletes seen');
    } finally {
      manager.dispose();
    }
  });

  it('a watch that cannot reconnect while the API server answers makes only that cluster stale, with the reason', async () => {
    const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 200 });
    const connections = new ClusterConnections(manager, { probeTimeoutMs: 800, minBackoffMs: 100, maxBackoffMs: 300 });
    try {
      await Promise.all([manager.cache('dev-cluster', KS_GVK, null).start(), manager.cache('prod-cluster', KS_GVK, null).start()]);
      connections.track('dev-cluster');
      connections.track('prod-cluster');
      await until(() => connections.all().every((c) => c.status === 'connected'), 'both connected');
      const fault = dev.faults.add({ watch: true, status: 503, message: 'watch cache is not ready' });
      dev.faults.dropWatches('reset');
      // The reason follows the latest failure: first the dropped stream, then the refused reconnects.
      const stale = await until(() => {
        const state = connections.get('dev-cluster');
        return state?.status === 'stale' && /watch cache is not ready/.test(state.reason ?? '') ? state : undefined;
      }, 'dev stale with the 503 reason');
      assert.match(stale.hint ?? '', /out of date/);
      assert.equal(connections.get('prod-cluster')?.status, 'connected');
      dev.faults.remove(fault);
      await connections.retry('dev-cluster');
      await until(() => connections.get('dev-cluster')?.status === 'connected', 'dev connected again');
    } finally {
      connections.dispose();
      manager.dispose();
    }
  });

  it('exec-plugin credentials work per context; a failing plugin is unauthorized with its reason', async () => {
    const okScript = join(dir, 'exec-ok.mjs');
    const failScript = join(dir, 'exec-fail.mjs');
    writeFileSync(
      okScript,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: process.env.SANDBOX_TOKEN, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));\n`,
    );
    writeFileSync(failScript, `process.stderr.write('error: refresh token for acme-sso expired; run "acme login"\\n'); process.exit(1);\n`);
    const config = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: unknown[]; users: Array<Record<string, unknown>>; contexts: Array<Record<string, unknown>>; 'current-context': string };
    const exec = (script: string, token: string): Record<string, unknown> => ({ apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [script], env: [{ name: 'SANDBOX_TOKEN', value: token }], interactiveMode: 'Never' });
    config.users.push({ name: 'exec-ok-user', user: { exec: exec(okScript, dev.token) } }, { name: 'exec-bad-user', user: { exec: exec(failScript, 'unused') } });
    config.contexts.push({ name: 'exec-ok', context: { cluster: 'dev-cluster', user: 'exec-ok-user' } }, { name: 'exec-bad', context: { cluster: 'dev-cluster', user: 'exec-bad-user' } });
    const execConfig = join(dir, 'kubeconfig-exec');
    writeFileSync(execConfig, stringify(config));

    const manager = new ClusterManager({ path: execConfig }, { minBackoffMs: 50, maxBackoffMs: 200 });
    const connections = new ClusterConnections(manager, { probeTimeoutMs: 3000 });
    try {
      connections.track('exec-ok');
      connections.track('exec-bad');
      await until(() => connections.get('exec-ok')?.status === 'connected', 'exec-ok connected', 10_000);
      const bad = await until(() => (connections.get('exec-bad')?.status !== 'connecting' ? connections.get('exec-bad') : undefined), 'exec-bad checked', 10_000);
      assert.equal(bad.status, 'unauthorized');
      assert.match(bad.reason ?? '', /refresh token for acme-sso expired/);
      assert.match(bad.hint ?? '', /Log in/);
      assert.ok(bad.nextRetryAt, 'retried later: a login elsewhere can fix it');
      // The exec credentials carry watches too, not only single requests.
      const watcher = new OperatorWatcher(manager, 'exec-ok');
      await watcher.start();
      assert.ok(watcher.statuses().some((s) => s.ref.name === APP.name));
      watcher.dispose();
    } finally {
      connections.dispose();
      manager.dispose();
    }
  });
});
