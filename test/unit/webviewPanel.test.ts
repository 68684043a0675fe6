// The report panel's host side, driven through a stand-in for the `vscode` module: the ready
// handshake, validation and policy on every message, one write at a time, shared refreshes,
// one panel per target, and restoring after a reload from the webview's saved state only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as PanelModule from '../../src/ui/webview/driftReportPanel';
import type { ReportTarget } from '../../webview-ui/protocol';
import { defaultUiState } from '../../webview-ui/uiState';
import { created, FakePanel, recordingLog, uri, type FakeUri } from './helpers/fakeVscode';
import { sampleReport as report } from './helpers/reportFixture';

const { log, lines: logged } = recordingLog();

const prod: ReportTarget = { kind: 'drift', environment: 'prod' };

interface Calls {
  refresh: ReportTarget[];
  sync: string[][];
  openFile: string[];
  acceptLive: string[];
  openDiff: string[];
}

function actions(calls: Calls, overrides: Partial<PanelModule.DriftReportActions> = {}): PanelModule.DriftReportActions {
  return {
    refresh: async (target) => {
      calls.refresh.push(target);
      return report(target);
    },
    openDiff: async (_t, key) => void calls.openDiff.push(key),
    openFile: async (_t, file, line) => void calls.openFile.push(`${file}:${line}`),
    sync: async (_t, keys) => void calls.sync.push([...keys]),
    acceptLive: async (_t, key, pointer) => void calls.acceptLive.push(`${key}${pointer}`),
    ...overrides,
  };
}

const newCalls = (): Calls => ({ refresh: [], sync: [], openFile: [], acceptLive: [], openDiff: [] });
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function setup(overrides: Partial<PanelModule.DriftReportActions> = {}) {
  const { DriftReportPanels } = await import('../../src/ui/webview/driftReportPanel');
  const calls = newCalls();
  const panels = new DriftReportPanels({ extensionUri: uri('/ext') as never, actions: actions(calls, overrides), log });
  return { panels, calls };
}

test('the panel is locked down: scripts on, command URIs off, only dist/ loadable, CSP with nonce', async () => {
  const { panels } = await setup();
  panels.show(prod);
  const fake = created.at(-1)!;
  assert.equal(fake.viewType, 'gitops.driftReport');
  const options = fake.webview.options as { enableScripts: boolean; localResourceRoots: FakeUri[]; enableCommandUris: boolean };
  assert.equal(options.enableScripts, true);
  assert.deepEqual(options.localResourceRoots.map((u) => u.path), ['/ext/dist']);
  assert.equal(options.enableCommandUris, false);
  assert.equal(fake.createOptions?.retainContextWhenHidden, undefined);
  assert.match(fake.webview.html, /default-src &#39;none&#39;; /);
  assert.match(fake.webview.html, /<script nonce="[^"]+" src="https:\/\/fake\.vscode-cdn\.net\/ext\/dist\/webview\.js">/);
  panels.dispose();
});

test('nothing is posted before ready; ready triggers one refresh and the report', async () => {
  const { panels, calls } = await setup();
  const panel = panels.show(prod);
  const fake = created.at(-1)!;
  panel.update(report());
  assert.equal(fake.webview.posted.length, 0);
  fake.webview.received.fire({ type: 'ready' });
  await settle();
  assert.equal(calls.refresh.length, 0, 'a report was already there: no recomputation');
  assert.deepEqual(fake.webview.posted.map((m) => m.type), ['report']);
  panels.dispose();

  const second = await setup();
  second.panels.show(prod);
  const fake2 = created.at(-1)!;
  fake2.webview.received.fire({ type: 'ready' });
  fake2.webview.received.fire({ type: 'refresh' });
  await settle();
  assert.equal(second.calls.refresh.length, 1, 'concurrent refreshes share one computation');
  assert.deepEqual(fake2.webview.posted.map((m) => m.type), ['busy', 'report', 'busy']);
  second.panels.dispose();
});

test('malformed messages and messages the report does not allow are dropped and logged at debug', async () => {
  const { panels, calls } = await setup();
  const panel = panels.show(prod);
  const fake = created.at(-1)!;
  panel.update(report());
  fake.webview.received.fire({ type: 'ready' });
  logged.length = 0;
  for (const bad of [{ type: 'openFile', file: '/etc/passwd', line: 1 }, { type: 'openFile', file: 'deploy/web.yaml', line: '1' }, { type: 'rm -rf' }, JSON.parse('{"type":"refresh","__proto__":{}}'), 'ready']) {
    fake.webview.received.fire(bad);
  }
  fake.webview.received.fire({ type: 'openFile', file: 'deploy/web.yaml', line: 9 });
  fake.webview.received.fire({ type: 'openDiff', key: 'apps/Deployment/shop/web' });
  await settle();
  assert.deepEqual(calls.openFile, ['deploy/web.yaml:9']);
  assert.deepEqual(calls.openDiff, ['apps/Deployment/shop/web']);
  assert.equal(calls.refresh.length, 0);
  assert.equal(logged.length, 5);
  assert.ok(logged.every((l) => l.startsWith('debug ')), logged.join('\n'));
  panels.dispose();
});

test('writes run one at a time; failures reach the webview as errors with secrets masked', async () => {
  let release: () => void = () => undefined;
  const { panels, calls } = await setup({
    sync: (_t, keys) =>
      new Promise<void>((resolve) => {
        calls.sync.push([...keys]);
        release = resolve;
      }),
    acceptLive: async () => {
      throw new Error('apply failed: Authorization: Bearer abcdefghijklmnopqrstuvwxyz');
    },
  });
  const panel = panels.show(prod);
  const fake = created.at(-1)!;
  panel.update(report());
  fake.webview.received.fire({ type: 'ready' });
  fake.webview.received.fire({ type: 'sync', keys: ['apps/Deployment/shop/web'] });
  fake.webview.received.fire({ type: 'sync', keys: ['apps/Deployment/shop/web'] });
  await settle();
  assert.equal(calls.sync.length, 1);
  assert.ok(fake.webview.posted.some((m) => m.type === 'error' && /still running/.test(m.message)));
  release();
  await settle();
  fake.webview.received.fire({ type: 'acceptLive', key: 'apps/Deployment/shop/web', pointer: '/spec/replicas' });
  await settle();
  const errors = fake.webview.posted.filter((m) => m.type === 'error').map((m) => (m.type === 'error' ? m.message : ''));
  assert.ok(errors.some((e) => e.startsWith('Could not accept the live value: apply failed')));
  assert.ok(!JSON.stringify(fake.webview.posted).includes('abcdefghijklmnopqrstuvwxyz'));
  assert.deepEqual(fake.webview.posted.filter((m) => m.type === 'busy').map((m) => (m.type === 'busy' ? m.text : '')), ['Syncing…', '', 'Writing the live value into the file…', '']);
  panels.dispose();
});

test('one panel per target: show reveals it; requestCompare opens the comparison', async () => {
  const { panels } = await setup();
  const before = created.length;
  const a = panels.show(prod);
  const b = panels.show(prod);
  assert.equal(a, b);
  assert.equal(created.length, before + 1);
  a.update(report());
  const fake = created.at(-1)!;
  fake.webview.received.fire({ type: 'ready' });
  fake.webview.received.fire({ type: 'requestCompare', from: 'staging', to: 'prod' });
  await settle();
  assert.equal(created.length, before + 2);
  assert.deepEqual(panels.targets(), [prod, { kind: 'compare', from: 'staging', to: 'prod' }]);
  assert.equal(created.at(-1)!.title, 'staging ↔ prod');
  // A report for another target is not shown in this panel.
  assert.equal(panels.update(prod, report({ kind: 'drift', environment: 'dev' })), true);
  assert.ok(logged.some((l) => l.startsWith('warn ') && l.includes('ignored a report')));
  created.at(-1)!.dispose();
  assert.deepEqual(panels.targets(), [prod]);
  panels.dispose();
  assert.deepEqual(panels.targets(), []);
});

test('a comparison requested from a folder-scoped report stays in that folder', async () => {
  const { panels } = await setup();
  const shopProd: ReportTarget = { kind: 'drift', environment: 'prod', folder: 'file:///work/shop' };
  const panel = panels.show(shopProd);
  panel.update(report(shopProd));
  const fake = created.at(-1)!;
  fake.webview.received.fire({ type: 'ready' });
  fake.webview.received.fire({ type: 'requestCompare', from: 'staging', to: 'prod' });
  await settle();
  assert.deepEqual(panels.targets(), [shopProd, { kind: 'compare', from: 'staging', to: 'prod', folder: 'file:///work/shop' }]);
  assert.equal(panels.get({ kind: 'drift', environment: 'prod' }), undefined);
  panels.dispose();
});

test('a restored panel is adopted from a valid saved state, and closed otherwise', async () => {
  const { panels, calls } = await setup();
  const restored = new FakePanel('gitops.driftReport', 'old title');
  panels.revive(restored as never, { version: 1, target: prod, ui: defaultUiState() });
  assert.match(restored.webview.html, /default-src &#39;none&#39;; /);
  assert.equal(restored.title, 'Drift: prod');
  restored.webview.received.fire({ type: 'ready' });
  await settle();
  assert.deepEqual(calls.refresh, [prod]);
  assert.equal(restored.webview.posted.filter((m) => m.type === 'report').length, 1);

  for (const state of [undefined, { version: 1, ui: defaultUiState() }, { version: 1, target: prod, ui: { hacked: true } }]) {
    const broken = new FakePanel('gitops.driftReport', 'x');
    panels.revive(broken as never, state);
    assert.equal(broken.disposed, true, JSON.stringify(state));
  }
  panels.dispose();
});
