// Turns the drift engine's result into the serializable model the report webview renders. Pure (no
// `vscode`), so it is tested in plain Node. It is also the last gate before data leaves the
// extension host: a Secret value the engine failed to mask is masked here, free text goes through
// `maskSecrets`, and every string is clamped to the protocol's limits so the webview's validator
// never has to reject a whole report because of one odd field.
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { objectId } from '../../core/drift/compare';
import type { DriftField, DriftStatus, EnvironmentDrift, KubeObject, ResourceDrift } from '../../core/drift/driftTypes';
import { shortSecretHash, stableStringify } from '../../core/drift/hash';
import { parsePointer } from '../../core/drift/jsonPointer';
import { holdsSecretValue, isMaskedValue } from '../../core/drift/secretMask';
import { resourceKey } from '../../core/model';
import { maskSecrets } from '../../core/secrets';
import {
  LIMITS,
  REPORT_STATUSES,
  type FieldView,
  type OperatorRef,
  type ReportTarget,
  type ReportViewModel,
  type ResourceView,
  type ValueView,
} from '../../../webview-ui/protocol';

/** Longest value text sent for one side of a field; the diff editor shows the whole value. */
export const VALUE_TEXT_LIMIT = 4000;

export interface ReportMeta {
  target: ReportTarget;
  /** Default: "Drift · <env>" or "<from> vs <to>". */
  title?: string;
  /** Every environment in promotion order (choices for "Compare with…"). */
  environments: readonly string[];
  /** When the live side was read. */
  asOf: Date | string;
  stale?: boolean;
  /** The drift is the last-known snapshot from an earlier session. */
  fromSnapshot?: boolean;
  readOnly?: boolean;
  canSync?: boolean;
  operatorManaged?: OperatorRef;
  /** Default: Git / Live for drift, the two environment names for a comparison. */
  columns?: { a: string; b: string };
  /**
   * Salt for hashing a Secret value the engine left unmasked (pass the engine's salt so both
   * hashes agree). Default: a random salt per extension-host process, so a short hash of a weak
   * password cannot be looked up in a precomputed table.
   */
  secretHashSalt?: string;
  /** A change's impact: what applying its head would do in the cluster, one line each. */
  live?: readonly string[];
}

let processSalt: string | undefined;
function defaultSalt(): string {
  processSalt ??= randomBytes(16).toString('hex');
  return processSalt;
}

function clamp(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Strings YAML (and a reader) would take for another type are quoted; the rest are shown raw. */
const AMBIGUOUS_STRING = /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*)?\.?\d+(?:e[-+]?\d+)?|0x[0-9a-f]+|\.inf|\.nan)$/i;

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value === '' || AMBIGUOUS_STRING.test(value) || value.trim() !== value ? JSON.stringify(value) : value;
  if (value === null) return 'null';
  if (typeof value === 'object') {
    if (Array.isArray(value) && value.length === 0) return '[]';
    if (!Array.isArray(value) && Object.keys(value).length === 0) return '{}';
    return stringify(value).trimEnd();
  }
  return String(value);
}

function textView(value: unknown): ValueView {
  const text = formatValue(value);
  return text.length <= VALUE_TEXT_LIMIT ? { kind: 'text', text, truncated: false } : { kind: 'text', text: text.slice(0, VALUE_TEXT_LIMIT), truncated: true };
}

function valueView(value: unknown, secret: boolean, salt: string): ValueView {
  if (value === undefined) return { kind: 'absent' };
  if (isMaskedValue(value)) {
    const hash: unknown = (value as { hash?: unknown }).hash;
    // A hash that is not short hex could be anything (even the value): hash it again.
    return { kind: 'masked', hash: typeof hash === 'string' && /^[0-9a-f]{1,64}$/.test(hash) ? hash : shortSecretHash(stableStringify(value), salt) };
  }
  return secret ? { kind: 'masked', hash: shortSecretHash(value, salt) } : textView(value);
}

/** True when a field of this resource can hold Secret material; an unparsable pointer counts as yes. */
function isSecretField(resource: ResourceDrift, field: DriftField): boolean {
  if (resource.id.kind !== 'Secret' || resource.id.group !== '') return false;
  for (const pointer of [field.pointer, field.livePointer]) {
    if (pointer === undefined) continue;
    try {
      if (holdsSecretValue('Secret', parsePointer(pointer))) return true;
    } catch {
      return true;
    }
  }
  return false;
}

function fieldView(resource: ResourceDrift, field: DriftField, salt: string): FieldView | undefined {
  // Unreachable for real objects; a pointer past the limit would make the webview reject the report.
  if (field.pointer.length > LIMITS.pointer) return undefined;
  const secret = isSecretField(resource, field);
  const view: FieldView = {
    pointer: field.pointer,
    path: clamp(field.path, LIMITS.pointer),
    change: field.change,
    a: valueView(field.desired, secret, salt),
    b: valueView(field.live, secret, salt),
  };
  // The row opens the line that sets the value: in an overlay's file when blame names one.
  const setIn = field.source?.location.file;
  const line = setIn === undefined ? field.range?.start.line : field.source?.location.range?.start.line;
  if (line !== undefined && line >= 1 && line <= LIMITS.line) {
    view.line = line;
    if (setIn !== undefined && setIn !== resource.origin?.file && setIn !== '' && setIn.length <= LIMITS.file && !setIn.includes('\u0000')) view.file = setIn;
  }
  if (field.manager !== undefined) view.manager = clamp(maskSecrets(field.manager), LIMITS.text);
  if (field.changedAt !== undefined) view.changedAt = clamp(field.changedAt, LIMITS.text);
  return view;
}

function resourceView(resource: ResourceDrift, salt: string, comparing: boolean): ResourceView {
  const { id } = resource;
  const view: ResourceView = {
    key: clamp(resource.key, LIMITS.key),
    group: clamp(id.group, LIMITS.name),
    version: clamp(id.version, LIMITS.name),
    kind: clamp(id.kind, LIMITS.name),
    namespace: clamp(id.namespace ?? '', LIMITS.name),
    name: clamp(id.name, LIMITS.name),
    status: resource.status,
    fields: resource.fields
      .slice(0, LIMITS.fieldsPerResource)
      .map((f) => fieldView(resource, f, salt))
      .filter((f): f is FieldView => f !== undefined),
    // Two renders compared: no server is involved, so "without a server dry-run" does not apply.
    approximate: resource.approximate && !comparing,
    ignored: resource.ignored,
  };
  const reason = resource.status === 'Invalid' ? invalidText(resource) : resource.reason;
  if (reason !== undefined) view.reason = clamp(maskSecrets(reason), LIMITS.text);
  const origin = resource.origin;
  if (origin && origin.file !== '' && origin.file.length <= LIMITS.file && !origin.file.includes('\u0000')) {
    view.file = origin.file;
    const line = origin.range?.start.line;
    if (line !== undefined && line >= 1 && line <= LIMITS.line) view.line = line;
  }
  return view;
}

/** An Invalid resource's reason followed by each refused field, `line N: path: message`, one per line. */
function invalidText(resource: ResourceDrift): string {
  const lines = [resource.reason ?? 'The API server would refuse it'];
  for (const problem of resource.problems ?? []) {
    const line = problem.source?.location.range?.start.line ?? problem.range?.start.line;
    const where = problem.source ? `${problem.source.location.file}${line !== undefined ? `:${line}` : ''}: ` : line !== undefined ? `line ${line}: ` : '';
    lines.push(`${where}${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  }
  return lines.join('\n');
}

function isoTime(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

function defaultTitle(target: ReportTarget): string {
  switch (target.kind) {
    case 'drift':
      return `Drift · ${target.environment}`;
    case 'compare':
      return `${target.from} vs ${target.to}`;
    case 'preview':
      return `Impact on ${target.environment} · ${shortCommit(target.base)} ← ${shortCommit(target.head)}`;
  }
}

/** A full commit id as its first 8 characters (the tab title's form); a ref name as it is. */
function shortCommit(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 8) : ref;
}

function defaultColumns(target: ReportTarget): { a: string; b: string } {
  switch (target.kind) {
    case 'drift':
      return { a: 'Git', b: 'Live' };
    case 'compare':
      return { a: target.from, b: target.to };
    case 'preview':
      return { a: 'After', b: 'Before' };
  }
}

export function toReportViewModel(drift: EnvironmentDrift, meta: ReportMeta): ReportViewModel {
  const salt = meta.secretHashSalt ?? defaultSalt();
  const { target } = meta;
  // Two renders compared (two environments, or one at a change's base and head): no live side.
  const comparing = target.kind !== 'drift';
  const resources = drift.resources.slice(0, LIMITS.resources).map((r) => resourceView(r, salt, comparing));
  // Counted from what is sent, so the header always agrees with the list.
  const counts = Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0])) as Record<DriftStatus, number>;
  for (const r of resources) counts[r.status]++;
  const columns = meta.columns ?? defaultColumns(target);
  const model: ReportViewModel = {
    target,
    title: clamp(meta.title ?? defaultTitle(target), LIMITS.text),
    columns: { a: clamp(columns.a, LIMITS.name), b: clamp(columns.b, LIMITS.name) },
    environments: meta.environments.filter((e) => e !== '' && e.length <= LIMITS.name).slice(0, LIMITS.environments),
    asOf: isoTime(meta.asOf),
    stale: meta.stale ?? false,
    ...(meta.fromSnapshot && !comparing ? { fromSnapshot: true } : {}),
    approximate: !comparing && (drift.approximate || resources.some((r) => r.approximate)),
    counts,
    // A comparison of two renders has nothing to write back.
    readOnly: comparing || (meta.readOnly ?? false),
    canSync: !comparing && !(meta.readOnly ?? false) && (meta.canSync ?? false),
    problems: drift.problems.slice(0, LIMITS.problems).map((p) => clamp(maskSecrets(p), LIMITS.text)),
    resources,
  };
  if (target.kind === 'preview' && meta.live) model.live = meta.live.slice(0, LIMITS.problems).map((line) => clamp(maskSecrets(line), LIMITS.text));
  if (meta.operatorManaged && !comparing) model.operatorManaged = { kind: meta.operatorManaged.kind, name: clamp(meta.operatorManaged.name, LIMITS.name) };
  return model;
}

/**
 * A rendered object as an environment comparison sees it: without its namespace, since each
 * environment deploys into a namespace of its own and the comparison pairs objects by kind and name.
 */
export function withoutNamespace(object: KubeObject): KubeObject {
  const metadata = typeof object.metadata === 'object' && object.metadata !== null ? { ...(object.metadata as Record<string, unknown>) } : {};
  delete metadata.namespace;
  return { ...object, metadata };
}

/** The object of one side's render that a comparison row (`key`, namespace left out) stands for. */
export function comparedObject(objects: readonly KubeObject[], key: string): KubeObject | undefined {
  return objects.find((object) => resourceKey(objectId(withoutNamespace(object))) === key);
}
