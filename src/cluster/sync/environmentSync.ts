// `gitops-env sync` against one cluster: server-side apply of an environment's rendered objects
// under our field manager, as one ApplySet (KEP-3659). Namespaces go first, then the set's parent
// (listing every group-kind and namespace that may hold members before any member exists, as the
// KEP asks), then CRDs — waited on until Established — then everything else, in parallel. A prune
// deletes only live objects labelled with this set's id that Git no longer declares.
import { objectId } from '../../core/drift/compare';
import type { KubeObject } from '../../core/drift/driftTypes';
import { resourceKey, splitApiVersion, type ResourceId } from '../../core/model';
import {
  APPLYSET_PART_OF_LABEL,
  applySetId,
  applySetParentObject,
  applySetParentRef,
  groupKindOf,
  parseGroupKind,
  readApplySetParent,
  withMembership,
  type ApplySetParentRef,
  type ApplySetState,
} from '../../core/sync/applySet';
import {
  appliedAction,
  applyUnneeded,
  bodyHash,
  dryRunAction,
  hasApplyEntry,
  memberRecord,
  namespacesHoldingOthers,
  ownedFieldsFingerprint,
  phasesOf,
  pruneCandidates,
  syncPhase,
  type AppliedAction,
} from '../../core/sync/syncPlan';
import { collectionPath, objectPath, type ApiResourceInfo } from '../apiDiscovery';
import { ClusterError, toClusterError } from '../clusterError';
import { applyObject, applyBody, FIELD_MANAGER, type ApplyTarget } from '../drift/applyRequest';
import { refusalMessage, refusedObjects } from '../drift/invalidDesired';

/** Parent Secret key holding, per member, the hash of the body last applied and the fingerprint of the fields we owned right after. */
const FINGERPRINTS_KEY = 'applied-members';

/**
 * Co-owner of each member's ApplySet label. The label is tool bookkeeping, not in Git: a drift
 * dry-run or a single-object sync under our main field manager sends Git's object without it, and
 * server-side apply would then drop a label only that manager owned. Owned twice, it stays.
 */
export const APPLYSET_FIELD_MANAGER = 'gitops-environments-applyset';

/**
 * Whether a sync gives each member's label that co-owner. Off: it cost a second apply per new
 * member (half the requests of a first sync), and it is no longer needed: the drift service sends
 * every comparison, dry-run and single-object apply with the label the live object carries
 * (`keepMembership` in EnvironmentDriftService), so an apply under our manager keeps it.
 */
export const CO_OWN_MEMBERSHIP_LABEL = false;

function membershipBody(object: KubeObject): KubeObject {
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
  const label = metadata.labels?.[APPLYSET_PART_OF_LABEL];
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}), labels: { [APPLYSET_PART_OF_LABEL]: label } },
  };
}

function readFingerprints(parent: KubeObject | undefined): Map<string, string> {
  const encoded = ((parent?.data ?? {}) as Record<string, unknown>)[FINGERPRINTS_KEY];
  if (typeof encoded !== 'string') return new Map();
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new Map();
    return new Map(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map(); // unreadable: every member is applied again, which is always safe
  }
}

function fingerprintData(fingerprints: ReadonlyMap<string, string>): Record<string, string> {
  if (fingerprints.size === 0) return {};
  // Code-unit order: any fixed order keeps the record stable, and localeCompare on these keys
  // (with '/') leaves V8's fast path for ICU, whose first use cost a sync tens of milliseconds.
  const sorted = Object.fromEntries([...fingerprints].sort(([a], [b]) => byCodeUnits(a, b)));
  return { [FINGERPRINTS_KEY]: Buffer.from(JSON.stringify(sorted), 'utf8').toString('base64') };
}

export interface SyncedObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export interface SyncedObject extends SyncedObjectRef {
  action: AppliedAction;
}

export interface SyncFailure extends SyncedObjectRef {
  message: string;
}

export interface EnvironmentSyncRequest {
  environment: string;
  /** Git commit being applied, recorded on the parent. */
  revision: string | null;
  objects: readonly KubeObject[];
  prune: boolean;
  dryRun: boolean;
  /** Namespace of namespaced objects that name none, and of the set's parent. */
  namespace: string;
  concurrency?: number;
  /** Per request. */
  requestTimeoutMs?: number;
  /** How long CRDs may take to become Established. */
  establishTimeoutMs?: number;
  /** Give each member's label its co-owner (see APPLYSET_FIELD_MANAGER); default CO_OWN_MEMBERSHIP_LABEL. */
  coOwnMembership?: boolean;
  /**
   * The repository synced from (its first commit, see GitRepository.rootCommits), recorded on the
   * parent: a set another repository synced is refused instead of pruned.
   */
  source?: string | null;
  log?: (line: string) => void;
}

export interface EnvironmentSyncOutcome {
  parent: ApplySetParentRef;
  applySetId: string;
  /** The parent as it was before this sync (its recorded revisions). */
  previous: ApplySetState;
  applied: SyncedObject[];
  pruned: SyncedObjectRef[];
  failures: SyncFailure[];
  /** What the server returned for each applied object (dry-run: the prediction), for health. */
  results: KubeObject[];
  /** Notes for the user: members a prune left in place, and why. */
  notes: string[];
}

interface DesiredEntry {
  object: KubeObject;
  key: string;
  ref: SyncedObjectRef;
  /** Hash of the body as sent (also stamped on it). */
  hash: string;
}

const DEFAULT_CONCURRENCY = 16;

function refOf(object: KubeObject): SyncedObjectRef {
  const id = objectId(object);
  return { apiVersion: String(object.apiVersion ?? ''), kind: id.kind, namespace: id.namespace, name: id.name };
}

function describe(ref: SyncedObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Runs `work` over `items` with at most `width` in flight. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
}

/** Kinds a CRD of this sync will add: `group/kind` → namespaced. */
function kindsFromCrds(objects: readonly KubeObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const object of objects) {
    if (syncPhase(object) !== 1) continue;
    const spec = (object.spec ?? {}) as { group?: unknown; names?: { kind?: unknown }; scope?: unknown };
    if (typeof spec.group === 'string' && typeof spec.names?.kind === 'string') out.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return out;
}

export class EnvironmentSync {
  private readonly preferredVersions = new Map<string, Promise<string | null>>();

  constructor(private readonly target: ApplyTarget) {}

  private timeout(request: EnvironmentSyncRequest): number {
    return request.requestTimeoutMs ?? 15_000;
  }

  /** The set's parent as it is now; undefined when there is none yet. */
  async readParent(parent: ApplySetParentRef, timeoutMs: number): Promise<KubeObject | undefined> {
    try {
      return await this.target.client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(parent.namespace)}/secrets/${encodeURIComponent(parent.name)}`, { timeoutMs, keepAlive: true });
    } catch (error) {
      if (error instanceof ClusterError && error.code === 'notFound') return undefined;
      throw error;
    }
  }

  /** Applies the parent whole (server-side apply drops fields we stop sending, so nothing is sent partially). */
  async writeParent(parent: ApplySetParentRef, content: Parameters<typeof applySetParentObject>[1], dryRun: boolean, timeoutMs: number): Promise<void> {
    await applyObject(this.target, applySetParentObject(parent, content), { dryRun, defaultNamespace: parent.namespace, timeoutMs });
  }

  /** Namespace and scope of each desired object; kinds only a CRD of this sync defines are taken from that CRD. */
  private async desiredEntries(request: EnvironmentSyncRequest, id: string, failures: SyncFailure[]): Promise<DesiredEntry[]> {
    const crdKinds = kindsFromCrds(request.objects);
    const entries: DesiredEntry[] = [];
    const seen = new Set<string>();
    for (const raw of request.objects) {
      const ref = refOf(raw);
      const { group, version } = splitApiVersion(ref.apiVersion);
      let namespaced: boolean;
      try {
        namespaced = (await this.target.discovery.resolve({ group, version, kind: ref.kind })).namespaced;
      } catch (error) {
        const fromCrd = crdKinds.get(`${group}/${ref.kind}`);
        if (fromCrd === undefined || !(error instanceof ClusterError && error.code === 'notFound')) {
          failures.push({ ...ref, message: toClusterError(error, describe(ref)).message });
          continue;
        }
        namespaced = fromCrd;
      }
      const object = applyBody(withMembership(raw, id), { namespaced }, request.namespace);
      const hash = bodyHash(object);
      const full = refOf(object);
      const key = resourceKey(objectId(object));
      if (seen.has(key)) {
        failures.push({ ...full, message: 'declared twice in the rendered environment' });
        continue;
      }
      seen.add(key);
      entries.push({ object, key, ref: full, hash });
    }
    return entries;
  }

  private preferredVersion(group: string): Promise<string | null> {
    if (group === '') return Promise.resolve('v1');
    let pending = this.preferredVersions.get(group);
    if (!pending) {
      pending = this.target.client
        .request<{ preferredVersion?: { version?: string } }>('GET', `/apis/${encodeURIComponent(group)}`, { keepAlive: true })
        .then((doc) => doc.preferredVersion?.version ?? null)
        .catch((error: unknown) => {
          if (error instanceof ClusterError && error.code === 'notFound') return null;
          throw error;
        });
      this.preferredVersions.set(group, pending);
    }
    return pending;
  }

  /**
   * Every live object of the set's group-kinds in its namespaces, members or not: members are what
   * a prune may delete, the others tell a create from an update of an object someone made first.
   */
  private async listLive(groupKinds: readonly string[], versions: ReadonlyMap<string, string>, namespaces: readonly string[], timeoutMs: number): Promise<Map<string, KubeObject>> {
    const live = new Map<string, KubeObject>();
    await pool(groupKinds, 8, async (groupKind) => {
      const { kind, group } = parseGroupKind(groupKind);
      const version = versions.get(groupKind) ?? (await this.preferredVersion(group));
      if (!version) return;
      let info: ApiResourceInfo;
      try {
        info = await this.target.discovery.resolve({ group, version, kind });
      } catch (error) {
        if (error instanceof ClusterError && error.code === 'notFound') return; // not served: nothing of it lives
        throw error;
      }
      const apiVersion = group ? `${group}/${version}` : version;
      for (const namespace of info.namespaced ? namespaces : [null]) {
        let continueToken: string | undefined;
        do {
          const page = await this.target.client.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>('GET', collectionPath(info, namespace), {
            query: { limit: 500, continue: continueToken },
            timeoutMs,
            keepAlive: true,
          });
          for (const item of page.items ?? []) {
            const object = { ...item, apiVersion, kind };
            live.set(resourceKey(objectId(object)), object);
          }
          continueToken = page.metadata?.continue || undefined;
        } while (continueToken);
      }
    });
    return live;
  }

  /** Polls each CRD until the API server says Established (then its kinds can be applied). */
  private async waitEstablished(crds: readonly DesiredEntry[], request: EnvironmentSyncRequest): Promise<void> {
    const deadline = Date.now() + (request.establishTimeoutMs ?? 60_000);
    for (const crd of crds) {
      const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(crd.ref.name)}`;
      for (;;) {
        const live = await this.target.client.request<KubeObject>('GET', path, { timeoutMs: this.timeout(request), keepAlive: true });
        const conditions = ((live.status ?? {}) as { conditions?: Array<{ type?: string; status?: string }> }).conditions ?? [];
        if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
        if (Date.now() > deadline) throw new ClusterError('timeout', `CustomResourceDefinition ${crd.ref.name} was not Established in time`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const spec = (crd.object.spec ?? {}) as { group?: string; versions?: Array<{ name?: string }> };
      for (const version of spec.versions ?? []) if (spec.group && version.name) this.target.discovery.invalidate(spec.group, version.name);
    }
  }

  async sync(request: EnvironmentSyncRequest): Promise<EnvironmentSyncOutcome> {
    const timeoutMs = this.timeout(request);
    const parent = applySetParentRef(request.environment, request.namespace);
    const id = applySetId(parent);
    // Reads only, started before the schema check so they travel while it runs: the parent, and the
    // API discovery of every kind Git declares (desiredEntries then finds it cached).
    const parentRead = this.readParent(parent, timeoutMs);
    const kinds = new Map(request.objects.map((o) => [`${String(o.apiVersion)}/${String(o.kind)}`, { ...splitApiVersion(String(o.apiVersion ?? '')), kind: String(o.kind ?? '') }]));
    const discovered = Promise.allSettled([...kinds.values()].map((gvk) => this.target.discovery.resolve(gvk)));
    parentRead.catch(() => undefined); // awaited below; an early rejection must not go unhandled meanwhile
    // An object the API server refuses would fail mid-sync, after others were applied (and left
    // out of the set, its live object could even be pruned): refuse the whole sync up front.
    const refused = refusedObjects(request.objects);
    const parentObject = await parentRead;
    await discovered;
    const previous = readApplySetParent(parentObject);
    const previousFingerprints = readFingerprints(parentObject);
    const fingerprints = new Map<string, string>();
    if (previous.foreignTooling) {
      throw new ClusterError('conflict', `Secret ${parent.namespace}/${parent.name} is the ApplySet parent of another tool (${previous.foreignTooling}); this environment's set cannot take it over`);
    }
    // Two repositories with an environment of this name syncing into this namespace would share
    // one set, and each prune would delete the other's objects.
    if (request.source && previous.source && previous.source !== request.source) {
      throw new ClusterError(
        'conflict',
        `Secret ${parent.namespace}/${parent.name} holds environment "${request.environment}" as synced from another repository (first commit ${previous.source.slice(0, 12)}, this one ${request.source.slice(0, 12)}); syncing would take over its objects and prune them — give this environment its own namespace (cluster.namespace in gitops.yaml) or another name`,
      );
    }
    const source = request.source ?? previous.source;
    if (refused.length > 0) throw new ClusterError('invalid', refusalMessage(refused, request.dryRun ? 'the sync would fail' : 'nothing was applied'));
    const failures: SyncFailure[] = [];
    const desired = await this.desiredEntries(request, id, failures);
    const desiredKeys = new Set(desired.map((entry) => entry.key));
    const versions = new Map<string, string>();
    for (const entry of desired) versions.set(groupKindOf(entry.object), splitApiVersion(entry.ref.apiVersion).version);
    const desiredGroupKinds = [...versions.keys()];
    const desiredNamespaces = [...new Set([parent.namespace, ...desired.map((e) => e.ref.namespace).filter((ns): ns is string => ns !== null)])];
    const allGroupKinds = [...new Set([...desiredGroupKinds, ...previous.groupKinds])].sort();
    const allNamespaces = [...new Set([...desiredNamespaces, ...previous.namespaces, parent.namespace])].sort();
    let parentWritten: Promise<void> | undefined;
    const ensureParent = (): Promise<void> => {
      // Before any member: every group-kind and namespace that may hold one, old and new.
      parentWritten ??= this.writeParent(parent, { groupKinds: allGroupKinds, namespaces: allNamespaces, revision: previous.revision, healthyRevision: previous.healthyRevision, data: fingerprintData(previousFingerprints), source }, false, timeoutMs);
      return parentWritten;
    };
    // The parent's content is known before the list: written meanwhile (one round trip less), unless
    // its namespace is one this sync may create first.
    const parentNamespaceFromGit = desired.some((entry) => syncPhase(entry.object) === 0 && entry.ref.name === parent.namespace);
    const [live] = await Promise.all([this.listLive(allGroupKinds, versions, allNamespaces, timeoutMs), request.dryRun || parentNamespaceFromGit ? undefined : ensureParent()]);
    const candidates = request.prune ? pruneCandidates([...live.values()], desiredKeys, id) : [];
    // A Namespace that still holds objects that stay (someone else's, or Git's) is kept: deleting it would delete them too.
    // The set's own parent is among them: its namespace is never pruned from under it.
    const parentStub: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: parent.name, namespace: parent.namespace } };
    const occupied = namespacesHoldingOthers(candidates, [...live.values(), parentStub]);
    const prunable = candidates.filter((object) => syncPhase(object) !== 0 || !occupied.has(objectId(object).name));
    const kept: string[] = [...occupied].map(([namespace, example]) => `kept Namespace ${namespace}: Git no longer has it, but deleting it would delete what it still holds (${example})`);

    const applied: SyncedObject[] = [];
    const results: KubeObject[] = [];
    const crdKinds = kindsFromCrds(request.objects);
    const coOwn = request.coOwnMembership ?? CO_OWN_MEMBERSHIP_LABEL;
    const newNamespaces = new Set(desired.filter((e) => syncPhase(e.object) === 0 && !live.has(e.key)).map((e) => e.ref.name));
    const applyEntry = async (entry: DesiredEntry): Promise<void> => {
      const before = live.get(entry.key);
      const { group } = splitApiVersion(entry.ref.apiVersion);
      try {
        if (request.dryRun && !before && (newNamespaces.has(entry.ref.namespace ?? '') || (crdKinds.has(`${group}/${entry.ref.kind}`) && !(await this.served(entry))))) {
          // Its namespace or its CRD is created by this same sync: the server cannot check it before that.
          applied.push({ ...entry.ref, action: 'created' });
          return;
        }
        const recorded = previousFingerprints.get(entry.key);
        if (!request.dryRun && before && (!coOwn || hasApplyEntry(before, APPLYSET_FIELD_MANAGER)) && applyUnneeded(before, entry.hash, recorded, FIELD_MANAGER)) {
          // The body last applied, and nobody changed a field we own since: nothing to send.
          applied.push({ ...entry.ref, action: 'unchanged' });
          results.push(before);
          fingerprints.set(entry.key, recorded as string);
          return;
        }
        const result = await applyObject(this.target, entry.object, { dryRun: request.dryRun, defaultNamespace: request.namespace, timeoutMs });
        const action = request.dryRun ? dryRunAction(before, result) : appliedAction(before, result);
        applied.push({ ...entry.ref, action });
        results.push(result);
        if (request.dryRun) return;
        if (coOwn && !hasApplyEntry(result, APPLYSET_FIELD_MANAGER)) {
          await applyObject(this.target, membershipBody(entry.object), { dryRun: false, defaultNamespace: request.namespace, timeoutMs, fieldManager: APPLYSET_FIELD_MANAGER });
        }
        const fingerprint = ownedFieldsFingerprint(result, FIELD_MANAGER);
        if (fingerprint) fingerprints.set(entry.key, memberRecord(entry.hash, fingerprint));
      } catch (error) {
        failures.push({ ...entry.ref, message: toClusterError(error, describe(entry.ref)).message });
      }
    };

    if (request.dryRun) {
      for (const phase of phasesOf(desired)) await pool(phase, request.concurrency ?? DEFAULT_CONCURRENCY, applyEntry);
      if (!request.prune) prunable.length = 0;
      return { parent, applySetId: id, previous, applied: sortRefs(applied), pruned: prunable.map(refOf), failures, results, notes: kept };
    }

    const phases = phasesOf(desired);
    for (const phase of phases) {
      if (syncPhase(phase[0].object) !== 0) await ensureParent();
      if (syncPhase(phase[0].object) === 1) {
        await pool(phase, request.concurrency ?? DEFAULT_CONCURRENCY, applyEntry);
        const established = phase.filter((entry) => !failures.some((f) => f.kind === entry.ref.kind && f.name === entry.ref.name));
        await this.waitEstablished(established, request);
        continue;
      }
      await pool(phase, request.concurrency ?? DEFAULT_CONCURRENCY, applyEntry);
      if (syncPhase(phase[0].object) === 0) await ensureParent();
    }
    await ensureParent();

    const pruned: SyncedObjectRef[] = [];
    // A failed apply leaves the set half-updated: deleting now could take away what still serves.
    if (failures.length === 0) {
      for (const object of prunable) {
        const ref = refOf(object);
        try {
          await this.deleteObject(object, timeoutMs);
          pruned.push(ref);
          request.log?.(`pruned ${describe(ref)}`);
        } catch (error) {
          failures.push({ ...ref, message: `prune failed: ${toClusterError(error, describe(ref)).message}` });
        }
      }
    }
    const complete = failures.length === 0 && kept.length === 0;
    const keptGroupKinds = complete && request.prune ? desiredGroupKinds : allGroupKinds;
    const keptNamespaces = complete && request.prune ? desiredNamespaces : allNamespaces;
    await this.writeParent(
      parent,
      { groupKinds: keptGroupKinds, namespaces: keptNamespaces, revision: failures.length === 0 ? request.revision : previous.revision, healthyRevision: previous.healthyRevision, data: fingerprintData(fingerprints), source },
      false,
      timeoutMs,
    );
    return { parent, applySetId: id, previous, applied: sortRefs(applied), pruned, failures, results, notes: kept };
  }

  /** Records `revision` as the last one that synced healthy (the rollback target). */
  async markHealthy(outcome: EnvironmentSyncOutcome, revision: string, timeoutMs = 15_000): Promise<void> {
    const live = await this.readParent(outcome.parent, timeoutMs);
    const current = readApplySetParent(live);
    await this.writeParent(
      outcome.parent,
      { groupKinds: current.groupKinds, namespaces: [...current.namespaces, outcome.parent.namespace], revision: current.revision, healthyRevision: revision, data: fingerprintData(readFingerprints(live)), source: current.source },
      false,
      timeoutMs,
    );
  }

  private async served(entry: DesiredEntry): Promise<boolean> {
    const { group, version } = splitApiVersion(entry.ref.apiVersion);
    try {
      await this.target.discovery.resolve({ group, version, kind: entry.ref.kind });
      return true;
    } catch {
      return false;
    }
  }

  private async deleteObject(object: KubeObject, timeoutMs: number): Promise<void> {
    const id: ResourceId = objectId(object);
    const info = await this.target.discovery.resolve(id);
    try {
      await this.target.client.request('DELETE', objectPath(info, id.namespace, id.name), {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
        timeoutMs,
        keepAlive: true,
      });
    } catch (error) {
      if (!(error instanceof ClusterError && error.code === 'notFound')) throw error;
    }
  }
}

/** Code-unit order (ASCII names and kinds): localeCompare's first use loads ICU, 20 ms of a sync. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortRefs<T extends SyncedObjectRef>(refs: T[]): T[] {
  return refs.sort((a, b) => syncPhaseOfRef(a) - syncPhaseOfRef(b) || byCodeUnits(a.kind, b.kind) || byCodeUnits(a.namespace ?? '', b.namespace ?? '') || byCodeUnits(a.name, b.name));
}

function syncPhaseOfRef(ref: SyncedObjectRef): number {
  return syncPhase({ apiVersion: ref.apiVersion, kind: ref.kind });
}
