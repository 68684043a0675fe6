// Every resource the sandbox serves, looked up by URL (group/version/plural) or by
// apiVersion + kind. Built-ins are registered once; CustomResourceDefinitions add and remove
// entries at run time, and `revision` lets discovery and OpenAPI documents notice.

import type { ResourceType } from './resourceType';
import { splitApiVersion } from './kubeObject';

export interface GroupVersions {
  group: string;
  /** Served versions, highest priority first (the first is the preferred version). */
  versions: string[];
}

// Kubernetes version priority: GA > beta > alpha, then by the numbers (v2 > v1, v1beta2 > v1beta1).
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!match) return undefined;
    const stage = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
    return [stage, Number(match[1]), Number(match[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) {
    for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i];
    return 0;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a.localeCompare(b);
}

export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();
  private readonly builtinGroups: string[] = [];
  private changes = 0;

  /** Increases on every registration change, so cached discovery/OpenAPI documents can be rebuilt. */
  get revision(): number {
    return this.changes;
  }

  register(type: ResourceType, builtin = false): void {
    this.byPath.set(`${type.group}/${type.version}/${type.plural}`, type);
    this.byKind.set(`${type.group}/${type.version}/${type.kind}`, type);
    if (builtin && !this.builtinGroups.includes(type.group)) this.builtinGroups.push(type.group);
    this.changes++;
  }

  /** Removes every version of group/plural (a CRD was deleted or changed). */
  unregister(group: string, plural: string): ResourceType[] {
    const removed: ResourceType[] = [];
    for (const [key, type] of this.byPath) {
      if (type.group === group && type.plural === plural) {
        this.byPath.delete(key);
        this.byKind.delete(`${type.group}/${type.version}/${type.kind}`);
        removed.push(type);
      }
    }
    if (removed.length > 0) this.changes++;
    return removed;
  }

  byResource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  byGroupVersionKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${group}/${version}/${kind}`);
  }

  byApiVersionKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.byGroupVersionKind(group, version, kind);
  }

  /** Any served version of group/plural (used when a CRD's versions change). */
  anyVersionOf(group: string, plural: string): ResourceType | undefined {
    for (const type of this.byPath.values()) if (type.group === group && type.plural === plural) return type;
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.byPath.values()];
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return this.all().filter((type) => type.group === group && type.version === version);
  }

  /** Groups in discovery order: built-in groups as registered, then custom groups alphabetically. */
  groups(): GroupVersions[] {
    const versionsByGroup = new Map<string, Set<string>>();
    for (const type of this.byPath.values()) {
      let versions = versionsByGroup.get(type.group);
      if (!versions) versionsByGroup.set(type.group, (versions = new Set()));
      versions.add(type.version);
    }
    const custom = [...versionsByGroup.keys()].filter((group) => !this.builtinGroups.includes(group)).sort();
    return [...this.builtinGroups, ...custom]
      .filter((group) => versionsByGroup.has(group))
      .map((group) => ({ group, versions: [...(versionsByGroup.get(group) ?? [])].sort(compareKubeVersions) }));
  }
}
