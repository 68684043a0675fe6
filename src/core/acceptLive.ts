// "Accept live value into file": the smallest text edit that puts a live value at one node of a
// manifest, leaving comments, key order and the rest of the formatting untouched. A block mapping
// or list is written back as a block at the same indentation; a field the cluster does not have is
// removed with its lines. For a rendered (kustomize) object, `planAcceptLive` writes at the line
// blame names (an overlay patch, an `images:` newTag, a `replicas:` count, a generator literal), or
// in the environment's own overlay when that line is in a file other environments use.
import { stringify } from 'yaml';
import type { FieldBlame } from './blame/blameTypes';
import { splitImage } from './blame/objectBlame';
import { ACCEPT_LIVE_PATCH, listPatchEdit, mergeIntoPatchFile, overlayAffixes, patchFor, readablePathSteps } from './blame/overlayPatch';
import { nodeAt, parseSourceDocuments } from './blame/sourceTree';
import type { DriftField } from './drift/driftTypes';
import { parseManifests, splitPointer, type ParsedManifest } from './manifest';
import type { SourceRange } from './model';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

/** A scalar as YAML writes it inline (strings quoted only when they would read as something else). */
export function inlineYaml(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    return stringify(value, { lineWidth: 0 }).trimEnd();
  }
  // Maps and lists become flow collections: valid YAML in any block position, one node wide.
  return JSON.stringify(value);
}

function lineOf(lines: readonly string[], line: number): string {
  return lines[line - 1] ?? '';
}

/** The node spans whole lines from `range.start` and is a block collection (not `{…}`/`[…]`). */
function isBlockCollection(lines: readonly string[], range: SourceRange): boolean {
  if (range.end.line <= range.start.line) return false;
  const first = lineOf(lines, range.start.line).slice(range.start.column - 1);
  return !first.startsWith('{') && !first.startsWith('[') && !first.startsWith('|') && !first.startsWith('>');
}

/** A mapping or list written as a block, its later lines indented to the node's column. */
function blockYaml(value: object, column: number): string | undefined {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  if (text === '{}' || text === '[]') return text;
  const indent = ' '.repeat(column - 1);
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join('\n');
}

/**
 * Removes the mapping entry or list item Git declares at `pointer`, with its lines, when it stands
 * on lines of its own (a key that starts a `- ` item is not removed alone: the item would break).
 */
function removalEdit(manifest: ParsedManifest, pointer: string, lines: readonly string[]): TextEdit | undefined {
  const range = manifest.rangeOf(pointer);
  const exact = manifest.valueRangeOf(pointer);
  if (!exact) return undefined;
  const isItem = /\/\d+$/.test(pointer);
  const prefix = lineOf(lines, range.start.line).slice(0, range.start.column - 1);
  if (!(isItem ? /^\s*-\s+$/.test(prefix) : /^\s*$/.test(prefix))) return undefined;
  // A block collection's range ends at the start of the line after it.
  const endsAtLineStart = range.end.column === 1 && range.end.line > range.start.line;
  const lastLine = endsAtLineStart ? range.end.line - 1 : range.end.line;
  const rest = endsAtLineStart ? '' : lineOf(lines, range.end.line).slice(range.end.column - 1);
  if (!/^\s*(#.*)?$/.test(rest)) return undefined;
  return { range: { start: { line: range.start.line, column: 1 }, end: { line: lastLine + 1, column: 1 } }, newText: '' };
}

/**
 * The edit that puts the live value at `pointer` (or, with `live` undefined, removes Git's field
 * there). Undefined when Git does not declare that exact node (nothing to replace in place) or the
 * value is masked (a Secret). `text` is the manifest's file: with it, block collections keep their
 * block form and removals take whole lines; without it only inline replacements are made.
 */
export function acceptLiveEdit(manifest: ParsedManifest, pointer: string, live: unknown, text?: string): TextEdit | undefined {
  if (typeof live === 'object' && live !== null && (live as { masked?: unknown }).masked === true) return undefined;
  const lines = text?.split(/\r\n|\r|\n/);
  if (live === undefined) return lines ? removalEdit(manifest, pointer, lines) : undefined;
  const range = manifest.valueRangeOf(pointer);
  return range && valueEdit(range, live, lines);
}

/** Replaces the value node at `range` with `live`, in block form when the node is a block collection. */
function valueEdit(range: SourceRange, live: unknown, lines: readonly string[] | undefined): TextEdit | undefined {
  if (lines && typeof live === 'object' && live !== null && isBlockCollection(lines, range)) {
    const block = blockYaml(live, range.start.column);
    // A block node's range ends at column 1 of the line after it: its last line break is part of
    // the range, so the new block brings its own, or the next key would join its last line.
    const endsOnNextLine = range.end.column === 1 && range.end.line > range.start.line;
    if (block !== undefined) return { range, newText: endsOnNextLine && !block.endsWith('\n') ? `${block}\n` : block };
  }
  const inline = inlineYaml(live);
  if (inline.includes('\n')) return undefined;
  return { range, newText: inline };
}

// ---- Accept Live where the value is set (blame through overlays) ----

export type AcceptLivePlan =
  /** Edit the line that sets the value. */
  | { kind: 'edit'; file: string; edit: TextEdit; note?: string }
  /**
   * The line that sets the value is in a file other environments use: write this environment's own
   * overlay instead (a patch file merged or created, listed under its kustomization's `patches:`).
   */
  | { kind: 'overlay'; patchFile: string; patchText: string; kustomizationFile: string; kustomizationEdit?: TextEdit; sharedFile: string; sharedBy: string[] }
  | { kind: 'refused'; reason: string; file?: string; line?: number };

export interface AcceptLiveRequest {
  field: Pick<DriftField, 'pointer' | 'path' | 'change' | 'live'> & { source: FieldBlame };
  /** The rendered object's identity (its name is the rendered one, prefixes included). */
  resource: { apiVersion: string; kind: string; name: string };
  environment: string;
  /** Current texts of the files the plan may read: the blamed file, the overlay's kustomization and accept-live patch. */
  files: ReadonlyMap<string, string>;
  /** The environment's own kustomization file (its folder's), when it is a kustomize overlay. */
  overlayKustomization?: string;
  /** The other environments whose build reads `file`. */
  otherUsers(file: string): readonly string[];
}

const IDENTITY_VIAS = new Set(['namespace', 'namePrefix', 'nameSuffix']);

function where(source: FieldBlame): string {
  const line = source.location.range?.start.line;
  return `${source.location.file}${line ? `:${line}` : ''}`;
}

function refused(reason: string, source?: FieldBlame): AcceptLivePlan {
  return { kind: 'refused', reason, file: source?.location.file, line: source?.location.range?.start.line };
}

/** What an `images:` entry's line must hold for the image to become `live`. */
function imagePartValue(part: FieldBlame['imagePart'], live: unknown): string | undefined {
  if (typeof live !== 'string') return undefined;
  const image = splitImage(live);
  if (part === 'newTag') return image.digest ? undefined : image.tag;
  if (part === 'digest') return image.digest;
  return image.name;
}

/** The edit at the blamed line itself, or why there is none. */
function editAtSource(request: AcceptLiveRequest): AcceptLivePlan {
  const { field } = request;
  const source = field.source;
  const file = source.location.file;
  const text = request.files.get(file);
  if (text === undefined) return refused(`${file} cannot be read`, source);
  if (source.docIndex < 0) return refused(`Git sets ${field.path} in an inline patch of ${where(source)}; edit the patch text there`, source);
  if (!source.exact) return refused(`Git sets ${field.path} as part of a larger value at ${where(source)}; edit it there`, source);
  if (source.changedLater) return refused(`${where(source)} sets ${field.path}, but a later step of the build (replacements or a transformer plugin) changes it; edit the build there`, source);
  const lines = text.split(/\r\n|\r|\n/);
  let value: unknown = field.live;
  if (source.via === 'images') {
    value = imagePartValue(source.imagePart, field.live);
    if (value === undefined) return refused(`the live image ${JSON.stringify(field.live)} has no ${source.imagePart} to write into the images: entry at ${where(source)}`, source);
  }
  if (source.via === 'generator') {
    if (typeof field.live !== 'string') return refused(`the live value is not text; edit the generator entry at ${where(source)}`, source);
    const line = source.location.range?.start.line ?? 0;
    const current = lines[line - 1] ?? '';
    const literal = /^(\s*(?:-\s+)?["']?)([^=\s"']+)=(.*?)(["']?\s*)$/.exec(current);
    if (!literal || field.change !== 'changed') return refused(`Git sets ${field.path} at ${where(source)}; edit it there`, source);
    const start = literal[1].length + literal[2].length + 1;
    return { kind: 'edit', file, edit: { range: { start: { line, column: start + 1 }, end: { line, column: start + literal[3].length + 1 } }, newText: field.live } };
  }
  if (field.change === 'notInLive' && source.via !== 'base' && source.via !== 'patch') {
    return refused(`the cluster lacks ${field.path}, which ${source.via} at ${where(source)} sets; remove it there`, source);
  }
  const manifest = parseManifests(text, file).manifests.find((m) => m.docIndex === source.docIndex);
  if (manifest) {
    const edit = acceptLiveEdit(manifest, source.sourcePointer, field.change === 'notInLive' ? undefined : value, text);
    return edit ? { kind: 'edit', file, edit } : refused(`${field.path} shares its line at ${where(source)} with other fields; edit it there`, source);
  }
  // Documents parseManifests leaves out (a JSON 6902 operation list).
  const document = parseSourceDocuments(text).find((d) => d.index === source.docIndex);
  const node = document && nodeAt(document.root, splitPointer(source.sourcePointer));
  if (!node?.valueRange || field.change === 'notInLive') return refused(`Git sets ${field.path} at ${where(source)}; edit it there`, source);
  const edit = valueEdit(node.valueRange, value, lines);
  return edit ? { kind: 'edit', file, edit } : refused(`${field.path} cannot be written at ${where(source)}; edit it there`, source);
}

/** A patch in the environment's own overlay that sets the field, or why there is none. */
function overlayWrite(request: AcceptLiveRequest, sharedBy: readonly string[]): AcceptLivePlan {
  const { field } = request;
  const source = field.source;
  const shared = `${where(source)} is also used by ${sharedBy.join(', ')}`;
  const kustomizationFile = request.overlayKustomization;
  const kustomization = kustomizationFile ? request.files.get(kustomizationFile) : undefined;
  if (!kustomizationFile || kustomization === undefined) return refused(`${shared}; ${request.environment} has no overlay of its own to write into: edit the shared file on purpose`, source);
  if (field.change !== 'changed') return refused(`${shared}; removing a field through an overlay patch is not done automatically: edit ${where(source)} on purpose`, source);
  const steps = readablePathSteps(field.path);
  const { prefix, suffix } = overlayAffixes(kustomization);
  const name = request.resource.name;
  if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length < prefix.length + suffix.length) {
    return refused(`${shared}; ${request.resource.kind} ${name} is not named by ${kustomizationFile}'s namePrefix/nameSuffix, so no patch there can name it`, source);
  }
  const subject = { apiVersion: request.resource.apiVersion, kind: request.resource.kind, name: name.slice(prefix.length, name.length - suffix.length) };
  if ((subject.kind === 'ConfigMap' || subject.kind === 'Secret') && /-[a-z0-9]{10}$/.test(subject.name)) {
    return refused(`${shared}; ${name} is generated (its name ends in a content hash), so a patch cannot name it: add the value to a configMapGenerator/secretGenerator entry with behavior: merge in ${kustomizationFile}`, source);
  }
  const patch = steps ? patchFor(subject, steps, field.live) : 'its path cannot be read';
  if (typeof patch === 'string') return refused(`${shared}, and an overlay patch cannot set it: ${patch}. Edit ${where(source)} on purpose`, source);
  const dir = kustomizationFile.includes('/') ? kustomizationFile.slice(0, kustomizationFile.lastIndexOf('/') + 1) : '';
  const patchFile = `${dir}${ACCEPT_LIVE_PATCH}`;
  const listed = listPatchEdit(kustomization, ACCEPT_LIVE_PATCH);
  if (typeof listed === 'string') return refused(`${shared}; ${kustomizationFile}: ${listed}, so the new patch cannot be listed`, source);
  return {
    kind: 'overlay',
    patchFile,
    patchText: mergeIntoPatchFile(request.files.get(patchFile), patch),
    kustomizationFile,
    ...(listed ? { kustomizationEdit: listed } : {}),
    sharedFile: source.location.file,
    sharedBy: [...sharedBy],
  };
}

/**
 * Where and how to write a live value for a field of a rendered object: at the line that sets it
 * (an overlay patch, an `images:` newTag, a `replicas:` count…) when only this environment uses
 * that file; else in this environment's own overlay. Identity (namespace, name) and Secret values
 * are never written from the cluster. Every refusal names its reason and the file to edit.
 */
export function planAcceptLive(request: AcceptLiveRequest): AcceptLivePlan {
  const { field } = request;
  const source = field.source;
  if (typeof field.live === 'object' && field.live !== null && (field.live as { masked?: unknown }).masked === true) {
    return refused(`${field.path} is a Secret value; it is never copied from the cluster: edit ${where(source)} yourself`, source);
  }
  if (field.change === 'notInGit') return refused(`Git does not declare ${field.path}; add it where this environment's values are set`, source);
  if (IDENTITY_VIAS.has(source.via)) {
    return refused(`${field.path} is ${request.environment}'s identity, set by ${source.via} at ${where(source)}; change it there on purpose, not from the cluster`, source);
  }
  const sharedBy = request.otherUsers(source.location.file);
  if (sharedBy.length === 0) return editAtSource(request);
  return overlayWrite(request, sharedBy);
}
