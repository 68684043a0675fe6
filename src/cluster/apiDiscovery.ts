// Maps group/version/kind to the REST resource (plural, scope), one group-version document at a
// time, cached per cluster. Concurrent lookups of one group-version share one request.
import type { GroupVersionKind } from '../core/model';
import { ClusterError } from './clusterError';
import type { KubeClient } from './kubeClient';

export interface ApiResourceInfo extends GroupVersionKind {
  plural: string;
  namespaced: boolean;
  verbs: string[];
}

interface ApiResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

export class ApiDiscovery {
  private readonly groupVersions = new Map<string, Promise<Map<string, ApiResourceInfo>>>();

  constructor(private readonly client: KubeClient) {}

  private load(group: string, version: string): Promise<Map<string, ApiResourceInfo>> {
    const key = group ? `${group}/${version}` : version;
    let pending = this.groupVersions.get(key);
    if (!pending) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      // Over a kept-alive connection the lists and dry-runs that follow reuse.
      pending = this.client.request<ApiResourceList>('GET', path, { keepAlive: true }).then((list) => {
        const byKind = new Map<string, ApiResourceInfo>();
        for (const r of list.resources ?? []) {
          if (r.name.includes('/')) continue; // subresources such as deployments/status
          byKind.set(r.kind, { group, version, kind: r.kind, plural: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
        }
        return byKind;
      });
      // Never cache a rejected promise: the next lookup asks again.
      pending.catch(() => this.groupVersions.delete(key));
      this.groupVersions.set(key, pending);
    }
    return pending;
  }

  async resolve(gvk: GroupVersionKind): Promise<ApiResourceInfo> {
    let byKind: Map<string, ApiResourceInfo>;
    try {
      byKind = await this.load(gvk.group, gvk.version);
    } catch (error) {
      if (error instanceof ClusterError && error.code === 'notFound') {
        throw new ClusterError('notFound', `The cluster does not serve ${gvk.group ? `${gvk.group}/` : ''}${gvk.version} (is the CRD installed?)`, 404);
      }
      throw error;
    }
    const info = byKind.get(gvk.kind);
    if (!info) {
      // A CRD may have been installed since the list was cached: look once more.
      this.invalidate(gvk.group, gvk.version);
      const fresh = (await this.load(gvk.group, gvk.version)).get(gvk.kind);
      if (fresh) return fresh;
      throw new ClusterError('notFound', `The cluster has no kind ${gvk.kind} in ${gvk.group ? `${gvk.group}/` : ''}${gvk.version}`, 404);
    }
    return info;
  }

  invalidate(group?: string, version?: string): void {
    if (group === undefined || version === undefined) this.groupVersions.clear();
    else this.groupVersions.delete(group ? `${group}/${version}` : version);
  }
}

/** REST path of a collection (namespace null = all namespaces / cluster-scoped). */
export function collectionPath(info: ApiResourceInfo, namespace: string | null): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  return info.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${info.plural}` : `${base}/${info.plural}`;
}

export function objectPath(info: ApiResourceInfo, namespace: string | null, name: string): string {
  return `${collectionPath(info, info.namespaced ? namespace : null)}/${encodeURIComponent(name)}`;
}
