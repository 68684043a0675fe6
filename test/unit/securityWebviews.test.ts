// Every webview panel of the extension, as VS Code would create it (through a stand-in for the
// `vscode` module): the drift report and the promotion preview.
//   - The HTML: a CSP with `default-src 'none'`, no 'unsafe-inline'/'unsafe-eval', scripts only
//     with this render's nonce and only from the extension's dist/ folder, no inline script or
//     handler; only dist/ is a local resource root and command URIs are off.
//   - The host handlers: hostile messages — not objects, unknown types, wrong types, extra keys,
//     `__proto__`/`constructor` keys, oversize strings and arrays, deep nesting, and well-formed
//     messages the panel's current data does not allow — reach no action, pollute no prototype,
//     throw nothing and are logged briefly at debug level. One valid message per panel does reach
//     its action, so the harness is known to be wired.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as DriftPanelModule from '../../src/ui/webview/driftReportPanel';
import type * as PromotionPanelModule from '../../src/ui/promotion/promotionPanel';
import type { ReportTarget, ReportViewModel } from '../../webview-ui/protocol';
import { buildPromotionPlan, type PlanInput } from '../../src/core/promotion/buildPlan';
import { planFolderChanges } from '../../src/core/promotion/fileChanges';
import type { PreviewTarget } from '../../webview-ui/promotion/protocol';
import { created, CSP_SOURCE, recordingLog, uri, type FakePanel, type FakeUri } from './helpers/fakeVscode';
import { sampleReport } from './helpers/reportFixture';

const { log, lines: logged } = recordingLog();

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
after(() => {
  process.off('unhandledRejection', onUnhandled);
});

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

// ---- The HTML checks, shared by every panel ----

function checkLockedDown(panel: FakePanel, bundle: string): void {
  const html = panel.webview.html;
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(meta, `${panel.viewType}: a CSP meta tag`);
  const csp = meta[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives.get('default-src'), ["'none'"], `${panel.viewType}: ${csp}`);
  assert.ok(!/unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|\*(?!\.)|\bhttps?:(?!\/\/)|\bdata:(?=.*script)/.test(csp.replace(/img-src [^;]*/, '')), `${panel.viewType}: ${csp}`);
  for (const fetch of ['script-src', 'style-src', 'font-src', 'img-src', 'connect-src', 'frame-src', 'worker-src', 'object-src']) {
    for (const source of directives.get(fetch) ?? []) {
      assert.ok(source === CSP_SOURCE || source === 'data:' || /^'nonce-[A-Za-z0-9+/_-]{16,}={0,2}'$/.test(source), `${panel.viewType}: ${fetch} allows ${source}`);
    }
  }
  const scriptSources = directives.get('script-src') ?? [];
  assert.equal(scriptSources.length, 1, `${panel.viewType}: scripts only by nonce`);
  const nonce = /^'nonce-(.+)'$/.exec(scriptSources[0])?.[1];
  assert.ok(nonce);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
  assert.ok(scripts.length >= 1, `${panel.viewType}: loads its script`);
  assert.equal(scripts.length, (html.match(/<script\b/gi) ?? []).length, 'every <script> is closed and seen');
  for (const [, attrs, body] of scripts) {
    assert.equal(/\bnonce="([^"]*)"/.exec(attrs)?.[1], nonce, `${panel.viewType}: <script${attrs}> carries this render's nonce`);
    assert.match(attrs, new RegExp(`\\bsrc="${CSP_SOURCE.replace(/\./g, '\\.')}/ext/dist/${bundle}\\.js"`), `${panel.viewType}: the script comes from dist/`);
    assert.equal(body.trim(), '', `${panel.viewType}: no inline script`);
  }
  for (const tag of html.match(/<[^>]+>/g) ?? []) {
    assert.ok(!/\son[a-z]+\s*=/i.test(tag), `${panel.viewType}: inline handler in ${tag}`);
    assert.ok(!/\sstyle\s*=/i.test(tag), `${panel.viewType}: inline style in ${tag}`);
    assert.ok(!/(?:href|src|action)\s*=\s*"(?:javascript|data|vbscript):/i.test(tag), `${panel.viewType}: script URL in ${tag}`);
    const link = /<link\b[^>]*\bhref="([^"]*)"/.exec(tag);
    if (link) assert.ok(link[1].startsWith(`${CSP_SOURCE}/ext/dist/`), `${panel.viewType}: stylesheet from dist/: ${link[1]}`);
  }
  assert.ok(!/<(?:style|iframe|object|embed|base|form)\b/i.test(html), `${panel.viewType}: no inline style, frame, object, base or form element`);
  // Only the built bundles are loadable, and command: links are off — at creation and after.
  for (const options of [panel.webview.options, panel.createOptions] as Array<{ localResourceRoots?: FakeUri[]; enableCommandUris?: boolean; enableScripts?: boolean }>) {
    assert.deepEqual(options.localResourceRoots?.map((u) => u.path), ['/ext/dist'], `${panel.viewType}: localResourceRoots`);
    assert.equal(options.enableCommandUris, false, `${panel.viewType}: command URIs`);
    assert.equal(options.enableScripts, true);
  }
}

// ---- Hostile messages every panel must drop ----

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const HUGE = 'x'.repeat(2_000_000);

const commonGarbage: unknown[] = [
  null,
  undefined,
  0,
  Number.NaN,
  '',
  'ready',
  true,
  [],
  [{ type: 'ready' }],
  new Date(),
  Object.create({ type: 'refresh' }),
  {},
  { type: 42 },
  { type: null },
  { type: ['refresh'] },
  { type: 'REFRESH' },
  { type: 'refresh ' },
  { type: 'refresh', extra: 1 },
  { type: 'constructor' },
  { type: 'toString' },
  { type: '__proto__' },
  { type: 'hasOwnProperty' },
  { type: 'deleteNamespace', name: 'prod' },
  { type: 'report', report: {} },
  { type: 'preview', model: {} },
  { type: 'busy', text: 'x' },
  { type: 'error', message: 'x' },
  { type: HUGE },
  nested(100_000),
  { type: 'refresh', nested: nested(10_000) },
  JSON.parse('{"type":"refresh","__proto__":{"polluted":true}}'),
  JSON.parse('{"__proto__":{"type":"refresh"}}'),
  JSON.parse('{"type":"refresh","constructor":{"prototype":{"polluted":true}}}'),
  JSON.parse('{"type":"refresh","prototype":{"polluted":true}}'),
];

function checkNoPollutionAndBriefLogs(what: string): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, `${what}: Object.prototype polluted`);
  assert.equal((Object.prototype as Record<string, unknown>).type, undefined, `${what}: Object.prototype polluted`);
  assert.deepEqual(unhandled, [], `${what}: a message made a handler throw`);
  assert.ok(logged.every((l) => l.startsWith('debug ')), `${what}: dropped messages are debug lines only:\n${logged.filter((l) => !l.startsWith('debug ')).join('\n')}`);
  assert.ok(logged.every((l) => l.length < 300), `${what}: a dropped message was echoed into the log at length`);
}

// ---- The drift report ----

const prod: ReportTarget = { kind: 'drift', environment: 'prod' };

function driftReport(overrides: Partial<ReportViewModel> = {}): ReportViewModel {
  const base = sampleReport(prod);
  return {
    ...base,
    counts: { InSync: 1, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 },
    resources: [
      ...base.resources,
      { key: '/ConfigMap/shop/cfg', group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg', status: 'InSync', fields: [], file: 'deploy/cfg.yaml', line: 1, approximate: false, ignored: 0 },
    ],
    ...overrides,
  };
}

interface DriftCalls {
  refresh: number;
  openDiff: string[];
  openFile: string[];
  sync: string[][];
  acceptLive: string[];
}

async function openDriftPanel(report: ReportViewModel) {
  const { DriftReportPanels } = (await import('../../src/ui/webview/driftReportPanel')) as typeof DriftPanelModule;
  const calls: DriftCalls = { refresh: 0, openDiff: [], openFile: [], sync: [], acceptLive: [] };
  const actions: DriftPanelModule.DriftReportActions = {
    refresh: async () => {
      calls.refresh++;
      return report;
    },
    openDiff: async (_t, key) => void calls.openDiff.push(key),
    openFile: async (_t, file, line) => void calls.openFile.push(`${file}:${line}`),
    sync: async (_t, keys) => void calls.sync.push([...keys]),
    acceptLive: async (_t, key, pointer) => void calls.acceptLive.push(`${key}${pointer}`),
  };
  const panels = new DriftReportPanels({ extensionUri: uri('/ext') as never, actions, log });
  const panel = panels.show(report.target);
  const fake = created.at(-1) as FakePanel;
  panel.update(report);
  fake.webview.received.fire({ type: 'ready' });
  await settle();
  return { panels, fake, calls };
}

const driftGarbage: unknown[] = [
  { type: 'openDiff' },
  { type: 'openDiff', key: 7 },
  { type: 'openDiff', key: { toString: 'apps/Deployment/shop/web' } },
  { type: 'openDiff', key: ['apps/Deployment/shop/web'] },
  { type: 'openDiff', key: HUGE },
  { type: 'openDiff', key: 'apps/Deployment/shop/web', extra: true },
  JSON.parse('{"type":"openDiff","key":"apps/Deployment/shop/web","__proto__":{"admin":true}}'),
  { type: 'openFile', file: 'deploy/web.yaml', line: '9' },
  { type: 'openFile', file: 'deploy/web.yaml', line: -1 },
  { type: 'openFile', file: 'deploy/web.yaml', line: 1e12 },
  { type: 'openFile', file: 'deploy/web.yaml\u0000.png', line: 1 },
  { type: 'openFile', file: HUGE, line: 1 },
  { type: 'sync', keys: 'apps/Deployment/shop/web' },
  { type: 'sync', keys: [] },
  { type: 'sync', keys: [7] },
  { type: 'sync', keys: Array.from({ length: 20_000 }, () => 'apps/Deployment/shop/web') },
  { type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: 'spec/replicas' },
  { type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/spec/replicas', file: '/etc/passwd' },
  { type: 'requestCompare', from: 'staging', to: { name: 'prod' } },
  // Well-formed, but not what this report offers.
  { type: 'openDiff', key: 'apps/Deployment/kube-system/coredns' },
  { type: 'openFile', file: '../../../../etc/passwd', line: 1 },
  { type: 'openFile', file: '/etc/passwd', line: 1 },
  { type: 'openFile', file: 'deploy/web.yaml/../../../.ssh/id_rsa', line: 1 },
  { type: 'sync', keys: ['/ConfigMap/shop/cfg'] },
  { type: 'sync', keys: ['apps/Deployment/shop/web', 'apps/Deployment/kube-system/coredns'] },
  { type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/metadata/annotations' },
  { type: 'acceptLive', key: '/ConfigMap/shop/cfg', pointer: '/data/x' },
  { type: 'requestCompare', from: 'prod', to: 'prod' },
  { type: 'requestCompare', from: 'staging', to: 'kube-system' },
];

test('drift report: the page is locked down (CSP, nonce, no inline code, dist/ only, no command URIs)', async () => {
  const { panels, fake } = await openDriftPanel(driftReport());
  assert.equal(fake.viewType, 'gitops.driftReport');
  checkLockedDown(fake, 'webview');
  panels.dispose();
});

test('drift report: hostile and disallowed messages reach no action', async () => {
  const { panels, fake, calls } = await openDriftPanel(driftReport());
  const panelsBefore = created.length;
  logged.length = 0;
  for (const message of [...commonGarbage, ...driftGarbage]) fake.webview.received.fire(message);
  await settle();
  assert.deepEqual(calls, { refresh: 0, openDiff: [], openFile: [], sync: [], acceptLive: [] });
  assert.equal(created.length, panelsBefore, 'no comparison panel was opened');
  assert.equal(logged.length, commonGarbage.length + driftGarbage.length, 'every dropped message is logged once');
  checkNoPollutionAndBriefLogs('drift report');
  // The harness is wired: a message the report allows does reach its action.
  fake.webview.received.fire({ type: 'openDiff', key: 'apps/Deployment/shop/web' });
  fake.webview.received.fire({ type: 'openFile', file: 'deploy/web.yaml', line: 3 });
  await settle();
  assert.deepEqual(calls.openDiff, ['apps/Deployment/shop/web']);
  assert.deepEqual(calls.openFile, ['deploy/web.yaml:3']);
  panels.dispose();
});

test('drift report: a read-only report (Restricted Mode, a comparison) refuses every write from the page', async () => {
  const { panels, fake, calls } = await openDriftPanel(driftReport({ readOnly: true, canSync: false }));
  logged.length = 0;
  fake.webview.received.fire({ type: 'sync', keys: ['apps/Deployment/shop/web'] });
  fake.webview.received.fire({ type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/spec/replicas' });
  await settle();
  assert.deepEqual(calls.sync, []);
  assert.deepEqual(calls.acceptLive, []);
  assert.equal(logged.length, 2);
  checkNoPollutionAndBriefLogs('read-only drift report');
  panels.dispose();
});

// ---- The promotion preview ----

function plan(options: { remote?: string | null } = {}) {
  const files = planFolderChanges({
    sourceFiles: [{ path: 'envs/staging/app.yaml', blob: 'a2', mode: '100644' }],
    targetFiles: [{ path: 'envs/prod/app.yaml', blob: 'a1', mode: '100644' }],
    sourceFolder: 'envs/staging',
    targetFolder: 'envs/prod',
    exclude: [],
    selectDeletions: false,
  });
  const side = (environment: string, commit: string) => ({ environment, ref: 'origin/main', commit, shortCommit: commit.slice(0, 7), branch: 'main', folder: `envs/${environment}`, tree: `t-${environment}`, remote: options.remote === undefined ? 'origin' : options.remote });
  const input: PlanInput = {
    kind: 'promotion',
    layout: 'folder',
    source: side('staging', 'a'.repeat(40)),
    target: side('prod', 'b'.repeat(40)),
    commits: [],
    commitTotal: 0,
    files,
    blobs: new Map([
      ['a1', 'image: web:1\n'],
      ['a2', 'image: web:2\n'],
    ]),
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
  };
  return buildPromotionPlan(input);
}

interface PromotionCalls {
  plan: number;
  render: number;
  execute: Array<{ title: string; body: string }>;
  openExternal: string[];
}

async function openPromotionPanel(options: { readOnlyReason?: string | null; remote?: string | null } = {}) {
  const { PromotionPanels } = (await import('../../src/ui/promotion/promotionPanel')) as typeof PromotionPanelModule;
  const calls: PromotionCalls = { plan: 0, render: 0, execute: [], openExternal: [] };
  const target: PreviewTarget = { kind: 'promotion', folder: 'file:///work/repo', from: 'staging', to: 'prod' };
  const planned = { target, repo: {} as never, plan: plan({ remote: options.remote }), overrides: {}, hostName: 'GitHub' };
  const actions: PromotionPanelModule.PromotionPanelActions = {
    plan: async () => {
      calls.plan++;
      return planned;
    },
    sessionOptions: () => ({ hostName: 'GitHub', renderOffReason: 'Rendering is off for this test', readOnlyReason: options.readOnlyReason ?? null }),
    render: async () => {
      calls.render++;
      throw new Error('not rendered in this test');
    },
    execute: async (_planned, p) => {
      calls.execute.push({ title: p.title, body: p.body });
      return undefined;
    },
    failed: () => undefined,
    describe: (error) => (error instanceof Error ? error.message : String(error)),
    openExternal: (url) => void calls.openExternal.push(url),
  };
  const panels = new PromotionPanels({ extensionUri: uri('/ext') as never, actions, log });
  panels.show(planned);
  const fake = created.at(-1) as FakePanel;
  fake.webview.received.fire({ type: 'ready' });
  await settle();
  assert.ok(fake.webview.posted.some((m) => m.type === 'preview'), 'the preview was sent after ready');
  return { panels, fake, calls };
}

const promotionGarbage: unknown[] = [
  { type: 'select' },
  { type: 'select', what: 'file', keys: [], selected: true },
  { type: 'select', what: 'file', keys: 'envs/prod/app.yaml', selected: true },
  { type: 'select', what: 'file', keys: ['envs/prod/app.yaml'], selected: 'false' },
  { type: 'select', what: 'commit', keys: ['envs/prod/app.yaml'], selected: false },
  { type: 'select', what: 'file', keys: ['envs/prod/app.yaml\u0000'], selected: false },
  { type: 'select', what: 'file', keys: [HUGE], selected: false },
  { type: 'select', what: 'file', keys: Array.from({ length: 30_000 }, () => 'envs/prod/app.yaml'), selected: false },
  JSON.parse('{"type":"select","what":"file","keys":["envs/prod/app.yaml"],"selected":false,"__proto__":{"x":1}}'),
  { type: 'execute' },
  { type: 'execute', title: 1, body: '' },
  { type: 'execute', title: 'Promote', body: null },
  { type: 'execute', title: 't'.repeat(2000), body: '' },
  { type: 'execute', title: 'Promote', body: 'b'.repeat(1_000_001) },
  { type: 'execute', title: 'Promote', body: 'x', force: true },
  { type: 'execute', title: 'Promote', body: 'x', remote: 'https://evil.example/x.git' },
  { type: 'openOutcome', url: 'javascript:alert(1)' },
  { type: 'openOutcome', url: 'https://evil.example' },
  // Well-formed, but not what this preview offers.
  { type: 'select', what: 'file', keys: ['../../../etc/passwd'], selected: true },
  { type: 'select', what: 'file', keys: ['envs/prod/app.yaml', 'envs/prod/other.yaml'], selected: false },
  { type: 'select', what: 'image', keys: ['envs/prod/app.yaml'], selected: false },
  { type: 'openOutcome' },
];

test('promotion preview: the page is locked down (CSP, nonce, no inline code, dist/ only, no command URIs)', async () => {
  const { panels, fake } = await openPromotionPanel();
  assert.equal(fake.viewType, 'gitops.promotionPreview');
  checkLockedDown(fake, 'promotion');
  panels.dispose();
});

test('promotion preview: hostile and disallowed messages reach no action and change no selection', async () => {
  const { panels, fake, calls } = await openPromotionPanel();
  const postedBefore = fake.webview.posted.filter((m) => m.type === 'preview').length;
  logged.length = 0;
  for (const message of [...commonGarbage, ...promotionGarbage]) fake.webview.received.fire(message);
  await settle();
  assert.deepEqual(calls, { plan: 0, render: 0, execute: [], openExternal: [] });
  assert.equal(fake.webview.posted.filter((m) => m.type === 'preview').length, postedBefore, 'no selection changed');
  assert.equal(logged.length, commonGarbage.length + promotionGarbage.length, 'every dropped message is logged once');
  checkNoPollutionAndBriefLogs('promotion preview');
  // The harness is wired: running the plan from the page reaches the action (once).
  fake.webview.received.fire({ type: 'execute', title: 'Promote staging → prod', body: 'Body' });
  await settle();
  assert.equal(calls.execute.length, 1);
  panels.dispose();
});

test('promotion preview: a preview that may not run (Restricted Mode, no remote) refuses execute from the page', async () => {
  for (const options of [{ readOnlyReason: 'Promotions need a trusted workspace' }, { remote: null }]) {
    const { panels, fake, calls } = await openPromotionPanel(options);
    logged.length = 0;
    fake.webview.received.fire({ type: 'execute', title: 'Promote', body: 'x' });
    await settle();
    assert.deepEqual(calls.execute, [], JSON.stringify(options));
    assert.equal(logged.length, 1);
    checkNoPollutionAndBriefLogs(`promotion preview ${JSON.stringify(options)}`);
    panels.dispose();
  }
});
