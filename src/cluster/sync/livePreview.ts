// What applying a change's head would do to the live cluster, as `gitops-env sync` would apply it
// (same field manager, same ApplySet label): a server-side dry-run per object, diffed against live.
// Fields Git's change does not touch but the apply would still change are live drift it overwrites.
// Objects the change removes are reported when they are live (a `sync --prune` deletes them).
import { objectId } from '../../core/drift/compare';
import type { KubeObject } from '../../core/drift/driftTypes';
import type { ObjectChangeReport } from '../../core/preview/objectDiff';
import type { LiveChange } from '../../core/preview/previewReport';
import { APPLYSET_PART_OF_LABEL, applySetId, applySetParentRef, withMembership } from '../../core/sync/applySet';
import { objectPath } from '../apiDiscovery';
import { ClusterError, toClusterError } from '../clusterError';
import type { ApplyTarget } from '../drift/applyRequest';
import { previewSync } from '../drift/syncResource';

export interface LivePreviewRequest {
  environment: string;
  namespace: string;
  head: readonly KubeObject[];
  /** Objects the change removes (present at base only). */
  removed: readonly KubeObject[];
  /** The Git change, to tell the change's own fields from live drift. */
  gitChanges: readonly ObjectChangeReport[];
  timeoutMs?: number;
  concurrency?: number;
}

function refOf(object: KubeObject, namespace: string | null): Omit<LiveChange, 'change' | 'fields'> {
  const id = objectId(object);
  return { apiVersion: String(object.apiVersion ?? ''), kind: id.kind, namespace: id.namespace ?? namespace, name: id.name };
}

type LiveField = LiveChange['fields'][number];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields of a dry-run diff without our ApplySet membership label: the apply adds it to every
 * object it takes over (bookkeeping, as `sync` does), and shown it reads as "overwrites live
 * drift" on every object a reviewer did not change. A whole `metadata.labels` added only for it
 * goes; one that adds other labels too keeps them.
 */
export function withoutMembershipLabel(fields: readonly LiveField[]): LiveField[] {
  const out: LiveField[] = [];
  for (const field of fields) {
    if (field.path === `metadata.labels["${APPLYSET_PART_OF_LABEL}"]` || field.path === `metadata.labels.${APPLYSET_PART_OF_LABEL}`) continue;
    if (field.path === 'metadata.labels' && isRecord(field.after) && APPLYSET_PART_OF_LABEL in field.after) {
      const { [APPLYSET_PART_OF_LABEL]: _membership, ...rest } = field.after;
      const before = isRecord(field.before) ? field.before : {};
      // Nothing but the membership label changes: drop the field.
      if (JSON.stringify(Object.entries(rest).sort()) === JSON.stringify(Object.entries(before).sort())) continue;
      out.push({ ...field, after: rest });
      continue;
    }
    out.push(field);
  }
  return out;
}

export async function previewLive(target: ApplyTarget, request: LivePreviewRequest): Promise<LiveChange[]> {
  const id = applySetId(applySetParentRef(request.environment, request.namespace));
  const changedPaths = new Map<string, Set<string>>();
  for (const change of request.gitChanges) changedPaths.set(`${change.kind}/${change.namespace ?? ''}/${change.name}`, new Set(change.fields.map((f) => f.path)));
  const headNamespaces = new Set(request.head.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace').map((o) => objectId(o).name));
  const out: LiveChange[] = [];
  const timeoutMs = request.timeoutMs ?? 10_000;
  const work: Array<() => Promise<void>> = [];
  for (const object of request.head) {
    work.push(async () => {
      try {
        const preview = await previewSync(target, withMembership(object, id), { defaultNamespace: request.namespace, timeoutMs });
        if (preview.action === 'unchanged') return;
        const ref = { apiVersion: String(object.apiVersion ?? ''), kind: preview.id.kind, namespace: preview.id.namespace, name: preview.id.name };
        const own = changedPaths.get(`${ref.kind}/${objectId(object).namespace ?? ''}/${ref.name}`);
        const fields = withoutMembershipLabel(preview.fields.map((field) => ({ path: field.path, before: field.live ?? null, after: field.desired ?? null, ...(own?.has(field.path) ? {} : { drift: true }) })));
        // Only the membership label would change: nothing a reviewer needs to see.
        if (preview.action !== 'create' && fields.length === 0) return;
        out.push({ ...ref, change: preview.action === 'create' ? 'added' : 'modified', fields });
      } catch (error) {
        const e = toClusterError(error, 'dry-run');
        if (e.code === 'unreachable' || e.code === 'timeout' || e.code === 'unauthorized') throw e;
        const missingNamespace = /namespaces "([^"]+)" not found/.exec(e.message)?.[1];
        if (e.code === 'notFound' && missingNamespace !== undefined && headNamespaces.has(missingNamespace)) {
          // The head creates the namespace too: the server cannot check what goes in it before that.
          out.push({ ...refOf(object, request.namespace), change: 'added', fields: [] });
          return;
        }
        out.push({ ...refOf(object, request.namespace), change: 'refused', fields: [], error: e.message });
      }
    });
  }
  for (const object of request.removed) {
    work.push(async () => {
      const id = objectId(object);
      try {
        const info = await target.discovery.resolve(id);
        await target.client.request('GET', objectPath(info, info.namespaced ? (id.namespace ?? request.namespace) : null, id.name), { timeoutMs, keepAlive: true });
        out.push({ ...refOf(object, info.namespaced ? request.namespace : null), change: 'removed', fields: [] });
      } catch (error) {
        if (error instanceof ClusterError && error.code === 'notFound') return;
        throw error;
      }
    });
  }
  let next = 0;
  const width = Math.max(1, Math.min(request.concurrency ?? 8, work.length));
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < work.length) await work[next++]();
  }));
  const order = { added: 0, modified: 1, removed: 2, refused: 3 };
  return out.sort((a, b) => order[a.change] - order[b.change] || a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}
