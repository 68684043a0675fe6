// Which layers of a kustomize build touched one rendered object, in the order kustomize applied
// them, handed to the pure blame engine (src/core/blame). The order follows kustomize's build of
// a kustomization: its resources (the object comes from one of them), then its components in
// order (each a whole build of its own), then its generators, then its transformers:
// patchesStrategicMerge, patches, namespace, namePrefix, nameSuffix, labels, annotations,
// patchesJson6902, replicas, images. Files are parsed with positions only when a field is blamed.
import type { BlameLayer, ObjectBlame, SourceRef } from '../core/blame/blameTypes';
import { blameObject } from '../core/blame/objectBlame';
import { parseSourceDocuments, scalarText, type SourceDocument, type SourceNode } from '../core/blame/sourceTree';
import type { ResourceId } from '../core/model';
import type { Declaration, KustomizationNode, KustomizeTree, PatchTarget } from './kustomizeTree';
import { resolveFrom } from './repoPaths';

/** Kinds kustomize's prefix/suffix transformer leaves alone. */
const UNPREFIXED_KINDS = new Set(['Namespace', 'CustomResourceDefinition', 'APIService']);

export type TargetMatcher = (target: PatchTarget, names: readonly string[]) => boolean;

export interface BlameSubject {
  id: ResourceId;
  object: Record<string, unknown>;
  declaration: Declaration;
  /** The object's name as each kustomization of its chain sees it (before that kustomization's own prefix). */
  namesByLevel: ReadonlyMap<KustomizationNode, string>;
  matches: TargetMatcher;
}

/** Parsed documents per file, shared by every object of one render. */
export class SourceCache {
  private readonly parsed = new Map<string, SourceDocument[]>();
  private readonly resolved = new Map<string, string | null>();
  constructor(private readonly tree: KustomizeTree) {}

  /** `resolveFrom`, remembered: every object of a render asks for the same patch entries. */
  resolve(dir: string, entry: string): string | null {
    const key = `${dir}\u0000${entry}`;
    let file = this.resolved.get(key);
    if (file === undefined) {
      file = resolveFrom(dir, entry);
      this.resolved.set(key, file);
    }
    return file;
  }

  documents(file: string): SourceDocument[] {
    let documents = this.parsed.get(file);
    if (!documents) {
      const node = this.tree.nodes.find((n) => n.file === file);
      const text = node ? node.text : this.tree.sources.get(file);
      documents = text === undefined ? [] : parseSourceDocuments(text);
      this.parsed.set(file, documents);
    }
    return documents;
  }

  /**
   * Whether a strategic-merge patch file (no target) may name the object: its documents' kinds and
   * names from the fast parse the tree already made. Unknown files (not parsed) may.
   */
  mayName(file: string, kind: string, names: readonly string[]): boolean {
    const manifests = this.tree.manifests.get(file);
    if (!manifests) return true;
    return manifests.some((m) => {
      const metadata = m.object.metadata;
      const name = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).name : undefined;
      return m.object.kind === kind && typeof name === 'string' && names.includes(name);
    });
  }

  sourceText(file: string): string | undefined {
    return this.tree.sources.get(file);
  }

  kustomization(node: KustomizationNode): SourceNode | undefined {
    return this.documents(node.file).find((d) => d.index === 0)?.root;
  }
}

function shift(node: SourceNode, lines: number, columns: number): SourceNode {
  const move = (range: SourceNode['range']): SourceNode['range'] => ({
    start: { line: range.start.line + lines, column: range.start.column + columns },
    end: { line: range.end.line + lines, column: range.end.column + columns },
  });
  return {
    range: move(node.range),
    valueRange: node.valueRange && move(node.valueRange),
    scalar: node.scalar,
    entries: node.entries && new Map([...node.entries].map(([k, v]) => [k, shift(v, lines, columns)])),
    items: node.items?.map((item) => shift(item, lines, columns)),
  };
}

function pinned(node: SourceNode, at: SourceNode): SourceNode {
  return {
    range: at.range,
    valueRange: undefined,
    scalar: node.scalar,
    entries: node.entries && new Map([...node.entries].map(([k, v]) => [k, pinned(v, at)])),
    items: node.items?.map((item) => pinned(item, at)),
  };
}

/**
 * The documents of an inline patch (a string in the kustomization), placed at their lines in the
 * kustomization when written as a block scalar (`patch: |-`), else all on the `patch:` line.
 * Their docIndex is -1: not a document of the file, so Accept Live writes elsewhere.
 */
function inlineDocuments(kustomization: KustomizationNode, at: SourceNode, text: string): SourceRef[] {
  const documents = parseSourceDocuments(text);
  const start = at.valueRange?.start;
  const lines = kustomization.text.split(/\r?\n/);
  const indicator = start ? (lines[start.line - 1] ?? '').slice(start.column - 1) : '';
  const block = /^[|>]/.test(indicator);
  const contentLine = start ? start.line + 1 : 0;
  const indent = block ? /^\s*/.exec(lines.slice(contentLine - 1).find((l) => l.trim() !== '') ?? '')?.[0].length ?? 0 : 0;
  return documents.map((document) => ({
    file: kustomization.file,
    docIndex: -1,
    pointer: '',
    node: block && start ? shift(document.root, contentLine - 1, indent) : pinned(document.root, at),
  }));
}

function fileDocuments(cache: SourceCache, node: KustomizationNode, entry: string): SourceRef[] {
  const file = cache.resolve(node.dir, entry);
  if (file === null) return [];
  return cache.documents(file).map((d) => ({ file, docIndex: d.index, pointer: '', node: d.root }));
}

/**
 * Documents of a patch entry (`path:` or inline `patch:`), or of a patchesStrategicMerge item.
 * With `named`, a file whose documents cannot name the object is not parsed at all: an overlay
 * with a patch file per application parses only the object's own.
 */
function patchDocuments(cache: SourceCache, node: KustomizationNode, entry: SourceNode, named?: { kind: string; names: readonly string[] }): SourceRef[] {
  const unrelated = (path: string): boolean => {
    const file = cache.resolve(node.dir, path);
    return named !== undefined && file !== null && !cache.mayName(file, named.kind, named.names);
  };
  if (entry.entries) {
    const path = scalarText(entry.entries.get('path'));
    if (path && unrelated(path)) return [];
    if (path) return fileDocuments(cache, node, path);
    const inline = entry.entries.get('patch');
    const text = scalarText(inline);
    return inline && text ? inlineDocuments(node, inline, text) : [];
  }
  const text = scalarText(entry);
  if (!text) return [];
  if (unrelated(text)) return [];
  const fromFile = fileDocuments(cache, node, text);
  return fromFile.length > 0 || !/[\n:]/.test(text) ? fromFile : inlineDocuments(node, entry, text);
}

function targetOf(entry: SourceNode): PatchTarget | undefined {
  const target = entry.entries?.get('target')?.entries;
  if (!target) return undefined;
  const read = (key: string): string | undefined => scalarText(target.get(key));
  return {
    group: read('group'),
    version: read('version'),
    kind: read('kind'),
    name: read('name'),
    namespace: read('namespace'),
    labelSelector: read('labelSelector'),
    annotationSelector: read('annotationSelector'),
  };
}

function namesOf(document: SourceNode): { kind?: string; name?: string } {
  return { kind: scalarText(document.entries?.get('kind')), name: scalarText(document.entries?.get('metadata')?.entries?.get('name')) };
}

function ref(node: KustomizationNode, pointer: string, value: SourceNode): SourceRef {
  return { file: node.file, docIndex: 0, pointer, node: value };
}

/** The layers one kustomization (and the components it lists, after `from`) applies to the subject. */
function layersOf(cache: SourceCache, subject: BlameSubject, node: KustomizationNode, from: KustomizationNode | null, seenAs: string): BlameLayer[] {
  const layers: BlameLayer[] = [];
  const k = cache.kustomization(node);
  const components = node.children.filter((c) => c.field === 'components').map((c) => c.node);
  const after = from && components.includes(from) ? components.slice(components.indexOf(from) + 1) : components;
  for (const component of after) layers.push(...layersOf(cache, subject, component, null, seenAs));
  if (!k?.entries) return layers;
  const kustomization = node.file;
  const { id, declaration } = subject;
  const names = [...new Set([seenAs, id.name, declaration.name])];
  const field = (name: string): SourceNode | undefined => k.entries?.get(name);

  // Generators that change an object an earlier build made.
  for (const [name, secret] of [
    ['configMapGenerator', false],
    ['secretGenerator', true],
  ] as const) {
    if (id.kind !== (secret ? 'Secret' : 'ConfigMap')) continue;
    (field(name)?.items ?? []).forEach((entry, i) => {
      const behavior = scalarText(entry.entries?.get('behavior'));
      if ((behavior !== 'merge' && behavior !== 'replace') || !names.includes(scalarText(entry.entries?.get('name')) ?? '')) return;
      layers.push({ kind: 'generator', kustomization, entry: ref(node, `/${name}/${i}`, entry), behavior, secret, envFiles: envFilesOf(cache, node, entry) });
    });
  }

  const strategicFor = (documents: readonly SourceRef[], target: PatchTarget | undefined): void => {
    for (const document of documents) {
      if (!document.node.entries) continue;
      if (target) {
        if (subject.matches(target, names)) layers.push({ kind: 'strategicMerge', kustomization, patch: document });
        continue;
      }
      const named = namesOf(document.node);
      if (named.kind === id.kind && named.name !== undefined && names.includes(named.name)) layers.push({ kind: 'strategicMerge', kustomization, patch: document });
    }
  };

  const named = { kind: id.kind, names };
  (field('patchesStrategicMerge')?.items ?? []).forEach((entry) => strategicFor(patchDocuments(cache, node, entry, named), undefined));
  (field('patches')?.items ?? []).forEach((entry) => {
    const target = targetOf(entry);
    // Without a target a patch names its object itself; a JSON 6902 list always has a target.
    const documents = patchDocuments(cache, node, entry, target ? undefined : named);
    if (documents[0]?.node.items) {
      if (target && subject.matches(target, names)) layers.push({ kind: 'json6902', kustomization, operations: documents[0] });
      return;
    }
    strategicFor(documents, target);
  });

  const scalarField = (name: string): SourceRef | undefined => {
    const value = field(name);
    return value && scalarText(value) ? ref(node, `/${name}`, value) : undefined;
  };
  const namespace = scalarField('namespace');
  if (namespace) layers.push({ kind: 'namespace', kustomization, value: namespace });
  if (!UNPREFIXED_KINDS.has(id.kind)) {
    const prefix = scalarField('namePrefix');
    if (prefix) layers.push({ kind: 'namePrefix', kustomization, value: prefix });
    const suffix = scalarField('nameSuffix');
    if (suffix) layers.push({ kind: 'nameSuffix', kustomization, value: suffix });
  }
  const commonLabels = field('commonLabels');
  if (commonLabels?.entries) layers.push({ kind: 'labels', kustomization, pairs: ref(node, '/commonLabels', commonLabels), selectors: true, templates: true });
  (field('labels')?.items ?? []).forEach((entry, i) => {
    const pairs = entry.entries?.get('pairs');
    if (!pairs?.entries) return;
    const flag = (name: string): boolean => entry.entries?.get(name)?.scalar === true;
    layers.push({ kind: 'labels', kustomization, pairs: ref(node, `/labels/${i}/pairs`, pairs), selectors: flag('includeSelectors'), templates: flag('includeTemplates') });
  });
  const commonAnnotations = field('commonAnnotations');
  if (commonAnnotations?.entries) layers.push({ kind: 'annotations', kustomization, pairs: ref(node, '/commonAnnotations', commonAnnotations) });

  (field('patchesJson6902')?.items ?? []).forEach((entry) => {
    const target = targetOf(entry);
    const operations = patchDocuments(cache, node, entry)[0];
    if (target && operations?.node.items && subject.matches(target, names)) layers.push({ kind: 'json6902', kustomization, operations });
  });
  (field('replicas')?.items ?? []).forEach((entry, i) => {
    const count = entry.entries?.get('count');
    if (count && names.includes(scalarText(entry.entries?.get('name')) ?? '')) layers.push({ kind: 'replicas', kustomization, count: ref(node, `/replicas/${i}/count`, count) });
  });
  const images = field('images')?.items ?? [];
  if (images.length > 0) layers.push({ kind: 'images', kustomization, entries: images.map((entry, i) => ref(node, `/images/${i}`, entry)) });
  return layers;
}

function envFilesOf(cache: SourceCache, node: KustomizationNode, entry: SourceNode): Array<{ file: string; text: string }> {
  const paths = [...(entry.entries?.get('envs')?.items ?? []).map(scalarText), scalarText(entry.entries?.get('env'))];
  const out: Array<{ file: string; text: string }> = [];
  for (const path of paths) {
    const file = path ? cache.resolve(node.dir, path) : null;
    const text = file ? cache.sourceText(file) : undefined;
    if (file && text !== undefined) out.push({ file, text });
  }
  return out;
}

function chainOf(node: KustomizationNode): KustomizationNode[] {
  const chain: KustomizationNode[] = [];
  for (let current: KustomizationNode | null = node; current; current = current.parent) chain.push(current);
  return chain;
}

/** Every layer that touched the subject, from its declaring kustomization up to the root, in build order. */
export function layersFor(cache: SourceCache, subject: BlameSubject): BlameLayer[] {
  const { declaration } = subject;
  const layers: BlameLayer[] = [];
  if (declaration.generator) {
    const entry = cache.kustomization(declaration.owner)?.entries?.get(declaration.generator.field)?.items?.[declaration.generator.index];
    if (entry) {
      layers.push({
        kind: 'generator',
        kustomization: declaration.owner.file,
        entry: ref(declaration.owner, `/${declaration.generator.field}/${declaration.generator.index}`, entry),
        behavior: 'create',
        secret: declaration.generator.field === 'secretGenerator',
        envFiles: envFilesOf(cache, declaration.owner, entry),
      });
    }
  }
  let from: KustomizationNode | null = null;
  for (const node of chainOf(declaration.owner)) {
    layers.push(...layersOf(cache, subject, node, from, subject.namesByLevel.get(node) ?? declaration.name));
    from = node;
  }
  return layers;
}

/** The subject's blame, built on the first lookup and kept. */
export function lazyBlame(cache: SourceCache, subject: BlameSubject): ObjectBlame {
  let built: ObjectBlame | undefined;
  const build = (): ObjectBlame => {
    const { declaration } = subject;
    const document =
      declaration.docIndex === undefined
        ? undefined
        : cache.documents(declaration.location.file).find((d) => d.index === declaration.docIndex);
    return blameObject(
      { kind: subject.id.kind, document: document && { file: declaration.location.file, docIndex: document.index, pointer: '', node: document.root } },
      layersFor(cache, subject),
      subject.object,
    );
  };
  return {
    blame(pointer) {
      built ??= build();
      return built.blame(pointer);
    },
  };
}
