// Which environment an open file belongs to, for the editor's validation: only files of an
// environment are validated (a chart's templates, CI files or a stray YAML elsewhere stay quiet).
// No vscode import: the extension and the tests share it.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

export interface EnvironmentCandidate {
  /** environmentKey(folderUri, name), as the drift store names environments. */
  key: string;
  name: string;
  /** The repository root on disk (the environment's files are in its working tree). */
  repoRoot: string;
  /** The environment's folders relative to the root (POSIX); empty: the whole repository. */
  folders: string[];
  /** kubeconfig context of the environment's cluster, or null. */
  context: string | null;
}

/**
 * The environment whose folder holds `fsPath`: the deepest matching folder wins (apps/web/overlays/prod
 * before apps/web); an environment of the whole repository matches only when no folder does.
 * Candidates are the environments whose files are on disk now (checked out).
 */
export function environmentOfFile(candidates: readonly EnvironmentCandidate[], fsPath: string): EnvironmentCandidate | undefined {
  let best: { candidate: EnvironmentCandidate; depth: number } | undefined;
  for (const candidate of candidates) {
    const rel = relative(candidate.repoRoot, fsPath);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    const posix = rel.split(sep).join('/');
    if (posix.startsWith('.git/') || posix.includes('/node_modules/')) continue;
    if (candidate.folders.length === 0) {
      if (!best) best = { candidate, depth: 0 };
      continue;
    }
    for (const folder of candidate.folders) {
      const inside = folder === '' || posix === folder || posix.startsWith(`${folder}/`);
      const depth = folder === '' ? 0 : folder.split('/').length;
      if (inside && (!best || depth > best.depth)) best = { candidate, depth };
    }
  }
  return best?.candidate;
}

/**
 * True when the file is part of a Helm chart (a folder between it and the repository root holds
 * Chart.yaml): templates are not Kubernetes objects until rendered, and values files are not
 * objects at all (`gitops-env validate` skips charts too). `charts` remembers answers per folder.
 */
export function inHelmChart(fsPath: string, repoRoot: string, charts: Map<string, boolean>): boolean {
  const seen: string[] = [];
  let dir = dirname(fsPath);
  let found = false;
  while (true) {
    const known = charts.get(dir);
    if (known !== undefined) {
      found = known;
      break;
    }
    seen.push(dir);
    if (existsSync(join(dir, 'Chart.yaml'))) {
      found = true;
      break;
    }
    const parent = dirname(dir);
    const rel = relative(repoRoot, dir);
    if (parent === dir || rel === '' || rel.startsWith('..') || isAbsolute(rel)) break;
    dir = parent;
  }
  for (const folder of seen) charts.set(folder, found);
  return found;
}
