// Turns a promotion plan into what the preview webview shows. Pure (no `vscode`), so the shape the
// webview validates is tested in plain Node. The plan carries more than the webview needs (image
// target texts, blob ids, the raw commit objects); only display data crosses the boundary.
import { identityChangeBlocked } from '../../core/promotion/safetyChecks';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import type { RenderedDiff } from '../../core/promotion/renderedDiff';
import { maskSecrets } from '../../core/secrets';
import type { EnvironmentPreview } from '../../core/preview/previewReport';
import { LIMITS, type LiveView, type OutcomeView, type PreviewTarget, type PreviewViewModel, type RenderedView } from '../../../webview-ui/promotion/protocol';
import { liveImpactLines } from '../preview/previewImpactModel';

/** Where the rendered before → after comparison stands. */
export type RenderState = { state: 'pending' } | { state: 'off'; reason: string } | { state: 'failed'; reason: string } | { state: 'ready'; diff: RenderedDiff };

/** Where the live impact (server dry-run of the rendered after) stands; `done` carries what the cluster said. */
export type LiveState = { state: 'pending' } | { state: 'off'; reason: string } | { state: 'done'; cluster: EnvironmentPreview['cluster'] };

export interface PreviewInput {
  target: PreviewTarget;
  plan: PromotionPlan;
  rendered: RenderState;
  /** `GitHub`… for "Open Pull Request on GitHub". */
  hostName: string;
  /** Set when this window may not run the plan (Restricted Mode). */
  readOnlyReason: string | null;
  outcome: OutcomeView | null;
  /** Absent: no live check in this window (as before the live impact existed). */
  live?: LiveState;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function clipList(items: readonly string[]): string[] {
  return items.slice(0, LIMITS.list).map((item) => clip(item, LIMITS.text));
}

export function previewHeading(plan: Pick<PromotionPlan, 'kind' | 'from' | 'to' | 'source'>): string {
  return plan.kind === 'rollback' ? `Roll back ${plan.to} to ${plan.source.shortCommit}` : `Promote ${plan.from} → ${plan.to}`;
}

function renderedView(state: RenderState): RenderedView {
  if (state.state !== 'ready') return state;
  const { diff } = state;
  return {
    state: 'ready',
    renderer: clip(diff.renderer || 'plain', LIMITS.name),
    added: clipList(diff.added),
    removed: clipList(diff.removed),
    changed: clipList(diff.changed),
    unchanged: diff.unchanged,
    text: clip(diff.text, LIMITS.renderedText),
    truncated: diff.truncated || diff.text.length > LIMITS.renderedText,
    problems: clipList(diff.problems),
  };
}

/**
 * The live impact as the webview shows it: the same lines as Preview Impact's report (one per
 * object; drift the apply would overwrite called out), with counts for the heading. Lines pass
 * the secret masker: a dry-run of a Secret arrives masked, but a token in a ConfigMap does not.
 */
export function liveView(state: LiveState | undefined): LiveView {
  if (!state) return { state: 'off', reason: 'The live impact is not checked here' };
  if (state.state !== 'done') return state.state === 'off' ? { state: 'off', reason: clip(state.reason, LIMITS.text) } : state;
  const { cluster } = state;
  const drift = cluster.objects.reduce((sum, object) => sum + object.fields.filter((f) => f.drift).length, 0);
  const refused = cluster.objects.filter((object) => object.change === 'refused').length;
  const lines = liveImpactLines(cluster).map((line) => maskSecrets(line));
  const shown = lines.length > LIMITS.list ? [...lines.slice(0, LIMITS.list - 1), `… and ${lines.length - LIMITS.list + 1} more`] : lines;
  return { state: cluster.status, lines: shown.map((line) => clip(line, LIMITS.text)), drift, refused };
}

/** Why the plan cannot run as it stands; null when it can. */
export function executeBlocked(plan: PromotionPlan, readOnlyReason: string | null, outcome: OutcomeView | null): string | null {
  if (outcome) return outcome.number !== null ? `Pull request #${outcome.number} is open` : 'The branch is pushed';
  if (readOnlyReason) return readOnlyReason;
  if (plan.alreadyInSync) return plan.syncReason ?? `${plan.to} is already in sync`;
  const anyFile = plan.files.some((f) => f.selected);
  const merges = plan.kind === 'promotion' && plan.layout === 'branch' && plan.commitTotal > 0;
  if (!anyFile && !merges) return plan.files.length ? 'Nothing is selected: tick at least one file' : 'Nothing differs';
  if (identityChangeBlocked(plan)) return `This would change ${plan.to}'s identity (see the warnings): untick the identity values, or tick "Allow identity change"`;
  if (!plan.target.remote) return 'The repository has no remote to push the branch to';
  return null;
}

export function buildPreviewViewModel(input: PreviewInput): PreviewViewModel {
  const { plan } = input;
  const selectedFiles = plan.files.filter((f) => f.selected);
  return {
    target: input.target,
    heading: previewHeading(plan),
    from: plan.from,
    to: plan.to,
    layout: plan.layout,
    source: { ref: plan.source.ref, shortCommit: plan.source.shortCommit },
    base: { branch: plan.target.branch, ref: plan.target.ref, shortCommit: plan.target.shortCommit },
    headBranch: plan.headBranch,
    hostName: input.hostName,
    alreadyInSync: plan.alreadyInSync,
    syncReason: plan.syncReason === null ? null : clip(plan.syncReason, LIMITS.text),
    summary: {
      filesSelected: selectedFiles.length,
      filesTotal: plan.files.length,
      insertions: plan.diff.insertions,
      deletions: plan.diff.deletions,
      imagesSelected: plan.images.filter((i) => i.selected).length,
      imagesTotal: plan.images.length,
      valuesSelected: plan.values.filter((v) => v.selected).length,
      valuesTotal: plan.values.length,
      commits: plan.commitTotal,
    },
    files: plan.files.slice(0, LIMITS.files).map((f) => ({
      path: f.path,
      action: f.action,
      selected: f.selected,
      excludedBy: f.excluded ? (f.excludedBy ?? '(excluded)') : null,
      binary: f.binary,
      insertions: f.insertions,
      deletions: f.deletions,
      diff: clip(f.diff, LIMITS.fileDiff),
      diffTruncated: f.diffTruncated || f.diff.length > LIMITS.fileDiff,
    })),
    images: plan.images.slice(0, LIMITS.images).map((i) => ({
      id: i.id,
      file: i.file,
      line: i.line,
      name: clip(i.name, LIMITS.text),
      field: i.field,
      from: i.from === null ? null : clip(i.from, LIMITS.text),
      to: i.to === null ? null : clip(i.to, LIMITS.text),
      selected: i.selected,
    })),
    values: plan.values.slice(0, LIMITS.values).map((v) => ({
      id: v.id,
      file: v.file,
      line: Math.max(1, v.line),
      path: clip(v.path, LIMITS.text),
      op: v.op,
      // Values come from the user's manifests: a token in one must not be shown as it is.
      from: v.from === null ? null : clip(maskSecrets(v.from), LIMITS.text),
      to: v.to === null ? null : clip(maskSecrets(v.to), LIMITS.text),
      class: v.class,
      reason: clip(v.reason, LIMITS.text),
      selected: v.selected,
    })),
    warnings: plan.warnings.slice(0, LIMITS.warnings).map((w) => ({ code: w.code, message: clip(maskSecrets(w.message), LIMITS.text) })),
    identityChange: plan.warnings.some((w) => w.code === 'identity-change') ? { allowed: plan.allowIdentityChange } : null,
    commits: plan.commits.slice(0, LIMITS.commits).map((c) => ({
      sha: c.sha,
      shortSha: c.shortSha,
      subject: clip(c.subject, LIMITS.text),
      author: clip(c.authorName, LIMITS.text),
      date: c.date.slice(0, 64),
    })),
    notes: clipList(plan.notes),
    pullRequest: {
      title: clip(plan.title, LIMITS.title),
      // The body quotes diffs of the user's manifests: a token in a manifest must not be shown
      // (or sent) as it is.
      body: clip(maskSecrets(plan.body), LIMITS.body),
      labels: plan.labels.map((l) => clip(l, LIMITS.name)).filter(Boolean),
      reviewers: plan.reviewers.map((r) => clip(r, LIMITS.name)).filter(Boolean),
    },
    driftState: plan.driftState === null ? null : clip(plan.driftState, LIMITS.text),
    protected: plan.targetProtected,
    rendered: renderedView(input.rendered),
    live: liveView(input.live),
    executeBlocked: executeBlocked(plan, input.readOnlyReason, input.outcome),
    outcome: input.outcome,
  };
}
