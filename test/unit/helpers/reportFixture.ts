// A drift report view model as the host sends it, for the tests of the report webview's protocol,
// policy and panel. Override what a test is about.
import type { ReportTarget, ReportViewModel } from '../../../webview-ui/protocol';

/** A drift report of `target` with one Drifted Deployment (`apps/Deployment/shop/web` in deploy/web.yaml). */
export function sampleReport(target: ReportTarget = { kind: 'drift', environment: 'prod' }, overrides: Partial<ReportViewModel> = {}): ReportViewModel {
  return {
    target,
    title: 'Drift · prod',
    columns: { a: 'Git', b: 'Live' },
    environments: ['staging', 'prod'],
    asOf: '2025-05-03T10:42:00.000Z',
    stale: false,
    approximate: false,
    counts: { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 },
    readOnly: false,
    canSync: true,
    problems: [],
    resources: [
      {
        key: 'apps/Deployment/shop/web',
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        status: 'Drifted',
        fields: [{ pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', a: { kind: 'text', text: '2', truncated: false }, b: { kind: 'text', text: '5', truncated: false } }],
        file: 'deploy/web.yaml',
        line: 2,
        approximate: false,
        ignored: 0,
      },
    ],
    ...overrides,
  };
}
