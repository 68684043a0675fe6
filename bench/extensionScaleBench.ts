// The extension at 10,000 objects in one environment (issue 13, point 2), on the sandbox run as its
// own process (as bench/driftBench.ts does at 1,000, whose rows stay as they are):
// - the drift report cold: a new cluster connection and empty caches, in a process that has run the
//   code before (the extension host after its first report); render 10,000 files + list + dry-runs
//   of what a local comparison finds different + compare. Peer: `kubectl diff --server-side`, a
//   fresh process that dry-runs every object (not the same work: said in the row);
// - warm: the report again with caches and predictions current (opening it, a refresh);
// - hints after an edit: one manifest's text handed to the service (updateFile) → new report;
// - heap held by everything a warm environment keeps (rendered objects, live caches, predictions,
//   the report);
// - the report webview with the 10,000 rows: host view model + message copy + the page's validation,
//   index, filter and first page; then one search keystroke (filter + repaint). Our code with a
//   minimal DOM stand-in (bench/fakeDom.ts): no browser is installed, so layout is not in it. The
//   list is paged (100 rows in the DOM), so layout of a page does not grow with the report.
//
//   node --import tsx bench/extensionScaleBench.ts [objects] [kubectlRuns]    on its own (profiling)
import Module from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ClusterManager } from '../src/cluster/clusterManager';
import { EnvironmentDriftService, type EnvironmentDriftReport } from '../src/cluster/drift/environmentDriftService';
import type { EnvironmentDrift } from '../src/core/drift/driftTypes';
import { directoryView } from '../src/git/directoryView';
import { renderEnvironment } from '../src/render/renderEnvironment';
import { toReportViewModel } from '../src/ui/webview/reportViewModel';
import type { HostToWebview, ReportViewModel } from '../webview-ui/protocol';
import { median, type BenchRow } from './benchTable';
import { makeDrift, sameKeys, scaledManifests } from './cliBench';
import { startSandboxProcess } from './driftBench';
import { countNodes, installFakeDom, type FakeElement } from './fakeDom';
import { runProcess } from '../test/integration/helpers/processRun';
import { commitAll, initRepo, removeTempDirs, tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';

const NAMESPACE = 'bench';
const CONTEXT = 'bench';

export interface ExtensionScaleResult {
  objects: number;
  drifted: number;
  /** New connection + render + list + dry-runs + compare, in a process that ran it before. */
  coldMs: number[];
  /** CPU time of this process during each cold report (the sandbox's own is not in it). */
  coldCpuMs: number[];
  /** Of cold: rendering the folder (read + parse with source positions). */
  coldRenderMs: number[];
  /** Dry-runs the cold report sent. */
  coldDryRuns: number;
  /** service.compute() with caches and dry-run results current: every object compared again (after a new render). */
  recomputeMs: number[];
  /** updateFile of one manifest (a replica count changed) → report. */
  editMs: number[];
  editCpuMs: number[];
  /** Heap held by one warm environment (service, caches, rendered objects, last report). */
  heapHeldMb: number;
  /** Opening the report (host view model, message copy, page) and searching it. */
  webview: WebviewTimes;
  kubectlDiffMs: number[];
  /** The Environments view of a repository with 50 environments × 100 applications. */
  tree: TreeTimes;
}

/** CPU time of this process in ms (every thread: GC helpers count). On a busy machine the wall time
 * a row reports grows with the load; its CPU time, printed beside it, much less. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function gcFunction(): () => void {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

async function heapAfterGc(gc: () => void): Promise<number> {
  // Disposed clients finish aborting their watches asynchronously; let them, then collect.
  await new Promise((r) => setTimeout(r, 200));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function driftedKeys(report: EnvironmentDriftReport): string[] {
  return report.drift.resources.filter((r) => r.status !== 'InSync').map((r) => r.key).sort();
}

interface Cold {
  ms: number;
  cpuMs: number;
  renderMs: number;
  report: EnvironmentDriftReport;
  service: EnvironmentDriftService;
  manager: ClusterManager;
}

async function coldReport(dir: string, kubeconfig: string): Promise<Cold> {
  const started = performance.now();
  const cpu = cpuNow();
  const rendered = await renderEnvironment({ view: directoryView(dir), path: null, trusted: true });
  const renderMs = performance.now() - started;
  const manager = new ClusterManager({ path: kubeconfig });
  const service = new EnvironmentDriftService({ manager, context: CONTEXT, mode: 'server', autoRecompute: false });
  await service.setRendered(rendered.objects);
  const report = await service.compute();
  return { ms: performance.now() - started, cpuMs: cpuNow() - cpu, renderMs, report, service, manager };
}

function closeCold(cold: Cold): void {
  cold.service.dispose();
  cold.manager.dispose();
}

interface WebviewModules {
  isHostMessage: (value: unknown) => value is HostToWebview;
  indexReport: typeof import('../webview-ui/resourceFilter').indexReport;
  filterRows: typeof import('../webview-ui/resourceFilter').filterRows;
  syncableKeys: typeof import('../webview-ui/resourceFilter').syncableKeys;
  renderList: typeof import('../webview-ui/listView').renderList;
  renderTitle: typeof import('../webview-ui/headerView').renderTitle;
  renderNotices: typeof import('../webview-ui/headerView').renderNotices;
  renderCounts: typeof import('../webview-ui/headerView').renderCounts;
  Toolbar: typeof import('../webview-ui/toolbarView').Toolbar;
  defaultUiState: typeof import('../webview-ui/uiState').defaultUiState;
}

interface Loader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

/**
 * The page's modules, loaded with the custom elements' registrations left out (they need a real
 * browser; the views only create elements by tag name, which the stand-in DOM gives them).
 */
function loadWebviewModules(): WebviewModules {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    if (request.startsWith('@vscode-elements/')) return {};
    return original.call(this, request, parent, isMain);
  };
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
      ...(require('../webview-ui/protocol') as Pick<WebviewModules, 'isHostMessage'>),
      ...(require('../webview-ui/resourceFilter') as Pick<WebviewModules, 'indexReport' | 'filterRows' | 'syncableKeys'>),
      ...(require('../webview-ui/listView') as Pick<WebviewModules, 'renderList'>),
      ...(require('../webview-ui/headerView') as Pick<WebviewModules, 'renderTitle' | 'renderNotices' | 'renderCounts'>),
      ...(require('../webview-ui/toolbarView') as Pick<WebviewModules, 'Toolbar'>),
      ...(require('../webview-ui/uiState') as Pick<WebviewModules, 'defaultUiState'>),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } finally {
    loader._load = original;
  }
}

export interface WebviewTimes {
  /** Host: toReportViewModel of the drift (what the extension does when the report opens or refreshes). */
  hostMs: number[];
  /** The message copied into the page (postMessage's structured clone) and validated there. */
  copyMs: number[];
  /** The page: index, filter, header, toolbar and the first page of rows. */
  pageMs: number[];
  /** One search keystroke over every row: filter + counts, toolbar and page repainted. */
  filterMs: number[];
  /** CPU time of host + copy + page. */
  openCpuMs: number[];
  /** Nodes the list holds after showing the report (paged: independent of the row count). */
  nodes: number;
}

/** What opening the report does with a drift (src/ui/drift/driftActions.ts refresh, webview-ui/main.ts setReport and setFilter), timed. */
export function measureReportWebview(drift: EnvironmentDrift, runs: number): WebviewTimes {
  const uninstall = installFakeDom();
  try {
    const m = loadWebviewModules();
    const times: WebviewTimes = { hostMs: [], copyMs: [], pageMs: [], filterMs: [], openCpuMs: [], nodes: 0 };
    for (let i = 0; i < runs; i++) {
      const el = (cls: string): HTMLElement => {
        const e = document.createElement('div');
        e.setAttribute('class', cls);
        return e;
      };
      const [title, notices, counts, list, footer] = ['title', 'notices', 'counts', 'list', 'footer'].map(el);
      const toolbar = new m.Toolbar({ search: () => undefined, filter: () => undefined, compare: () => undefined });
      const transient = { busy: '', error: '' };
      // Every row passes the status filter: the list pages 10,000 rows, not the 100 drifted.
      const ui = { ...m.defaultUiState(), status: 'all' as const };

      const cpu = cpuNow();
      let started = performance.now();
      const model: ReportViewModel = toReportViewModel(drift, { target: { kind: 'drift', environment: 'prod' }, environments: ['dev', 'prod'], asOf: new Date(), canSync: true, secretHashSalt: 'bench' });
      times.hostMs.push(performance.now() - started);
      started = performance.now();
      const message: unknown = structuredClone({ type: 'report', report: model });
      if (!m.isHostMessage(message) || message.type !== 'report') throw new Error('the page refused the report');
      times.copyMs.push(performance.now() - started);
      started = performance.now();
      const shown = message.report;
      const byKey = new Map(shown.resources.map((r) => [r.key, r]));
      const index = m.indexReport(shown.resources);
      let filtered = m.filterRows(index, ui);
      const ctx = { report: shown, expanded: new Set<string>(), allFields: new Set<string>() };
      m.renderTitle(title, shown);
      m.renderNotices(notices, shown, transient);
      m.renderCounts(counts, shown, ui.status);
      toolbar.update(shown, index, ui, m.syncableKeys(filtered).length);
      m.renderList(list, footer, filtered, ui, ctx);
      times.pageMs.push(performance.now() - started);
      times.openCpuMs.push(cpuNow() - cpu);
      if (byKey.size !== drift.resources.length || filtered.length !== byKey.size || list.children.length !== Math.min(100, byKey.size)) {
        throw new Error(`the page shows ${list.children.length} rows of ${filtered.length} filtered, ${byKey.size} in the report`);
      }
      times.nodes = countNodes(list as unknown as FakeElement);

      // A keystroke in the search box: every row's text searched, the page repainted.
      const search = { ...ui, search: i % 2 === 0 ? 'app-1' : 'configmap app-2' };
      started = performance.now();
      filtered = m.filterRows(index, search);
      m.renderCounts(counts, shown, search.status);
      toolbar.update(shown, index, search, m.syncableKeys(filtered).length);
      m.renderList(list, footer, filtered, search, ctx);
      times.filterMs.push(performance.now() - started);
      if (filtered.length === 0 || filtered.length === index.rows.length) throw new Error(`the search kept ${filtered.length} rows`);
    }
    return times;
  } finally {
    uninstall();
  }
}


export interface TreeTimes {
  environments: number;
  applications: number;
  /** Rows the tree produced (environments and, expanded, their children). */
  rows: number;
  /** Model load (open the repository, discover, read each environment's head) + every environment row. */
  firstLevelMs: number[];
  /** The same, then every environment expanded: its children and their rows (100 Argo CD Applications each). */
  expandedMs: number[];
  /** CPU time of this process for the first level (git runs in child processes: not in it). */
  firstLevelCpuMs: number[];
}

/** dev-0, staging-1, prod-2, dev-3…: each holds a ladder word, so discovery reads it as an environment. */
function environmentName(e: number): string {
  return `${['dev', 'staging', 'prod'][e % 3]}-${e}`;
}

/** Layout 3 of LAYOUTS.md at `environments` × `applications`: apps/<app>/{base, overlays/<env>} and an ApplicationSet over them. */
function manyAppsRepo(dir: string, environments: number, applications: number): void {
  const files: Record<string, string> = {
    'argocd/appset.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: shop\n  namespace: argocd\nspec:\n  generators:\n    - git:\n        repoURL: https://github.com/acme/gitops.git\n        revision: HEAD\n        directories:\n          - path: apps/*/overlays/*\n  template:\n    metadata:\n      name: '{{path[1]}}-{{path.basename}}'\n    spec:\n      project: default\n      source:\n        repoURL: https://github.com/acme/gitops.git\n        targetRevision: HEAD\n        path: '{{path}}'\n      destination:\n        name: '{{path.basename}}'\n        namespace: '{{path[1]}}'\n`,
  };
  for (let a = 0; a < applications; a++) {
    const app = `app-${a}`;
    files[`apps/${app}/base/kustomization.yaml`] = 'resources:\n  - deployment.yaml\n';
    files[`apps/${app}/base/deployment.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/${app}:1.0.0\n`;
    for (let e = 0; e < environments; e++) files[`apps/${app}/overlays/${environmentName(e)}/kustomization.yaml`] = `resources:\n  - ../../base\nnamePrefix: ${environmentName(e)}-\n`;
  }
  mkdirSync(dir, { recursive: true });
  initRepo(dir);
  writeFiles(dir, files);
  commitAll(dir, 'many applications');
}

/** What the Environments view shows, through a stand-in `vscode` (every call free) and stand-ins for the cluster side. */
export async function measureTreeForBench(environments: number, applications: number, runs: number): Promise<TreeTimes> {
  const dir = join(tempDir('gitops-tree-bench-'), 'repo');
  manyAppsRepo(dir, environments, applications);
  const folder = { uri: { scheme: 'file', fsPath: dir, path: dir, toString: () => `file://${dir}` }, name: 'repo', index: 0 };
  const loader = Module as unknown as Loader;
  const original = loader._load;
  const vscode = treeVscodeStub([folder]);
  loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    if (request === 'vscode') return vscode;
    return original.call(this, request, parent, isMain);
  };
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { EnvironmentsModel } = require('../src/ui/environmentsModel') as typeof import('../src/ui/environmentsModel');
    const { EnvironmentTreeProvider } = require('../src/ui/environmentTree') as typeof import('../src/ui/environmentTree');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const times: TreeTimes = { environments: 0, applications, rows: 0, firstLevelMs: [], expandedMs: [], firstLevelCpuMs: [] };
    const quiet = { dispose: () => undefined };
    const event = (): { dispose(): void } => quiet;
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, show: () => undefined, child: () => log };
    for (let i = 0; i < runs * 2; i++) {
      const expand = i % 2 === 1;
      const started = performance.now();
      const cpu = cpuNow();
      const model = new EnvironmentsModel(log, { pendingLimit: () => 50 }, () => undefined);
      // The cluster side as the extension would have it once connected: each environment's 100
      // Argo CD Applications known, drift counts known.
      const operators = {
        onDidChange: event,
        others: () => [],
        view: (_folder: string, environment: string) => ({ environment, context: 'prod', connection: null, source: 'live', asOf: null, operators: applicationsOf(environment, applications) }),
      };
      const drift = { onDidChange: event, get: () => ({ key: '', stale: false, computing: false, drift: { counts: { InSync: 97, Drifted: 2, Missing: 1, Extra: 0, Unknown: 0, Invalid: 0 } } }) };
      const clusters = { onDidChange: event, get: () => undefined, ensure: () => undefined };
      const promotion = { onDidChange: event, environmentRows: () => [], children: () => Promise.resolve([]) };
      const provider = new EnvironmentTreeProvider(model, { onDidChange: event } as never, clusters as never, drift as never, operators as never, promotion as never);
      let rows = 0;
      const top = await provider.getChildren();
      for (const node of top) {
        provider.getTreeItem(node);
        rows++;
        if (!expand || node.type !== 'environment') continue;
        for (const child of await provider.getChildren(node)) {
          provider.getTreeItem(child);
          rows++;
        }
      }
      (expand ? times.expandedMs : times.firstLevelMs).push(performance.now() - started);
      if (!expand) times.firstLevelCpuMs.push(cpuNow() - cpu);
      times.environments = top.filter((n) => n.type === 'environment').length;
      if (times.environments !== environments) throw new Error(`the tree shows ${times.environments} environments, expected ${environments}: ${JSON.stringify(top.slice(0, 3).map((n) => (n.type === "problem" ? n.problem.message : n.type)))}`);
      if (expand) times.rows = rows;
      provider.dispose();
      model.dispose();
    }
    if (times.rows < environments * (applications + 1)) throw new Error(`expanded, the tree has ${times.rows} rows`);
    return times;
  } finally {
    loader._load = original;
  }
}

function applicationsOf(environment: string, applications: number): unknown[] {
  return Array.from({ length: applications }, (_, a) => ({
    status: {
      operator: 'argocd',
      ref: { kind: 'Application', namespace: 'argocd', name: `app-${a}-${environment}` },
      context: 'prod',
      sync: a % 10 === 0 ? 'OutOfSync' : 'Synced',
      health: { status: 'Healthy' },
      deployedRevision: null,
      deployedSha: null,
      targetRevision: null,
      targetSha: null,
      lastSyncTime: '2026-12-01T10:00:00Z',
      lastError: null,
      suspended: false,
      autoSync: true,
      operationPhase: null,
      sources: [],
      generatedBy: null,
      appliedBy: null,
    },
  }));
}

/** The members of `vscode` the model and the tree touch. */
function treeVscodeStub(folders: unknown[]): unknown {
  class Emitter {
    private readonly listeners = new Set<(value: unknown) => void>();
    readonly event = (listener: (value: unknown) => void): { dispose(): void } => {
      this.listeners.add(listener);
      return { dispose: () => this.listeners.delete(listener) };
    };
    fire(value: unknown): void {
      for (const listener of this.listeners) listener(value);
    }
    dispose(): void {
      this.listeners.clear();
    }
  }
  class ThemeColor {
    constructor(readonly id: string) {}
  }
  class ThemeIcon {
    constructor(
      readonly id: string,
      readonly color?: ThemeColor,
    ) {}
  }
  class TreeItem {
    constructor(
      readonly label: string,
      readonly collapsibleState: number,
    ) {}
  }
  class MarkdownString {
    constructor(public value = '') {}
    appendMarkdown(text: string): this {
      this.value += text;
      return this;
    }
  }
  const uri = (fsPath: string) => ({ fsPath, path: fsPath, toString: () => `file://${fsPath}` });
  return {
    EventEmitter: Emitter,
    ThemeIcon,
    ThemeColor,
    TreeItem,
    MarkdownString,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    Uri: { file: uri, joinPath: (base: { fsPath: string }, ...parts: string[]) => uri(join(base.fsPath, ...parts)), parse: (text: string) => ({ text, toString: () => text }) },
    workspace: { isTrusted: true, workspaceFolders: folders, getConfiguration: () => ({ get: () => undefined }) },
    Disposable: class {
      constructor(private readonly done: () => void) {}
      dispose(): void {
        this.done();
      }
    },
  };
}

export async function measureExtensionScale(objects = 10_000, drifted = 100, runs = 5, kubectlRuns = 1): Promise<ExtensionScaleResult> {
  const gc = gcFunction();
  const root = tempDir('gitops-ext-scale-bench-');
  const dir = join(root, 'manifests');
  const kubeconfig = join(root, 'kubeconfig');
  writeFiles(dir, scaledManifests(objects));
  const sandbox = await startSandboxProcess(kubeconfig, dir);
  const control = new ClusterManager({ path: kubeconfig });
  try {
    const expected = await makeDrift(control.client(CONTEXT), objects, drifted);
    const result: ExtensionScaleResult = {
      objects,
      drifted,
      coldMs: [],
      coldCpuMs: [],
      coldRenderMs: [],
      coldDryRuns: 0,
      recomputeMs: [],
      editMs: [],
      editCpuMs: [],
      heapHeldMb: 0,
      webview: { hostMs: [], copyMs: [], pageMs: [], filterMs: [], openCpuMs: [], nodes: 0 },
      kubectlDiffMs: [],
      // Measured last, so its garbage is not in the heap figure.
      tree: { environments: 0, applications: 0, rows: 0, firstLevelMs: [], expandedMs: [], firstLevelCpuMs: [] },
    };

    // Heap first, in a quiet process: what one warm environment keeps between reports.
    const before = await heapAfterGc(gc);
    let warm = await coldReport(dir, kubeconfig);
    result.heapHeldMb = ((await heapAfterGc(gc)) - before) / 2 ** 20;
    if (warm.report.drift.resources.length !== objects) throw new Error(`the report has ${warm.report.drift.resources.length} resources, expected ${objects}`);
    sameKeys('the drift service', driftedKeys(warm.report), expected);
    closeCold(warm);

    for (let i = 0; i < runs; i++) {
      const cold = await coldReport(dir, kubeconfig);
      closeCold(cold);
      sameKeys('the drift service', driftedKeys(cold.report), expected);
      result.coldMs.push(cold.ms);
      result.coldCpuMs.push(cold.cpuMs);
      result.coldRenderMs.push(cold.renderMs);
      result.coldDryRuns = cold.report.dryRuns.length;
    }

    warm = await coldReport(dir, kubeconfig);
    try {
      for (let i = 0; i < runs * 2; i++) {
        const started = performance.now();
        const report = await warm.service.compute();
        result.recomputeMs.push(performance.now() - started);
        if (report.recomputed.length !== 0 || report.dryRuns.length !== 0) throw new Error('a warm report must come from the caches');
      }
      // The hints of an open manifest: its text after each keystroke, one document changed.
      const file = 'deploy/app-101.yaml';
      const original = readFileSync(join(dir, file), 'utf8');
      for (let i = 0; i < runs * 3; i++) {
        const text = original.replace('replicas: 2', `replicas: ${3 + (i % 5)}`);
        const started = performance.now();
        const cpu = cpuNow();
        const report = await warm.service.updateFile(file, text);
        result.editMs.push(performance.now() - started);
        result.editCpuMs.push(cpuNow() - cpu);
        if (report.recomputed.length !== 1 || report.byKey.get(`apps/Deployment/${NAMESPACE}/app-101`)?.status !== 'Drifted') throw new Error('an edit must recompute exactly its own resource');
      }
      const restored = await warm.service.updateFile(file, original);
      result.webview = measureReportWebview(restored.drift, runs);
    } finally {
      closeCold(warm);
    }

    result.tree = await measureTreeForBench(50, 100, runs);
    for (let i = 0; i < kubectlRuns; i++) {
      const run = await runProcess('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'diff', '--server-side', '--force-conflicts', '-f', dir, '--recursive']);
      if (run.code !== 1) throw new Error(`kubectl diff exited ${String(run.code)}: ${run.stderr.slice(0, 2000)}`);
      result.kubectlDiffMs.push(run.ms);
    }
    return result;
  } finally {
    control.dispose();
    sandbox.kill('SIGTERM');
  }
}

/** The rows for the README table (bench/benchTable.ts). */
export function extensionScaleBenchRows(r: ExtensionScaleResult): BenchRow[] {
  const n = r.objects.toLocaleString('en');
  const set = `${n} objects, ${r.drifted} drifted`;
  const cold = median(r.coldMs);
  const w = r.webview;
  // Opening the report when its drift is current: DriftActions.refresh finds ensure() a no-op and
  // builds the view model from the store; the page then validates, indexes and shows a page.
  const open = median(w.hostMs.map((host, i) => host + w.copyMs[i] + w.pageMs[i]));
  const page = median(w.copyMs.map((copy, i) => copy + w.pageMs[i]));
  const filter = median(w.filterMs);
  const recompute = median(r.recomputeMs);
  const edit = median(r.editMs);
  const rows: BenchRow[] = [
    {
      figure: `Drift report cold at ${set}, server mode, in a process that ran it before, ${median(r.coldCpuMs).toFixed(0)} ms CPU here (new connection and caches; render ${median(r.coldRenderMs).toFixed(0)} ms + list + ${r.coldDryRuns} dry-runs of what a local comparison finds different + compare; the peer is a fresh process dry-running all ${n})`,
      target: '≤ 1.5 s',
      measured: cold,
      unit: 'ms',
      pass: cold <= 1500,
    },
    {
      figure: `Drift report warm at ${set}: opening it with drift current — view model from the store (no recompute) ${median(w.hostMs).toFixed(0)} ms + message copy + the page's first 100 rows, ${median(w.openCpuMs).toFixed(0)} ms CPU (DOM stand-in, no layout; no peer keeps state)`,
      target: '≤ 50 ms',
      measured: open,
      unit: 'ms',
      pass: open <= 50,
    },
    { figure: `Drift recomputed at ${set} with caches and dry-run results current (after a new render or commit: every object compared again)`, target: '—', measured: recompute, unit: 'ms', pass: true },
    { figure: `Drift hints after an edit at ${set}: one manifest's text → report (re-parse, 1 dry-run, compare; ${median(r.editCpuMs).toFixed(0)} ms CPU)`, target: '≤ 20 ms', measured: edit, unit: 'ms', pass: edit <= 20 },
    { figure: `Heap held by one warm environment of ${n} objects (rendered objects, live caches, predictions, report)`, target: '≤ 150 MB', measured: r.heapHeldMb, unit: 'MB', pass: r.heapHeldMb <= 150 },
    {
      figure: `Report webview renders ${n} rows: message copy + validation + index + filter + header, toolbar and the first page of 100 (${w.nodes} nodes in the list; our code on a DOM stand-in, no layout)`,
      target: '≤ 100 ms',
      measured: page,
      unit: 'ms',
      pass: page <= 100,
    },
    { figure: `Report webview filters ${n} rows: a search keystroke — filter + counts, toolbar and page repainted (DOM stand-in, no layout)`, target: '≤ 100 ms', measured: filter, unit: 'ms', pass: filter <= 100 },
  ];
  const t = r.tree;
  const firstLevel = median(t.firstLevelMs);
  const expanded = median(t.expandedMs);
  rows.push(
    {
      figure: `Environments view, ${t.environments} environments × ${t.applications} applications (ApplicationSet over apps/*/overlays/*): open the repository, discover, read heads, every environment row (${median(t.firstLevelCpuMs).toFixed(0)} ms CPU here, git's processes not counted; VS Code calls stubbed)`,
      target: '≤ 500 ms',
      measured: firstLevel,
      unit: 'ms',
      pass: firstLevel <= 500,
    },
    {
      figure: `The same with every environment expanded: ${t.rows} rows, ${t.applications} Argo CD Applications under each (cluster side stood in; VS Code calls stubbed)`,
      target: '≤ 500 ms',
      measured: expanded,
      unit: 'ms',
      pass: expanded <= 500,
    },
  );
  if (r.kubectlDiffMs.length > 0) rows[0].peer = { name: 'kubectl diff --server-side, fresh process, same set', measured: median(r.kubectlDiffMs) };
  return rows;
}

if (require.main === module) {
  const objects = Number(process.argv[2] ?? 10_000);
  const kubectlRuns = Number(process.argv[3] ?? 0);
  void measureExtensionScale(objects, Math.max(4, Math.round(objects / 100)), 3, kubectlRuns)
    .then((r) => {
      for (const row of extensionScaleBenchRows(r)) console.log(`${row.pass ? 'pass' : 'FAIL'}  ${row.measured.toFixed(1)} ${row.unit}  ${row.target}  ${row.figure}${row.peer ? `  [peer ${row.peer.measured.toFixed(0)}]` : ''}`);
      console.log(JSON.stringify({ cold: r.coldMs, render: r.coldRenderMs, recompute: r.recomputeMs, edit: r.editMs, webview: r.webview, tree: r.tree }));
    })
    .finally(() => removeTempDirs());
}
