// Discovery documents in their plain (non-aggregated) form: /version, /api (APIVersions),
// /apis (APIGroupList), /apis/<group> (APIGroup), /api/v1 and /apis/<group>/<version>
// (APIResourceList). kubectl asks for the aggregated form first and falls back to these when
// the response's Content-Type is plain application/json.

import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './resourceRegistry';
import type { ResourceType } from './resourceType';

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:57:14Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersionsDocument(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function apiGroupListDocument(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((entry) => entry.group !== '')
      .map((entry) => groupEntry(entry.group, entry.versions)),
  };
}

export function apiGroupDocument(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const entry = registry.groups().find((candidate) => candidate.group === group);
  if (!entry || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, entry.versions) };
}

// A stable per-resource hash, as the real server publishes for storage migration tooling.
function storageVersionHash(type: ResourceType): string {
  return createHash('sha256').update(`${type.group}/${type.storageVersion}/${type.kind}`).digest('base64').slice(0, 11);
}

function subresourceEntries(type: ResourceType): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (type.statusSubresource) {
    out.push({ name: `${type.plural}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] });
  }
  if (type.scaleSubresource) {
    out.push({
      name: `${type.plural}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  return out;
}

export function apiResourceListDocument(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const types = registry.resourcesIn(group, version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const type of [...types].sort((a, b) => a.plural.localeCompare(b.plural))) {
    const entry: Record<string, unknown> = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
      storageVersionHash: storageVersionHash(type),
    };
    if (type.shortNames.length > 0) entry.shortNames = type.shortNames;
    if (type.categories.length > 0) entry.categories = type.categories;
    resources.push(entry, ...subresourceEntries(type));
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}
