// Which lists are compared item by item through a merge key (containers by name, ports by port and
// protocol...) rather than by position: the API server and kubectl merge these lists by key, so a
// reordered list in Git is not drift, and an item added by a webhook does not shift the others.

export type ItemKeyFn = (item: unknown) => string | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(name: string): ItemKeyFn {
  return (item) => {
    if (!isRecord(item)) return undefined;
    const value = item[name];
    return typeof value === 'string' || typeof value === 'number' ? `${name}=${value}` : undefined;
  };
}

function fields(...names: string[]): ItemKeyFn {
  return (item) => {
    if (!isRecord(item)) return undefined;
    const parts: string[] = [];
    for (const name of names) {
      const value = item[name];
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      parts.push(`${name}=${value}`);
    }
    return parts.join(',');
  };
}

const byName = field('name');

/** Ports merge on (port, protocol): the same port number may be open for TCP and UDP. Protocol is already defaulted. */
function portKey(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const protocol = typeof item.protocol === 'string' ? item.protocol : 'TCP';
  if (typeof item.containerPort === 'number') return `containerPort=${item.containerPort},protocol=${protocol}`;
  if (typeof item.port === 'number') return `port=${item.port},protocol=${protocol}`;
  return byName(item);
}

const KEYED_LISTS: Record<string, ItemKeyFn> = {
  containers: byName,
  initContainers: byName,
  ephemeralContainers: byName,
  env: byName,
  volumes: byName,
  imagePullSecrets: byName,
  resourceClaims: byName,
  webhooks: byName,
  ports: portKey,
  volumeMounts: field('mountPath'),
  volumeDevices: field('devicePath'),
  hostAliases: field('ip'),
  conditions: field('type'),
  ownerReferences: field('uid'),
  topologySpreadConstraints: fields('topologyKey', 'whenUnsatisfiable'),
};

/** Lists of plain values where order carries no meaning and others may add entries. */
const SET_LISTS = new Set(['finalizers']);

export function isSetList(listKey: string): boolean {
  return SET_LISTS.has(listKey);
}

function keysOf(items: readonly unknown[], keyFn: ItemKeyFn): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const key = keyFn(items[i]);
    if (key === undefined || out.has(key)) return undefined;
    out.set(key, i);
  }
  return out;
}

export interface KeyedLists {
  keyFn: ItemKeyFn;
  /** Item key → index, for each list given. */
  indexes: Array<Map<string, number> | undefined>;
}

/**
 * The merge key for a list under `listKey`, with the key → index map of each list, or undefined
 * when the lists must be compared by position (no known key, an item without one, or duplicates —
 * which the API server would refuse, so position is the honest fallback). A list of objects that
 * all carry a unique `name` is keyed by name even when the list is not a known one: custom
 * resources use that shape for maps.
 */
export function keyedLists(listKey: string, lists: ReadonlyArray<readonly unknown[] | undefined>): KeyedLists | undefined {
  // Own keys only: a list under `__proto__` or `constructor` must not find Object's members.
  const known = Object.hasOwn(KEYED_LISTS, listKey) ? KEYED_LISTS[listKey] : undefined;
  const keyFn = known ?? byName;
  const indexes: Array<Map<string, number> | undefined> = [];
  let any = false;
  for (const list of lists) {
    if (!list) {
      indexes.push(undefined);
      continue;
    }
    const index = keysOf(list, keyFn);
    if (!index) return undefined;
    if (list.length > 0) any = true;
    indexes.push(index);
  }
  // An unknown list with no items gives no evidence of being keyed; compare it by position.
  if (!known && !any) return undefined;
  return { keyFn, indexes };
}
