// The namespace filter's choices: an object without a namespace is cluster-scoped in a drift report
// (live objects are placed), but in a comparison or a change preview (objects as Git has them) it
// may just leave its namespace to the environment, so the choice says "(no namespace)" there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { installFakeDom, type FakeElement } from '../../bench/fakeDom';
import type { ReportViewModel, ResourceView } from '../../webview-ui/protocol';

function resource(key: string, namespace: string): ResourceView {
  return { key, group: 'apps', version: 'v1', kind: 'Deployment', namespace, name: key, status: 'Drifted', fields: [], approximate: false, ignored: 0 } as unknown as ResourceView;
}

test('namespace choices: "(cluster-scoped)" in a drift report, "(no namespace)" for objects as Git has them', async () => {
  const uninstall = installFakeDom();
  try {
    // The custom elements' registrations need a real browser: the views only create elements by
    // tag name, which the stand-in DOM gives them (as bench/extensionScaleBench.ts loads them).
    const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
    const original = loader._load;
    loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
      return request.startsWith('@vscode-elements/') ? {} : original.call(this, request, parent, isMain);
    };
    let modules: { Toolbar: typeof import('../../webview-ui/toolbarView').Toolbar; indexReport: typeof import('../../webview-ui/resourceFilter').indexReport; defaultUiState: typeof import('../../webview-ui/uiState').defaultUiState };
    try {
      /* eslint-disable @typescript-eslint/no-require-imports */
      modules = {
        ...(require('../../webview-ui/toolbarView') as { Toolbar: typeof import('../../webview-ui/toolbarView').Toolbar }),
        ...(require('../../webview-ui/resourceFilter') as { indexReport: typeof import('../../webview-ui/resourceFilter').indexReport }),
        ...(require('../../webview-ui/uiState') as { defaultUiState: typeof import('../../webview-ui/uiState').defaultUiState }),
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    } finally {
      loader._load = original;
    }
    const { Toolbar, indexReport, defaultUiState } = modules;
    const resources = [resource('a', ''), resource('b', 'shop')];
    const labels = (target: ReportViewModel['target']): string[] => {
      const toolbar = new Toolbar({ search: () => undefined, filter: () => undefined, compare: () => undefined });
      const report = { target, resources, counts: { InSync: 0, Drifted: 2, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 }, canSync: false, readOnly: true, environments: ['staging', 'prod'] } as unknown as ReportViewModel;
      toolbar.update(report, indexReport(resources), { ...defaultUiState(), status: 'all' }, 0);
      const namespaceSelect = (toolbar.element as unknown as FakeElement).children.find((el) => el.getAttribute('label') === 'Namespace');
      assert.ok(namespaceSelect);
      return namespaceSelect.children.map((option) => option.textContent);
    };
    assert.deepEqual(labels({ kind: 'drift', environment: 'prod' } as ReportViewModel['target']), ['All namespaces', '(cluster-scoped) (1)', 'shop (1)']);
    for (const target of [{ kind: 'preview', environment: 'prod', base: 'main', head: 'fix' }, { kind: 'compare', from: 'staging', to: 'prod' }]) {
      assert.deepEqual(labels(target as ReportViewModel['target']), ['All namespaces', '(no namespace) (1)', 'shop (1)'], target.kind);
    }
  } finally {
    uninstall();
  }
});
