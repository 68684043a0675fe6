// Git reads that promotion and rollback plans need beyond GitRepository: merge bases, ancestry,
// changed paths, folder listings as blob ids, raw remote URLs and promotion trailers. Read-only;
// every command takes an argument array.
import type { TreeFile } from '../../core/promotion/fileChanges';
import type { ChainLink } from '../../core/promotion/promotionTypes';
import { TRAILER_PROMOTED_FROM, TRAILER_PROMOTED_TO, TRAILER_SOURCE_COMMIT } from '../../core/promotion/promotionNames';
import { gitText, runGit } from '../gitProcess';
import type { GitRepository } from '../gitRepository';

const SHA = /^[0-9a-f]{40,64}$/;

/** Files (blobs and symlinks) under `folder` at `commit`; submodules are left out. */
export async function listFolder(repo: GitRepository, commit: string, folder: string): Promise<TreeFile[]> {
  const entries = await repo.listTree(commit, folder === '' ? undefined : folder);
  return entries.filter((e) => e.type === 'blob').map((e) => ({ path: e.path, blob: e.sha, mode: e.mode }));
}

export async function mergeBase(repo: GitRepository, a: string, b: string): Promise<string | null> {
  const result = await runGit(repo.root, ['merge-base', a, b], { okExitCodes: [0, 1] });
  const sha = result.stdout.toString('utf8').trim();
  return result.exitCode === 0 && SHA.test(sha) ? sha : null;
}

/** True when `ancestor` is reachable from `descendant` (or equal to it). */
export async function isAncestor(repo: GitRepository, ancestor: string, descendant: string): Promise<boolean> {
  const result = await runGit(repo.root, ['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [0, 1] });
  return result.exitCode === 0;
}

/** Paths that differ between two commits (`--no-renames`: a rename is a delete plus an add). */
export async function changedPaths(repo: GitRepository, from: string | null, to: string): Promise<string[]> {
  const args = from ? ['diff-tree', '-r', '-z', '--no-renames', '--name-only', from, to, '--'] : ['ls-tree', '-r', '-z', '--name-only', '--full-tree', to];
  const output = await gitText(repo.root, args);
  return output.split('\0').filter(Boolean);
}

/** Text of many blobs, read through the repository's cat-file pipe. Binary blobs are included as text (the core detects NULs). */
export async function readBlobTexts(repo: GitRepository, blobs: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(blobs)];
  const contents = await Promise.all(unique.map((sha) => repo.readBlob(sha)));
  const out = new Map<string, string>();
  unique.forEach((sha, i) => {
    const content = contents[i];
    if (content) out.set(sha, content.toString('utf8'));
  });
  return out;
}

/** The URL of a remote exactly as configured (before `insteadOf` rewriting), credentials stripped by the caller. */
export async function configuredRemoteUrl(repo: GitRepository, remote: string): Promise<string | null> {
  if (remote.startsWith('-')) return null;
  const url = (await repo.configValue(`remote.${remote}.url`))?.trim();
  return url ? url : null;
}

/** `branch.<name>.remote` of a local branch, or null. */
export async function upstreamRemote(repo: GitRepository, branch: string): Promise<string | null> {
  const remote = (await repo.configValue(`branch.${branch}.remote`))?.trim();
  return remote && remote !== '.' ? remote : null;
}

/** The branch a remote's HEAD points to (`origin/HEAD` → `main`), or null. */
export async function remoteDefaultBranch(repo: GitRepository, remote: string): Promise<string | null> {
  const result = await runGit(repo.root, ['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`], { okExitCodes: [0, 1, 128] });
  const ref = result.stdout.toString('utf8').trim();
  const prefix = `refs/remotes/${remote}/`;
  return result.exitCode === 0 && ref.startsWith(prefix) ? ref.slice(prefix.length) : null;
}

/**
 * The most recent promotion into `environment` within `commit`'s history, read from the
 * `Promoted-From:` / `Promoted-To:` / `Source-Commit:` trailers our promotion commits carry. Looks
 * at the newest `depth` commits only: a chain is about recent promotions.
 */
export async function promotionChain(repo: GitRepository, commit: string, environment: string, depth = 100): Promise<ChainLink[]> {
  const trailer = (key: string): string => `%(trailers:key=${key},valueonly,separator=%x2C)%x00`;
  const format = `--format=%H%x00${trailer(TRAILER_PROMOTED_FROM)}${trailer(TRAILER_PROMOTED_TO)}${trailer(TRAILER_SOURCE_COMMIT)}`;
  const result = await runGit(repo.root, ['log', '-z', `--max-count=${depth}`, format, commit, '--'], { okExitCodes: [0, 128] });
  if (result.exitCode !== 0) return [];
  const tokens = result.stdout.toString('utf8').split('\0');
  // Records: sha, from, to, source, then the -z terminator.
  for (let i = 0; i + 4 <= tokens.length; i += 5) {
    const first = (value: string | undefined): string => value?.trim().split(',')[0]?.trim() ?? '';
    const from = first(tokens[i + 1]);
    const to = first(tokens[i + 2]);
    const source = first(tokens[i + 3]);
    if (from && to === environment && SHA.test(source)) return [{ environment: from, commit: source }];
  }
  return [];
}

/**
 * Blob ids of each path's earlier versions in `commit`'s history (newest first, at most `perFile`
 * each, looking back `maxCommits` commits): the evidence of which values once flowed.
 */
export async function fileHistoryBlobs(repo: GitRepository, commit: string, paths: readonly string[], maxCommits = 200, perFile = 20): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const wanted = new Set(paths);
  for (let i = 0; i < paths.length; i += 200) {
    const part = paths.slice(i, i + 200);
    const result = await runGit(repo.root, ['log', '-z', '--format=', '--raw', '--no-abbrev', '--no-renames', `--max-count=${maxCommits}`, commit, '--', ...part], { okExitCodes: [0, 128] });
    if (result.exitCode !== 0) continue;
    const tokens = result.stdout.toString('utf8').split('\0');
    for (let t = 0; t + 1 < tokens.length; t++) {
      const meta = tokens[t].replace(/^\n+/, '');
      if (!meta.startsWith(':')) continue;
      const path = tokens[t + 1];
      t++;
      const blob = meta.split(' ')[3];
      if (!wanted.has(path) || !blob || !SHA.test(blob) || /^0+$/.test(blob)) continue;
      const list = out.get(path) ?? [];
      if (list.length < perFile && !list.includes(blob)) list.push(blob);
      out.set(path, list);
    }
  }
  return out;
}
