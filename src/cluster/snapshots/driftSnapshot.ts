// A drift report worth keeping across a restart, and the check that a kept one still applies.
// Kept: per resource its status, drifted fields (pointer, path, values, source range), origin and
// reason, bounded in count and value size. Checked: every resource carries the hash of its desired
// object together with where that object is declared; after a restart the environment is rendered
// again and an entry whose hash differs is dropped — results for a manifest that changed since
// (or whose lines moved, so its hints would land on the wrong line) are worse than none.
import { objectId } from '../../core/drift/compare';
import { DRIFT_STATUSES, type DriftField, type DriftStatus, type EnvironmentDrift, type ResourceDrift } from '../../core/drift/driftTypes';
import { contentHash } from '../../core/drift/hash';
import { isMaskedValue } from '../../core/drift/secretMask';
import { resourceKey, type ResourceId, type SourceLocation, type SourceRange } from '../../core/model';
import { maskSecrets } from '../../core/secrets';
import type { DriftSnapshotSection } from './snapshotSchema';

/** One desired object as rendered (a RenderedObject fits). */
export interface DesiredSource {
  object: Record<string, unknown>;
  origin: { file: string; range?: SourceRange; patches?: SourceLocation[] };
  /** The plain-YAML document: its range moves when a line is added or removed inside it. */
  manifest?: { range: SourceRange };
}

/** Largest number of resources kept per environment (drifted, missing, extra and unknown ones first). */
export const DEFAULT_MAX_SNAPSHOT_RESOURCES = 2000;
/** Longest JSON text of one field value kept; longer ones become a clipped string (hints show 40 characters, hovers 1,200). */
export const DEFAULT_MAX_VALUE_CHARS = 2000;

function identity(id: Pick<ResourceId, 'group' | 'kind' | 'name'>): string {
  return `${id.group}/${id.kind}/${id.name}`;
}

/**
 * The hash of each desired object, looked up by the id a drift report gives it. Reports place
 * namespaced objects that declare no namespace in the environment's default one, so an object
 * without a namespace matches any namespace; one that declares it matches only that one.
 */
export class DesiredHashes {
  private readonly byIdentity = new Map<string, Array<{ namespace: string | null; hash: string }>>();
  /** Every desired object with where it is declared, in render order. */
  readonly declared: Array<{ id: ResourceId; origin: SourceLocation }> = [];

  /** `fileHashes`: hash of the text of each file, for objects without a parsed document (kustomize, helm): any edit of their source counts. */
  constructor(sources: readonly DesiredSource[], fileHashes: ReadonlyMap<string, string> = new Map()) {
    for (const source of sources) {
      const id = objectId(source.object);
      const where = source.manifest
        ? { file: source.origin.file, range: source.manifest.range }
        : { file: source.origin.file, range: source.origin.range ?? null, text: fileHashes.get(source.origin.file) ?? null };
      const patches = (source.origin.patches ?? []).map((p) => ({ file: p.file, text: fileHashes.get(p.file) ?? null }));
      const hash = contentHash({ object: source.object, where, patches }).slice(0, 32);
      const list = this.byIdentity.get(identity(id)) ?? [];
      list.push({ namespace: id.namespace, hash });
      this.declared.push({ id, origin: { file: source.origin.file, ...(source.origin.range ? { range: source.origin.range } : {}) } });
      this.byIdentity.set(identity(id), list);
    }
  }

  /** True when the report's resource matched an object Git declares without a namespace. */
  placedByReport(id: ResourceId): boolean {
    const candidates = this.byIdentity.get(identity(id)) ?? [];
    return id.namespace !== null && !candidates.some((c) => c.namespace === id.namespace) && candidates.some((c) => c.namespace === null);
  }

  /** The hash for a reported resource; '' when Git declares nothing that matches it. */
  of(id: ResourceId): string {
    const candidates = this.byIdentity.get(identity(id)) ?? [];
    const exact = candidates.filter((c) => c.namespace !== null && c.namespace === id.namespace);
    const matches = exact.length > 0 ? exact : candidates.filter((c) => c.namespace === null);
    if (matches.length === 0) return '';
    if (matches.length === 1) return matches[0].hash;
    // Duplicates: one hash over all of them, so a change to any of them counts.
    return contentHash(matches.map((m) => m.hash).sort()).slice(0, 32);
  }
}

/** Files referenced by desired objects that have no parsed document (their text is hashed too). */
export function filesNeedingTextHash(sources: readonly DesiredSource[]): string[] {
  const files = new Set<string>();
  for (const source of sources) {
    if (source.manifest) continue;
    files.add(source.origin.file);
    for (const patch of source.origin.patches ?? []) files.add(patch.file);
  }
  return [...files];
}

export interface DriftSnapshotPayload {
  drift: EnvironmentDrift;
  desiredHashes: Record<string, string>;
  truncated?: { kept: number; total: number };
}

export interface DriftSnapshotOptions {
  /** Files whose editor text (not yet saved) was compared: their resources are not kept. */
  excludeFiles?: ReadonlySet<string>;
  maxResources?: number;
  maxValueChars?: number;
}

function clampValue(value: unknown, max: number): unknown {
  if (value === undefined || isMaskedValue(value)) return value;
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  const json = JSON.stringify(value) ?? '';
  return json.length > max ? `${json.slice(0, max)}…` : value;
}

function clampField(field: DriftField, max: number): DriftField {
  const copy: DriftField = { ...field };
  if ('desired' in field) copy.desired = clampValue(field.desired, max);
  if ('live' in field) copy.live = clampValue(field.live, max);
  return copy;
}

function clampResource(resource: ResourceDrift, max: number): ResourceDrift {
  const copy: ResourceDrift = { ...resource, fields: resource.fields.map((f) => clampField(f, max)) };
  // Reasons come from cluster answers: a credential in one must not reach the disk.
  if (resource.reason !== undefined) copy.reason = maskSecrets(resource.reason).slice(0, 500);
  if (resource.problems) copy.problems = resource.problems.map((problem) => ({ ...problem, message: maskSecrets(problem.message).slice(0, 500) }));
  return copy;
}

function subtract(counts: Partial<Record<DriftStatus, number>>, removed: readonly ResourceDrift[]): Record<DriftStatus, number> {
  // A snapshot written before a status existed (Invalid) has no count for it: zero.
  const next = Object.fromEntries(DRIFT_STATUSES.map((status) => [status, counts[status] ?? 0])) as Record<DriftStatus, number>;
  for (const r of removed) next[r.status] = Math.max(0, next[r.status] - 1);
  return next;
}

/**
 * What to store of a report: resources of edited files left out, at most `maxResources` kept
 * (everything that is not in sync first, then in-sync ones, in report order), long values clipped.
 * Counts keep the resources the bound dropped (the tree's summary stays right) but not the
 * excluded ones.
 */
export function toDriftSnapshot(drift: EnvironmentDrift, hashes: DesiredHashes, options: DriftSnapshotOptions = {}): DriftSnapshotPayload {
  const exclude = options.excludeFiles ?? new Set<string>();
  const max = options.maxResources ?? DEFAULT_MAX_SNAPSHOT_RESOURCES;
  const maxValue = options.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  const excluded = drift.resources.filter((r) => r.origin?.file !== undefined && exclude.has(r.origin.file));
  const eligible = drift.resources.filter((r) => !excluded.includes(r));
  let kept = eligible;
  let truncated: DriftSnapshotPayload['truncated'];
  if (eligible.length > max) {
    const chosen = new Set([...eligible.filter((r) => r.status !== 'InSync'), ...eligible.filter((r) => r.status === 'InSync')].slice(0, max));
    kept = eligible.filter((r) => chosen.has(r));
    truncated = { kept: kept.length, total: eligible.length };
  }
  const resources = kept.map((r) => clampResource(r, maxValue));
  const payload: DriftSnapshotPayload = {
    drift: { ...drift, resources, counts: subtract(drift.counts, excluded), problems: drift.problems.map((p) => maskSecrets(p)) },
    desiredHashes: Object.fromEntries(resources.map((r) => [r.key, hashes.of(r.id)])),
  };
  if (truncated) payload.truncated = truncated;
  return payload;
}

export interface RestoredDrift {
  drift: EnvironmentDrift;
  /** Entries dropped because their desired object (or its place in the file) changed since. */
  dropped: number;
}

/** Why an object Git declares has no entry in a restored snapshot. */
export const NOT_IN_SNAPSHOT_REASON = 'changed or added in Git after the last-known snapshot; compared again when the cluster answers';

/**
 * The stored report, minus every entry whose desired object changed since it was stored (or that
 * Git declares now but did not then, for an Extra); objects Git declares that no kept entry
 * covers (changed or new since) are listed as Unknown with the reason, so nothing Git has goes
 * missing from the views. Null when no stored entry is left.
 */
export function restoreDriftSnapshot(section: DriftSnapshotSection, hashes: DesiredHashes): RestoredDrift | null {
  const kept: ResourceDrift[] = [];
  const removed: ResourceDrift[] = [];
  for (const resource of section.data.resources) {
    const stored = section.desiredHashes[resource.key];
    if (stored !== undefined && stored === hashes.of(resource.id)) kept.push(resource);
    else removed.push(resource);
  }
  if (kept.length === 0) return null;
  const counts = subtract(section.data.counts, removed);
  const covered = new Set(kept.filter((r) => r.status !== 'Extra').map((r) => `${identity(r.id)}|${r.id.namespace ?? ''}`));
  const coveredAnywhere = new Set(kept.filter((r) => r.status !== 'Extra').map((r) => identity(r.id)));
  // Objects without a namespace go where the report put their like: its default namespace, for kinds it showed namespaced.
  const namespacedKinds = new Set(kept.filter((r) => r.id.namespace !== null).map((r) => `${r.id.group}/${r.id.kind}`));
  const defaultNamespace = kept.find((r) => hashes.placedByReport(r.id))?.id.namespace ?? null;
  const unknown: ResourceDrift[] = [];
  for (const declared of hashes.declared) {
    const origin = declared.origin;
    const id = declared.id.namespace === null && defaultNamespace !== null && namespacedKinds.has(`${declared.id.group}/${declared.id.kind}`) ? { ...declared.id, namespace: defaultNamespace } : declared.id;
    const isCovered = id.namespace === null ? coveredAnywhere.has(identity(id)) : covered.has(`${identity(id)}|${id.namespace}`);
    if (isCovered) continue;
    unknown.push({ id, key: resourceKey(id), status: 'Unknown', fields: [], mode: section.data.mode, approximate: false, ignored: 0, reason: NOT_IN_SNAPSHOT_REASON, origin });
    counts.Unknown++;
  }
  return { drift: { ...section.data, resources: [...kept, ...unknown], counts }, dropped: removed.length };
}
