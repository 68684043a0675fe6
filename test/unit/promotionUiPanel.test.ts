// The preview panel's host side, driven through a stand-in for the `vscode` module: nothing is
// posted before `ready`, every `ready` replays the preview, malformed and refused messages do
// nothing, ticks re-post the plan and render it again, running happens once with the typed text,
// and a restored panel plans again only from a valid saved state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan } from '../../src/core/promotion/buildPlan';
import { planFolderChanges } from '../../src/core/promotion/fileChanges';
import type { PromotionPlan } from '../../src/core/promotion/promotionTypes';
import type { RenderedDiff } from '../../src/core/promotion/renderedDiff';
import type { ExecutionResult } from '../../src/git/promotion/executePlan';
import type * as PanelModule from '../../src/ui/promotion/promotionPanel';
import type { PlannedPreview } from '../../src/ui/promotion/previewPlanner';
import type { PreviewTarget, PreviewViewModel } from '../../webview-ui/promotion/protocol';
import { defaultPreviewUiState } from '../../webview-ui/promotion/uiState';
import { created, FakePanel, recordingLog, uri } from './helpers/fakeVscode';

const { log } = recordingLog();

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
    targetProtected: true,
  });
}

interface Calls {
  plans: PreviewTarget[];
  renders: PromotionPlan[];
  executes: PromotionPlan[];
  opened: string[];
}

async function setup(): Promise<{ panels: PanelModule.PromotionPanels; calls: Calls; planned: PlannedPreview }> {
  const { PromotionPanels } = await import('../../src/ui/promotion/promotionPanel');
  const calls: Calls = { plans: [], renders: [], executes: [], opened: [] };
  const planned = { target: TARGET, repo: {} as PlannedPreview['repo'], plan: plan(), overrides: {}, hostName: 'GitHub' };
  const panels = new PromotionPanels({
    extensionUri: uri('/ext') as never,
    log,
    actions: {
      plan: async (target) => {
        calls.plans.push(target);
        return { ...planned, target };
      },
      sessionOptions: () => ({ hostName: 'GitHub', renderOffReason: null, readOnlyReason: null }),
      render: async (_planned, p): Promise<RenderedDiff> => {
        calls.renders.push(p);
        return { renderer: 'plain', added: [], removed: [], changed: ['ConfigMap a'], unchanged: 0, text: '', truncated: false, problems: [] };
      },
      execute: async (_planned, p): Promise<ExecutionResult> => {
        calls.executes.push(p);
        return { headBranch: p.headBranch, base: 'main', remote: 'origin', commit: SHA, pushed: true, pullRequest: { number: 9, url: 'https://github.com/acme/gitops/pull/9', title: p.title, state: 'open', draft: false, head: p.headBranch, base: 'main', headSha: SHA, body: p.body }, pullRequestAction: 'created', compareUrl: null, warnings: [] };
      },
      failed: () => undefined,
      describe: (e) => String(e),
      openExternal: (url) => calls.opened.push(url),
    },
  });
  return { panels, calls, planned };
}

const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

function previews(panel: FakePanel): PreviewViewModel[] {
  return panel.webview.posted.flatMap((m) => (m.type === 'preview' ? [m.model] : []));
}

describe('promotion preview panel', () => {
  it('posts nothing before ready, then the preview; a locked-down page that loads dist/promotion.js', async () => {
    const { panels, planned } = await setup();
    panels.show(planned);
    const panel = created[created.length - 1];
    await settle();
    assert.deepEqual(panel.webview.posted, []);
    assert.match(panel.webview.html, /default-src &#39;none&#39;/);
    assert.match(panel.webview.html, /dist\/promotion\.js/);
    panel.webview.received.fire({ type: 'ready' });
    await settle();
    assert.equal(previews(panel).length >= 1, true);
    assert.equal(previews(panel)[0].heading, 'Promote staging → prod');
    panels.dispose();
  });

  it('every ready (the page is rebuilt when shown again) replays the latest preview', async () => {
    const { panels, planned } = await setup();
    panels.show(planned);
    const panel = created[created.length - 1];
    panel.webview.received.fire({ type: 'ready' });
    await settle();
    const count = previews(panel).length;
    panel.webview.received.fire({ type: 'ready' });
    await settle();
    assert.equal(previews(panel).length, count + 1);
    panels.dispose();
  });

  it('ticks re-post the plan and render it again; malformed and unknown-file ticks do nothing', async () => {
    const { panels, calls, planned } = await setup();
    panels.show(planned);
    const panel = created[created.length - 1];
    panel.webview.received.fire({ type: 'ready' });
    await settle();
    const before = previews(panel).length;
    panel.webview.received.fire({ type: 'select', what: 'file', keys: ['envs/prod/nope.yaml'], selected: true });
    panel.webview.received.fire({ type: 'select', what: 'file', keys: ['envs/prod/b.yaml'], selected: 'yes' });
    panel.webview.received.fire({ type: 'select', what: 'file', keys: ['envs/prod/b.yaml'], selected: true, extra: 1 });
    await settle();
    assert.equal(previews(panel).length, before, 'nothing happened');
    panel.webview.received.fire({ type: 'select', what: 'file', keys: ['envs/prod/b.yaml'], selected: true });
    await settle();
    const latest = previews(panel).at(-1);
    assert.equal(latest?.summary.filesSelected, 2);
    assert.equal(latest?.rendered.state, 'pending');
    await settle(400);
    const rendered = previews(panel).at(-1);
    assert.equal(rendered?.rendered.state, 'ready');
    assert.ok(calls.renders.at(-1)?.files.every((f) => f.selected), 'the rendering used the new ticks');
    panels.dispose();
  });

  it('runs once with the typed text, shows the outcome, and opens only its page', async () => {
    const { panels, calls, planned } = await setup();
    panels.show(planned);
    const panel = created[created.length - 1];
    panel.webview.received.fire({ type: 'ready' });
    await settle();
    panel.webview.received.fire({ type: 'openOutcome' });
    panel.webview.received.fire({ type: 'execute', title: 'Ship prod', body: 'Because.' });
    panel.webview.received.fire({ type: 'execute', title: 'Twice', body: '' });
    await settle();
    assert.equal(calls.executes.length, 1);
    assert.equal(calls.executes[0].title, 'Ship prod');
    assert.equal(calls.executes[0].body, 'Because.');
    const done = previews(panel).at(-1);
    assert.equal(done?.outcome?.number, 9);
    assert.ok(done?.executeBlocked);
    panel.webview.received.fire({ type: 'execute', title: 'Again', body: '' });
    panel.webview.received.fire({ type: 'openOutcome' });
    await settle();
    assert.equal(calls.executes.length, 1, 'a finished plan does not run again');
    assert.deepEqual(calls.opened, ['https://github.com/acme/gitops/pull/9']);
    panels.dispose();
  });

  it('a restored panel plans again from a valid saved state, and is closed without one', async () => {
    const { panels, calls } = await setup();
    const restored = new FakePanel('gitops.promotionPreview', 'Promote staging → prod');
    panels.revive(restored as never, { version: 1, target: TARGET, ui: defaultPreviewUiState() });
    restored.webview.received.fire({ type: 'ready' });
    await settle();
    assert.deepEqual(calls.plans, [TARGET]);
    assert.equal(previews(restored).length >= 1, true);
    const bogus = new FakePanel('gitops.promotionPreview', 'x');
    panels.revive(bogus as never, { version: 1, target: { kind: 'promotion', folder: 'x' }, ui: {} });
    assert.equal(bogus.disposed, true);
    panels.dispose();
  });
});
