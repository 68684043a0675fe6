// `set-image`: what an application's build asks for after pushing an image — "run NAME:TAG (or
// NAME@DIGEST) in this environment". This module decides, per environment folder, which existing
// image references change and computes the edited texts; the plan itself is the promotion plan
// (image layout) built from "current text → edited text" pairs, so the changes, the in-place
// edits, the downgrade warnings and the printers are the promotion's own.
//
// Where a folder's kustomization has an `images:` entry for the image, only that entry changes
// (kustomize applies it over every container using the image); otherwise the container `image:`
// fields and Helm values `image:` maps/strings naming it change in place.
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import { MAX_EDITED_MANIFEST_BYTES } from '../manifest';
import { conventionalValuesFile, environmentFileRole } from './environmentFiles';
import { applyImageEdits, formatScalar, type ImageEdit } from './imageEdits';
import { imageName, scanImages, type ImageHolder, type ImageRef } from './imageRefs';
import { PromotionError } from './promotionError';
import { HEAD_BRANCH_PREFIX } from './promotionNames';

/** The image the build pushed: a name with a tag, a digest, or both. */
export interface RequestedImage {
  /** `ghcr.io/acme/web`, as given. */
  name: string;
  tag: string | null;
  /** `sha256:…` */
  digest: string | null;
  /** The argument as given (`ghcr.io/acme/web:1.4.0`). */
  reference: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Fa-f0-9]{32,}$/;
const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+|__)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/i;

/** Parses `NAME:TAG`, `NAME@DIGEST` or `NAME:TAG@DIGEST`; returns a sentence saying what is wrong otherwise. */
export function parseRequestedImage(reference: string): RequestedImage | string {
  const text = reference.trim();
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : null;
  const withoutDigest = at >= 0 ? text.slice(0, at) : text;
  const name = imageName(withoutDigest);
  const tag = name.length < withoutDigest.length ? withoutDigest.slice(name.length + 1) : null;
  if (!name || !NAME.test(name)) return `"${reference}" does not start with an image name (like ghcr.io/acme/web)`;
  if (tag === null && digest === null) return `"${reference}" has neither a tag nor a digest; give NAME:TAG or NAME@sha256:…`;
  if (tag !== null && !TAG.test(tag)) return `"${tag}" is not a valid image tag`;
  if (digest !== null && !DIGEST.test(digest)) return `"${digest}" is not a valid digest (expected sha256:<hex>)`;
  return { name, tag, digest, reference: text };
}

/** `docker.io/library/nginx`, `index.docker.io/nginx` and `nginx` are one image. */
export function canonicalImageName(name: string): string {
  let out = name.toLowerCase();
  out = out.replace(/^(?:index\.)?docker\.io\//, '');
  out = out.replace(/^library\//, '');
  return out;
}

function sameImage(a: string, b: string): boolean {
  return canonicalImageName(a) === canonicalImageName(b);
}

/** The full reference written into a container `image:` field or a Helm `image:` string. */
export function imageReferenceText(image: RequestedImage, writtenName: string): string {
  return `${writtenName}${image.tag !== null ? `:${image.tag}` : ''}${image.digest !== null ? `@${image.digest}` : ''}`;
}

/** What the reference is, in a few words: the tag, or the short digest. */
export function imageVersionLabel(image: RequestedImage): string {
  if (image.tag !== null) return image.tag;
  const hex = (image.digest ?? '').slice((image.digest ?? '').indexOf(':') + 1);
  return `${(image.digest ?? '').slice(0, (image.digest ?? '').indexOf(':') + 1)}${hex.slice(0, 12)}`;
}

export interface SetImageFile {
  path: string;
  text: string;
}

/** One place set-image edits, in words for the plan's notes. */
export interface SetImageMatch {
  file: string;
  line: number;
  how: 'kustomize' | 'container' | 'helm';
}

export interface FolderEdits {
  /** Files whose text changes, with their new text. */
  edited: Array<{ path: string; before: string; after: string }>;
  matches: SetImageMatch[];
  /** Which mechanism the folder uses for the image. */
  via: 'kustomize' | 'fields' | null;
}

function isKustomizationPath(path: string): boolean {
  return /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(path);
}

/**
 * Kustomize holders naming the image: by `name:` (the image as the base writes it), or by
 * `newName:` (the base says `web`, the overlay renames it to the registry image the build pushes).
 */
function kustomizeHolders(holders: readonly ImageHolder[], image: RequestedImage): ImageHolder[] {
  return holders.filter((h) => h.kind === 'kustomize' && (sameImage(h.name, image.name) || (h.fields.newName !== undefined && sameImage(h.fields.newName.value, image.name))));
}

function kustomizeEdits(holder: ImageHolder, image: RequestedImage): ImageEdit[] {
  const edits: ImageEdit[] = [];
  // A tag with a leftover digest would not take effect (the digest wins), and the other way round
  // the tag would only mislead: the field not given goes.
  for (const [field, value] of [['newTag', image.tag], ['digest', image.digest]] as const) {
    const existing: ImageRef | undefined = holder.fields[field];
    if (value !== null) {
      if (!existing) edits.push({ docIndex: holder.docIndex, pointer: `${holder.pointer}/${field}`, op: 'add', value });
      else if (existing.value !== value) edits.push({ docIndex: holder.docIndex, pointer: existing.pointer, op: 'set', value });
    } else if (existing) {
      edits.push({ docIndex: holder.docIndex, pointer: existing.pointer, op: 'remove' });
    }
  }
  return edits;
}

function helmMapEdits(holder: ImageHolder, image: RequestedImage): ImageEdit[] {
  const edits: ImageEdit[] = [];
  for (const [field, value] of [['tag', image.tag], ['digest', image.digest]] as const) {
    const existing = holder.fields[field];
    if (value !== null) {
      if (!existing) edits.push({ docIndex: holder.docIndex, pointer: `${holder.pointer}/${field}`, op: 'add', value });
      else if (existing.value !== value) edits.push({ docIndex: holder.docIndex, pointer: existing.pointer, op: 'set', value });
    } else if (existing && field === 'digest') {
      // Helm charts that take a digest use it over the tag: a new tag must not leave the old digest.
      edits.push({ docIndex: holder.docIndex, pointer: existing.pointer, op: 'remove' });
    }
  }
  return edits;
}

/**
 * The edits set-image makes in one environment folder's YAML files. Pure: the files come in as
 * texts. A file that already holds the requested value counts as matched but is not edited.
 */
export function planFolderEdits(files: readonly SetImageFile[], image: RequestedImage): FolderEdits {
  const scans = files.filter((f) => f.text.length <= MAX_EDITED_MANIFEST_BYTES).map((file) => ({ file, scan: scanImages(file.text, file.path) }));
  const kustomize = scans.filter((s) => isKustomizationPath(s.file.path)).map((s) => ({ ...s, holders: kustomizeHolders(s.scan.holders, image) })).filter((s) => s.holders.length > 0);
  const edited: FolderEdits['edited'] = [];
  const matches: SetImageMatch[] = [];
  const apply = (file: SetImageFile, edits: ImageEdit[]): void => {
    if (edits.length === 0) return;
    const result = applyImageEdits(file.text, edits);
    if (result.failed.length) {
      throw new PromotionError('failed', `${file.path}: cannot edit ${result.failed.map((e) => e.pointer).join(', ')} in place`, 'change the image by hand; the file\'s shape is unusual there');
    }
    if (result.text !== file.text) edited.push({ path: file.path, before: file.text, after: result.text });
  };
  if (kustomize.length > 0) {
    for (const { file, holders } of kustomize) {
      for (const holder of holders) matches.push({ file: file.path, line: holder.line, how: 'kustomize' });
      apply(file, holders.flatMap((h) => kustomizeEdits(h, image)));
    }
    return { edited, matches, via: 'kustomize' };
  }
  for (const { file, scan } of scans) {
    const edits: ImageEdit[] = [];
    for (const ref of scan.refs) {
      if (!sameImage(ref.name, image.name)) continue;
      matches.push({ file: file.path, line: ref.line, how: ref.kind === 'helm' ? 'helm' : 'container' });
      // The name stays as the file spells it (`nginx` stays `nginx`, not `docker.io/library/nginx`).
      const next = imageReferenceText(image, imageName(ref.value));
      if (next !== ref.value) edits.push({ docIndex: ref.docIndex, pointer: ref.pointer, op: 'set', value: next });
    }
    for (const holder of scan.holders) {
      if (holder.kind !== 'helm' || !holder.fields.repository || !sameImage(holder.fields.repository.value, image.name)) continue;
      matches.push({ file: file.path, line: holder.line, how: 'helm' });
      edits.push(...helmMapEdits(holder, image));
    }
    apply(file, edits);
  }
  return { edited, matches, via: matches.length ? 'fields' : null };
}

/** A folder several environments read (one Helm chart, one values file per environment). */
export interface SharedFolder {
  environment: string;
  /** The other environments reading the folder. */
  others: readonly string[];
  folder: string;
}

export interface EnvironmentFolderEdits extends FolderEdits {
  /** Files left alone, as sentences for the plan's notes. */
  notes: string[];
  /** The files the edits were planned over (the environment's own and the shared ones); the rest belong to other environments. */
  considered: SetImageFile[];
}

/**
 * Set-image's edits in a folder that other environments read too: only the environment's own
 * files change (values-prod.yaml), never another environment's (values-staging.yaml). Where the
 * image is only in a file every environment reads (values.yaml), set-image refuses, naming the
 * file: editing it would move dev and staging too, and writing an override into values-prod.yaml
 * ourselves would silently detach prod from values.yaml's tag from then on — a decision about the
 * chart's layout a reviewer should take on purpose, not one a build should slip into a pull
 * request. (Argo CD Image Updater makes the same call by writing its own override file, never the
 * chart's shared values.) With no shared folder this is `planFolderEdits`.
 */
export function planEnvironmentFolderEdits(files: readonly SetImageFile[], image: RequestedImage, shared: SharedFolder | null): EnvironmentFolderEdits {
  if (shared === null || shared.others.length === 0) return { ...planFolderEdits(files, image), notes: [], considered: [...files] };
  const roles = files.map((file) => ({ file, role: environmentFileRole(shared.environment, shared.others, shared.folder, file.path) }));
  const own = roles.filter((r) => r.role.role === 'own').map((r) => r.file);
  const common = roles.filter((r) => r.role.role === 'shared').map((r) => r.file);
  const considered = [...own, ...common];
  const edits = planFolderEdits(own, image);
  const inShared = planFolderEdits(common, image).matches;
  const notes: string[] = [];
  if (edits.matches.length > 0) {
    // Helm applies the environment's values file over values.yaml: the override decides, the default stays for the others.
    const files = [...new Set(inShared.map((m) => m.file))];
    if (files.length) notes.push(`${files.join(', ')}: read by every environment of ${shared.folder || '/'} (${[shared.environment, ...shared.others].join(', ')}), left alone; ${shared.environment}'s own values override it`);
    return { ...edits, notes, considered };
  }
  if (inShared.length > 0) {
    const first = inShared[0];
    const target = own.find((f) => /\.ya?ml$/i.test(f.path))?.path ?? conventionalValuesFile(shared.environment, shared.folder);
    throw new PromotionError(
      'failed',
      `${first.file}:${first.line}: ${image.name} is set in ${first.file}, which every environment of ${shared.folder || 'the repository root'} reads (${[shared.environment, ...shared.others].join(', ')}); setting it there would change them all, not only ${shared.environment}`,
      `set the image in ${shared.environment}'s own values file: add the same image map (repository and tag) to ${target}, which Helm applies over ${first.file} for ${shared.environment} only, then run set-image again; or change ${first.file} in a pull request of its own if every environment should move`,
    );
  }
  return { ...edits, notes, considered };
}

/** Every image name the files use (containers, kustomize entries and their new names, Helm values), sorted. */
export function imagesUsed(files: readonly SetImageFile[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    if (file.text.length > MAX_EDITED_MANIFEST_BYTES) continue;
    const scan = scanImages(file.text, file.path);
    for (const ref of scan.refs) if (ref.name) names.add(ref.name);
    for (const holder of scan.holders) {
      if (holder.kind === 'kustomize') {
        names.add(holder.name);
        if (holder.fields.newName) names.add(holder.fields.newName.value);
      } else if (holder.fields.repository) {
        names.add(holder.fields.repository.value);
      }
    }
  }
  return [...names].filter((n) => n !== '' && !n.startsWith('/')).sort();
}

/** The environment does not use the image: the CLI exits 1 and lists the ones it does use. */
export class ImageNotUsedError extends PromotionError {
  constructor(
    readonly environment: string,
    readonly image: string,
    readonly used: readonly string[],
  ) {
    super(
      'failed',
      `${environment} does not use the image ${image}; it uses ${used.length ? used.join(', ') : 'no images at all'}`,
      'check the image name (the environment\'s files name it without a tag), or add the image to the environment\'s manifests first',
    );
  }
}

function branchPart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/\.+$/, '').replace(/^[-.]+/, '') || 'x';
}

/** `gitops/set-image-prod-web-1.4.0`: deterministic, so a repeated run updates the same pull request. */
export function setImageBranchName(environment: string, image: RequestedImage): string {
  const base = image.name.slice(image.name.lastIndexOf('/') + 1);
  const version = image.tag !== null ? image.tag : (image.digest ?? '').replace(/^[^:]*:/, '').slice(0, 12);
  return `${HEAD_BRANCH_PREFIX}set-image-${branchPart(environment)}-${branchPart(base)}-${branchPart(version)}`;
}

export function setImageTitle(environment: string, image: RequestedImage): string {
  return `Set ${image.name} to ${imageVersionLabel(image)} in ${environment}`;
}

/** True for a kustomization file name (`kustomization.yaml`, `kustomization.yml`, `Kustomization`). */
export function isKustomizationFile(path: string): boolean {
  return isKustomizationPath(path);
}

/**
 * The local folders and files a kustomization includes (`resources`, `bases`, `components`),
 * repository-relative and normalised; remote bases (URLs, `github.com/…`) are left out. A path that
 * climbs above the repository root is dropped.
 */
export function kustomizationIncludes(text: string, kustomizationPath: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const record = doc as Record<string, unknown>;
  const folder = kustomizationPath.includes('/') ? kustomizationPath.slice(0, kustomizationPath.lastIndexOf('/')) : '';
  const out: string[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    const list = record[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string' || /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(item)) continue;
      const resolved = joinRelative(folder, item);
      if (resolved !== null && !out.includes(resolved)) out.push(resolved);
    }
  }
  return out;
}

/** `a/b` + `../c/./d` → `a/c/d`; null when it leaves the repository. */
function joinRelative(folder: string, relative: string): string | null {
  const parts = folder ? folder.split('/') : [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/**
 * A kustomization's text with a new `images:` item naming `name` (its newTag / digest are then
 * added by the image edits, like any missing field). Appended after the last item of a block
 * `images:` list, or as a new `images:` list at the end of the file; null when `images:` has a
 * shape that cannot be extended in place (a flow list, a scalar).
 */
export function withKustomizeImageEntry(text: string, name: string): string | null {
  let doc;
  try {
    doc = parseDocument(text);
  } catch {
    return null;
  }
  if (doc.errors.length || !isMap(doc.contents)) return null;
  const entry = `- name: ${formatScalar(name, undefined)}\n`;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && String(p.key.value) === 'images');
  if (!pair) {
    const newline = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${newline}images:\n  ${entry}`;
  }
  const images = pair.value;
  if (!isSeq(images) || images.flow || images.items.length === 0) return null;
  const last = images.items[images.items.length - 1] as { range?: [number, number, number] } | null;
  const first = images.items[0] as { range?: [number, number, number] } | null;
  if (!last?.range || !first?.range) return null;
  const firstLineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const dash = text.lastIndexOf('-', first.range[0]);
  if (dash < firstLineStart) return null;
  const end = last.range[1];
  const at = end > 0 && text[end - 1] === '\n' ? end : text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end) + 1;
  const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return `${text.slice(0, at)}${newline}${' '.repeat(dash - firstLineStart)}${entry}${text.slice(at)}`;
}

/** True when the files use the image anywhere (containers, kustomize entries, Helm values). */
export function filesUseImage(files: readonly SetImageFile[], image: RequestedImage): boolean {
  return imagesUsed(files).some((name) => sameImage(name, image.name));
}

/**
 * The overlay has no `images:` entry for an image its bases use: a new entry in the overlay's own
 * kustomization. `withEntry` is the text with the bare `- name:` item (the plan's starting point,
 * so the tag or digest shows as an added field), `after` the final text.
 */
export function addedKustomizeEntry(file: SetImageFile, image: RequestedImage): { withEntry: string; after: string } | null {
  const withEntry = withKustomizeImageEntry(file.text, image.name);
  if (withEntry === null) return null;
  const after = planFolderEdits([{ path: file.path, text: withEntry }], image).edited[0]?.after;
  return after === undefined ? null : { withEntry, after };
}

/** Commit trailer of a set-image commit: the image reference it sets (also marks the commit as ours on a repeated run). */
export const TRAILER_SET_IMAGE = 'Set-Image';

/**
 * The image reference a set-image plan sets, or null for promotions and rollbacks. A set-image plan
 * is the image layout from an environment to itself (promotions refuse that) on a set-image branch.
 */
export function setImageReference(plan: { kind: string; layout: string; from: string; to: string; headBranch: string; source: { ref: string } }): string | null {
  const setImage = plan.kind === 'promotion' && plan.layout === 'image' && plan.from === plan.to && plan.headBranch.startsWith(`${HEAD_BRANCH_PREFIX}set-image-`);
  return setImage ? plan.source.ref : null;
}
