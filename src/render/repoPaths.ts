// Repository-relative POSIX path helpers shared by the renderers.
import { posix } from 'node:path';

/** File names kustomize accepts for a kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** `null`, `''`, `.`, `./apps/`, `apps/` → `''` or `apps`. */
export function cleanFolder(path: string | null | undefined): string {
  if (!path) return '';
  const cleaned = posix.normalize(path.replace(/\\/g, '/')).replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return cleaned === '.' ? '' : cleaned;
}

/** True when `file` is inside `folder` ('' = the repository root). */
export function isUnder(file: string, folder: string): boolean {
  return folder === '' || file.startsWith(`${folder}/`);
}

export function joinPath(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

/**
 * Resolves a path written in a file inside `folder` to a repository-relative path; null when it
 * leaves the repository or is absolute.
 */
export function resolveFrom(folder: string, entry: string): string | null {
  if (entry.startsWith('/') || /^[A-Za-z]:[\\/]/.test(entry)) return null;
  const joined = posix.normalize(posix.join(folder || '.', entry.replace(/\\/g, '/'))).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../')) return null;
  return joined === '.' ? '' : joined;
}

/** The kustomization file directly in `folder`, if any. */
export function kustomizationFileIn(files: ReadonlySet<string>, folder: string): string | null {
  for (const name of KUSTOMIZATION_FILES) {
    const candidate = joinPath(folder, name);
    if (files.has(candidate)) return candidate;
  }
  return null;
}

/** The Chart.yaml directly in `folder`, if any. */
export function chartFileIn(files: ReadonlySet<string>, folder: string): string | null {
  const candidate = joinPath(folder, 'Chart.yaml');
  return files.has(candidate) ? candidate : null;
}
