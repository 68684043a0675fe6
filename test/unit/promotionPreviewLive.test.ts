// The promotion preview's live impact (what applying the promoted target would change in its
// cluster): the view model says it the way Preview Impact does and always passes the webview's
// validator; the session asks for it only once the render is ready, drops a stale answer after a
// tick, and turns it off when the render failed or the window is untrusted; the panel calls the
// action with the render just shown and publishes the cluster's answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildPromotionPlan } from '../../src/core/promotion/buildPlan';
import { planFolderChanges } from '../../src/core/promotion/fileChanges';
import type { EnvironmentPreview, LiveChange } from '../../src/core/preview/previewReport';
import type { PromotionPlan } from '../../src/core/promotion/promotionTypes';
import type { RenderedDiff } from '../../src/core/promotion/renderedDiff';
import type { PlannedPreview } from '../../src/ui/promotion/previewPlanner';
import { PreviewSession } from '../../src/ui/promotion/previewSession';
import { buildPreviewViewModel, liveView } from '../../src/ui/promotion/previewViewModel';
import { isPreviewViewModel, type PreviewTarget, type PreviewViewModel } from '../../webview-ui/promotion/protocol';
import { fuzzRuns } from '../support/fuzzSettings';
import { created, recordingLog, uri, type FakePanel } from './helpers/fakeVscode';

const TARGET: PreviewTarget = { kind: 'promotion', folder: 'file:///work/repo', from: 'staging', to: 'prod' };
const SHA = '1111111111111111111111111111111111111111';

function plan(): PromotionPlan {
  const f = (path: string, blob: string) => ({ path, blob, mode: '100644' });
  return buildPromotionPlan({
    kind: 'promotion',
    layout: 'folder',
    source: { environment: 'staging', ref: 'origin/main', commit: SHA, shortCommit: SHA.slice(0, 7), branch: 'main', folder: 'envs/staging', tree: 't1', remote: 'origin' },
    target: { environment: 'prod', ref: 'origin/main', commit: SHA.replace(/1/g, '2'), shortCommit: '2222222', branch: 'main', folder: 'envs/prod', tree: 't2', remote: 'origin' },
    commits: [],
    commitTotal: 0,
    files: planFolderChanges({ sourceFiles: [f('envs/staging/a.yaml', 'a2'), f('envs/staging/b.yaml', 'b2')], targetFiles: [f('envs/prod/a.yaml', 'a1'), f('envs/prod/b.yaml', 'b1')], sourceFolder: 'envs/staging', targetFolder: 'envs/prod', exclude: ['b.yaml'], selectDeletions: false }),
    blobs: new Map([
      ['a1', 'a: 1\n'],
      ['a2', 'a: 2\n'],
      ['b1', 'b: 1\n'],
      ['b2', 'b: 2\n'],
    ]),
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
    targetProtected: false,
  });
}

const DIFF: RenderedDiff = { renderer: 'kustomize', added: [], removed: [], changed: ['ConfigMap prod/a'], unchanged: 1, text: '', truncated: false, problems: [] };

const CHECKED: EnvironmentPreview['cluster'] = {
  status: 'checked',
  objects: [
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name: 'a', change: 'modified', fields: [{ path: 'data.a', before: '1', after: '2' }, { path: 'data.mode', before: 'hotfix', after: 'normal', drift: true }] },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web', change: 'refused', fields: [], error: 'spec.replicas: Invalid value: "x"' },
  ],
};

const BASE_INPUT = { target: TARGET, plan: plan(), rendered: { state: 'ready' as const, diff: DIFF }, hostName: 'GitHub', readOnlyReason: null, outcome: null };

describe('promotion preview: live impact view model', () => {
  it('says what applying would change, with the drift it overwrites and what the server refuses counted', () => {
    const model = buildPreviewViewModel({ ...BASE_INPUT, live: { state: 'done', cluster: CHECKED } });
    assert.ok(isPreviewViewModel(model));
    assert.equal(model.live.state, 'checked');
    if (model.live.state !== 'checked') return;
    assert.equal(model.live.drift, 1);
    assert.equal(model.live.refused, 1);
    assert.equal(model.live.lines.length, 2);
    assert.match(model.live.lines[0], /^ConfigMap prod\/a: data\.a "1" → "2"; data\.mode hotfix → normal \(overwrites live drift\)$/);
    assert.match(model.live.lines[1], /Deployment prod\/web: the server refuses it — spec\.replicas/);
  });

  it('no cluster and an unreachable cluster say why; nothing checked yet is pending; absent is off', () => {
    const none = liveView({ state: 'done', cluster: { status: 'none', objects: [], message: 'the environment names no cluster context' } });
    assert.deepEqual(none, { state: 'none', lines: ['Not checked against a cluster: the environment names no cluster context.'], drift: 0, refused: 0 });
    const down = liveView({ state: 'done', cluster: { status: 'unreachable', objects: [], message: 'prod at https://127.0.0.1:1: connect ECONNREFUSED' } });
    assert.equal(down.state, 'unreachable');
    assert.match(down.state === 'unreachable' ? down.lines[0] : '', /could not be reached: prod at https:\/\/127\.0\.0\.1:1/);
    assert.deepEqual(liveView({ state: 'pending' }), { state: 'pending' });
    assert.equal(liveView(undefined).state, 'off');
    assert.deepEqual(liveView({ state: 'done', cluster: { status: 'checked', objects: [] } }), { state: 'checked', lines: ['Applying the change would change nothing live.'], drift: 0, refused: 0 });
  });

  it('a token in a live value is masked before it reaches the webview', () => {
    const cluster: EnvironmentPreview['cluster'] = { status: 'checked', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name: 'a', change: 'modified', fields: [{ path: 'data.url', before: 'https://bot:s3cr3tvalue@git.example.com/x', after: 'https://example.com', drift: true }] }] };
    const view = liveView({ state: 'done', cluster });
    assert.ok(view.state === 'checked');
    assert.doesNotMatch(view.lines.join('\n'), /s3cr3tvalue/);
  });

  it('property: any cluster answer gives a model the webview accepts, counts matching the objects', () => {
    const field = fc.record({ path: fc.string({ maxLength: 30 }), before: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), fc.integer()), after: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), fc.integer()), drift: fc.option(fc.constant(true), { nil: undefined }) });
    const change = fc.record({
      apiVersion: fc.constantFrom('v1', 'apps/v1'),
      kind: fc.constantFrom('ConfigMap', 'Deployment', 'Secret'),
      namespace: fc.option(fc.constantFrom('prod', 'kube-system'), { nil: null }),
      name: fc.string({ minLength: 1, maxLength: 20 }),
      change: fc.constantFrom('added', 'modified', 'removed', 'refused'),
      fields: fc.array(field, { maxLength: 4 }),
      error: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.constantFrom('checked', 'unreachable', 'none'), fc.array(change, { maxLength: 12 }), fc.option(fc.string({ maxLength: 100 }), { nil: undefined }), (status, objects, message) => {
        const cluster = { status, objects: status === 'checked' ? (objects as LiveChange[]) : [], ...(message === undefined ? {} : { message }) } as EnvironmentPreview['cluster'];
        const model = buildPreviewViewModel({ ...BASE_INPUT, live: { state: 'done', cluster } });
        assert.ok(isPreviewViewModel(model));
        assert.equal(model.live.state, status);
        if (model.live.state !== status) return;
        assert.equal(model.live.refused, cluster.objects.filter((o) => o.change === 'refused').length);
        assert.equal(model.live.drift, cluster.objects.flatMap((o) => o.fields).filter((f) => f.drift).length);
        assert.equal(model.live.lines.length, status === 'checked' ? Math.max(1, cluster.objects.length) : 1);
      }),
      fuzzRuns(200, 4711),
    );
  });

  it('the validator refuses a live view with unknown keys or a bad state', () => {
    const model = buildPreviewViewModel({ ...BASE_INPUT, live: { state: 'done', cluster: CHECKED } });
    assert.equal(isPreviewViewModel({ ...model, live: { ...model.live, extra: 1 } }), false);
    assert.equal(isPreviewViewModel({ ...model, live: { state: 'exploded' } }), false);
    assert.equal(isPreviewViewModel({ ...model, live: { state: 'checked', lines: ['x'], drift: -1, refused: 0 } }), false);
  });
});

describe('promotion preview: live impact in the session', () => {
  const OPTIONS = { hostName: 'GitHub', renderOffReason: null, readOnlyReason: null, liveOffReason: null };

  it('is asked for only once the render is ready, and a tick drops a stale answer', () => {
    const session = new PreviewSession(TARGET, plan(), OPTIONS);
    assert.equal(session.viewModel().live.state, 'pending');
    assert.equal(session.needsLive, false, 'not before the render');
    const generation = session.renderGeneration;
    session.rendered(generation, { diff: DIFF });
    assert.equal(session.needsLive, true);
    assert.equal(session.renderedDiff, DIFF);
    // A tick while the cluster is being asked: the answer belongs to the old plan.
    assert.equal(session.select('file', ['envs/prod/b.yaml'], true), true);
    assert.equal(session.checkedLive(generation, { cluster: CHECKED }), false);
    assert.equal(session.viewModel().live.state, 'pending');
    session.rendered(session.renderGeneration, { diff: DIFF });
    assert.equal(session.checkedLive(session.renderGeneration, { cluster: CHECKED }), true);
    assert.equal(session.viewModel().live.state, 'checked');
    assert.equal(session.needsLive, false, 'asked once');
  });

  it('a failed render turns it off; an error from the check shows as unreachable', () => {
    const failed = new PreviewSession(TARGET, plan(), OPTIONS);
    failed.rendered(failed.renderGeneration, { error: 'kustomize: boom' });
    assert.deepEqual(failed.viewModel().live, { state: 'off', reason: 'The render failed, so the cluster is not asked' });
    const errored = new PreviewSession(TARGET, plan(), OPTIONS);
    errored.rendered(errored.renderGeneration, { diff: DIFF });
    errored.checkedLive(errored.renderGeneration, { error: 'timeout after 30 s' });
    const live = errored.viewModel().live;
    assert.equal(live.state, 'unreachable');
    assert.match(live.state === 'unreachable' ? live.lines[0] : '', /timeout after 30 s/);
  });

  it('Restricted Mode says so and never asks; without the option nothing is asked either', () => {
    const restricted = new PreviewSession(TARGET, plan(), { ...OPTIONS, liveOffReason: 'Restricted Mode: trust it' });
    restricted.rendered(restricted.renderGeneration, { diff: DIFF });
    assert.equal(restricted.needsLive, false);
    assert.deepEqual(restricted.viewModel().live, { state: 'off', reason: 'Restricted Mode: trust it' });
    const plain = new PreviewSession(TARGET, plan(), { hostName: 'GitHub', renderOffReason: null, readOnlyReason: null });
    plain.rendered(plain.renderGeneration, { diff: DIFF });
    assert.equal(plain.needsLive, false);
    assert.equal(plain.viewModel().live.state, 'off');
  });
});

describe('promotion preview: live impact in the panel', () => {
  const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));
  const previews = (panel: FakePanel): PreviewViewModel[] => panel.webview.posted.flatMap((m) => (m.type === 'preview' ? [m.model] : []));

  it('asks the cluster with the render just shown and publishes the answer', async () => {
    const { PromotionPanels } = await import('../../src/ui/promotion/promotionPanel');
    const asked: RenderedDiff[] = [];
    const planned: PlannedPreview = { target: TARGET, repo: {} as PlannedPreview['repo'], plan: plan(), overrides: {}, hostName: 'GitHub' };
    const rendered = { ...DIFF };
    const panels = new PromotionPanels({
      extensionUri: uri('/ext') as never,
      log: recordingLog().log,
      actions: {
        plan: async () => planned,
        sessionOptions: () => ({ hostName: 'GitHub', renderOffReason: null, readOnlyReason: null, liveOffReason: null }),
        render: async () => rendered,
        liveImpact: async (_planned, _plan, diff) => {
          asked.push(diff);
          return CHECKED;
        },
        execute: async () => undefined,
        failed: () => undefined,
        describe: (e) => String(e),
        openExternal: () => undefined,
      },
    });
    panels.show(planned);
    const panel = created[created.length - 1];
    panel.webview.received.fire({ type: 'ready' });
    await settle(100);
    assert.equal(asked.length, 1);
    assert.equal(asked[0], rendered, 'the diff the render returned');
    const last = previews(panel).at(-1);
    assert.equal(last?.live.state, 'checked');
    assert.equal(last?.live.state === 'checked' ? last.live.refused : -1, 1);
    panels.dispose();
  });
});
