// The kustomize role of an open file, for the editor's validation: a patch that a kustomization
// names is held only to what it sets, configuration and generator inputs are no objects (see
// documentValidation.ts). The kustomizations asked are those in the file's folder and the folders
// above it up to the repository root, then every kustomization they pull in (bases, components),
// as `gitops-env validate` follows them; the roles of their entries are kustomizeFileRoles.ts's.
// Kustomizations are read through a reader the caller gives (the editor's workspace file system),
// each one once until it changes: the role of a file is a few map lookups after the first answer.
// No vscode import: the extension and the tests share it.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { MAX_MANIFEST_BYTES, parseManifests } from '../../core/manifest';
import { KUSTOMIZATION_FILE_NAMES, kustomizationFileReferences, strongerRole, type KustomizeFileRole } from '../../core/validation/kustomizeFileRoles';

/** A file's text; undefined when there is none to read (missing, a folder, unreadable). */
export type ReadText = (path: string) => Promise<string | undefined>;

/** A file a kustomization names, by its absolute path. */
export interface NamedFile {
  path: string;
  role: KustomizeFileRole;
}

/** The files one kustomization file names; undefined when there is no kustomization at that path. */
export type ReadKustomization = (kustomizationPath: string) => Promise<readonly NamedFile[] | undefined>;

/** Kustomizations followed for one file at most: a guard against a repository of thousands, not a limit users meet. */
const MAX_KUSTOMIZATIONS = 500;

/** `read` as a ReadKustomization: the file parsed, its entries resolved against its folder. */
export function kustomizationReader(read: ReadText): ReadKustomization {
  return async (kustomizationPath) => {
    const text = await read(kustomizationPath).catch(() => undefined);
    if (text === undefined) return undefined;
    // Too big to be a kustomization anyone wrote; as unreadable, it names nothing.
    if (text.length > MAX_MANIFEST_BYTES) return [];
    const spec = parseManifests(text, kustomizationPath).manifests[0]?.object;
    if (!spec) return [];
    const folder = dirname(kustomizationPath);
    return kustomizationFileReferences(spec).map((reference) => ({ path: resolve(folder, reference.entry), role: reference.role }));
  };
}

/** The file's folder and those above it, nearest first, up to `root`; none when the file is outside `root`. */
export function foldersUpTo(file: string, root: string): string[] {
  const inside = (folder: string): boolean => {
    const rel = relative(root, folder);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  const out: string[] = [];
  for (let folder = dirname(file); inside(folder); folder = dirname(folder)) {
    out.push(folder);
    if (relative(root, folder) === '') break;
  }
  return out;
}

/**
 * What the kustomizations around `file` name it as (the stronger role when several name it), or
 * undefined when none does: kustomizations in its folder and above up to `root`, and those they
 * pull in through folder entries of `resources`, `bases` and `components`, followed transitively.
 */
export async function kustomizeRoleOfFile(file: string, root: string, readKustomization: ReadKustomization): Promise<KustomizeFileRole | undefined> {
  const target = resolve(file);
  const inFolder = (folder: string): string[] => KUSTOMIZATION_FILE_NAMES.map((name) => join(folder, name));
  const queue = foldersUpTo(target, root).flatMap(inFolder);
  const seen = new Set(queue);
  let role: KustomizeFileRole | undefined;
  for (let index = 0; index < queue.length && index < MAX_KUSTOMIZATIONS; index++) {
    const named = await readKustomization(queue[index]);
    for (const entry of named ?? []) {
      if (entry.path === target) role = strongerRole(role, entry.role);
      // A folder among these is a kustomization (a Component for `components`); a file has none to read.
      if (entry.role !== 'resource') continue;
      for (const inner of inFolder(entry.path)) {
        if (seen.has(inner)) continue;
        seen.add(inner);
        queue.push(inner);
      }
    }
  }
  return role;
}

/** An answer of KustomizeRoles: `role` undefined when no kustomization names the file. */
export interface KnownRole {
  role: KustomizeFileRole | undefined;
}

/**
 * The roles of open files, kept until a kustomization changes: each kustomization file is read once
 * (its absence too) and each file's role found once; `changed` forgets what one path said. Concurrent
 * questions share one search; a search that a change overtook is not kept.
 */
export class KustomizeRoles {
  private readonly kustomizations = new Map<string, Promise<readonly NamedFile[] | undefined>>();
  private readonly answers = new Map<string, KnownRole>();
  private readonly searches = new Map<string, Promise<KustomizeFileRole | undefined>>();
  private generation = 0;
  private readonly readKustomization: ReadKustomization;

  constructor(read: ReadText) {
    const uncached = kustomizationReader(read);
    this.readKustomization = (path) => {
      let entry = this.kustomizations.get(path);
      if (!entry) {
        const made = uncached(path);
        entry = made;
        this.kustomizations.set(path, made);
        // Never keep a failed read: the next question reads again.
        made.catch(() => {
          if (this.kustomizations.get(path) === made) this.kustomizations.delete(path);
        });
      }
      return entry;
    };
  }

  /** The role found for `file` since the last change; undefined: not known yet (ask `resolve`). */
  known(file: string, root: string): KnownRole | undefined {
    return this.answers.get(keyOf(file, root));
  }

  /** The role of `file`, found now or remembered. */
  resolve(file: string, root: string): Promise<KustomizeFileRole | undefined> {
    const key = keyOf(file, root);
    const known = this.answers.get(key);
    if (known) return Promise.resolve(known.role);
    let search = this.searches.get(key);
    if (!search) {
      const generation = this.generation;
      search = kustomizeRoleOfFile(file, root, this.readKustomization).then(
        (role) => {
          if (generation === this.generation) {
            this.answers.set(key, { role });
            this.searches.delete(key);
          }
          return role;
        },
        (error: unknown) => {
          if (generation === this.generation) this.searches.delete(key);
          throw error;
        },
      );
      this.searches.set(key, search);
    }
    return search;
  }

  /** A kustomization file was created, changed or deleted: what it said is forgotten, and every role with it. */
  changed(kustomizationPath: string): void {
    this.kustomizations.delete(resolve(kustomizationPath));
    this.answers.clear();
    this.searches.clear();
    this.generation++;
  }
}

function keyOf(file: string, root: string): string {
  return `${resolve(root)}\u0000${resolve(file)}`;
}
