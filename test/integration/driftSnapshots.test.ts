// Last-known drift across a restart, with the sandbox cluster and the real DriftController (the
// `vscode` module replaced by a stand-in): a live report is written to the snapshot store with
// Secret values masked; a new controller started while the cluster is away shows the snapshot,
// stale "as of" its time, with the tree's cluster state "unreachable"; a manifest changed since
// drops its entries; when the cluster is back live results replace the snapshot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type * as ClusterStatusModule from '../../src/ui/clusterStatus';
import type * as DriftControllerModule from '../../src/ui/drift/driftController';
import type * as DriftStoreModule from '../../src/ui/drift/driftStore';
import type { EnvironmentDriftEntry } from '../../src/ui/drift/driftStore';
import type { EnvironmentsModel } from '../../src/ui/environmentsModel';
import type { Logger } from '../../src/ui/logger';
import type { RenderedResources } from '../../src/ui/renderedResources';
import type { EnvironmentState } from '../../src/git/environmentStates';
import { GitRepository } from '../../src/git/gitRepository';
import { workingTreeView } from '../../src/git/repoViews';
import { renderEnvironment } from '../../src/render/renderEnvironment';
import type { EnvironmentSnapshot } from '../../src/cluster/snapshots/snapshotSchema';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { asOfText } from '../../src/ui/drift/driftText';
import { commitAll, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';
import { FakeEmitter } from '../unit/helpers/fakeEmitter';

// ---- A stand-in for `vscode`: what the drift store, the controller and ClusterStatus use ----

const fakeVscode = {
  EventEmitter: FakeEmitter,
  Uri: { file: (fsPath: string) => ({ fsPath, toString: () => `file://${fsPath}` }) },
  workspace: { isTrusted: true },
};
const clusterModule = resolve(__dirname, '../../src/cluster/clusterModule.ts');
const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
// `vscode` is the stand-in; the lazily loaded cluster bundle (dist/cluster.js beside the extension) is its source.
moduleWithLoad._load = (request: string, ...rest: unknown[]) =>
  request === 'vscode' ? fakeVscode : /[/\\]cluster\.js$/.test(request) ? originalLoad(clusterModule, ...rest) : originalLoad(request, ...rest);

/* eslint-disable @typescript-eslint/no-require-imports */
const { ClusterStatus, isReachable } = require('../../src/ui/clusterStatus') as typeof ClusterStatusModule;
const { DriftController } = require('../../src/ui/drift/driftController') as typeof DriftControllerModule;
const { DriftStore, environmentKey } = require('../../src/ui/drift/driftStore') as typeof DriftStoreModule;
/* eslint-enable @typescript-eslint/no-require-imports */

const run = promisify(execFile);
const NS = 'snap';
const PASSWORD = 'correct-horse-battery-staple-7731';
const LIVE_PASSWORD = 'tr0ub4dor-and-3-live-only';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

let sandbox: SandboxHandle;
let kubeconfig: string;
let repoDir: string;
let storageDir: string;
const logged: string[] = [];
const log: Logger = {
  info: (m) => void logged.push(`info ${m}`),
  warn: (m) => void logged.push(`warn ${m}`),
  error: (m) => void logged.push(`error ${m}`),
  debug: (m) => void logged.push(`debug ${m}`),
  child: () => log,
  show: () => undefined,
};
const disposables: Array<{ dispose(): void }> = [];

function manifests(replicasComment = ''): Record<string, string> {
  return {
    'web.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      `  namespace: ${NS}`,
      'spec:',
      replicasComment,
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: web',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27',
      '',
    ]
      .filter((line, i) => i !== 6 || line !== '')
      .join('\n'),
    'config.yaml': ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', `  namespace: ${NS}`, 'data:', '  mode: fast', ''].join('\n'),
    'secret.yaml': ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', `  namespace: ${NS}`, 'type: Opaque', 'data:', `  password: ${b64(PASSWORD)}`, ''].join('\n'),
  };
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
  return stdout;
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${logged.slice(-15).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const folderUri = (): string => `file://${repoDir}`;
const key = (): string => environmentKey(folderUri(), 'dev');

async function environmentState(): Promise<EnvironmentState> {
  return {
    environment: {
      name: 'dev',
      order: 0,
      repo: null,
      branch: null,
      path: null,
      cluster: { context: sandbox.contextName, namespace: NS },
      protected: false,
      source: 'config',
    } as EnvironmentState['environment'],
    ref: 'HEAD',
    checkedOut: true,
    head: null,
    pending: null,
    problems: [],
  };
}

/** One "window": ClusterStatus, DriftStore and DriftController over the same workspace storage. */
async function openWindow() {
  const state = await environmentState();
  const repo = await GitRepository.open(repoDir);
  const modelChanged = new FakeEmitter<void>();
  const renderChanged = new FakeEmitter<void>();
  const model = {
    onDidChange: modelChanged.event,
    allStates: () => [{ folder: { uri: { toString: folderUri } }, state }],
    repositoryFor: async () => repo,
  } as unknown as EnvironmentsModel;
  const rendered = {
    onDidChange: renderChanged.event,
    render: () => renderEnvironment({ view: workingTreeView(repo), path: null, trusted: true }),
  } as unknown as RenderedResources;
  const clusters = new ClusterStatus(log, () => kubeconfig, () => true, storageDir, { probeTimeoutMs: 1500, minBackoffMs: 100, maxBackoffMs: 400, healthIntervalMs: 60_000 });
  const store = new DriftStore();
  const controller = new DriftController(model, rendered, clusters, store, log, { mode: () => 'server', enabled: () => true }, { snapshotDelayMs: 20 });
  disposables.push(controller, store, clusters);
  const close = () => {
    controller.dispose();
    store.dispose();
    clusters.dispose();
  };
  return { clusters, store, controller, close };
}

function entry(store: InstanceType<typeof DriftStore>): EnvironmentDriftEntry {
  const found = store.get(key());
  assert.ok(found, 'the environment has a drift entry');
  return found;
}

function snapshotText(clusters: InstanceType<typeof ClusterStatus>): string {
  const snapshots = clusters.snapshots(folderUri());
  assert.ok(snapshots);
  return readFileSync(snapshots.pathOf('dev'), 'utf8');
}

before(async () => {
  kubeconfig = join(tempDir('gitops-snapctl-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, bookmarkIntervalMs: 200 });
  sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as never);
  repoDir = initRepo(tempDir('gitops-snapctl-repo-'));
  writeFiles(repoDir, manifests());
  commitAll(repoDir, 'manifests');
  await kubectl('apply', '-f', repoDir);
  // Drift: replicas scaled by hand, the Secret's value changed in the cluster only.
  await kubectl('scale', '-n', NS, 'deployment/web', '--replicas=5');
  sandbox.store.patch({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'db' }, { data: { password: b64(LIVE_PASSWORD) } }, 'hand-edit');
  storageDir = tempDir('gitops-snapctl-storage-');
});

after(async () => {
  for (const d of disposables.splice(0)) d.dispose();
  if (sandbox?.faults.isDown) await sandbox.faults.comeBack();
  await sandbox?.stop();
  removeTempDirs();
});

let written: EnvironmentSnapshot;

test('a live drift report is written to workspace storage: statuses, fields with file and line, time taken; Secret values never', async () => {
  const window = await openWindow();
  await window.controller.ensure(key());
  const live = entry(window.store);
  assert.equal(live.stale, false);
  assert.equal(live.fromSnapshot, false);
  assert.equal(live.drift?.counts.Drifted, 2, JSON.stringify(live.drift?.resources.map((r) => [r.key, r.status])));
  await window.controller.flushSnapshots();

  const text = snapshotText(window.clusters);
  for (const value of [PASSWORD, b64(PASSWORD), LIVE_PASSWORD, b64(LIVE_PASSWORD)]) assert.ok(!text.includes(value), `the snapshot file holds ${value}`);
  written = JSON.parse(text) as EnvironmentSnapshot;
  assert.equal(written.schemaVersion, 2);
  const section = written.drift;
  assert.ok(section, 'a drift section');
  assert.equal(typeof section.durationMs, 'number');
  const web = section.data.resources.find((r) => r.key === `apps/Deployment/${NS}/web`);
  assert.deepEqual(
    web?.fields.map((f) => [f.pointer, f.desired, f.live, f.range?.start.line]),
    [['/spec/replicas', 2, 5, 7]],
  );
  assert.equal(web?.origin?.file, 'web.yaml');
  const secret = section.data.resources.find((r) => r.key === `/Secret/${NS}/db`);
  assert.equal(secret?.status, 'Drifted');
  assert.ok(secret?.fields.every((f) => (f.desired === undefined || (f.desired as { masked?: boolean }).masked) && (f.live === undefined || (f.live as { masked?: boolean }).masked)));
  assert.equal(Object.keys(section.desiredHashes).length, section.data.resources.length);
  window.close();
});

test('restarted while the cluster is away: the snapshot shows, stale as of its time; the cluster row is unreachable; a changed manifest drops its entry; back: live again', async () => {
  assert.ok(written, 'the previous test wrote a snapshot');
  await sandbox.faults.goAway();
  const window = await openWindow();
  try {
    await window.controller.ensure(key());
    const shown = entry(window.store);
    assert.equal(shown.fromSnapshot, true);
    assert.equal(shown.stale, true);
    assert.equal(shown.asOf, Date.parse(written.asOf));
    assert.match(asOfText(shown.asOf), /^as of \d\d:\d\d$/);
    assert.deepEqual(
      shown.drift?.resources.map((r) => [r.key, r.status]).sort(),
      [
        [`/ConfigMap/${NS}/settings`, 'InSync'],
        [`/Secret/${NS}/db`, 'Drifted'],
        [`apps/Deployment/${NS}/web`, 'Drifted'],
      ],
    );
    // Hints are drawn from the file index: web.yaml's replicas line.
    const hints = window.store.forFile(join(repoDir, 'web.yaml'));
    assert.deepEqual(hints.flatMap((h) => h.fields.map((f) => [f.path, f.live, f.range?.start.line])), [['spec.replicas', 5, 7]]);
    const connection = await until(() => window.clusters.get(sandbox.contextName)?.status === 'unreachable' && window.clusters.get(sandbox.contextName), 'the cluster state unreachable');
    assert.ok(connection.reason, 'with the reason');
    assert.equal(isReachable(connection), false);

    // Git changes under the snapshot: the ConfigMap's value, and a comment line that moves web's fields.
    const changed = manifests('  # two replicas in dev');
    writeFiles(repoDir, { 'config.yaml': changed['config.yaml'].replace('mode: fast', 'mode: slow') });
    await window.controller.ensure(key(), true);
    const afterConfig = entry(window.store);
    assert.equal(afterConfig.fromSnapshot, true);
    // The ConfigMap's old result is dropped; it stays listed, as Unknown with the reason.
    const statuses = (e: typeof afterConfig): string[] => (e.drift?.resources ?? []).map((r) => `${r.key} ${r.status}`).sort();
    assert.deepEqual(statuses(afterConfig), [`/ConfigMap/${NS}/settings Unknown`, `/Secret/${NS}/db Drifted`, `apps/Deployment/${NS}/web Drifted`], 'the ConfigMap entry is dropped');
    assert.match(afterConfig.drift?.resources.find((r) => r.status === 'Unknown')?.reason ?? '', /after the last-known snapshot/);
    assert.equal(afterConfig.drift?.counts.InSync, 0);
    assert.equal(afterConfig.drift?.counts.Drifted, 2);
    assert.equal(afterConfig.drift?.counts.Unknown, 1);
    writeFiles(repoDir, { 'web.yaml': changed['web.yaml'] });
    await window.controller.ensure(key(), true);
    assert.deepEqual(statuses(entry(window.store)), [`/ConfigMap/${NS}/settings Unknown`, `/Secret/${NS}/db Drifted`, `apps/Deployment/${NS}/web Unknown`], 'web moved a line: its hint would be on the wrong line, so its result is dropped');
    assert.deepEqual(window.store.forFile(join(repoDir, 'web.yaml')).flatMap((h) => h.fields), [], 'no field hint on the moved lines');
  } finally {
    await sandbox.faults.comeBack();
  }
  // Back: the connection monitor sees it, the controller computes at once, live results replace the snapshot.
  const live = await until(() => {
    const e = window.store.get(key());
    return e && !e.stale && !e.fromSnapshot && !e.computing && e.drift ? e : undefined;
  }, 'live results after the cluster came back');
  assert.equal(window.clusters.get(sandbox.contextName)?.status, 'connected');
  const byKey = new Map(live.drift?.resources.map((r) => [r.key, r]));
  assert.deepEqual(byKey.get(`apps/Deployment/${NS}/web`)?.fields.map((f) => [f.path, f.live, f.range?.start.line]), [['spec.replicas', 5, 8]], 'web again, at its new line');
  assert.equal(byKey.get(`/ConfigMap/${NS}/settings`)?.status, 'Drifted', 'the ConfigMap compared with the changed Git value');
  window.close();
  writeFiles(repoDir, manifests());
});
