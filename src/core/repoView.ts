// What discovery and rendering need to read from a repository, implemented by src/git adapters
// (working tree, or a ref read through `git cat-file`). Keeps src/core free of I/O.
import type { BranchInfo } from './model';

export interface RepoView {
  /** Repository-relative POSIX paths of every tracked (and, for a working tree, untracked non-ignored) file. */
  listFiles(): Promise<readonly string[]>;
  /** File contents as UTF-8 text; undefined when the file does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Local and remote-tracking branches (remote HEAD symbolic refs excluded). */
  branches(): Promise<readonly BranchInfo[]>;
}
