// The pure decisions of a sync: in which order objects go to the cluster, what each apply did,
// which live members a prune deletes, and the one health word an environment reports.
import { objectId } from '../drift/compare';
import type { KubeObject } from '../drift/driftTypes';
import { contentHash } from '../drift/hash';
import type { HealthResult, HealthStatus } from '../health/healthStatus';
import { resourceKey, type ResourceId } from '../model';
import { isMemberOf } from './applySet';

/**
 * Namespaces first (everything else lives in them), CustomResourceDefinitions second (their
 * custom resources cannot be applied before the API server serves them), then everything else.
 */
export function syncPhase(object: KubeObject): 0 | 1 | 2 {
  if (object.apiVersion === 'v1' && object.kind === 'Namespace') return 0;
  if (object.kind === 'CustomResourceDefinition' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('apiextensions.k8s.io/')) return 1;
  return 2;
}

/** Objects grouped by phase, in phase order; empty phases left out. Order inside a phase is kept. */
export function phasesOf<T extends { object: KubeObject }>(items: readonly T[]): T[][] {
  const phases: T[][] = [[], [], []];
  for (const item of items) phases[syncPhase(item.object)].push(item);
  return phases.filter((phase) => phase.length > 0);
}

export type AppliedAction = 'created' | 'configured' | 'unchanged';

/**
 * What one apply did, from the object before (absent: it did not exist) and the server's answer:
 * a write that changed nothing keeps the resourceVersion, as the API server does for a no-op.
 */
export function appliedAction(before: KubeObject | undefined, after: KubeObject): AppliedAction {
  if (!before) return 'created';
  return resourceVersionOf(before) === resourceVersionOf(after) ? 'unchanged' : 'configured';
}

function resourceVersionOf(object: KubeObject): string | undefined {
  const version = (object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof version === 'string' ? version : undefined;
}

/** Server-owned bookkeeping that a dry-run changes even when the object's content does not. */
const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid'];

function withoutVolatile(object: KubeObject): KubeObject {
  const metadata = { ...((object.metadata ?? {}) as Record<string, unknown>) };
  for (const key of VOLATILE_METADATA) delete metadata[key];
  return { ...object, metadata };
}

function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${stable(record[key])}`)
    .join(',')}}`;
}

/** A dry-run's verdict: the predicted object against live, bookkeeping aside. */
export function dryRunAction(before: KubeObject | undefined, predicted: KubeObject): AppliedAction {
  if (!before) return 'created';
  return stable(withoutVolatile(before)) === stable(withoutVolatile(predicted)) ? 'unchanged' : 'configured';
}

/**
 * Live objects a prune deletes: members of set `id` (by their label, never by name alone) that Git
 * no longer declares. Reverse phase order: workloads before the CRDs and namespaces that hold them.
 */
export function pruneCandidates(live: readonly KubeObject[], desiredKeys: ReadonlySet<string>, id: string): KubeObject[] {
  const out = live.filter((object) => isMemberOf(object, id) && !desiredKeys.has(resourceKey(objectId(object))));
  return out.sort((a, b) => syncPhase(b) - syncPhase(a));
}

/** The environment's health word, in the contract's five values. */
export type SyncHealth = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Unknown';

/**
 * Argo CD's roll-up, then narrowed to the contract: Suspended (a paused rollout) is not done, so
 * it reads as Progressing — a pipeline waiting on it must not pass.
 */
export function syncHealthOf(rolledUp: HealthStatus): SyncHealth {
  return rolledUp === 'Suspended' ? 'Progressing' : rolledUp;
}

export interface ObjectHealth {
  id: ResourceId;
  health: HealthResult | null;
}

/**
 * The objects whose own health is Suspended (a paused Deployment, a suspended Job or CronJob).
 * The contract's one word says Progressing for them; this says which, so a pipeline (and the
 * person reading its log) can tell "paused: resume it" from "still rolling out".
 */
export function suspendedObjects(objects: readonly ObjectHealth[]): ResourceId[] {
  return objects.filter((o) => o.health?.status === 'Suspended').map((o) => o.id);
}

/** One progress line: how many are healthy (and suspended) and the first that is not, with the rule's words. */
export function progressLine(objects: readonly ObjectHealth[], elapsedSeconds: number): string {
  const assessed = objects.filter((o) => o.health !== null);
  const waiting = assessed.filter((o) => o.health?.status !== 'Healthy');
  const suspended = suspendedObjects(assessed).length;
  const head = `${assessed.length - waiting.length}/${assessed.length} healthy${suspended > 0 ? `, ${suspended} suspended` : ''} after ${Math.round(elapsedSeconds)}s`;
  if (waiting.length === 0) return head;
  const first = waiting[0];
  const where = `${first.id.kind} ${first.id.namespace ? `${first.id.namespace}/` : ''}${first.id.name}`;
  return `${head}; waiting on ${where}: ${first.health?.status}${first.health?.message ? ` (${first.health.message})` : ''}${waiting.length > 1 ? ` and ${waiting.length - 1} more` : ''}`;
}

/** The hash of a body as sent: recorded on the parent per member, compared with Git's on the next sync. */
export function bodyHash(object: KubeObject): string {
  return contentHash(object).slice(0, 24);
}

/**
 * Our field manager's set of owned fields (its Apply entry's FieldsV1), hashed. Anyone who changes
 * or removes a field we own takes it out of this set (server-side apply moves ownership to the
 * writer), so an unchanged hash means every field we applied still holds our value.
 */
export function ownedFieldsFingerprint(object: KubeObject, manager: string): string | null {
  const entries = (object.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  if (!Array.isArray(entries)) return null;
  const ours = entries.find((entry) => {
    const e = entry as { manager?: unknown; operation?: unknown; subresource?: unknown };
    return e.manager === manager && e.operation === 'Apply' && (e.subresource === undefined || e.subresource === '');
  }) as { fieldsV1?: unknown } | undefined;
  return ours?.fieldsV1 === undefined ? null : contentHash(ours.fieldsV1).slice(0, 16);
}

/** What the parent records per member after applying it: `<body hash>:<owned-fields fingerprint>`. */
export function memberRecord(hash: string, fingerprint: string): string {
  return `${hash}:${fingerprint}`;
}

/**
 * True when applying the body of `hash` again would change nothing: it is the body last applied
 * (per the parent's record), and our owned fields are exactly those recorded right after that
 * apply (nobody has taken or changed one since). Anything else is sent — the server decides.
 */
export function applyUnneeded(live: KubeObject | undefined, hash: string, record: string | undefined, manager: string): boolean {
  if (!live || record === undefined) return false;
  const fingerprint = ownedFieldsFingerprint(live, manager);
  return fingerprint !== null && record === memberRecord(hash, fingerprint);
}

/** True when `manager` holds an Apply entry on the live object (the membership label's co-owner). */
export function hasApplyEntry(object: KubeObject, manager: string): boolean {
  return ownedFieldsFingerprint(object, manager) !== null;
}

/** Objects the cluster puts in every namespace by itself: not someone else's work. */
const NAMESPACE_DEFAULTS = new Set(['/ConfigMap/kube-root-ca.crt', '/ServiceAccount/default']);

/**
 * Deleting a Namespace deletes everything in it. A Namespace a prune would delete is kept when it
 * holds a live object that is not itself being pruned — someone else's, or one Git still declares
 * there (of the kinds listed; the namespace's own defaults aside). Returns those namespaces, each
 * with one such object, to say why.
 */
export function namespacesHoldingOthers(candidates: readonly KubeObject[], live: readonly KubeObject[]): Map<string, string> {
  const doomed = new Set(candidates.filter((o) => syncPhase(o) === 0).map((o) => objectId(o).name));
  const pruned = new Set(candidates.map((o) => resourceKey(objectId(o))));
  const out = new Map<string, string>();
  for (const object of live) {
    const ref = objectId(object);
    if (ref.namespace === null || !doomed.has(ref.namespace) || out.has(ref.namespace) || pruned.has(resourceKey(ref))) continue;
    if (NAMESPACE_DEFAULTS.has(`${ref.group}/${ref.kind}/${ref.name}`)) continue;
    out.set(ref.namespace, `${ref.kind} ${ref.namespace}/${ref.name}`);
  }
  return out;
}
