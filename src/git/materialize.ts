// Writes the tree at a ref into a directory of its own, for tools that need files on disk
// (kustomize, helm). Reads objects through cat-file only: the user's working tree, index and HEAD
// are never touched, and `.gitattributes` export rules (which `git archive` would apply) do not
// change what the tools see. Directories are named by tree id, so an unchanged ref reuses its copy.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GitError } from './gitError';
import type { GitRepository, TreeEntry } from './gitRepository';

/** Copies kept per cache directory; older ones are removed once they have not been used for a while. */
const KEEP_COPIES = 8;
const PRUNE_AFTER_MS = 10 * 60_000;
/** Blobs read at once: enough to keep the cat-file pipe busy without holding a whole repository in memory. */
const BATCH = 256;

const inProgress = new Map<string, Promise<string>>();

/** True for paths a hostile tree could use to write outside the directory (`..`, absolute, `.git`). */
function unsafePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return true;
  return path.split('/').some((part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git');
}

/**
 * Writes the tree at `ref` under `dir` and returns the directory holding it (`dir/<tree id>`).
 * Concurrent calls for one tree share the work; a finished copy is reused. Throws GitError
 * `unknownRef` when the ref does not exist.
 */
export async function materializeRef(repo: GitRepository, ref: string, dir: string): Promise<string> {
  const tree = await repo.treeHash(ref);
  if (!tree) throw new GitError('unknownRef', `Unknown ref: ${ref}`);
  const target = join(dir, tree);
  const running = inProgress.get(target);
  if (running) return running;
  const work = materializeTree(repo, tree, dir, target).finally(() => inProgress.delete(target));
  inProgress.set(target, work);
  return work;
}

async function materializeTree(repo: GitRepository, tree: string, dir: string, target: string): Promise<string> {
  if (await exists(target)) {
    // Mark it recently used so pruning keeps it.
    const now = new Date();
    await utimes(target, now, now).catch(() => undefined);
    return target;
  }
  await mkdir(dir, { recursive: true });
  // Written beside the target and renamed at the end: a crash never leaves a half copy under the final name.
  const scratch = join(dir, `.tmp-${tree}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(scratch);
    await writeTree(repo, tree, scratch);
    try {
      await rename(scratch, target);
    } catch (error) {
      // Another process finished the same tree first; its copy is as good as ours.
      if (!(await exists(target))) throw error;
      await rm(scratch, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  await prune(dir, target);
  return target;
}

async function writeTree(repo: GitRepository, tree: string, root: string): Promise<void> {
  const entries = (await repo.listTree(tree)).filter((entry) => !unsafePath(entry.path));
  const folders = new Set<string>();
  for (const entry of entries) {
    // Submodules are not in this repository's objects; leave an empty folder where they sit.
    const folder = entry.type === 'commit' ? entry.path : posix.dirname(entry.path);
    if (folder !== '.') folders.add(folder);
  }
  // Shortest first, so recursive mkdir mostly finds parents already there.
  for (const folder of [...folders].sort((a, b) => a.length - b.length)) {
    await mkdir(join(root, ...folder.split('/')), { recursive: true });
  }
  const blobs = entries.filter((entry) => entry.type === 'blob');
  for (let i = 0; i < blobs.length; i += BATCH) {
    await Promise.all(blobs.slice(i, i + BATCH).map((entry) => writeEntry(repo, entry, root)));
  }
}

async function writeEntry(repo: GitRepository, entry: TreeEntry, root: string): Promise<void> {
  const content = await repo.readBlob(entry.sha);
  if (content === undefined) return;
  const file = join(root, ...entry.path.split('/'));
  if (entry.mode === '120000') {
    const linkTarget = content.toString('utf8');
    // Only links that stay inside the copy: a tool following one must not read the user's disk.
    const resolved = posix.normalize(posix.join(posix.dirname(entry.path), linkTarget));
    if (linkTarget.startsWith('/') || resolved === '..' || resolved.startsWith('../')) return;
    await symlink(linkTarget, file);
    return;
  }
  await writeFile(file, content, { mode: entry.mode === '100755' ? 0o755 : 0o644 });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Removes old copies beyond KEEP_COPIES that nobody used recently (a render may still read a recent one). */
async function prune(dir: string, keep: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const copies: Array<{ path: string; used: number }> = [];
  for (const name of names) {
    if (!/^[0-9a-f]{40,64}$/.test(name)) continue;
    const path = join(dir, name);
    if (path === keep) continue;
    const info = await stat(path).catch(() => undefined);
    if (info) copies.push({ path, used: info.mtimeMs });
  }
  copies.sort((a, b) => b.used - a.used);
  const now = Date.now();
  for (const copy of copies.slice(KEEP_COPIES - 1)) {
    if (now - copy.used > PRUNE_AFTER_MS) await rm(copy.path, { recursive: true, force: true });
  }
}
