// Maps each object kustomize printed back to the file and line that declare it, and to the
// patches that changed it, by replaying the name transformations (namePrefix / nameSuffix of
// every kustomization on the way up, generator hashes) over the declarations of the tree.
import type { ResourceId, SourceLocation } from '../core/model';
import { safeFullMatcher } from '../core/patternSafety';
import { lazyBlame, SourceCache } from './kustomizeBlame';
import type { Declaration, KustomizationNode, KustomizeTree, PatchDeclaration, PatchTarget } from './kustomizeTree';
import type { RenderedObject } from './renderEnvironment';

/** Kinds kustomize's prefix/suffix transformer leaves alone. */
const UNPREFIXED_KINDS = new Set(['Namespace', 'CustomResourceDefinition', 'APIService']);

interface Candidate {
  declaration: Declaration;
  /** Names the object has at each kustomization from its owner up to the root (index 0 = owner, before its own prefix). */
  namesByLevel: Map<KustomizationNode, string>;
  finalName: string;
  finalNamespace: string | null;
}

function chainOf(node: KustomizationNode): KustomizationNode[] {
  const chain: KustomizationNode[] = [];
  for (let current: KustomizationNode | null = node; current; current = current.parent) chain.push(current);
  return chain;
}

function candidateFor(declaration: Declaration): Candidate {
  const namesByLevel = new Map<KustomizationNode, string>();
  let name = declaration.name;
  let namespace = declaration.namespace;
  for (const node of chainOf(declaration.owner)) {
    // Patches in a kustomization see names before that kustomization's own prefix.
    namesByLevel.set(node, name);
    if (!UNPREFIXED_KINDS.has(declaration.kind)) name = `${node.namePrefix}${name}${node.nameSuffix}`;
    if (node.namespace) namespace = node.namespace;
  }
  return { declaration, namesByLevel, finalName: name, finalNamespace: namespace };
}

function nameMatches(candidate: Candidate, renderedName: string): boolean {
  if (candidate.finalName === renderedName) return true;
  // Generated ConfigMaps and Secrets end in `-<10 character content hash>`.
  return candidate.declaration.hashed && renderedName.startsWith(`${candidate.finalName}-`) && /^[a-z0-9]{10}$/.test(renderedName.slice(candidate.finalName.length + 1));
}

function labelsOf(object: Record<string, unknown>, field: 'labels' | 'annotations'): Record<string, string> {
  const metadata = object.metadata;
  if (typeof metadata !== 'object' || metadata === null) return {};
  const value = (metadata as Record<string, unknown>)[field];
  return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
}

/** Equality-based selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`); set-based terms are treated as matching. */
function selectorMatches(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  return selector.split(',').every((raw) => {
    const term = raw.trim();
    if (!term || /\s(in|notin)\s/.test(term)) return true;
    const notEqual = /^([^!=]+)!=(.*)$/.exec(term);
    if (notEqual) return labels[notEqual[1].trim()] !== notEqual[2].trim();
    const equal = /^([^!=]+)==?(.*)$/.exec(term);
    if (equal) return labels[equal[1].trim()] === equal[2].trim();
    if (term.startsWith('!')) return !(term.slice(1) in labels);
    return term in labels;
  });
}

function targetMatches(target: PatchTarget, id: ResourceId, names: readonly string[], object: Record<string, unknown>): boolean {
  if (target.kind && target.kind !== id.kind) return false;
  if (target.group !== undefined && target.group !== id.group) return false;
  if (target.version && target.version !== id.version) return false;
  // Namespaces are not compared: overlays usually move objects to another namespace after the
  // patch names them, and a missed patch only hides a hint while a wrong namespace test would too.
  if (target.name !== undefined) {
    // kustomize reads the name as an RE2 expression; one that would backtrack for ages here is compared as text.
    const matches = safeFullMatcher(target.name);
    if (!names.some(matches)) return false;
  }
  return selectorMatches(target.labelSelector, labelsOf(object, 'labels')) && selectorMatches(target.annotationSelector, labelsOf(object, 'annotations'));
}

export type OriginResolver = (id: ResourceId, object: Record<string, unknown>) => RenderedObject['origin'];

export function createOriginResolver(tree: KustomizeTree): OriginResolver {
  const byKind = new Map<string, Candidate[]>();
  for (const declaration of tree.declarations) {
    const list = byKind.get(declaration.kind) ?? [];
    list.push(candidateFor(declaration));
    byKind.set(declaration.kind, list);
  }
  const patchesFor = (id: ResourceId, object: Record<string, unknown>, candidate: Candidate | undefined): SourceLocation[] => {
    const found: SourceLocation[] = [];
    for (const patch of tree.patches as PatchDeclaration[]) {
      // A patch applies to what its kustomization accumulated: objects declared at or below it.
      // A component's patches see the objects of the kustomization that lists it.
      const level = (node: KustomizationNode): string | undefined => candidate?.namesByLevel.get(node) ?? (node.parent?.children.some((c) => c.field === 'components' && c.node === node) ? level(node.parent) : undefined);
      const seenAs = candidate ? level(patch.owner) : patch.owner === tree.root ? id.name : undefined;
      if (seenAs === undefined) continue;
      const names = [...new Set([seenAs, id.name, candidate?.declaration.name ?? id.name])];
      if (targetMatches(patch.target, id, names, object)) found.push(patch.location);
    }
    return found;
  };
  const sources = new SourceCache(tree);
  return (id, object) => {
    const candidates = (byKind.get(id.kind) ?? []).filter((candidate) => nameMatches(candidate, id.name));
    const candidate =
      candidates.find((c) => (c.finalNamespace ?? null) === id.namespace && (c.declaration.group === id.group || c.declaration.group === '')) ??
      candidates.find((c) => c.declaration.group === id.group) ??
      candidates[0];
    const patches = patchesFor(id, object, candidate);
    const origin: RenderedObject['origin'] = candidate
      ? {
          file: candidate.declaration.location.file,
          range: candidate.declaration.location.range,
          blame: lazyBlame(sources, {
            id,
            object,
            declaration: candidate.declaration,
            namesByLevel: candidate.namesByLevel,
            matches: (target, names) => targetMatches(target, id, names, object),
          }),
        }
      : // Made by something we cannot replay (a helm chart, a remote base, a plugin): the kustomization.
        { file: tree.root.file };
    if (patches.length > 0) origin.patches = patches;
    return origin;
  };
}
