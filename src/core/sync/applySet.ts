// The Kubernetes ApplySet conventions (KEP-3659), which kubectl's `apply --prune --applyset`
// follows too: one parent object per environment records which group-kinds and namespaces hold
// members, and every member carries a label naming the parent's id. Other tools read the same
// labels, so an environment synced here is recognisable as a set, and pruning never reaches an
// object that does not carry our id.
import type { KubeObject } from '../drift/driftTypes';
import { sha256Hex } from '../drift/hash';
import { splitApiVersion } from '../model';

export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
/** The Git commit last applied to the environment. */
export const REVISION_ANNOTATION = 'gitops-environments.io/revision';
/** The last Git commit whose sync ended healthy: what `--on-failure rollback` goes back to. */
export const HEALTHY_REVISION_ANNOTATION = 'gitops-environments.io/healthy-revision';
/**
 * The repository an environment's set is synced from (its first commit): two repositories with an
 * environment of the same name and namespace would otherwise share one set and prune each other's
 * objects.
 */
export const SOURCE_ANNOTATION = 'gitops-environments.io/source';
/** The tooling value: `<tool>/<version>`, as the KEP asks. */
export const APPLYSET_TOOLING = 'gitops-env/v0.1.0';

export interface ApplySetParentRef {
  name: string;
  namespace: string;
}

/**
 * The parent of an environment's set: a Secret (kubectl's default parent kind, readable by
 * `kubectl apply --applyset=secret/<name>`) named after the environment. Names that are not valid
 * object names are folded to lower case and dashes.
 */
export function applySetParentRef(environment: string, namespace: string): ApplySetParentRef {
  const safe = environment.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'environment';
  // Cut to the 253 characters of a DNS subdomain, then trimmed again: a cut may end on a dash.
  return { name: `gitops-env-${safe}`.slice(0, 253).replace(/-+$/, ''), namespace };
}

/**
 * The id the KEP defines: `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`,
 * with URL-safe base64 and no padding — the same value kubectl computes for the same parent.
 */
export function applySetId(parent: ApplySetParentRef, kind = 'Secret', group = ''): string {
  return `applyset-${base64UrlOfHex(sha256Hex([parent.name, parent.namespace, kind, group].join('.')))}-v1`;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** RFC 4648 §5 base64url without padding, of the bytes a hex string spells (the core has no Buffer). */
export function base64UrlOfHex(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += BASE64URL[(chunk >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** `Kind.group`, or `Kind` for the core group: the KEP's spelling in contains-group-kinds. */
export function groupKindOf(object: KubeObject): string {
  const { group } = splitApiVersion(typeof object.apiVersion === 'string' ? object.apiVersion : '');
  const kind = typeof object.kind === 'string' ? object.kind : '';
  return group ? `${kind}.${group}` : kind;
}

/** Splits a `Kind.group` entry back into kind and group. */
export function parseGroupKind(entry: string): { kind: string; group: string } {
  const dot = entry.indexOf('.');
  return dot < 0 ? { kind: entry, group: '' } : { kind: entry.slice(0, dot), group: entry.slice(dot + 1) };
}

/** A comma-separated annotation as a sorted, de-duplicated list (empty entries dropped). */
export function parseList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...new Set(value.split(',').map((part) => part.trim()).filter(Boolean))].sort();
}

export interface ApplySetState {
  groupKinds: string[];
  namespaces: string[];
  revision: string | null;
  healthyRevision: string | null;
  /** The parent exists but another tool (a different tooling value) owns it. */
  foreignTooling: string | null;
  /** The repository that last synced the set (SOURCE_ANNOTATION); null for a set written before it was recorded. */
  source: string | null;
}

/** What a live parent says; an absent parent is an empty set. */
export function readApplySetParent(parent: KubeObject | undefined): ApplySetState {
  const metadata = (parent?.metadata ?? {}) as { annotations?: Record<string, string> };
  const annotations = metadata.annotations ?? {};
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  return {
    groupKinds: parseList(annotations[APPLYSET_GROUP_KINDS_ANNOTATION]),
    namespaces: parseList(annotations[APPLYSET_NAMESPACES_ANNOTATION]),
    revision: annotations[REVISION_ANNOTATION] ?? null,
    healthyRevision: annotations[HEALTHY_REVISION_ANNOTATION] ?? null,
    foreignTooling: tooling !== undefined && tooling.split('/')[0] !== APPLYSET_TOOLING.split('/')[0] ? tooling : null,
    source: annotations[SOURCE_ANNOTATION] ?? null,
  };
}

export interface ParentContent {
  groupKinds: readonly string[];
  /** Namespaces holding members, the parent's own included (it is left out of the annotation). */
  namespaces: readonly string[];
  revision: string | null;
  healthyRevision: string | null;
  /** Secret data to keep on the parent (values already base64), e.g. the members' owned-field fingerprints. */
  data?: Record<string, string>;
  /** The repository the set is synced from (SOURCE_ANNOTATION). */
  source?: string | null;
}

/** The parent Secret to apply: id label, tooling, group-kinds, other namespaces, revisions. No data. */
export function applySetParentObject(parent: ApplySetParentRef, content: ParentContent): KubeObject {
  const annotations: Record<string, string> = {
    [APPLYSET_TOOLING_ANNOTATION]: APPLYSET_TOOLING,
    [APPLYSET_GROUP_KINDS_ANNOTATION]: [...new Set(content.groupKinds)].sort().join(','),
    [APPLYSET_NAMESPACES_ANNOTATION]: [...new Set(content.namespaces)].filter((ns) => ns !== parent.namespace).sort().join(','),
  };
  if (content.revision) annotations[REVISION_ANNOTATION] = content.revision;
  if (content.healthyRevision) annotations[HEALTHY_REVISION_ANNOTATION] = content.healthyRevision;
  if (content.source) annotations[SOURCE_ANNOTATION] = content.source;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: parent.name, namespace: parent.namespace, labels: { [APPLYSET_ID_LABEL]: applySetId(parent) }, annotations },
    type: 'Opaque',
    ...(content.data && Object.keys(content.data).length > 0 ? { data: content.data } : {}),
  };
}

/** A copy of `object` labelled as a member of set `id` (the input is not touched). */
export function withMembership(object: KubeObject, id: string): KubeObject {
  const metadata = (typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {}) as Record<string, unknown>;
  const labels = typeof metadata.labels === 'object' && metadata.labels !== null ? (metadata.labels as Record<string, string>) : {};
  return { ...object, metadata: { ...metadata, labels: { ...labels, [APPLYSET_PART_OF_LABEL]: id } } };
}

/** True when a live object carries set `id`'s membership label: the only objects a prune may delete. */
export function isMemberOf(object: KubeObject, id: string): boolean {
  const labels = (object.metadata as { labels?: Record<string, unknown> } | undefined)?.labels;
  return labels?.[APPLYSET_PART_OF_LABEL] === id;
}

/**
 * Git's object with the ApplySet label the live object carries, when Git's has none: what a drift
 * dry-run or a single-object sync under our field manager should send, so that an apply of one
 * object keeps it in its environment's set (without it, server-side apply drops a label that
 * manager owned alone). Git's own value, if it sets the label, wins; nothing else is copied.
 */
export function keepMembership(desired: KubeObject, live: KubeObject | undefined): KubeObject {
  const liveLabel = (live?.metadata as { labels?: Record<string, unknown> } | undefined)?.labels?.[APPLYSET_PART_OF_LABEL];
  if (typeof liveLabel !== 'string' || liveLabel === '') return desired;
  const desiredLabels = (desired.metadata as { labels?: Record<string, unknown> } | undefined)?.labels;
  if (desiredLabels !== undefined && desiredLabels !== null && APPLYSET_PART_OF_LABEL in desiredLabels) return desired;
  return withMembership(desired, liveLabel);
}
