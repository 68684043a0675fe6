// Reads a kustomization and everything it pulls in (resources, bases, components, patches,
// generators) from a RepoView, without running kustomize. Rendering uses it to list the files
// of an environment, to find the file and line that declare each rendered object, to spot
// remote bases before anything runs, and to point kustomize's errors at the right line.
import { parseManifests, type ParsedManifest } from '../core/manifest';
import type { LocatedProblem, SourceLocation } from '../core/model';
import type { RepoView } from '../core/repoView';
import { kustomizationFileIn, resolveFrom } from './repoPaths';

export interface KustomizationNode {
  /** The kustomization file (repository-relative). */
  file: string;
  dir: string;
  text: string;
  manifest: ParsedManifest | undefined;
  namePrefix: string;
  nameSuffix: string;
  namespace: string | null;
  parent: KustomizationNode | null;
  /** Kustomizations it pulls in, in the order it lists them (`resources`/`bases` folders, `components`). */
  children: Array<{ field: 'resources' | 'bases' | 'components'; node: KustomizationNode }>;
}

/** An object some file of the build declares, before kustomize's transformations. */
export interface Declaration {
  kind: string;
  group: string;
  name: string;
  namespace: string | null;
  /** The declaring document's `kind:` line (or a generator's `name:` line). */
  location: SourceLocation;
  /** The kustomization that lists the file (or holds the generator). */
  owner: KustomizationNode;
  /** configMapGenerator / secretGenerator output: kustomize appends a content hash to the name. */
  hashed: boolean;
  /** The declaring document's index in its file (absent for generated objects). */
  docIndex?: number;
  /** The generator entry that makes the object, in `owner`'s kustomization. */
  generator?: { field: 'configMapGenerator' | 'secretGenerator'; index: number };
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  /** A regular expression, anchored, as kustomize reads it. */
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchDeclaration {
  owner: KustomizationNode;
  location: SourceLocation;
  target: PatchTarget;
}

export type ReferenceStatus = 'file' | 'folder' | 'missing' | 'remote' | 'outside';

/** A path or URL written in a kustomization, and what it turned out to be. */
export interface Reference {
  entry: string;
  field: string;
  owner: KustomizationNode;
  location: SourceLocation;
  resolved: string | null;
  status: ReferenceStatus;
}

export interface KustomizeTree {
  root: KustomizationNode;
  nodes: KustomizationNode[];
  files: string[];
  declarations: Declaration[];
  patches: PatchDeclaration[];
  references: Reference[];
  /** YAML problems in the kustomizations and the files they list. */
  problems: LocatedProblem[];
  usesHelmCharts: boolean;
  /** Text of every file read while walking the tree (manifests, patches, generator env files): blame parses them on demand. */
  sources: Map<string, string>;
  /** The documents of every manifest and patch file read (fast parse, no positions): blame skips patches of other objects with them. */
  manifests: Map<string, ParsedManifest[]>;
}

const MAX_DEPTH = 50;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Remote bases as kustomize spells them: URLs, `git@host:`, `host.tld/org/repo`, `repo//subdir`, `?ref=`. */
export function looksRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^[^/@\s]+@[^/:\s]+:/.test(entry) ||
    /^[a-z0-9-]+::/i.test(entry) ||
    /\?(ref|version|timeout|submodules)=/.test(entry) ||
    /^[^./][^/]*\.[a-z]{2,}\//i.test(entry) ||
    /[^/:]\/\/[^/]/.test(entry)
  );
}

function apiGroup(apiVersion: unknown): string {
  const text = asString(apiVersion) ?? '';
  const slash = text.indexOf('/');
  return slash < 0 ? '' : text.slice(0, slash);
}

export async function readKustomizeTree(view: RepoView, files: ReadonlySet<string>, rootFile: string): Promise<KustomizeTree> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) folders.add(file.slice(0, i));
  }
  const tree: Omit<KustomizeTree, 'root'> & { root?: KustomizationNode } = {
    nodes: [],
    files: [],
    declarations: [],
    patches: [],
    references: [],
    problems: [],
    usesHelmCharts: false,
    sources: new Map(),
    manifests: new Map(),
  };
  const fileList = new Set<string>();
  const parsedFiles = new Map<string, Promise<ParsedManifest[]>>();

  const readManifests = (file: string): Promise<ParsedManifest[]> => {
    let parsed = parsedFiles.get(file);
    if (!parsed) {
      parsed = view.readFile(file).then(
        (text) => {
          if (text === undefined) return [];
          tree.sources.set(file, text);
          const result = parseManifests(text, file);
          tree.problems.push(...result.problems);
          tree.manifests.set(file, result.manifests);
          return result.manifests;
        },
        () => [],
      );
      parsedFiles.set(file, parsed);
    }
    return parsed;
  };

  const classify = (node: KustomizationNode, field: string, pointer: string, entry: string): Reference => {
    const location: SourceLocation = { file: node.file, range: node.manifest?.rangeOf(pointer) };
    const resolved = resolveFrom(node.dir, entry);
    let status: ReferenceStatus;
    if (resolved !== null && files.has(resolved)) status = 'file';
    else if (resolved !== null && (folders.has(resolved) || resolved === '')) status = 'folder';
    else if (looksRemote(entry)) status = 'remote';
    else status = resolved === null ? 'outside' : 'missing';
    const reference: Reference = { entry, field, owner: node, location, resolved, status };
    tree.references.push(reference);
    if (status === 'file' && resolved) fileList.add(resolved);
    return reference;
  };

  const declareFile = async (node: KustomizationNode, file: string): Promise<void> => {
    for (const manifest of await readManifests(file)) {
      const object = manifest.object;
      const kind = asString(object.kind);
      const metadata = isRecord(object.metadata) ? object.metadata : {};
      const name = asString(metadata.name);
      if (!kind || !name) continue;
      tree.declarations.push({
        kind,
        group: apiGroup(object.apiVersion),
        name,
        namespace: asString(metadata.namespace) ?? null,
        location: { file, range: manifest.kindRange },
        owner: node,
        hashed: false,
        docIndex: manifest.docIndex,
      });
    }
  };

  /** Patch targets named by the documents of a strategic-merge patch (file or inline). */
  const patchDocuments = async (node: KustomizationNode, reference: Reference | null, inline: string | undefined, location: SourceLocation): Promise<void> => {
    let manifests: ParsedManifest[] = [];
    if (reference?.status === 'file' && reference.resolved) manifests = await readManifests(reference.resolved);
    else if (inline !== undefined) manifests = parseManifests(inline, node.file).manifests;
    for (const manifest of manifests) {
      const object = manifest.object;
      const metadata = isRecord(object.metadata) ? object.metadata : {};
      const kind = asString(object.kind);
      const name = asString(metadata.name);
      if (!kind || !name) continue;
      const patchLocation = reference?.status === 'file' && reference.resolved ? { file: reference.resolved, range: manifest.kindRange } : location;
      tree.patches.push({
        owner: node,
        location: patchLocation,
        target: { kind, group: apiGroup(object.apiVersion), name: escapeRegExp(name), namespace: asString(metadata.namespace) },
      });
    }
  };

  const visit = async (file: string, parent: KustomizationNode | null, depth: number, chain: ReadonlySet<string>): Promise<KustomizationNode> => {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    const text = (await view.readFile(file).catch(() => undefined)) ?? '';
    const parsed = parseManifests(text, file);
    tree.problems.push(...parsed.problems);
    const manifest = parsed.manifests[0];
    const spec = manifest?.object ?? {};
    const node: KustomizationNode = {
      file,
      dir,
      text,
      manifest,
      namePrefix: asString(spec.namePrefix) ?? '',
      nameSuffix: asString(spec.nameSuffix) ?? '',
      namespace: asString(spec.namespace) ?? null,
      parent,
      children: [],
    };
    tree.nodes.push(node);
    fileList.add(file);
    if (depth > MAX_DEPTH || chain.has(file)) return node;
    const inner = new Set(chain).add(file);

    const at = (pointer: string): SourceLocation => ({ file, range: manifest?.rangeOf(pointer) });

    // resources, bases (deprecated spelling), components: files declare objects, folders recurse.
    for (const field of ['resources', 'bases', 'components']) {
      const entries = asArray(spec[field]);
      for (const [i, value] of entries.entries()) {
        const entry = asString(value);
        if (!entry) continue;
        const reference = classify(node, field, `/${field}/${i}`, entry);
        if (reference.status === 'file' && reference.resolved) await declareFile(node, reference.resolved);
        if (reference.status === 'folder' && reference.resolved !== null) {
          const child = kustomizationFileIn(files, reference.resolved);
          if (child) node.children.push({ field: field as 'resources' | 'bases' | 'components', node: await visit(child, node, depth + 1, inner) });
          else reference.status = 'missing';
        }
      }
    }

    for (const [i, value] of asArray(spec.patchesStrategicMerge).entries()) {
      const entry = asString(value);
      if (!entry) continue;
      // An entry is a path, or an inline patch (YAML text with a line break or a colon).
      if (/[\n:]/.test(entry) && !files.has(resolveFrom(dir, entry) ?? '')) {
        await patchDocuments(node, null, entry, at(`/patchesStrategicMerge/${i}`));
      } else {
        await patchDocuments(node, classify(node, 'patchesStrategicMerge', `/patchesStrategicMerge/${i}`, entry), undefined, at(`/patchesStrategicMerge/${i}`));
      }
    }

    for (const field of ['patches', 'patchesJson6902']) {
      for (const [i, value] of asArray(spec[field]).entries()) {
        if (!isRecord(value)) continue;
        const path = asString(value.path);
        const reference = path ? classify(node, field, `/${field}/${i}/path`, path) : null;
        const target = isRecord(value.target) ? value.target : undefined;
        if (target) {
          let location = at(`/${field}/${i}`);
          if (reference?.status === 'file' && reference.resolved) {
            const first = (await readManifests(reference.resolved))[0];
            location = { file: reference.resolved, range: first?.object.kind ? first.kindRange : undefined };
          }
          tree.patches.push({
            owner: node,
            location,
            target: {
              group: asString(target.group),
              version: asString(target.version),
              kind: asString(target.kind),
              name: asString(target.name),
              namespace: asString(target.namespace),
              labelSelector: asString(target.labelSelector),
              annotationSelector: asString(target.annotationSelector),
            },
          });
        } else {
          await patchDocuments(node, reference, asString(value.patch), at(`/${field}/${i}`));
        }
      }
    }

    const generatorOptions = isRecord(spec.generatorOptions) ? spec.generatorOptions : {};
    for (const [field, kind] of [
      ['configMapGenerator', 'ConfigMap'],
      ['secretGenerator', 'Secret'],
    ] as const) {
      for (const [i, value] of asArray(spec[field]).entries()) {
        if (!isRecord(value)) continue;
        const name = asString(value.name);
        const options = isRecord(value.options) ? value.options : {};
        for (const source of [...asArray(value.files), ...asArray(value.envs), value.env]) {
          const text = asString(source);
          // `key=path` or `path`.
          if (!text) continue;
          const reference = classify(node, field, `/${field}/${i}`, text.includes('=') ? text.slice(text.indexOf('=') + 1) : text);
          // Env files hold one key per line: blame points at the line.
          if (reference.status === 'file' && reference.resolved && source !== undefined && !asArray(value.files).includes(source)) {
            const envText = await view.readFile(reference.resolved).catch(() => undefined);
            if (envText !== undefined) tree.sources.set(reference.resolved, envText);
          }
        }
        if (!name) continue;
        const behavior = asString(value.behavior) ?? 'create';
        const location = at(`/${field}/${i}/name`);
        if (behavior === 'create') {
          tree.declarations.push({
            kind,
            group: '',
            name,
            namespace: asString(value.namespace) ?? null,
            location,
            owner: node,
            hashed: options.disableNameSuffixHash !== true && generatorOptions.disableNameSuffixHash !== true,
            generator: { field, index: i },
          });
        } else {
          // merge / replace changes a generator of a base: for the object, that is a patch.
          tree.patches.push({ owner: node, location, target: { kind, name: escapeRegExp(name) } });
        }
      }
    }

    // Files that change the build without declaring objects.
    for (const field of ['crds', 'configurations', 'transformers', 'generators', 'validators']) {
      for (const [i, value] of asArray(spec[field]).entries()) {
        const entry = asString(value);
        if (entry) classify(node, field, `/${field}/${i}`, entry);
      }
    }
    for (const [i, value] of asArray(spec.replacements).entries()) {
      const path = isRecord(value) ? asString(value.path) : undefined;
      if (path) classify(node, 'replacements', `/replacements/${i}/path`, path);
    }
    if (asArray(spec.helmCharts).length > 0) tree.usesHelmCharts = true;
    return node;
  };

  const root = await visit(rootFile, null, 0, new Set());
  return { ...tree, root, files: [...fileList].sort() };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
