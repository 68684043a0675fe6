// What the blame engine takes (one object's base and the layers kustomize applied over it, in
// build order) and what it gives (for a field of the rendered object, the file and line that set
// it). Pure data; the adapter in src/render decides which layers touch which object.
import type { SourceLocation } from '../model';
import type { SourceNode } from './sourceTree';

/** How a value got its place in the rendered object. */
export type BlameVia =
  | 'base'
  | 'patch'
  | 'images'
  | 'replicas'
  | 'namespace'
  | 'namePrefix'
  | 'nameSuffix'
  | 'labels'
  | 'annotations'
  | 'generator'
  /** A Helm values file (the environment's `values-<env>.yaml`, or the chart's `values.yaml`). */
  | 'values';

/** A node of a source file: where it is, and how to find it again in the file's current text. */
export interface SourceRef {
  file: string;
  /** 0-based document index in the file. */
  docIndex: number;
  /** RFC 6901 pointer of the node inside its document. */
  pointer: string;
  node: SourceNode;
}

export interface FieldBlame {
  /** The file and the line (range) that set the value. */
  location: SourceLocation;
  via: BlameVia;
  /** Where, in `location.file`, the value node sits: what Accept Live rewrites. */
  docIndex: number;
  sourcePointer: string;
  /** The kustomization that applied the layer (lists the patch, holds the transformer); absent for a base. */
  kustomization?: string;
  /** An `images:` entry sets one part of the image: which one this line holds. */
  imagePart?: 'newName' | 'newTag' | 'digest';
  /** True when this node set the looked-up field itself, false when it set an ancestor (the field sits inside it). */
  exact: boolean;
  /**
   * The rendered value differs from what this line sets: something blame does not replay
   * (`replacements:`, a transformer plugin) changed it later. The line is still the last one
   * blame knows of; Accept Live does not write there.
   */
  changedLater?: true;
}

/** Looks up who set the value at a pointer of the rendered object (exact path, else nearest ancestor some layer set). */
export interface ObjectBlame {
  blame(pointer: string): FieldBlame | undefined;
}

export type BlameLayer =
  /** A strategic-merge patch document (file, inline, or patchesStrategicMerge). */
  | { kind: 'strategicMerge'; kustomization: string; patch: SourceRef }
  /** A JSON 6902 operation list. */
  | { kind: 'json6902'; kustomization: string; operations: SourceRef }
  /** The `count` of a `replicas:` entry that names the object. */
  | { kind: 'replicas'; kustomization: string; count: SourceRef }
  /** Every entry of an `images:` list (matched against the containers' images as the build goes). */
  | { kind: 'images'; kustomization: string; entries: SourceRef[] }
  | { kind: 'namespace'; kustomization: string; value: SourceRef }
  | { kind: 'namePrefix' | 'nameSuffix'; kustomization: string; value: SourceRef }
  /** `commonLabels:` (selectors and templates too) or one `labels:` entry's `pairs`. */
  | { kind: 'labels'; kustomization: string; pairs: SourceRef; selectors: boolean; templates: boolean }
  | { kind: 'annotations'; kustomization: string; pairs: SourceRef }
  /** A configMapGenerator / secretGenerator entry: `create` makes the object, `merge` / `replace` change it. */
  | { kind: 'generator'; kustomization: string; entry: SourceRef; behavior: 'create' | 'merge' | 'replace'; secret: boolean; envFiles: EnvFile[] };

/** An `envs:` file of a generator, read by the adapter. */
export interface EnvFile {
  file: string;
  text: string;
}

/** Where the object starts: its declaring document, or (for a generated object) nothing but the generator layer. */
export interface BlameBase {
  /** The declaring document's root; absent for generated objects. */
  document?: SourceRef;
  kind: string;
}
