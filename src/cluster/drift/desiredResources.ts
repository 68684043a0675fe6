// Rendered objects → the drift engine's desired resources. Plain YAML keeps its parsed document,
// so every drifted field has a line. A kustomize or helm object has no document of its own; when
// its declaring file can be read, that file is parsed and the object's document there is used
// for field ranges, and a kustomize object carries its blame: the overlay patch, transformer
// entry, component or base line that set each field, which every view prefers.
import type { DesiredResource } from '../../core/drift/driftTypes';
import { contentHash } from '../../core/drift/hash';
import { parseManifests, type ManifestParseResult, type ParsedManifest } from '../../core/manifest';
import type { RenderedObject } from '../../render/renderEnvironment';

/** Reads a repository-relative file (a RepoView's readFile); undefined when it does not exist. */
export type SourceReader = (path: string) => Promise<string | undefined>;

/** The document in `manifests` declared at `line` (its `kind:` line, or any line inside it) with the same kind. */
function documentAt(manifests: readonly ParsedManifest[], line: number, kind: string): ParsedManifest | undefined {
  const sameKind = manifests.filter((m) => m.object.kind === kind);
  return (
    sameKind.find((m) => m.kindRange.start.line === line) ??
    sameKind.find((m) => m.range.start.line <= line && line <= m.range.end.line)
  );
}

/** Adds the content hash the drift cache keys on, computed once per object. */
export function withContentHash(resource: DesiredResource): DesiredResource {
  return resource.contentHash ? resource : { ...resource, contentHash: contentHash(resource.object) };
}

/**
 * `contentHash: false` leaves the hash out: a one-shot comparison (the CLI) keys no cache on it,
 * and hashing every object would cost as much as comparing it.
 */
export async function toDesiredResources(objects: readonly RenderedObject[], read?: SourceReader, options: { contentHash?: boolean } = {}): Promise<DesiredResource[]> {
  const hashed = (resource: DesiredResource): DesiredResource => (options.contentHash === false ? resource : withContentHash(resource));
  const parsed = new Map<string, Promise<ParsedManifest[]>>();
  const parse = (file: string): Promise<ParsedManifest[]> => {
    let pending = parsed.get(file);
    if (!pending) {
      pending = (read ? read(file) : Promise.resolve(undefined))
        .then((text) => (text === undefined ? [] : parseManifests(text, file).manifests))
        .catch(() => []);
      parsed.set(file, pending);
    }
    return pending;
  };
  return Promise.all(
    objects.map(async (rendered): Promise<DesiredResource> => {
      const origin = { file: rendered.origin.file, range: rendered.origin.range };
      if (rendered.manifest) return hashed({ object: rendered.object, manifest: rendered.manifest, origin });
      const blame = {
        ...(rendered.origin.blame ? { blame: rendered.origin.blame } : {}),
        ...(rendered.origin.patches?.length ? { inputs: [...new Set(rendered.origin.patches.map((patch) => patch.file))] } : {}),
      };
      const line = rendered.origin.range?.start.line;
      if (read && line !== undefined) {
        const base = documentAt(await parse(rendered.origin.file), line, rendered.id.kind);
        if (base) return hashed({ object: rendered.object, manifest: base, origin, ...blame });
      }
      return hashed({ object: rendered.object, origin, ...blame });
    }),
  );
}

export interface FileReplacement {
  desired: DesiredResource[];
  /** Keys whose desired content changed, appeared or went away. */
  changed: string[];
}

/**
 * The desired set with the plain manifests of `file` replaced by the documents of `text` (an
 * editor buffer). Undefined when the file is input to a kustomize or helm build: its objects are a
 * build's output, and change only when the caller renders again. While a document has a syntax
 * error (mid-typing), its resources keep their last version rather than vanishing from every view.
 */
export function replaceDeclaredIn(
  desired: readonly DesiredResource[],
  file: string,
  text: string,
  keyOf: (resource: DesiredResource) => string,
  parse: (text: string, file: string) => ManifestParseResult = parseManifests,
): FileReplacement | undefined {
  const declared = (resource: DesiredResource): boolean => resource.manifest?.file === file && resource.manifest.object === resource.object;
  // One pass (this runs on every keystroke, over every object of the environment): the file's own
  // documents, where they start, and whether the file is instead a base or patch of a build.
  const previous = new Map<string, DesiredResource>();
  let first = -1;
  for (let i = 0; i < desired.length; i++) {
    const resource = desired[i];
    if (resource.manifest !== undefined && resource.manifest.file === file) {
      // A base or patch of a build: its documents are not objects of their own.
      if (resource.manifest.object !== resource.object) return undefined;
      if (first < 0) first = i;
      previous.set(keyOf(resource), resource);
    } else if (resource.inputs !== undefined && resource.inputs.includes(file)) return undefined;
  }
  const parsed = parse(text, file);
  const fresh = parsed.manifests.filter((manifest) => manifest.id !== null).map((manifest) => withContentHash({ object: manifest.object, manifest }));
  const changed = new Set<string>();
  const kept = new Set<string>();
  for (const resource of fresh) {
    const key = keyOf(resource);
    kept.add(key);
    if (previous.get(key)?.contentHash !== resource.contentHash) changed.add(key);
  }
  const broken = parsed.problems.some((problem) => problem.severity === 'error');
  for (const [key, resource] of previous) {
    if (kept.has(key)) continue;
    if (broken) fresh.push(resource);
    else changed.add(key);
  }
  const next =
    first < 0
      ? [...desired, ...fresh]
      : [...desired.slice(0, first), ...fresh, ...desired.slice(first + 1).filter((resource) => !declared(resource))];
  return { desired: next, changed: [...changed] };
}
