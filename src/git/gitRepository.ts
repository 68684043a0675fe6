// Read-only access to one repository: refs, commits, trees and file contents. Every command
// runs with an argument array; refs from callers are checked so they cannot pass as options.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import type { BranchInfo, CommitInfo } from '../core/model';
import { CatFileBatch } from './catFileBatch';
import { COMMIT_FORMAT, parseCommits } from './commitLog';
import { GitError, gitErrorCodeFor, gitFailure } from './gitError';
import { gitText, runGit, type GitRunOptions } from './gitProcess';
import { runNetworkGit } from './networkGit';
import { redactCredentials } from './redactCredentials';

export interface TreeEntry {
  /** `100644`, `100755`, `120000` (symlink), `160000` (submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Repository-relative POSIX path. */
  path: string;
}

export interface RemoteInfo {
  name: string;
  /** URLs with any credentials removed. */
  fetchUrl: string;
  pushUrl: string;
}

export interface ChangedFile {
  /** `A`dded, `M`odified, `D`eleted, `R`enamed, `C`opied, `T`ype changed. */
  status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
}

export interface PendingCommitsOptions {
  /** Only commits touching these repository-relative paths (files or folders). */
  paths?: readonly string[];
  /** How many commits to return (newest first); `total` still counts all of them. Default 50. */
  limit?: number;
}

const SHA = /^[0-9a-f]{40,64}$/;

/** Rejects refs that git would read as options or that cannot be a revision at all. */
function checkRef(ref: string): string {
  if (ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref)) {
    throw new GitError('unknownRef', `Not a valid ref: ${JSON.stringify(ref)}`);
  }
  return ref;
}

/** Normalizes a repository-relative path: POSIX separators, no leading `./` or `/`, no trailing `/`. */
function cleanPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
}

/** A pathspec that matches the path literally (no globs, no `:(magic)`). */
function literal(path: string): string {
  return `:(literal)${cleanPath(path)}`;
}

/** `git config -z --list`: each entry `key\nvalue\0` (or `key\0` for a bare boolean); last value wins for --get. */
function parseConfigList(output: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const entry of output.split('\0')) {
    if (!entry) continue;
    const newline = entry.indexOf('\n');
    const key = normalizeConfigKey(newline === -1 ? entry : entry.slice(0, newline));
    const value = newline === -1 ? 'true' : entry.slice(newline + 1);
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return values;
}

/** Section and variable names are case-insensitive (git lowercases them); a subsection keeps its case. */
function normalizeConfigKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first === -1) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}${key.slice(first, last)}${key.slice(last).toLowerCase()}`;
}

/** One read of what the repository's config file decides, kept while that file is unchanged; a failed read is not kept. */
class PerConfigFile<T> {
  private entry: { stamp: string; value: Promise<T> } | undefined;

  get(stamp: string, read: () => Promise<T>): Promise<T> {
    if (!this.entry || this.entry.stamp !== stamp) {
      const entry = { stamp, value: read() };
      this.entry = entry;
      entry.value.catch(() => {
        if (this.entry === entry) this.entry = undefined;
      });
    }
    return this.entry.value;
  }
}

export class GitRepository {
  private batch: CatFileBatch | undefined;
  private disposed = false;
  /** The configuration and the remotes as last read, each with the identity of the repository's config file then. */
  private readonly config = new PerConfigFile<Map<string, string[]>>();
  private readonly remoteList = new PerConfigFile<RemoteInfo[]>();
  private commonDirPath: string | undefined;

  private constructor(
    /** Top level of the working tree; the git directory itself for a bare repository. */
    readonly root: string,
    readonly gitDir: string,
    readonly bare: boolean,
  ) {}

  /** Opens the repository containing `dir`. Throws GitError `notARepository` outside one. */
  static async open(dir: string): Promise<GitRepository> {
    // A working tree, the usual case, answers all three in one process. --show-toplevel fails
    // (exit 128) in a bare repository or inside .git: those are probed in two steps.
    const all = await runGit(dir, ['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--show-toplevel'], { okExitCodes: [0, 128] }).catch(() => undefined);
    const lines = all?.exitCode === 0 ? all.stdout.toString('utf8').split('\n').map((line) => line.trim()) : [];
    if (lines[0] === 'false' && lines[1] && lines[2]) return new GitRepository(lines[2], lines[1], false);
    const probe = (await gitText(dir, ['rev-parse', '--is-bare-repository', '--absolute-git-dir'])).split('\n');
    const bare = probe[0]?.trim() === 'true';
    const gitDir = probe[1]?.trim() ?? '';
    if (!gitDir) throw new GitError('notARepository', `${dir} is not inside a git repository`);
    if (bare) return new GitRepository(gitDir, gitDir, true);
    const root = (await gitText(dir, ['rev-parse', '--show-toplevel'])).trim();
    if (!root) throw new GitError('notARepository', `${dir} is inside a git directory, not a working tree`);
    return new GitRepository(root, gitDir, false);
  }

  /** Branch checked out in the working tree; null when HEAD is detached. */
  async currentBranch(): Promise<string | null> {
    // HEAD is a small file in the files ref backend: reading it spares a process per call.
    const head = this.readGitFile(join(this.gitDir, 'HEAD'));
    if (head !== undefined && !head.includes('.invalid')) {
      const symbolic = /^ref: (\S+)\s*$/.exec(head);
      if (!symbolic) return null;
      return symbolic[1].startsWith('refs/heads/') ? symbolic[1].slice('refs/heads/'.length) : null;
    }
    const result = await this.run(['symbolic-ref', '--quiet', 'HEAD'], { okExitCodes: [0, 1] });
    const ref = result.stdout.toString('utf8').trim();
    if (result.exitCode !== 0 || !ref.startsWith('refs/heads/')) return null;
    return ref.slice('refs/heads/'.length);
  }

  /** True for a shallow clone (`--depth`): history stops at a boundary, so commit counts are lower bounds. */
  async isShallow(): Promise<boolean> {
    // What `git rev-parse --is-shallow-repository` checks: a `shallow` file in the common git directory.
    return existsSync(join(this.commonDir(), 'shallow'));
  }

  /**
   * Every configuration value by key (`branch.main.remote`; section and variable in lower case),
   * from one `git config --list`, read again when the repository's config file changes. Values
   * from global and system files are included; a change there alone is seen after the next
   * change of the repository's own file or a reopen.
   */
  async configValues(): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.config.get(this.configStamp(), () => gitText(this.root, ['config', '-z', '--list']).then(parseConfigList));
  }

  /** The last value of a configuration key (as `git config --get`), or null. */
  async configValue(key: string): Promise<string | null> {
    return (await this.configValues()).get(normalizeConfigKey(key))?.at(-1) ?? null;
  }

  /** Names of the configured remotes (those with a URL), from the configuration. */
  async remoteNamesConfigured(): Promise<string[]> {
    const names: string[] = [];
    for (const key of (await this.configValues()).keys()) {
      if (key.startsWith('remote.') && key.endsWith('.url')) names.push(key.slice('remote.'.length, -'.url'.length));
    }
    return names;
  }

  /** The git directory shared by all worktrees (where config, refs and `shallow` live). */
  private commonDir(): string {
    if (this.commonDirPath === undefined) {
      const pointer = this.readGitFile(join(this.gitDir, 'commondir'))?.trim();
      this.commonDirPath = pointer ? (isAbsolute(pointer) ? pointer : resolvePath(this.gitDir, pointer)) : this.gitDir;
    }
    return this.commonDirPath;
  }

  private configStamp(): string {
    try {
      const stat = statSync(join(this.commonDir(), 'config'));
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return 'none';
    }
  }

  private readGitFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * The first commits of a ref's history (those without a parent), sorted: the same in every clone
   * of the repository, under any remote name or URL, and different for unrelated repositories.
   */
  async rootCommits(ref: string): Promise<string[]> {
    const result = await this.run(['rev-list', '--max-parents=0', checkRef(ref)], { okExitCodes: [0, 128] });
    if (result.exitCode !== 0) return [];
    return result.stdout
      .toString('utf8')
      .split('\n')
      .filter((line) => SHA.test(line))
      .sort();
  }

  /** The commit a ref points to; null when there is no such ref. */
  async resolve(ref: string): Promise<string | null> {
    const result = await this.run(['rev-parse', '--verify', '--quiet', `${checkRef(ref)}^{commit}`], { okExitCodes: [0, 1] });
    const sha = result.stdout.toString('utf8').trim();
    return result.exitCode === 0 && SHA.test(sha) ? sha : null;
  }

  /**
   * The commit at the tip of a ref, or with `path` the newest commit at that ref that changed the
   * path — or any of the paths (how new a folder-per-environment is, also one made of several
   * folders). Null when there is no such ref or commit.
   */
  async headCommit(ref: string, path?: string | readonly string[]): Promise<CommitInfo | null> {
    const given = path === undefined ? [] : typeof path === 'string' ? [path] : path;
    // The repository root among them means every commit: no pathspec at all.
    const paths = given.some((p) => cleanPath(p) === '') ? [] : given.map(literal);
    const result = await this.run(['log', '-z', '-1', COMMIT_FORMAT, checkRef(ref), '--', ...paths], { okExitCodes: [0, 128] });
    if (result.exitCode !== 0) {
      if (gitErrorCodeFor(result.stderr, result.exitCode) === 'unknownRef') return null;
      throw gitFailure('log', result.exitCode, result.stderr);
    }
    return parseCommits(result.stdout.toString('utf8'))[0] ?? null;
  }

  /** Local and remote-tracking branches, from one `for-each-ref` (remote HEAD aliases left out). */
  async branches(): Promise<BranchInfo[]> {
    const [refs, remoteNames] = await Promise.all([
      gitText(this.root, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(symref)', 'refs/heads', 'refs/remotes']),
      this.remoteNamesConfigured(),
    ]);
    // Longest first, so a remote named `a/b` wins over `a`.
    const remotes = [...remoteNames].sort((a, b) => b.length - a.length);
    const branches: BranchInfo[] = [];
    for (const line of refs.split('\n')) {
      if (!line) continue;
      const [ref, sha, symref] = line.split('\0');
      if (symref) continue;
      if (ref.startsWith('refs/heads/')) {
        branches.push({ name: ref.slice('refs/heads/'.length), ref, remote: null, sha });
        continue;
      }
      const rest = ref.slice('refs/remotes/'.length);
      const remote = remotes.find((name) => rest.startsWith(`${name}/`)) ?? rest.split('/')[0];
      branches.push({ name: rest.slice(remote.length + 1), ref, remote, sha });
    }
    return branches;
  }

  /**
   * Commits reachable from `fromRef` and not from `toRef` (`toRef..fromRef`), newest first:
   * what promoting `fromRef` into `toRef` would bring. `toRef` null means all of `fromRef`'s
   * history. `total` is exact even when `limit` cuts the list. Throws `unknownRef`.
   */
  async pendingCommits(
    fromRef: string,
    toRef: string | null,
    options: PendingCommitsOptions = {},
  ): Promise<{ commits: CommitInfo[]; total: number }> {
    const range = toRef === null ? checkRef(fromRef) : `${checkRef(toRef)}..${checkRef(fromRef)}`;
    const limit = Math.max(0, Math.floor(options.limit ?? 50));
    const pathArgs = ['--', ...(options.paths ?? []).map(literal)];
    const [log, count] = await Promise.all([
      limit > 0 ? gitText(this.root, ['log', '-z', `--max-count=${limit}`, COMMIT_FORMAT, range, ...pathArgs]) : Promise.resolve(''),
      gitText(this.root, ['rev-list', '--count', range, ...pathArgs]),
    ]);
    return { commits: parseCommits(log), total: Number.parseInt(count.trim(), 10) || 0 };
  }

  /** Commits only in `a` (ahead) and only in `b` (behind). */
  async aheadBehind(a: string, b: string): Promise<{ ahead: number; behind: number }> {
    const output = await gitText(this.root, ['rev-list', '--left-right', '--count', `${checkRef(a)}...${checkRef(b)}`, '--']);
    const [ahead, behind] = output.trim().split(/\s+/).map((n) => Number.parseInt(n, 10));
    return { ahead: ahead || 0, behind: behind || 0 };
  }

  /** Every entry of the tree at `ref` (recursively), optionally under one folder. Throws `unknownRef`. */
  async listTree(ref: string, path?: string): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-r', '-z', '--full-tree', checkRef(ref)];
    const folder = path === undefined ? '' : cleanPath(path);
    if (folder) args.push('--', folder);
    const output = await gitText(this.root, args);
    const entries: TreeEntry[] = [];
    for (const record of output.split('\0')) {
      if (!record) continue;
      // `<mode> SP <type> SP <object> TAB <path>`; the path is taken verbatim after the tab.
      const tab = record.indexOf('\t');
      const [mode, type, sha] = record.slice(0, tab).split(' ');
      entries.push({ mode, type: type as TreeEntry['type'], sha, path: record.slice(tab + 1) });
    }
    return entries;
  }

  /** Paths of the files (blobs) in the tree at `ref`, optionally under one folder. */
  async listFiles(ref: string, path?: string): Promise<string[]> {
    return (await this.listTree(ref, path)).filter((entry) => entry.type === 'blob').map((entry) => entry.path);
  }

  /** Id of the tree at `ref` (or of the object at `ref:path`); null when either does not exist. Cheap "same content" check. */
  async treeHash(ref: string, path?: string): Promise<string | null> {
    const folder = path === undefined ? '' : cleanPath(path);
    const spec = folder ? `${checkRef(ref)}:${folder}` : `${checkRef(ref)}^{tree}`;
    // Through the long-lived cat-file reader: no process per call (a tree object is a short listing).
    const object = await this.objects().readObject(spec);
    return object && SHA.test(object.sha) ? object.sha : null;
  }

  /** Text (UTF-8) of a file at a ref; undefined when the ref, the file, or a blob at that path does not exist. */
  async readFile(ref: string, path: string): Promise<string | undefined> {
    return (await this.readFileBytes(ref, path))?.toString('utf8');
  }

  /** Exact bytes of a file at a ref; undefined like readFile. */
  async readFileBytes(ref: string, path: string): Promise<Buffer | undefined> {
    const object = await this.objects().readObject(`${checkRef(ref)}:${cleanPath(path)}`);
    return object?.type === 'blob' ? object.content : undefined;
  }

  /**
   * Text of many files at one ref, read from one snapshot (the ref is resolved once, so a commit
   * landing meanwhile cannot mix two versions). Missing files map to undefined.
   */
  async readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const bytes = await this.readFilesBytes(ref, paths);
    return new Map([...bytes].map(([path, content]) => [path, content?.toString('utf8')]));
  }

  /** Exact bytes of many files at one ref; see readFiles. */
  async readFilesBytes(ref: string, paths: readonly string[]): Promise<Map<string, Buffer | undefined>> {
    const result = new Map<string, Buffer | undefined>();
    const tree = await this.treeHash(ref);
    if (!tree) {
      for (const path of paths) result.set(path, undefined);
      return result;
    }
    const objects = await Promise.all(paths.map((path) => this.readObjectAt(tree, path)));
    paths.forEach((path, i) => result.set(path, objects[i]));
    return result;
  }

  /** Files a commit changed, against its first parent (merges) or nothing (root commits). Renames detected. */
  async changedFiles(commit: string): Promise<ChangedFile[]> {
    const output = await gitText(this.root, ['diff-tree', '-r', '-z', '--name-status', '-M', '--root', '-m', '--first-parent', '--no-commit-id', checkRef(commit), '--']);
    const tokens = output.split('\0');
    const changes: ChangedFile[] = [];
    for (let i = 0; i < tokens.length; ) {
      const status = tokens[i++]?.charAt(0) as ChangedFile['status'] | '';
      if (!status) continue;
      if (status === 'R' || status === 'C') {
        const oldPath = tokens[i++];
        changes.push({ status, path: tokens[i++], oldPath });
      } else {
        changes.push({ status, path: tokens[i++] });
      }
    }
    return changes;
  }

  /** A blob at `tree:path` where `tree` is an object id (used by snapshot views). */
  async readObjectAt(treeOrCommit: string, path: string): Promise<Buffer | undefined> {
    const object = await this.objects().readObject(`${treeOrCommit}:${cleanPath(path)}`);
    return object?.type === 'blob' ? object.content : undefined;
  }

  /** A blob by object id; undefined when missing or not a blob. */
  async readBlob(sha: string): Promise<Buffer | undefined> {
    const object = await this.objects().readObject(sha);
    return object?.type === 'blob' ? object.content : undefined;
  }

  /**
   * Remotes with their fetch and push URLs (credentials removed), as `git remote -v` gives them
   * (insteadOf rewrites applied). Kept until the repository's config file changes: discovery and
   * environment states both ask, and each asking was a process.
   */
  async remotes(): Promise<RemoteInfo[]> {
    return (await this.remoteList.get(this.configStamp(), () => this.readRemotes())).map((remote) => ({ ...remote }));
  }

  private async readRemotes(): Promise<RemoteInfo[]> {
    const output = await gitText(this.root, ['remote', '-v']);
    const byName = new Map<string, RemoteInfo>();
    for (const line of output.split('\n')) {
      const match = /^([^\t]+)\t(.*) \((fetch|push)\)$/.exec(line);
      if (!match) continue;
      const [, name, rawUrl, kind] = match;
      const url = redactCredentials(rawUrl);
      const entry = byName.get(name) ?? { name, fetchUrl: '', pushUrl: '' };
      if (kind === 'fetch' && !entry.fetchUrl) entry.fetchUrl = url;
      if (kind === 'push' && !entry.pushUrl) entry.pushUrl = url;
      byName.set(name, entry);
    }
    return [...byName.values()].map((remote) => ({ ...remote, pushUrl: remote.pushUrl || remote.fetchUrl }));
  }

  /** Fetch URL of a remote (credentials stripped); null when there is no such remote. */
  async remoteUrl(name = 'origin'): Promise<string | null> {
    return (await this.remotes()).find((remote) => remote.name === name)?.fetchUrl ?? null;
  }

  /**
   * `git fetch --prune` from a remote. Only for the bare clones RemoteRepoCache owns: fetching in
   * a user's checkout moves their remote-tracking branches under them.
   */
  async fetch(remote = 'origin', options: { timeoutMs?: number; env?: Readonly<Record<string, string>> } = {}): Promise<void> {
    if (remote.startsWith('-')) throw new GitError('failed', `Not a valid remote name: ${remote}`);
    await runNetworkGit(this.root, ['fetch', '--prune', '--quiet', remote], options);
  }

  /** Stops the cat-file reader; file reads fail afterwards. */
  dispose(): void {
    this.disposed = true;
    this.batch?.dispose();
    this.batch = undefined;
  }

  private objects(): CatFileBatch {
    if (this.disposed) throw new GitError('failed', 'The repository was disposed');
    this.batch ??= new CatFileBatch(this.root);
    return this.batch;
  }

  private run(args: readonly string[], options?: GitRunOptions): ReturnType<typeof runGit> {
    return runGit(this.root, args, options);
  }
}
