// The one message protocol between the promotion preview webview and the extension host. Imported
// by both sides, so it stays free of `vscode`, Node and DOM APIs. Each side validates what it
// receives: the host treats the webview as untrusted input (a message may only name files, images
// and actions the preview it was sent offers — see src/ui/promotion/previewPolicy.ts), and the
// webview does not assume the host's data has the shape it expects.
import { hasExactKeys, isArrayOf, isBool, isBoundedString, isIntInRange, isPathText, isPlainRecord } from '../shared/guards';
import { isBare, messageValidator, statusChecks, type HostStatus, type ReadyMessage } from '../shared/messages';

/**
 * What a preview panel shows: a promotion between two environments of a workspace folder, or a
 * rollback of one environment to an earlier commit. `folder` is the workspace folder's URI.
 */
export type PreviewTarget =
  | { kind: 'promotion'; folder: string; from: string; to: string }
  | { kind: 'rollback'; folder: string; environment: string; commit: string };

export type FileAction = 'add' | 'modify' | 'delete';
export type PreviewLayout = 'branch' | 'folder' | 'image';

export interface FileRow {
  /** Repository-relative path in the target. */
  path: string;
  action: FileAction;
  selected: boolean;
  /** The `promotion.exclude` glob that left the file out by default; null when none matched. */
  excludedBy: string | null;
  binary: boolean;
  insertions: number;
  deletions: number;
  /** Unified diff of the file ('' for binary files; Secret manifests arrive without their lines). */
  diff: string;
  diffTruncated: boolean;
}

export interface ImageRow {
  /** Stable id inside the plan (what `select` names). */
  id: string;
  file: string;
  line: number;
  name: string;
  field: string;
  from: string | null;
  to: string | null;
  selected: boolean;
}

export type ValueClassName = 'identity' | 'own' | 'flows';

/** One differing value of a YAML file promoted value by value (folder layout). */
export interface ValueRow {
  /** Stable id inside the plan (what `select` names with `what: 'value'`). */
  id: string;
  file: string;
  line: number;
  /** `spec.template.spec.containers[name=app].image`. */
  path: string;
  op: 'set' | 'add' | 'remove';
  from: string | null;
  to: string | null;
  /** identity: names the environment; own: sizing, kept, never flowed; flows: promoted. */
  class: ValueClassName;
  /** Why it has that class, in a few words. */
  reason: string;
  selected: boolean;
}

export type WarningCodeName = 'image-downgrade' | 'chart-downgrade' | 'identity-change' | 'target-ahead' | 'invalid-objects';

export interface WarningRow {
  code: WarningCodeName;
  message: string;
}

export interface CommitRow {
  sha: string;
  shortSha: string;
  subject: string;
  author: string;
  /** ISO 8601. */
  date: string;
}

/** The target rendered (kustomize/helm/plain) before and after the plan. */
export type RenderedView =
  | { state: 'pending' }
  /** Not rendered, and why (Restricted Mode, turned off, nothing to render). */
  | { state: 'off'; reason: string }
  | { state: 'failed'; reason: string }
  | {
      state: 'ready';
      renderer: string;
      added: string[];
      removed: string[];
      changed: string[];
      unchanged: number;
      text: string;
      truncated: boolean;
      problems: string[];
    };

/**
 * What applying the promoted target would change in its cluster (a server dry-run of the rendered
 * "after" against live: objects created or changed, live drift it would overwrite, objects the
 * server refuses). It follows the rendering: the cluster is asked only once the render is ready.
 */
export type LiveView =
  | { state: 'pending' }
  /** Not checked, and why (Restricted Mode, render not ready or failed). */
  | { state: 'off'; reason: string }
  /** `none`: no cluster for this environment; `unreachable`: it did not answer; `checked`: one line per object. */
  | { state: 'none' | 'unreachable' | 'checked'; lines: string[]; drift: number; refused: number };

/** What happened when the plan ran. */
export interface OutcomeView {
  action: 'created' | 'updated' | 'none';
  /** The pull request, when one was opened or updated. */
  number: number | null;
  /** The pull request's page, or the host's compare page when no pull request could be opened. */
  url: string | null;
  headBranch: string;
  remote: string;
  warnings: string[];
}

export interface PreviewViewModel {
  target: PreviewTarget;
  /** `Promote staging → prod` / `Roll back prod to abc1234`. */
  heading: string;
  from: string;
  to: string;
  layout: PreviewLayout;
  source: { ref: string; shortCommit: string };
  base: { branch: string; ref: string; shortCommit: string };
  headBranch: string;
  /** `GitHub`, `GitLab`… or `the host`. */
  hostName: string;
  alreadyInSync: boolean;
  syncReason: string | null;
  summary: { filesSelected: number; filesTotal: number; insertions: number; deletions: number; imagesSelected: number; imagesTotal: number; valuesSelected: number; valuesTotal: number; commits: number };
  files: FileRow[];
  images: ImageRow[];
  values: ValueRow[];
  /** Safety checks, shown above everything else. */
  warnings: WarningRow[];
  /**
   * The plan changes the target's identity (an `identity-change` warning): running is refused
   * until `allowed` is ticked. null when there is no identity change.
   */
  identityChange: { allowed: boolean } | null;
  commits: CommitRow[];
  notes: string[];
  /** The generated title and description (the webview keeps the user's edits itself). */
  pullRequest: { title: string; body: string; labels: string[]; reviewers: string[] };
  /** The target's drift in a sentence; null when not known. */
  driftState: string | null;
  /** Executing asks for the environment's name to be typed. */
  protected: boolean;
  rendered: RenderedView;
  live: LiveView;
  /** Why "Open Pull Request" is off (nothing selected, Restricted Mode, already done), else null. */
  executeBlocked: string | null;
  outcome: OutcomeView | null;
}

export type SelectTarget = 'file' | 'image' | 'value';

export type WebviewToHost =
  | ReadyMessage
  /** Tick (or untick) files or image changes; the host recomputes the plan. */
  | { type: 'select'; what: SelectTarget; keys: string[]; selected: boolean }
  /** The explicit "Allow identity change" tick. */
  | { type: 'allowIdentityChange'; allowed: boolean }
  /** Run the plan with this title and description. */
  | { type: 'execute'; title: string; body: string }
  /** Plan again from the current branches (keeps nothing but the target). */
  | { type: 'refresh' }
  /** Open the outcome's page (pull request or compare page) in the browser. */
  | { type: 'openOutcome' };

export type HostToWebview = { type: 'preview'; model: PreviewViewModel } | HostStatus;

// ---- Limits: generous for real plans, small enough that a hostile message cannot do much ----

export const LIMITS = {
  name: 256,
  path: 4096,
  sha: 64,
  /** A file diff is cut at 100,000 characters by the planner; headers and the cut note on top. */
  fileDiff: 110_000,
  /** The rendered diff is cut at 500,000 characters. */
  renderedText: 520_000,
  files: 20_000,
  images: 20_000,
  values: 20_000,
  warnings: 200,
  commits: 1000,
  text: 8192,
  list: 10_000,
  title: 1024,
  /** Hosts cap descriptions near 64 KiB (GitHub 65,536, GitLab 1,000,000); the host answers beyond. */
  body: 1_000_000,
  url: 8192,
  selectKeys: 20_000,
} as const;

export function previewTargetKey(target: PreviewTarget): string {
  return target.kind === 'promotion'
    ? `promotion:${target.folder}\u0000${target.from}\u0000${target.to}`
    : `rollback:${target.folder}\u0000${target.environment}\u0000${target.commit}`;
}

// ---- Validators ----

const isName = (v: unknown): v is string => isBoundedString(v, LIMITS.name, 1);
const isText = (v: unknown): v is string => isBoundedString(v, LIMITS.text);
const isCount = (v: unknown): v is number => isIntInRange(v, 0, Number.MAX_SAFE_INTEGER);
const isNullableText = (v: unknown): boolean => v === null || isText(v);

const isPath = (v: unknown): v is string => isPathText(v, LIMITS.path);

function isSha(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{4,64}$/.test(value);
}

function isHttpUrl(value: unknown): value is string {
  return isBoundedString(value, LIMITS.url, 1) && /^https?:\/\/[^\s]+$/i.test(value);
}

export function isPreviewTarget(value: unknown): value is PreviewTarget {
  if (!isPlainRecord(value)) return false;
  if (value.kind === 'promotion') return hasExactKeys(value, ['kind', 'folder', 'from', 'to']) && isPath(value.folder) && isName(value.from) && isName(value.to);
  if (value.kind === 'rollback') return hasExactKeys(value, ['kind', 'folder', 'environment', 'commit']) && isPath(value.folder) && isName(value.environment) && isSha(value.commit);
  return false;
}

/** Validates a message from the webview. Unknown types, missing or extra keys and wrong types fail. */
export const isWebviewMessage = messageValidator<WebviewToHost>({
  ready: isBare,
  refresh: isBare,
  openOutcome: isBare,
  select: (m) =>
    hasExactKeys(m, ['type', 'what', 'keys', 'selected']) &&
    (m.what === 'file' || m.what === 'image' || m.what === 'value') &&
    isArrayOf(m.keys, LIMITS.selectKeys, isPath) &&
    m.keys.length > 0 &&
    isBool(m.selected),
  allowIdentityChange: (m) => hasExactKeys(m, ['type', 'allowed']) && isBool(m.allowed),
  execute: (m) => hasExactKeys(m, ['type', 'title', 'body']) && isBoundedString(m.title, LIMITS.title) && isBoundedString(m.body, LIMITS.body),
});

function isFileRow(value: unknown): value is FileRow {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['path', 'action', 'selected', 'excludedBy', 'binary', 'insertions', 'deletions', 'diff', 'diffTruncated']) &&
    isPath(value.path) &&
    (value.action === 'add' || value.action === 'modify' || value.action === 'delete') &&
    isBool(value.selected) &&
    (value.excludedBy === null || isBoundedString(value.excludedBy, LIMITS.path, 1)) &&
    isBool(value.binary) &&
    isCount(value.insertions) &&
    isCount(value.deletions) &&
    isBoundedString(value.diff, LIMITS.fileDiff) &&
    isBool(value.diffTruncated)
  );
}

function isImageRow(value: unknown): value is ImageRow {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['id', 'file', 'line', 'name', 'field', 'from', 'to', 'selected']) &&
    isPath(value.id) &&
    isPath(value.file) &&
    isIntInRange(value.line, 1, 10_000_000) &&
    isText(value.name) &&
    isName(value.field) &&
    isNullableText(value.from) &&
    isNullableText(value.to) &&
    isBool(value.selected)
  );
}

function isValueRow(value: unknown): value is ValueRow {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['id', 'file', 'line', 'path', 'op', 'from', 'to', 'class', 'reason', 'selected']) &&
    isPath(value.id) &&
    isPath(value.file) &&
    isIntInRange(value.line, 1, 10_000_000) &&
    isText(value.path) &&
    (value.op === 'set' || value.op === 'add' || value.op === 'remove') &&
    isNullableText(value.from) &&
    isNullableText(value.to) &&
    (value.class === 'identity' || value.class === 'own' || value.class === 'flows') &&
    isText(value.reason) &&
    isBool(value.selected)
  );
}

const WARNING_CODES: readonly string[] = ['image-downgrade', 'chart-downgrade', 'identity-change', 'target-ahead', 'invalid-objects'];

function isWarningRow(value: unknown): value is WarningRow {
  return isPlainRecord(value) && hasExactKeys(value, ['code', 'message']) && typeof value.code === 'string' && WARNING_CODES.includes(value.code) && isText(value.message);
}

function isIdentityChange(value: unknown): boolean {
  return value === null || (isPlainRecord(value) && hasExactKeys(value, ['allowed']) && isBool(value.allowed));
}

function isCommitRow(value: unknown): value is CommitRow {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['sha', 'shortSha', 'subject', 'author', 'date']) &&
    isSha(value.sha) &&
    isSha(value.shortSha) &&
    isText(value.subject) &&
    isText(value.author) &&
    isBoundedString(value.date, 64)
  );
}

const isTextList = (v: unknown): v is string[] => isArrayOf(v, LIMITS.list, isText);

function isLiveView(value: unknown): value is LiveView {
  if (!isPlainRecord(value)) return false;
  switch (value.state) {
    case 'pending':
      return hasExactKeys(value, ['state']);
    case 'off':
      return hasExactKeys(value, ['state', 'reason']) && isText(value.reason);
    case 'none':
    case 'unreachable':
    case 'checked':
      return hasExactKeys(value, ['state', 'lines', 'drift', 'refused']) && isTextList(value.lines) && isCount(value.drift) && isCount(value.refused);
    default:
      return false;
  }
}

function isRenderedView(value: unknown): value is RenderedView {
  if (!isPlainRecord(value)) return false;
  switch (value.state) {
    case 'pending':
      return hasExactKeys(value, ['state']);
    case 'off':
    case 'failed':
      return hasExactKeys(value, ['state', 'reason']) && isText(value.reason);
    case 'ready':
      return (
        hasExactKeys(value, ['state', 'renderer', 'added', 'removed', 'changed', 'unchanged', 'text', 'truncated', 'problems']) &&
        isName(value.renderer) &&
        isTextList(value.added) &&
        isTextList(value.removed) &&
        isTextList(value.changed) &&
        isCount(value.unchanged) &&
        isBoundedString(value.text, LIMITS.renderedText) &&
        isBool(value.truncated) &&
        isTextList(value.problems)
      );
    default:
      return false;
  }
}

function isOutcomeView(value: unknown): value is OutcomeView {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['action', 'number', 'url', 'headBranch', 'remote', 'warnings']) &&
    (value.action === 'created' || value.action === 'updated' || value.action === 'none') &&
    (value.number === null || isIntInRange(value.number, 0, Number.MAX_SAFE_INTEGER)) &&
    (value.url === null || isHttpUrl(value.url)) &&
    isName(value.headBranch) &&
    isName(value.remote) &&
    isTextList(value.warnings)
  );
}

function isSummary(value: unknown): boolean {
  const keys = ['filesSelected', 'filesTotal', 'insertions', 'deletions', 'imagesSelected', 'imagesTotal', 'valuesSelected', 'valuesTotal', 'commits'];
  return isPlainRecord(value) && hasExactKeys(value, keys) && keys.every((k) => isCount(value[k]));
}

function isSideRecord(value: unknown, keys: readonly string[]): boolean {
  return isPlainRecord(value) && hasExactKeys(value, keys) && keys.every((k) => isName(value[k]));
}

function isPullRequestText(value: unknown): boolean {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['title', 'body', 'labels', 'reviewers']) &&
    isBoundedString(value.title, LIMITS.title) &&
    isBoundedString(value.body, LIMITS.body) &&
    isArrayOf(value.labels, LIMITS.list, isName) &&
    isArrayOf(value.reviewers, LIMITS.list, isName)
  );
}

export function isPreviewViewModel(value: unknown): value is PreviewViewModel {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, [
      'target',
      'heading',
      'from',
      'to',
      'layout',
      'source',
      'base',
      'headBranch',
      'hostName',
      'alreadyInSync',
      'syncReason',
      'summary',
      'files',
      'images',
      'values',
      'warnings',
      'identityChange',
      'commits',
      'notes',
      'pullRequest',
      'driftState',
      'protected',
      'rendered',
      'live',
      'executeBlocked',
      'outcome',
    ]) &&
    isPreviewTarget(value.target) &&
    isText(value.heading) &&
    isName(value.from) &&
    isName(value.to) &&
    (value.layout === 'branch' || value.layout === 'folder' || value.layout === 'image') &&
    isSideRecord(value.source, ['ref', 'shortCommit']) &&
    isSideRecord(value.base, ['branch', 'ref', 'shortCommit']) &&
    isName(value.headBranch) &&
    isName(value.hostName) &&
    isBool(value.alreadyInSync) &&
    isNullableText(value.syncReason) &&
    isSummary(value.summary) &&
    isArrayOf(value.files, LIMITS.files, isFileRow) &&
    isArrayOf(value.images, LIMITS.images, isImageRow) &&
    isArrayOf(value.values, LIMITS.values, isValueRow) &&
    isArrayOf(value.warnings, LIMITS.warnings, isWarningRow) &&
    isIdentityChange(value.identityChange) &&
    isArrayOf(value.commits, LIMITS.commits, isCommitRow) &&
    isTextList(value.notes) &&
    isPullRequestText(value.pullRequest) &&
    isNullableText(value.driftState) &&
    isBool(value.protected) &&
    isRenderedView(value.rendered) &&
    isLiveView(value.live) &&
    isNullableText(value.executeBlocked) &&
    (value.outcome === null || isOutcomeView(value.outcome))
  );
}

/** Validates a message from the host before the webview renders anything from it. */
export const isHostMessage = messageValidator<HostToWebview>({
  preview: (m) => hasExactKeys(m, ['type', 'model']) && isPreviewViewModel(m.model),
  ...statusChecks(isText),
});
