// A change's impact on one environment (what `gitops-env preview` says about it) in the report
// webview's shape. Pure (no `vscode`), so it is tested in plain Node. The objects and fields are
// exactly the CLI's (`diffObjectSets`, Secrets already masked), laid out as the report lays out
// a comparison: column A is the render at head ("After"), column B the render at base ("Before"),
// so an added object is "only in A" (Added) and a removed one "only in B" (Removed). Files link to
// the head's version of the file, the only side the change leaves behind.
import type { ReportTarget, ReportViewModel } from '../../../webview-ui/protocol';
import type { DriftField, EnvironmentDrift, ResourceDrift } from '../../core/drift/driftTypes';
import { resourceKey, splitApiVersion, type ResourceId } from '../../core/model';
import type { FieldChange, ObjectChangeReport } from '../../core/preview/objectDiff';
import type { EnvironmentPreview, LiveChange } from '../../core/preview/previewReport';
import type { RenderedObject } from '../../render/renderEnvironment';
import { formatValue, toReportViewModel } from '../webview/reportViewModel';

export type PreviewTarget = Extract<ReportTarget, { kind: 'preview' }>;

const STATUS_OF_CHANGE = { added: 'Missing', modified: 'Drifted', removed: 'Extra' } as const;

function idOf(object: Pick<ObjectChangeReport, 'apiVersion' | 'kind' | 'namespace' | 'name'>): ResourceId {
  const { group, version } = splitApiVersion(object.apiVersion);
  return { group, version, kind: object.kind, namespace: object.namespace, name: object.name };
}

/** A field of the change as a report field: after in column A, before in column B (null = the field is absent on that side). */
function fieldOf(field: FieldChange): DriftField {
  const before = field.before === null || field.before === undefined ? undefined : field.before;
  const after = field.after === null || field.after === undefined ? undefined : field.after;
  // No pointer: a change's impact writes nothing back (accept-live never applies to it).
  const drift: DriftField = { pointer: '', path: field.path, change: after === undefined ? 'notInGit' : before === undefined ? 'notInLive' : 'changed' };
  if (after !== undefined) drift.desired = after;
  if (before !== undefined) drift.live = before;
  return drift;
}

function resourceOf(object: ObjectChangeReport, headOrigin: Map<string, RenderedObject['origin']>): ResourceDrift {
  const id = idOf(object);
  const key = resourceKey(id);
  const resource: ResourceDrift = { id, key, status: STATUS_OF_CHANGE[object.change], fields: object.fields.map(fieldOf), mode: 'local', approximate: false, ignored: 0 };
  const origin = object.change === 'removed' ? undefined : headOrigin.get(key);
  if (origin && origin.file !== '') resource.origin = { file: origin.file, ...(origin.range ? { range: origin.range } : {}) };
  return resource;
}

function where(change: Pick<LiveChange, 'kind' | 'namespace' | 'name'>): string {
  return `${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name}`;
}

function shownValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = formatValue(value).replace(/\s*\n\s*/g, ' ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** What applying the head would do live, one readable line per object (drift it would overwrite called out). */
export function liveImpactLines(cluster: EnvironmentPreview['cluster']): string[] {
  if (cluster.status === 'none') return [`Not checked against a cluster${cluster.message ? `: ${cluster.message}` : ''}.`];
  if (cluster.status === 'unreachable') return [`The cluster could not be reached${cluster.message ? `: ${cluster.message}` : ''}.`];
  if (cluster.objects.length === 0) return ['Applying the change would change nothing live.'];
  return cluster.objects.map((change) => {
    if (change.change === 'refused') return `${where(change)}: the server refuses it — ${change.error ?? 'no reason given'}`;
    if (change.change !== 'modified') return `${where(change)}: would be ${change.change === 'added' ? 'created' : 'deleted (sync --prune)'}`;
    const fields = change.fields.map((f) => `${f.path} ${shownValue(f.before)} → ${shownValue(f.after)}${f.drift ? ' (overwrites live drift)' : ''}`);
    return `${where(change)}: ${fields.join('; ') || 'changed'}`;
  });
}

export interface PreviewModelInput {
  target: PreviewTarget;
  preview: EnvironmentPreview;
  /** The head render, for the file and line that declare each object. */
  head: readonly RenderedObject[];
  /** Every environment of the folder, in promotion order. */
  environments: readonly string[];
  asOf: Date;
}

export function previewReportModel(input: PreviewModelInput): ReportViewModel {
  const headOrigin = new Map(input.head.map((o) => [resourceKey(o.id), o.origin] as const));
  const resources = input.preview.objects.map((object) => resourceOf(object, headOrigin));
  // A change only adds, modifies or removes (the report recounts what it sends anyway).
  const counts = { InSync: 0, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0 } as EnvironmentDrift['counts'];
  for (const resource of resources) counts[resource.status] = (counts[resource.status] ?? 0) + 1;
  const drift: EnvironmentDrift = { mode: 'local', approximate: false, resources, counts, problems: input.preview.problems };
  return toReportViewModel(drift, { target: input.target, environments: input.environments, asOf: input.asOf, readOnly: true, live: liveImpactLines(input.preview.cluster) });
}
