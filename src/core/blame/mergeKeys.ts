// Strategic-merge list identity: which field names a list item, by the list's field name, as the
// Kubernetes API declares it (`patchMergeKey`) for the lists overlays patch. Lists not named here
// are replaced whole by a patch (atomic lists: args, command, tolerations...).
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  // Container ports by containerPort, Service ports by port.
  ports: ['containerPort', 'port'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey'],
  resourceClaims: ['name'],
  readinessGates: ['conditionType'],
  conditions: ['type'],
  volumeClaimTemplates: ['metadata.name'],
};

/** The merge keys of a list field, or undefined for an atomic list. */
export function mergeKeysOf(field: string | undefined): readonly string[] | undefined {
  return field === undefined ? undefined : MERGE_KEYS[field];
}

function valueAt(item: Record<string, unknown>, key: string): unknown {
  let current: unknown = item;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** `containerPort=8080`: the identity of a list item by its field's merge key, or undefined. */
export function itemIdentity(field: string | undefined, item: unknown): string | undefined {
  const keys = mergeKeysOf(field);
  if (!keys || typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  for (const key of keys) {
    const value = valueAt(item as Record<string, unknown>, key);
    if (value !== undefined && value !== null && typeof value !== 'object') return `${key}=${String(value)}`;
  }
  return undefined;
}
