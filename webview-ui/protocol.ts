// The one message protocol between the drift report webview and the extension host. Imported by
// both sides, so it must stay free of `vscode`, Node and DOM APIs. Each side validates what it
// receives with the guards below: the host treats the webview as untrusted input, and the webview
// does not assume the host's data has the shape it expects.
import { hasExactKeys, isArrayOf, isBool, isBoundedString, isCountRecord, isIntInRange, isPathText, isPlainRecord, optional } from './shared/guards';
import { isBare, messageValidator, statusChecks, type HostStatus, type ReadyMessage } from './shared/messages';

// ---- Shared vocabulary (mirrors src/core/drift/driftTypes.ts; restated so the browser bundle
// does not reach into the core) ----

export type ReportStatus = 'InSync' | 'Drifted' | 'Missing' | 'Extra' | 'Unknown' | 'Invalid';
export const REPORT_STATUSES: readonly ReportStatus[] = ['Invalid', 'Drifted', 'Missing', 'Extra', 'Unknown', 'InSync'];

export type FieldChange = 'changed' | 'notInLive' | 'notInGit';
const FIELD_CHANGES: readonly FieldChange[] = ['changed', 'notInLive', 'notInGit'];

/**
 * What a panel shows: one environment's drift, environment `from` (A) compared with `to` (B), or
 * the impact of a change (a pull request, a branch) on one environment: its render at `head` (A)
 * against its render at `base` (B). `folder` (the workspace folder URI the environments belong
 * to) tells apart same-named environments of two repositories in a multi-root workspace.
 */
export type ReportTarget =
  | { kind: 'drift'; environment: string; folder?: string }
  | { kind: 'compare'; from: string; to: string; folder?: string }
  | { kind: 'preview'; environment: string; base: string; head: string; folder?: string };

export interface OperatorRef {
  kind: 'argocd' | 'flux';
  /** The Application or Kustomization that reconciles the environment. */
  name: string;
}

/** A value ready to show. Secret values arrive as `masked` only; the webview never sees them. */
export type ValueView = { kind: 'absent' } | { kind: 'masked'; hash: string } | { kind: 'text'; text: string; truncated: boolean };

export interface FieldView {
  /** RFC 6901 pointer in the A (Git) object: what `acceptLive` names. */
  pointer: string;
  /** Readable path (`spec.template.spec.containers[name=web].image`). */
  path: string;
  change: FieldChange;
  /** Git (drift) or environment A (compare). */
  a: ValueView;
  /** Live (drift) or environment B (compare). */
  b: ValueView;
  /** 1-based line that sets the field (or its nearest declared ancestor): in `file`, else in the resource's file. */
  line?: number;
  /** Repository-relative file that sets the value when another than the resource's (an overlay's patch, its kustomization). */
  file?: string;
  manager?: string;
  changedAt?: string;
}

export interface ResourceView {
  /** `group/kind/namespace/name`, the key every view shares. */
  key: string;
  group: string;
  version: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  status: ReportStatus;
  fields: FieldView[];
  reason?: string;
  /** Repository-relative file declaring the resource, and the 1-based line of its `kind:`. */
  file?: string;
  line?: number;
  approximate: boolean;
  /** Differences suppressed by ignore rules. */
  ignored: number;
}

export interface ReportViewModel {
  target: ReportTarget;
  title: string;
  /** Column titles: "Git"/"Live" for drift, the two environment names for a comparison. */
  columns: { a: string; b: string };
  /** Every environment, in promotion order: the choices for "Compare with…". */
  environments: string[];
  /** ISO 8601 time the live side was read. */
  asOf: string;
  /** The cluster could not be reached since `asOf`: the data may be out of date. */
  stale: boolean;
  /** The results are the last-known snapshot saved in an earlier session (`asOf` is when it was true). */
  fromSnapshot?: boolean;
  /** Some verdicts come from local comparison and may miss webhook or default effects. */
  approximate: boolean;
  counts: Record<ReportStatus, number>;
  /** No writes from this panel (restricted workspace, comparison, read-only credentials). */
  readOnly: boolean;
  canSync: boolean;
  /** Set when Argo CD or Flux reconciles the environment: "Sync" asks it instead of applying. */
  operatorManaged?: OperatorRef;
  /** Ignore rules that could not be used (drift), render problems (a change's impact), one line each. */
  problems: string[];
  /** A change's impact only: what applying its head would do in the cluster, one line each. */
  live?: string[];
  resources: ResourceView[];
}

export type WebviewToHost =
  | ReadyMessage
  | { type: 'openDiff'; key: string }
  | { type: 'openFile'; file: string; line: number }
  | { type: 'sync'; keys: string[] }
  | { type: 'acceptLive'; key: string; pointer: string }
  | { type: 'refresh' }
  | { type: 'requestCompare'; from: string; to: string };

export type HostToWebview = { type: 'report'; report: ReportViewModel } | HostStatus;

// ---- Limits: generous for real data, small enough that a hostile message cannot do much ----

export const LIMITS = {
  key: 1024,
  name: 256,
  file: 4096,
  pointer: 4096,
  line: 10_000_000,
  syncKeys: 10_000,
  resources: 100_000,
  fieldsPerResource: 10_000,
  valueText: 16_384,
  text: 4096,
  problems: 1000,
  environments: 1000,
  ref: 256,
} as const;

export function targetKey(target: ReportTarget): string {
  const folder = target.folder ?? '';
  switch (target.kind) {
    case 'drift':
      return `drift:${folder}\u0000${target.environment}`;
    case 'compare':
      return `compare:${folder}\u0000${target.from}\u0000${target.to}`;
    case 'preview':
      return `preview:${folder}\u0000${target.environment}\u0000${target.base}\u0000${target.head}`;
  }
}

// ---- Validators ----

const isKey = (v: unknown): v is string => isBoundedString(v, LIMITS.key, 1);
const isName = (v: unknown): v is string => isBoundedString(v, LIMITS.name, 1);
const isText = (v: unknown): v is string => isBoundedString(v, LIMITS.text);
const isLine = (v: unknown): v is number => isIntInRange(v, 1, LIMITS.line);

/** A Git ref or commit as a change names it (`origin/main`, `feature/x`, a sha): no option-like start, no spaces or control characters. */
export function isGitRef(value: unknown): value is string {
  return isBoundedString(value, LIMITS.ref, 1) && /^[A-Za-z0-9._/@+][A-Za-z0-9._/@+-]*$/.test(value) && !value.includes('..');
}

/** '' or `/a/b~1c`: every `~` escapes 0 or 1, as RFC 6901 requires. */
function isPointer(value: unknown): value is string {
  return isBoundedString(value, LIMITS.pointer) && (value === '' || (value.startsWith('/') && !/~[^01]|~$/.test(value)));
}

/** Repository-relative path: no NUL, not empty. Whether the file is one the report names is the host's check. */
const isFilePath = (v: unknown): v is string => isPathText(v, LIMITS.file);

function isIsoTime(value: unknown): value is string {
  return isBoundedString(value, 64, 1) && !Number.isNaN(Date.parse(value));
}

export function isReportTarget(value: unknown): value is ReportTarget {
  if (!isPlainRecord(value)) return false;
  if (!optional(value, 'folder', isFilePath)) return false;
  if (value.kind === 'drift') return hasExactKeys(value, ['kind', 'environment'], ['folder']) && isName(value.environment);
  if (value.kind === 'compare') return hasExactKeys(value, ['kind', 'from', 'to'], ['folder']) && isName(value.from) && isName(value.to);
  if (value.kind === 'preview') return hasExactKeys(value, ['kind', 'environment', 'base', 'head'], ['folder']) && isName(value.environment) && isGitRef(value.base) && isGitRef(value.head);
  return false;
}

/** Validates a message from the webview. Unknown types, missing or extra keys and wrong types fail. */
export const isWebviewMessage = messageValidator<WebviewToHost>({
  ready: isBare,
  refresh: isBare,
  openDiff: (m) => hasExactKeys(m, ['type', 'key']) && isKey(m.key),
  openFile: (m) => hasExactKeys(m, ['type', 'file', 'line']) && isFilePath(m.file) && isLine(m.line),
  sync: (m) => hasExactKeys(m, ['type', 'keys']) && isArrayOf(m.keys, LIMITS.syncKeys, isKey) && m.keys.length > 0,
  acceptLive: (m) => hasExactKeys(m, ['type', 'key', 'pointer']) && isKey(m.key) && isPointer(m.pointer),
  requestCompare: (m) => hasExactKeys(m, ['type', 'from', 'to']) && isName(m.from) && isName(m.to),
});

function isValueView(value: unknown): value is ValueView {
  if (!isPlainRecord(value)) return false;
  switch (value.kind) {
    case 'absent':
      return hasExactKeys(value, ['kind']);
    case 'masked':
      return hasExactKeys(value, ['kind', 'hash']) && typeof value.hash === 'string' && /^[0-9a-f]{1,64}$/.test(value.hash);
    case 'text':
      return hasExactKeys(value, ['kind', 'text', 'truncated']) && isBoundedString(value.text, LIMITS.valueText) && isBool(value.truncated);
    default:
      return false;
  }
}

function isFieldView(value: unknown): value is FieldView {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['pointer', 'path', 'change', 'a', 'b'], ['line', 'file', 'manager', 'changedAt']) &&
    isPointer(value.pointer) &&
    isBoundedString(value.path, LIMITS.pointer) &&
    FIELD_CHANGES.includes(value.change as FieldChange) &&
    isValueView(value.a) &&
    isValueView(value.b) &&
    optional(value, 'line', isLine) &&
    optional(value, 'file', isFilePath) &&
    optional(value, 'manager', isText) &&
    optional(value, 'changedAt', isText)
  );
}

function isResourceView(value: unknown): value is ResourceView {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['key', 'group', 'version', 'kind', 'namespace', 'name', 'status', 'fields', 'approximate', 'ignored'], ['reason', 'file', 'line']) &&
    isKey(value.key) &&
    isBoundedString(value.group, LIMITS.name) &&
    isBoundedString(value.version, LIMITS.name) &&
    isBoundedString(value.kind, LIMITS.name) &&
    isBoundedString(value.namespace, LIMITS.name) &&
    isBoundedString(value.name, LIMITS.name) &&
    REPORT_STATUSES.includes(value.status as ReportStatus) &&
    isArrayOf(value.fields, LIMITS.fieldsPerResource, isFieldView) &&
    optional(value, 'reason', isText) &&
    optional(value, 'file', isFilePath) &&
    optional(value, 'line', isLine) &&
    isBool(value.approximate) &&
    isIntInRange(value.ignored, 0, Number.MAX_SAFE_INTEGER)
  );
}

function isOperatorRef(value: unknown): value is OperatorRef {
  return isPlainRecord(value) && hasExactKeys(value, ['kind', 'name']) && (value.kind === 'argocd' || value.kind === 'flux') && isName(value.name);
}

export function isReportViewModel(value: unknown): value is ReportViewModel {
  return (
    isPlainRecord(value) &&
    hasExactKeys(
      value,
      ['target', 'title', 'columns', 'environments', 'asOf', 'stale', 'approximate', 'counts', 'readOnly', 'canSync', 'problems', 'resources'],
      ['operatorManaged', 'fromSnapshot', 'live'],
    ) &&
    isReportTarget(value.target) &&
    isText(value.title) &&
    isPlainRecord(value.columns) &&
    hasExactKeys(value.columns, ['a', 'b']) &&
    isName(value.columns.a) &&
    isName(value.columns.b) &&
    isArrayOf(value.environments, LIMITS.environments, isName) &&
    isIsoTime(value.asOf) &&
    isBool(value.stale) &&
    isBool(value.approximate) &&
    isCountRecord(value.counts, REPORT_STATUSES) &&
    isBool(value.readOnly) &&
    isBool(value.canSync) &&
    optional(value, 'operatorManaged', isOperatorRef) &&
    optional(value, 'fromSnapshot', isBool) &&
    optional(value, 'live', (lines) => isArrayOf(lines, LIMITS.problems, isText)) &&
    isArrayOf(value.problems, LIMITS.problems, isText) &&
    isArrayOf(value.resources, LIMITS.resources, isResourceView)
  );
}

/** Validates a message from the host before the webview renders anything from it. */
export const isHostMessage = messageValidator<HostToWebview>({
  report: (m) => hasExactKeys(m, ['type', 'report']) && isReportViewModel(m.report),
  ...statusChecks(isText),
});
