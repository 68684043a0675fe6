// The promotion preview's host-side logic, in plain Node: the view model built from a real plan
// passes the protocol validator, ticks recompute the plan (and drop a stale rendering), a
// rendering for an older plan is ignored, the edited text is masked, and the policy refuses
// messages that name files or actions the preview does not offer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan } from '../../src/core/promotion/buildPlan';
import { planFolderChanges, type TreeFile } from '../../src/core/promotion/fileChanges';
import type { PlanSide, PromotionPlan } from '../../src/core/promotion/promotionTypes';
import type { RenderedDiff } from '../../src/core/promotion/renderedDiff';
import { previewRefusal } from '../../src/ui/promotion/previewPolicy';
import { PreviewSession } from '../../src/ui/promotion/previewSession';
import { buildPreviewViewModel, executeBlocked } from '../../src/ui/promotion/previewViewModel';
import { isHostMessage, isPreviewViewModel, type PreviewTarget, type PreviewViewModel, type WebviewToHost } from '../../webview-ui/promotion/protocol';

const SHA_S = '1111111111111111111111111111111111111111';
const SHA_T = '2222222222222222222222222222222222222222';
const TARGET: PreviewTarget = { kind: 'promotion', folder: 'file:///work/repo', from: 'staging', to: 'prod' };

function side(environment: string, commit: string, folder: string): PlanSide {
  return { environment, ref: `origin/main`, commit, shortCommit: commit.slice(0, 7), branch: 'main', folder, tree: `tree-${environment}`, remote: 'origin' };
}

const f = (path: string, blob: string): TreeFile => ({ path, blob, mode: '100644' });

/** staging → prod by folder: app.yaml changed, replicas.yml pinned (excluded), old.yaml only in prod. */
function folderPlan(options: { remote?: string | null; protectedTarget?: boolean } = {}): PromotionPlan {
  const files = planFolderChanges({
    sourceFiles: [f('envs/staging/app.yaml', 'a2'), f('envs/staging/replicas.yml', 'r1'), f('envs/staging/same.yaml', 's')],
    targetFiles: [f('envs/prod/app.yaml', 'a1'), f('envs/prod/replicas.yml', 'r5'), f('envs/prod/same.yaml', 's'), f('envs/prod/old.yaml', 'o')],
    sourceFolder: 'envs/staging',
    targetFolder: 'envs/prod',
    exclude: ['replicas.yml'],
    selectDeletions: false,
  });
  const blobs = new Map([
    ['a1', 'image: web:1\n'],
    ['a2', 'image: web:2\n'],
    ['r1', 'replicas: 1\n'],
    ['r5', 'replicas: 5\n'],
    ['o', 'old: true\n'],
  ]);
  const target = side('prod', SHA_T, 'envs/prod');
  return buildPromotionPlan({
    kind: 'promotion',
    layout: 'folder',
    source: side('staging', SHA_S, 'envs/staging'),
    target: { ...target, remote: options.remote === undefined ? 'origin' : options.remote },
    commits: [{ sha: SHA_S, shortSha: SHA_S.slice(0, 7), subject: 'Bump web to 2', authorName: 'Ada', authorEmail: 'ada@example.com', date: '2025-01-06T09:00:00Z' }],
    commitTotal: 1,
    files,
    blobs,
    labels: ['promotion'],
    reviewers: ['alice'],
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
    driftState: 'prod’s cluster matches Git.',
    targetProtected: options.protectedTarget ?? true,
  });
}

function rendered(label: string): RenderedDiff {
  return { renderer: 'plain', added: [], removed: [], changed: [label], unchanged: 2, text: `--- a/${label}\n+++ b/${label}\n-x\n+y\n`, truncated: false, problems: [] };
}

const OPTIONS = { hostName: 'GitHub', renderOffReason: null, readOnlyReason: null };

describe('preview view model', () => {
  it('is built from a real plan and passes the protocol validator the webview uses', () => {
    const model = buildPreviewViewModel({ target: TARGET, plan: folderPlan(), rendered: { state: 'pending' }, hostName: 'GitHub', readOnlyReason: null, outcome: null });
    assert.ok(isPreviewViewModel(model));
    assert.ok(isHostMessage({ type: 'preview', model }));
    assert.ok(isPreviewViewModel(JSON.parse(JSON.stringify(model))), 'survives a JSON round trip');
    assert.equal(model.heading, 'Promote staging → prod');
    assert.equal(model.base.branch, 'main');
    assert.equal(model.protected, true);
    assert.deepEqual(model.pullRequest.labels, ['promotion']);
    const byPath = Object.fromEntries(model.files.map((file) => [file.path, [file.action, file.selected, file.excludedBy]]));
    assert.deepEqual(byPath, {
      'envs/prod/app.yaml': ['modify', true, null],
      'envs/prod/replicas.yml': ['modify', false, 'replicas.yml'],
      'envs/prod/old.yaml': ['delete', false, null],
    });
    assert.deepEqual(model.summary, { filesSelected: 1, filesTotal: 3, insertions: 1, deletions: 1, imagesSelected: 0, imagesTotal: 0, valuesSelected: 1, valuesTotal: 2, commits: 1 });
    assert.equal(model.executeBlocked, null);
  });

  it('never carries blob ids, image target texts or the raw plan', () => {
    const model = buildPreviewViewModel({ target: TARGET, plan: folderPlan(), rendered: { state: 'pending' }, hostName: 'GitHub', readOnlyReason: null, outcome: null });
    const json = JSON.stringify(model);
    assert.ok(!json.includes('beforeBlob') && !json.includes('imageTargets') && !json.includes('authorEmail'));
  });

  it('masks secrets in the generated description', () => {
    const plan = { ...folderPlan(), body: 'token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n' };
    const model = buildPreviewViewModel({ target: TARGET, plan, rendered: { state: 'pending' }, hostName: 'GitHub', readOnlyReason: null, outcome: null });
    assert.ok(!model.pullRequest.body.includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789'));
  });

  it('says why running is off: nothing selected, no remote, Restricted Mode, already done', () => {
    const plan = folderPlan();
    const none = { ...plan, files: plan.files.map((file) => ({ ...file, selected: false })) };
    assert.match(executeBlocked(none, null, null) ?? '', /Nothing is selected/);
    assert.match(executeBlocked(folderPlan({ remote: null }), null, null) ?? '', /no remote/);
    assert.match(executeBlocked(plan, 'Restricted Mode: trust it', null) ?? '', /Restricted Mode/);
    assert.match(executeBlocked(plan, null, { action: 'created', number: 7, url: 'https://github.com/acme/gitops/pull/7', headBranch: plan.headBranch, remote: 'origin', warnings: [] }) ?? '', /#7/);
    const inSync = { ...plan, alreadyInSync: true, syncReason: 'staging and prod already hold the same files' };
    assert.equal(executeBlocked(inSync, null, null), 'staging and prod already hold the same files');
  });
});

describe('preview session', () => {
  it('ticking a file recomputes the plan: selection, summary and body follow', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    const before = session.viewModel();
    assert.equal(session.select('file', ['envs/prod/replicas.yml'], true), true);
    const after = session.viewModel();
    assert.equal(after.summary.filesSelected, 2);
    assert.ok(after.files.find((file) => file.path === 'envs/prod/replicas.yml')?.selected);
    assert.notEqual(after.pullRequest.body, before.pullRequest.body);
    assert.match(after.pullRequest.body, /replicas\.yml/);
  });

  it('a deletion happens only when ticked, and unticking everything blocks running', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    assert.equal(session.plan.files.find((file) => file.action === 'delete')?.selected, false);
    session.select('file', ['envs/prod/old.yaml'], true);
    assert.equal(session.plan.files.find((file) => file.action === 'delete')?.selected, true);
    session.select('file', session.plan.files.map((file) => file.path), false);
    assert.match(session.viewModel().executeBlocked ?? '', /Nothing is selected/);
  });

  it('ignores ticks that change nothing and keys the plan does not have', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    assert.equal(session.select('file', ['envs/prod/app.yaml'], true), false, 'already ticked');
    assert.equal(session.select('file', ['envs/prod/nope.yaml'], true), false);
    assert.equal(session.select('image', ['x#y'], true), false);
  });

  it('drops a rendering made for older ticks and renders again', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    assert.equal(session.needsRender, true);
    const first = session.renderGeneration;
    session.select('file', ['envs/prod/replicas.yml'], true);
    assert.equal(session.rendered(first, { diff: rendered('ConfigMap old') }), false, 'stale rendering ignored');
    assert.equal(session.viewModel().rendered.state, 'pending');
    assert.equal(session.rendered(session.renderGeneration, { diff: rendered('Deployment shop/web') }), true);
    const model = session.viewModel();
    assert.equal(model.rendered.state, 'ready');
    assert.ok(model.rendered.state === 'ready' && model.rendered.changed.includes('Deployment shop/web'));
    assert.match(session.plan.body, /Deployment shop\/web/, 'the body carries the rendered change');
    // Ticking again makes the rendering (and its part of the body) stale at once.
    session.select('file', ['envs/prod/replicas.yml'], false);
    assert.equal(session.plan.rendered, null);
    assert.doesNotMatch(session.plan.body, /Deployment shop\/web/);
  });

  it('a failed rendering is said, and rendering is off when the window says so', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    session.rendered(session.renderGeneration, { error: 'kustomize: not found' });
    assert.deepEqual(session.viewModel().rendered, { state: 'failed', reason: 'kustomize: not found' });
    const restricted = new PreviewSession(TARGET, folderPlan(), { ...OPTIONS, renderOffReason: 'Restricted Mode', readOnlyReason: 'Restricted Mode: trust it' });
    assert.equal(restricted.needsRender, false);
    assert.deepEqual(restricted.viewModel().rendered, { state: 'off', reason: 'Restricted Mode' });
    assert.match(restricted.viewModel().executeBlocked ?? '', /Restricted Mode/);
  });

  it('runs with the edited title and description, secrets masked, empty title falls back to the generated one', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    const plan = session.planToRun({ title: 'Ship it', body: 'Edited.\npassword: hunter2\n' });
    assert.equal(plan.title, 'Ship it');
    assert.ok(plan.body.startsWith('Edited.'));
    assert.ok(!plan.body.includes('hunter2'));
    assert.equal(session.planToRun({ title: '   ', body: 'x' }).title, session.plan.title);
  });

  it('after it ran, the preview shows the outcome and refuses further ticks', () => {
    const session = new PreviewSession(TARGET, folderPlan(), OPTIONS);
    session.finished({ action: 'created', number: 3, url: 'https://github.com/acme/gitops/pull/3', headBranch: session.plan.headBranch, remote: 'origin', warnings: [] });
    const model = session.viewModel();
    assert.ok(isPreviewViewModel(model));
    assert.equal(model.outcome?.number, 3);
    assert.equal(session.select('file', ['envs/prod/replicas.yml'], true), false);
  });
});

describe('preview message policy', () => {
  const model = (): PreviewViewModel => new PreviewSession(TARGET, folderPlan(), OPTIONS).viewModel();

  it('allows ticks of listed files, running an allowed plan, ready and refresh', () => {
    const preview = model();
    const allowed: WebviewToHost[] = [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'select', what: 'file', keys: ['envs/prod/replicas.yml', 'envs/prod/old.yaml'], selected: true },
      { type: 'execute', title: 't', body: 'b' },
    ];
    for (const message of allowed) assert.equal(previewRefusal(message, preview, false), undefined, JSON.stringify(message));
  });

  it('refuses anything but ready before a preview was sent', () => {
    assert.equal(previewRefusal({ type: 'ready' }, undefined, false), undefined);
    assert.ok(previewRefusal({ type: 'execute', title: 't', body: 'b' }, undefined, false));
    assert.ok(previewRefusal({ type: 'select', what: 'file', keys: ['a'], selected: true }, undefined, false));
  });

  it('refuses files and images the preview does not list', () => {
    const preview = model();
    assert.match(previewRefusal({ type: 'select', what: 'file', keys: ['envs/prod/app.yaml', '../../etc/passwd'], selected: true }, preview, false) ?? '', /does not list/);
    assert.match(previewRefusal({ type: 'select', what: 'image', keys: ['envs/prod/app.yaml'], selected: true }, preview, false) ?? '', /does not list/);
  });

  it('refuses running a blocked plan, running twice, and ticking while it runs', () => {
    const preview = model();
    const blocked = { ...preview, executeBlocked: 'Nothing is selected: tick at least one file' };
    assert.match(previewRefusal({ type: 'execute', title: 't', body: 'b' }, blocked, false) ?? '', /Nothing is selected/);
    assert.match(previewRefusal({ type: 'execute', title: 't', body: 'b' }, preview, true) ?? '', /already running/);
    assert.ok(previewRefusal({ type: 'select', what: 'file', keys: ['envs/prod/old.yaml'], selected: true }, preview, true));
  });

  it('opens the outcome page only when there is one', () => {
    const preview = model();
    assert.ok(previewRefusal({ type: 'openOutcome' }, preview, false));
    const done = { ...preview, outcome: { action: 'created' as const, number: 1, url: 'https://github.com/acme/gitops/pull/1', headBranch: 'gitops/x', remote: 'origin', warnings: [] } };
    assert.equal(previewRefusal({ type: 'openOutcome' }, done, false), undefined);
  });
});
