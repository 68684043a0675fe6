// The cluster row of an environment in the Environments view, through a stand-in for `vscode`:
// what it says in each connection state (connected, stale as of…, unreachable with the reason,
// unauthorized with what to check…), its icon, and that Retry is offered inline and in the context
// menu exactly where package.json's `when` clauses match the row's contextValue. Also the
// environment row's drift summary: "as of <time>" when results are not live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import type { ClusterConnection, ClusterConnectionStatus } from '../../src/cluster/operators/clusterConnections';
import type * as TreeModule from '../../src/ui/environmentTree';
import type { EnvNode } from '../../src/ui/environmentTree';
import type { EnvironmentDriftEntry } from '../../src/ui/drift/driftStore';
import { asOfText } from '../../src/ui/drift/driftText';
import { FakeEmitter } from './helpers/fakeEmitter';

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
  description?: string;
  tooltip?: unknown;
  iconPath?: ThemeIcon;
  contextValue?: string;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}
class MarkdownString {
  value = '';
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}
const fakeVscode = {
  EventEmitter: FakeEmitter,
  ThemeIcon,
  ThemeColor,
  TreeItem,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  Uri: { file: (fsPath: string) => ({ fsPath }), from: (parts: unknown) => parts, parse: (text: string) => ({ text }) },
  workspace: { isTrusted: true },
};
const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : originalLoad(request, ...rest));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EnvironmentTreeProvider, clusterRowText } = require('../../src/ui/environmentTree') as typeof TreeModule;

const NOW = new Date(2025, 4, 3, 15, 30).getTime();
const AS_OF = new Date(2025, 4, 3, 10, 42).getTime();
const FOLDER = 'file:///work/demo';

function connection(status: ClusterConnectionStatus, extra: Partial<ClusterConnection> = {}): ClusterConnection {
  return { context: 'sandbox', status, reason: null, hint: null, server: 'https://127.0.0.1:6443', serverVersion: null, checkedAt: NOW, lastConnectedAt: null, attempt: 0, nextRetryAt: null, ...extra };
}

/** A tree over stand-ins: only the cluster state and the drift entry matter for the rows tested. */
function tree(state: ClusterConnection | undefined, drift?: Partial<EnvironmentDriftEntry>) {
  const ensured: string[] = [];
  const event = new FakeEmitter<unknown>().event;
  const clusters = { get: () => state, ensure: (context: string) => void ensured.push(context), onDidChange: event };
  const store = { get: () => (drift ? ({ key: `${FOLDER}#dev`, stale: false, computing: false, ...drift } as EnvironmentDriftEntry) : undefined), onDidChange: event };
  const stub = { onDidChange: event };
  const provider = new EnvironmentTreeProvider(stub as never, stub as never, clusters as never, store as never, stub as never, stub as never);
  const node: EnvNode = { type: 'cluster', context: 'sandbox', namespace: 'demo-dev', folderUri: FOLDER, environment: 'dev' };
  const item = provider.getTreeItem(node) as unknown as TreeItem;
  provider.dispose();
  return { item, ensured };
}

interface MenuEntry {
  command: string;
  when: string;
  group?: string;
}

/** The `viewItem =~ /…/` part of a when clause, as a RegExp. */
function viewItemPattern(when: string): RegExp {
  const match = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
  assert.ok(match, `no viewItem pattern in ${when}`);
  return new RegExp(match[1]);
}

const packageJson = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };
const retryEntries = packageJson.contributes.menus['view/item/context'].filter((m) => m.command === 'gitops.retryCluster');

function retryOffered(contextValue: string): { inline: boolean; menu: boolean } {
  const matching = retryEntries.filter((m) => viewItemPattern(m.when).test(contextValue));
  return { inline: matching.some((m) => m.group?.startsWith('inline') ?? false), menu: matching.some((m) => !(m.group?.startsWith('inline') ?? false)) };
}

test('connected: the namespace, "connected" and the server version; no inline Retry, Retry in the context menu', () => {
  const { item, ensured } = tree(connection('connected', { serverVersion: 'v1.32.0', lastConnectedAt: NOW }));
  assert.equal(item.label, 'Cluster sandbox');
  assert.equal(item.description, 'ns demo-dev · connected · v1.32.0');
  assert.equal(item.iconPath?.id, 'vm-active');
  assert.equal(item.contextValue, 'cluster.connected');
  assert.deepEqual(retryOffered(item.contextValue), { inline: false, menu: true });
  assert.deepEqual(ensured, ['sandbox'], 'rendering the row starts following the context');
});

test('not checked yet: "checking…" with a spinner', () => {
  for (const state of [undefined, connection('connecting')]) {
    const { item } = tree(state);
    assert.equal(item.description, 'ns demo-dev · checking…');
    assert.equal(item.iconPath?.id, 'loading~spin');
  }
});

test('stale: "stale (as of <time>)" from the drift shown, the reason in the tooltip, Retry inline', () => {
  const { item } = tree(connection('stale', { reason: 'watch of Deployment is reconnecting', hint: 'Data may be out of date until the watch catches up.', lastConnectedAt: NOW }), { stale: true, asOf: AS_OF });
  assert.equal(item.description, `ns demo-dev · stale (${asOfText(AS_OF)})`);
  assert.match(String(item.tooltip), /watch of Deployment is reconnecting\nData may be out of date/);
  assert.equal(item.contextValue, 'cluster.stale');
  assert.deepEqual(retryOffered(item.contextValue), { inline: true, menu: true });
});

test('unreachable: the reason in the description (one short line), the next retry and the last-known data time in the tooltip, Retry inline', () => {
  const reason = 'GET /version: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:6443)\nsecond line';
  const { item } = tree(connection('unreachable', { reason, hint: 'Is the cluster running and the VPN up?', nextRetryAt: AS_OF, lastConnectedAt: AS_OF - 60_000, attempt: 3 }), { stale: true, fromSnapshot: true, asOf: AS_OF });
  assert.equal(item.description, 'ns demo-dev · unreachable (ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:6443))', 'the request is left to the tooltip');
  const tooltip = String(item.tooltip);
  assert.ok(tooltip.includes(reason));
  assert.ok(tooltip.includes('Is the cluster running and the VPN up?'));
  assert.ok(tooltip.includes(`Showing last-known data ${asOfText(AS_OF)}.`));
  assert.match(tooltip, /Next automatic retry .+; Retry to try now\./);
  assert.equal(item.iconPath?.id, 'vm-outline');
  assert.equal(item.contextValue, 'cluster.unreachable');
  assert.deepEqual(retryOffered(item.contextValue), { inline: true, menu: true });
});

test('a long reason is clipped in the description, never in the tooltip', () => {
  const reason = `exec plugin: ${'x'.repeat(200)}`;
  const { item } = tree(connection('error', { reason }));
  assert.ok((item.description ?? '').length < 90, item.description);
  assert.ok((item.description ?? '').endsWith('…)'));
  assert.ok(String(item.tooltip).includes(reason));
});

test('unauthorized: the reason and "check your kubeconfig credentials", never the word twice; Retry inline', () => {
  const { item } = tree(connection('unauthorized', { reason: 'Unauthorized' }));
  assert.equal(item.description, 'ns demo-dev · unauthorized — check your kubeconfig credentials');
  assert.match(String(item.tooltip), /Check your kubeconfig credentials \(token, client certificate or exec plugin\), then Retry\./);
  const withReason = tree(connection('unauthorized', { reason: 'exec plugin: token expired', hint: 'Log in again (aws sso login), then Retry.' })).item;
  assert.equal(withReason.description, 'ns demo-dev · unauthorized (exec plugin: token expired) — check your kubeconfig credentials');
  assert.match(String(withReason.tooltip), /Log in again/);
  assert.equal(withReason.iconPath?.id, 'lock');
  assert.deepEqual(retryOffered(withReason.contextValue ?? ''), { inline: true, menu: true });
});

test('forbidden, context missing and other errors say so, each with Retry', () => {
  assert.equal(tree(connection('forbidden', { reason: 'namespaces is forbidden' })).item.description, 'ns demo-dev · forbidden (namespaces is forbidden)');
  const missing = tree(connection('noContext', { reason: 'Context "sandbox" is not in the kubeconfig' })).item;
  assert.equal(missing.description, 'ns demo-dev · context not in kubeconfig');
  assert.deepEqual(retryOffered(missing.contextValue ?? ''), { inline: true, menu: true });
  assert.equal(tree(connection('error', { reason: 'bad certificate' })).item.description, 'ns demo-dev · error (bad certificate)');
});

test('clusterRowText without a namespace, and "catching up" for a stale cluster with nothing known', () => {
  assert.equal(clusterRowText(connection('connected'), null, undefined, NOW).description, 'connected');
  assert.equal(clusterRowText(connection('stale'), null, undefined, NOW).description, 'stale (catching up)');
});
