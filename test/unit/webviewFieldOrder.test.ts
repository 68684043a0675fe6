// The field table's two sides in the order a reader expects: Git | Live in a drift report, the
// two environments as named in a comparison, and before → after in a change's impact (its head
// stays column A in the view model, as Git's side does, but the page shows the base first, as the
// diff editor does). Rendered by the page's own row code on the stand-in DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { installFakeDom, type FakeElement } from '../../bench/fakeDom';
import type { EnvironmentDrift, ResourceDrift } from '../../src/core/drift/driftTypes';
import { toReportViewModel } from '../../src/ui/webview/reportViewModel';
import type { ReportTarget } from '../../webview-ui/protocol';

type RowsModule = typeof import('../../webview-ui/resourceRows');

function loadRows(): RowsModule {
  // The custom elements' registrations need a real browser: the rows only create elements by tag name.
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = loader._load;
  loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    return request.startsWith('@vscode-elements/') ? {} : original.call(this, request, parent, isMain);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../webview-ui/resourceRows') as RowsModule;
  } finally {
    loader._load = original;
  }
}

const resource: ResourceDrift = {
  id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
  key: 'apps/Deployment/shop/web',
  status: 'Drifted',
  mode: 'local',
  approximate: false,
  ignored: 0,
  // A: Git, environment A, or the change's head; B: live, environment B, or the change's base.
  fields: [{ pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', desired: 6, live: 2 }],
};
const drift: EnvironmentDrift = { mode: 'local', approximate: false, resources: [resource], counts: { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 }, problems: [] };

function table(rows: RowsModule, target: ReportTarget): string[][] {
  const report = toReportViewModel(drift, { target, environments: ['staging', 'prod'], asOf: new Date(0) });
  const row = rows.renderRow(report.resources[0], { report, expanded: new Set([resource.key]), allFields: new Set() }) as unknown as FakeElement;
  const found: string[][] = [];
  const walk = (el: FakeElement): void => {
    if (el.tagName.toLowerCase() === 'tr') found.push(el.children.filter((c) => /^t[hd]$/i.test(c.tagName)).map((c) => c.textContent.replace(/\s+/g, ' ').trim()));
    else el.children.forEach(walk);
  };
  walk(row);
  return found;
}

test('the field table reads Git | Live, A | B for a comparison, and Before | After for a change', () => {
  const uninstall = installFakeDom();
  try {
    const rows = loadRows();
    const drifted = table(rows, { kind: 'drift', environment: 'prod' });
    assert.deepEqual(drifted[0].slice(0, 3), ['Path', 'Git', 'Live']);
    assert.deepEqual(drifted[1].slice(0, 3), ['spec.replicas', '6', '2']);
    const compared = table(rows, { kind: 'compare', from: 'staging', to: 'prod' });
    assert.deepEqual(compared, [
      ['Path', 'staging', 'prod'],
      ['spec.replicas', '6', '2'],
    ]);
    const preview = table(rows, { kind: 'preview', environment: 'prod', base: 'main', head: 'fix' });
    assert.deepEqual(preview, [
      ['Path', 'Before', 'After'],
      ['spec.replicas', '2', '6'],
    ]);
    assert.deepEqual(rows.shownSides({ target: { kind: 'preview', environment: 'prod', base: 'main', head: 'fix' } }), ['b', 'a']);
  } finally {
    uninstall();
  }
});
