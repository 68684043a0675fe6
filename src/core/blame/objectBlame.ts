// The blame engine: replays one object's kustomize build over a "shadow" of the object whose
// every node remembers the source node that last set it. It starts from the declaring document,
// then applies the layers in build order (strategic-merge and JSON 6902 patches, the replicas,
// images, namespace, name, label and annotation transformers, generators). A later layer wins for
// the same path; a layer that replaces a subtree owns all of it. Lists are matched by merge key,
// so a lookup in the rendered object finds `containers[name=web]` wherever patches moved it.
import { escapePointerToken, splitPointer } from '../manifest';
import type { BlameBase, BlameLayer, BlameVia, EnvFile, FieldBlame, ObjectBlame, SourceRef } from './blameTypes';
import { itemIdentity, mergeKeysOf } from './mergeKeys';
import { plainValue, scalarText, type SourceNode } from './sourceTree';

interface Shadow {
  blame?: FieldBlame;
  /** Scalar value (what transformers that read values, like images, need). */
  value?: unknown;
  map?: Map<string, Shadow>;
  list?: Shadow[];
}

interface Stamp {
  file: string;
  docIndex: number;
  via: BlameVia;
  kustomization?: string;
  imagePart?: FieldBlame['imagePart'];
}

function blameAt(stamp: Stamp, node: SourceNode, pointer: string): FieldBlame {
  const blame: FieldBlame = { location: { file: stamp.file, range: node.range }, via: stamp.via, docIndex: stamp.docIndex, sourcePointer: pointer, exact: true };
  if (stamp.kustomization) blame.kustomization = stamp.kustomization;
  if (stamp.imagePart) blame.imagePart = stamp.imagePart;
  return blame;
}

function stampOf(ref: SourceRef, via: BlameVia, kustomization?: string): Stamp {
  return { file: ref.file, docIndex: ref.docIndex, via, kustomization };
}

/** A shadow subtree for a source node: every node blamed on its own line. */
function fromSource(node: SourceNode, pointer: string, stamp: Stamp): Shadow {
  const shadow: Shadow = { blame: blameAt(stamp, node, pointer) };
  if (node.entries) {
    shadow.map = new Map();
    for (const [key, child] of node.entries) {
      if (key.startsWith('$')) continue;
      shadow.map.set(key, fromSource(child, `${pointer}/${escapePointerToken(key)}`, stamp));
    }
  } else if (node.items) {
    shadow.list = node.items.map((item, i) => fromSource(item, `${pointer}/${i}`, stamp));
  } else {
    shadow.value = node.scalar;
  }
  return shadow;
}

/** A whole subtree blamed on one line (a value a transformer computed). */
function leaf(value: unknown, blame: FieldBlame): Shadow {
  return { blame, value };
}

function plainShadow(shadow: Shadow | undefined): unknown {
  if (!shadow) return undefined;
  if (shadow.map) return Object.fromEntries([...shadow.map].map(([k, v]) => [k, plainShadow(v)]));
  if (shadow.list) return shadow.list.map(plainShadow);
  return shadow.value;
}

function directive(node: SourceNode): string | undefined {
  const value = node.entries?.get('$patch')?.scalar;
  return typeof value === 'string' ? value : undefined;
}

/** Keys a patch writes only to name its target, never to set them. */
const IDENTITY_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  '': new Set(['apiVersion', 'kind']),
  '/metadata': new Set(['name', 'namespace']),
};

function mergeMap(target: Shadow, patch: SourceNode, pointer: string, stamp: Stamp, identityKeys?: ReadonlySet<string>): void {
  target.map ??= new Map();
  for (const [key, child] of patch.entries ?? []) {
    if (key.startsWith('$')) continue;
    const path = `${pointer}/${escapePointerToken(key)}`;
    if (identityKeys?.has(key) && target.map.has(key)) continue;
    const existing = target.map.get(key);
    if (child.scalar === null && !child.entries && !child.items) {
      // `key: null` deletes the field.
      target.map.delete(key);
      continue;
    }
    if (child.entries) {
      const how = directive(child);
      if (how === 'delete') target.map.delete(key);
      else if (how === 'replace' || !existing?.map) target.map.set(key, fromSource(child, path, stamp));
      else mergeMap(existing, child, path, stamp);
      continue;
    }
    if (child.items && existing?.list && mergeKeysOf(key) && child.items.every((item) => item.entries)) {
      mergeList(existing, child, path, key, stamp);
      continue;
    }
    target.map.set(key, fromSource(child, path, stamp));
  }
}

function mergeList(target: Shadow, patch: SourceNode, pointer: string, field: string, stamp: Stamp): void {
  const items = patch.items ?? [];
  if (items.some((item) => directive(item) === 'replace')) {
    const kept = items.map((item, i) => ({ item, i })).filter(({ item }) => directive(item) !== 'replace');
    target.list = kept.map(({ item, i }) => fromSource(item, `${pointer}/${i}`, stamp));
    target.blame = blameAt(stamp, patch, pointer);
    return;
  }
  const list = target.list ?? [];
  const keys = new Set(mergeKeysOf(field));
  // kustomize's merge orders the result as the patch lists its items, then the items it did not
  // mention in their old order (a JSON 6902 index after the patch counts in that order).
  const mentioned: Shadow[] = [];
  const deleted = new Set<Shadow>();
  items.forEach((item, i) => {
    const identity = itemIdentity(field, plainValue(item));
    const existing = identity === undefined ? undefined : list.find((candidate) => itemIdentity(field, plainShadow(candidate)) === identity);
    const path = `${pointer}/${i}`;
    if (directive(item) === 'delete') {
      if (existing) deleted.add(existing);
    } else if (existing) {
      mergeMap(existing, item, path, stamp, keys);
      mentioned.push(existing);
    } else {
      mentioned.push(fromSource(item, path, stamp));
    }
  });
  target.list = [...mentioned, ...list.filter((item) => !deleted.has(item) && !mentioned.includes(item))];
}

function applyStrategicMerge(root: Shadow, patch: SourceRef, kustomization: string): void {
  if (!patch.node.entries) return;
  const stamp = stampOf(patch, 'patch', kustomization);
  if (directive(patch.node) === 'delete') return;
  mergeMapRoot(root, patch.node, patch.pointer, stamp);
}

/** The document root: apiVersion, kind, metadata.name and metadata.namespace only name the target. */
function mergeMapRoot(root: Shadow, patch: SourceNode, pointer: string, stamp: Stamp): void {
  root.map ??= new Map();
  for (const [key, child] of patch.entries ?? []) {
    if (key.startsWith('$') || IDENTITY_KEYS[''].has(key)) continue;
    const path = `${pointer}/${escapePointerToken(key)}`;
    const existing = root.map.get(key);
    if (key === 'metadata' && child.entries && existing?.map) {
      mergeMap(existing, child, path, stamp, IDENTITY_KEYS['/metadata']);
      continue;
    }
    const single: SourceNode = { range: patch.range, valueRange: patch.valueRange, entries: new Map([[key, child]]) };
    mergeMap(root, single, pointer, stamp);
  }
}

// ---- JSON 6902 ----

function jsonPointerTokens(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return splitPointer(path);
}

function applyJson6902(root: Shadow, operations: SourceRef, kustomization: string): void {
  const stamp = stampOf(operations, 'patch', kustomization);
  (operations.node.items ?? []).forEach((operation, i) => {
    const op = scalarText(operation.entries?.get('op'));
    const pathNode = operation.entries?.get('path');
    const tokens = jsonPointerTokens(scalarText(pathNode) ?? '');
    if (!op || !tokens || tokens.length === 0 || !pathNode) return;
    const base = `${operations.pointer}/${i}`;
    const valueNode = operation.entries?.get('value');
    switch (op) {
      case 'add':
      case 'replace':
        if (valueNode) put(root, tokens, fromSource(valueNode, `${base}/value`, stamp), op === 'add');
        break;
      case 'remove':
        remove(root, tokens);
        break;
      case 'copy':
      case 'move': {
        const from = jsonPointerTokens(scalarText(operation.entries?.get('from')) ?? '');
        const source = from ? walk(root, from) : undefined;
        if (!from || !source) break;
        if (op === 'move') remove(root, from);
        put(root, tokens, relabel(source, blameAt(stamp, pathNode, `${base}/path`)), true);
        break;
      }
      default:
        break;
    }
  });
}

function relabel(shadow: Shadow, blame: FieldBlame): Shadow {
  return {
    blame,
    value: shadow.value,
    map: shadow.map && new Map([...shadow.map].map(([k, v]) => [k, relabel(v, blame)])),
    list: shadow.list?.map((item) => relabel(item, blame)),
  };
}

/**
 * A list index in a JSON 6902 path as kustomize's patch library reads it (Go's Atoi): `1`, `01`
 * and `+1` are 1; a negative index counts from the end (`-1` is the last item, or the end of the
 * list for an add). Undefined when the token is no integer or falls outside the list.
 */
function listIndex(token: string, length: number, insert = false): number | undefined {
  if (!/^[+-]?\d+$/.test(token)) return undefined;
  const size = insert ? length + 1 : length;
  let index = Number(token);
  if (index < 0) index += size;
  return index >= 0 && index < size ? index : undefined;
}

function walk(root: Shadow, tokens: readonly string[]): Shadow | undefined {
  let current: Shadow | undefined = root;
  for (const token of tokens) {
    if (!current) return undefined;
    if (current.map) current = current.map.get(token);
    else if (current.list) {
      const index = listIndex(token, current.list.length);
      current = index === undefined ? undefined : current.list[index];
    } else return undefined;
  }
  return current;
}

function put(root: Shadow, tokens: readonly string[], value: Shadow, insert: boolean): void {
  const parent = walk(root, tokens.slice(0, -1));
  if (!parent) return;
  const last = tokens[tokens.length - 1];
  if (parent.list) {
    if (last === '-') {
      parent.list.push(value);
      return;
    }
    const index = listIndex(last, parent.list.length, insert);
    if (index === undefined) return;
    if (insert) parent.list.splice(index, 0, value);
    else parent.list[index] = value;
  } else {
    (parent.map ??= new Map()).set(last, value);
  }
}

function remove(root: Shadow, tokens: readonly string[]): void {
  const parent = walk(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (parent?.list) {
    const index = listIndex(last, parent.list.length);
    if (index !== undefined) parent.list.splice(index, 1);
  } else parent?.map?.delete(last);
}

// ---- transformers ----

function ensurePath(root: Shadow, tokens: readonly string[], blame: FieldBlame): Shadow {
  let current = root;
  for (const token of tokens) {
    current.map ??= new Map();
    let next = current.map.get(token);
    if (!next) {
      // A map the transformer had to create is the transformer's.
      next = { blame };
      current.map.set(token, next);
    }
    current = next;
  }
  return current;
}

function setLeaf(root: Shadow, tokens: readonly string[], value: unknown, blame: FieldBlame): void {
  const parent = ensurePath(root, tokens.slice(0, -1), blame);
  (parent.map ??= new Map()).set(tokens[tokens.length - 1], leaf(value, blame));
}

const REPLICATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** `registry:5000/org/app:1.2@sha256:…` → name, tag, digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

function applyImages(root: Shadow, entries: readonly SourceRef[], kustomization: string): void {
  const visitContainers = (shadow: Shadow): void => {
    for (const [key, child] of shadow.map ?? []) {
      if ((key === 'containers' || key === 'initContainers' || key === 'ephemeralContainers') && child.list) {
        for (const container of child.list) {
          const image = container.map?.get('image');
          if (image && typeof image.value === 'string') retag(container, image.value);
        }
      }
      visitContainers(child);
    }
    for (const item of shadow.list ?? []) visitContainers(item);
  };
  const retag = (container: Shadow, image: string): void => {
    const current = splitImage(image);
    for (const entry of entries) {
      const fields = entry.node.entries;
      if (scalarText(fields?.get('name')) !== current.name) continue;
      const newName = fields?.get('newName');
      const newTag = fields?.get('newTag');
      const digest = fields?.get('digest');
      if (!newName && !newTag && !digest) continue;
      const name = scalarText(newName) ?? current.name;
      // As kustomize renders it: both when the entry sets both; a new tag or a new digest alone
      // replaces the tag and the digest; an entry setting neither keeps them both.
      let suffix = `${current.tag !== undefined ? `:${current.tag}` : ''}${current.digest !== undefined ? `@${current.digest}` : ''}`;
      if (digest && newTag) suffix = `:${scalarText(newTag)}@${scalarText(digest)}`;
      else if (digest) suffix = `@${scalarText(digest)}`;
      else if (newTag) suffix = `:${scalarText(newTag)}`;
      const [part, node] = digest ? (['digest', digest] as const) : newTag ? (['newTag', newTag] as const) : (['newName', newName as SourceNode] as const);
      const stamp: Stamp = { ...stampOf(entry, 'images', kustomization), imagePart: part };
      container.map?.set('image', leaf(`${name}${suffix}`, blameAt(stamp, node, `${entry.pointer}/${part}`)));
      return;
    }
  };
  visitContainers(root);
}

const SELECTOR_PATHS: Readonly<Record<string, readonly string[][]>> = {
  Service: [['spec', 'selector']],
  ReplicationController: [['spec', 'selector']],
  Deployment: [['spec', 'selector', 'matchLabels']],
  ReplicaSet: [['spec', 'selector', 'matchLabels']],
  StatefulSet: [['spec', 'selector', 'matchLabels']],
  DaemonSet: [['spec', 'selector', 'matchLabels']],
  PodDisruptionBudget: [['spec', 'selector', 'matchLabels']],
  NetworkPolicy: [['spec', 'podSelector', 'matchLabels']],
};

const TEMPLATE_PATHS: Readonly<Record<string, readonly string[][]>> = {
  Deployment: [['spec', 'template', 'metadata']],
  ReplicaSet: [['spec', 'template', 'metadata']],
  StatefulSet: [['spec', 'template', 'metadata']],
  DaemonSet: [['spec', 'template', 'metadata']],
  ReplicationController: [['spec', 'template', 'metadata']],
  Job: [['spec', 'template', 'metadata']],
  CronJob: [
    ['spec', 'jobTemplate', 'metadata'],
    ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  ],
};

function applyPairs(root: Shadow, pairs: SourceRef, stamp: Stamp, places: readonly string[][]): void {
  for (const [key, node] of pairs.node.entries ?? []) {
    const blame = blameAt(stamp, node, `${pairs.pointer}/${escapePointerToken(key)}`);
    for (const place of places) setLeaf(root, [...place, key], node.scalar === null || node.scalar === undefined ? '' : String(node.scalar), blame);
  }
}

function applyLabels(root: Shadow, layer: Extract<BlameLayer, { kind: 'labels' }>, kind: string): void {
  const stamp = stampOf(layer.pairs, 'labels', layer.kustomization);
  const places: string[][] = [['metadata', 'labels']];
  if (layer.selectors) places.push(...(SELECTOR_PATHS[kind] ?? []));
  // A template's labels must match its selector: kustomize labels templates whenever it labels selectors.
  if (layer.selectors || layer.templates) places.push(...(TEMPLATE_PATHS[kind] ?? []).map((path) => [...path, 'labels']));
  applyPairs(root, layer.pairs, stamp, places);
}

function applyAnnotations(root: Shadow, layer: Extract<BlameLayer, { kind: 'annotations' }>, kind: string): void {
  const stamp = stampOf(layer.pairs, 'annotations', layer.kustomization);
  applyPairs(root, layer.pairs, stamp, [['metadata', 'annotations'], ...(TEMPLATE_PATHS[kind] ?? []).map((path) => [...path, 'annotations'])]);
}

function applyName(root: Shadow, layer: Extract<BlameLayer, { kind: 'namePrefix' | 'nameSuffix' }>): void {
  const affix = scalarText(layer.value.node) ?? '';
  if (affix === '') return;
  const name = root.map?.get('metadata')?.map?.get('name');
  const current = typeof name?.value === 'string' ? name.value : '';
  const renamed = layer.kind === 'namePrefix' ? `${affix}${current}` : `${current}${affix}`;
  setLeaf(root, ['metadata', 'name'], renamed, blameAt(stampOf(layer.value, layer.kind, layer.kustomization), layer.value.node, layer.value.pointer));
}

/** `KEY=value` lines of an env file or a literal, with the line each key is on. */
function envPairs(file: EnvFile): Array<{ key: string; value: string; line: number; length: number }> {
  const out: Array<{ key: string; value: string; line: number; length: number }> = [];
  file.text.split(/\r?\n/).forEach((text, i) => {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return;
    out.push({ key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1), line: i + 1, length: text.length });
  });
  return out;
}

function applyGenerator(root: Shadow, layer: Extract<BlameLayer, { kind: 'generator' }>): void {
  const stamp = stampOf(layer.entry, 'generator', layer.kustomization);
  const fields = layer.entry.node.entries;
  // Secrets hold the same keys (base64 values) under `data`.
  const dataKey = 'data';
  const nameNode = fields?.get('name');
  // The generator makes the whole object: what no key of it names (apiVersion, kind) is the entry's.
  if (layer.behavior === 'create') root.blame = blameAt(stamp, layer.entry.node, layer.entry.pointer);
  if (layer.behavior === 'create' && nameNode) setLeaf(root, ['metadata', 'name'], scalarText(nameNode), blameAt(stamp, nameNode, `${layer.entry.pointer}/name`));
  root.map ??= new Map();
  const data = layer.behavior === 'merge' ? ensurePath(root, [dataKey], blameAt(stamp, layer.entry.node, layer.entry.pointer)) : { blame: blameAt(stamp, layer.entry.node, layer.entry.pointer), map: new Map<string, Shadow>() };
  const set = (key: string, value: string, blame: FieldBlame): void => {
    (data.map ??= new Map()).set(key, leaf(value, blame));
  };
  for (const env of layer.envFiles) {
    for (const pair of envPairs(env)) {
      set(pair.key, pair.value, {
        location: { file: env.file, range: { start: { line: pair.line, column: 1 }, end: { line: pair.line, column: pair.length + 1 } } },
        via: 'generator',
        docIndex: 0,
        sourcePointer: '',
        kustomization: layer.kustomization,
        exact: true,
      });
    }
  }
  (fields?.get('files')?.items ?? []).forEach((item, i) => {
    const text = scalarText(item) ?? '';
    const key = text.includes('=') ? text.slice(0, text.indexOf('=')) : text.slice(text.lastIndexOf('/') + 1);
    set(key, '', blameAt(stamp, item, `${layer.entry.pointer}/files/${i}`));
  });
  (fields?.get('literals')?.items ?? []).forEach((item, i) => {
    const text = scalarText(item) ?? '';
    const eq = text.indexOf('=');
    if (eq <= 0) return;
    set(text.slice(0, eq), text.slice(eq + 1), blameAt(stamp, item, `${layer.entry.pointer}/literals/${i}`));
  });
  if (layer.behavior !== 'merge') root.map.set(dataKey, data);
}

function applyLayer(root: Shadow, layer: BlameLayer, kind: string): void {
  switch (layer.kind) {
    case 'strategicMerge':
      applyStrategicMerge(root, layer.patch, layer.kustomization);
      break;
    case 'json6902':
      applyJson6902(root, layer.operations, layer.kustomization);
      break;
    case 'replicas':
      if (REPLICATED_KINDS.has(kind)) {
        setLeaf(root, ['spec', 'replicas'], layer.count.node.scalar, blameAt(stampOf(layer.count, 'replicas', layer.kustomization), layer.count.node, layer.count.pointer));
      }
      break;
    case 'images':
      applyImages(root, layer.entries, layer.kustomization);
      break;
    case 'namespace': {
      const value = scalarText(layer.value.node);
      if (value) setLeaf(root, ['metadata', 'namespace'], value, blameAt(stampOf(layer.value, 'namespace', layer.kustomization), layer.value.node, layer.value.pointer));
      break;
    }
    case 'namePrefix':
    case 'nameSuffix':
      applyName(root, layer);
      break;
    case 'labels':
      applyLabels(root, layer, kind);
      break;
    case 'annotations':
      applyAnnotations(root, layer, kind);
      break;
    case 'generator':
      applyGenerator(root, layer);
      break;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Finds the shadow item for the rendered list item: by merge key, else by position. */
function shadowItem(list: readonly Shadow[], field: string | undefined, rendered: unknown, index: number): Shadow | undefined {
  const identity = itemIdentity(field, rendered);
  if (identity !== undefined) {
    const found = list.find((item) => itemIdentity(field, plainShadow(item)) === identity);
    if (found) return found;
  }
  return list[index];
}

/**
 * Replays the build and returns the lookup. `rendered` is the object kustomize printed: list items
 * are found by merge key in it, since patches may have reordered or appended them.
 */
export function blameObject(base: BlameBase, layers: readonly BlameLayer[], rendered: Record<string, unknown>): ObjectBlame {
  const root: Shadow = base.document ? fromSource(base.document.node, base.document.pointer, stampOf(base.document, 'base')) : { map: new Map() };
  for (const layer of layers) applyLayer(root, layer, base.kind);
  const renames = layers.filter((layer): layer is Extract<BlameLayer, { kind: 'namePrefix' | 'nameSuffix' }> => layer.kind === 'namePrefix' || layer.kind === 'nameSuffix');
  /**
   * A reference to another object of the build (`configMapRef.name: app-config`) that kustomize
   * renamed along with it (`prod-app-config`): the prefix or suffix entry that renamed it, the
   * outermost first. Without one, the line that names the object stays blamed.
   */
  const renamedBy = (declared: unknown, rendered: unknown): FieldBlame | undefined => {
    if (typeof declared !== 'string' || typeof rendered !== 'string' || declared === rendered || !rendered.includes(declared)) return undefined;
    for (let i = renames.length - 1; i >= 0; i--) {
      const layer = renames[i];
      const affix = scalarText(layer.value.node) ?? '';
      const applies = layer.kind === 'namePrefix' ? rendered.startsWith(affix) : rendered.includes(`${declared}${affix}`) || rendered.endsWith(affix);
      if (affix !== '' && applies) return blameAt(stampOf(layer.value, layer.kind, layer.kustomization), layer.value.node, layer.value.pointer);
    }
    return undefined;
  };
  return {
    blame(pointer: string): FieldBlame | undefined {
      let shadow: Shadow | undefined = root;
      let cursor: unknown = rendered;
      let best = root.blame;
      let field: string | undefined;
      const tokens = splitPointer(pointer);
      let depth = 0;
      let bestDepth = 0;
      for (const token of tokens) {
        let next: Shadow | undefined;
        if (shadow.map) next = shadow.map.get(token);
        else if (shadow.list && /^\d+$/.test(token)) {
          const index = Number(token);
          next = shadowItem(shadow.list, field, Array.isArray(cursor) ? cursor[index] : undefined, index);
        }
        if (!next) break;
        shadow = next;
        depth++;
        if (shadow.blame) {
          best = shadow.blame;
          bestDepth = depth;
        }
        cursor = Array.isArray(cursor) ? cursor[Number(token)] : isRecord(cursor) ? cursor[token] : undefined;
        field = Array.isArray(cursor) ? token : undefined;
      }
      const exact = bestDepth === tokens.length;
      if (depth === tokens.length && !shadow.map && !shadow.list) {
        const renamed = renamedBy(shadow.value, cursor);
        if (renamed) return renamed;
        // Generators encode (Secrets) or read files: their lines never hold the rendered text as is.
        if (best && exact && best.via !== 'generator' && isScalar(shadow.value) && isScalar(cursor) && String(shadow.value) !== String(cursor)) {
          return { ...best, exact, changedLater: true };
        }
      }
      return best && { ...best, exact };
    },
  };
}
