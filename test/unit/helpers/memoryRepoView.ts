// An in-memory RepoView for core tests: a map of path → text and a list of branches.
import type { RepoView } from '../../../src/core/repoView';
import type { BranchInfo } from '../../../src/core/model';

/** A branch as the git adapter reports it; `origin/x` style names become remote-tracking branches of that remote. */
export function branch(spec: string, sha = '0000000000000000000000000000000000000000'): BranchInfo {
  const slash = spec.indexOf('/');
  const remote = spec.startsWith('origin/') || spec.startsWith('upstream/') ? spec.slice(0, slash) : null;
  const name = remote ? spec.slice(slash + 1) : spec;
  return { name, ref: remote ? `refs/remotes/${remote}/${name}` : `refs/heads/${name}`, remote, sha };
}

export class MemoryRepoView implements RepoView {
  /** Paths passed to readFile, in call order; lets tests check what discovery bothered to read. */
  readonly reads: string[] = [];
  private readonly files: Map<string, string>;
  private readonly branchList: BranchInfo[];

  constructor(files: Record<string, string> | Map<string, string> = {}, branches: ReadonlyArray<string | BranchInfo> = []) {
    this.files = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
    this.branchList = branches.map((b) => (typeof b === 'string' ? branch(b) : b));
  }

  async listFiles(): Promise<readonly string[]> {
    return [...this.files.keys()].sort();
  }

  async readFile(path: string): Promise<string | undefined> {
    this.reads.push(path);
    return this.files.get(path);
  }

  async branches(): Promise<readonly BranchInfo[]> {
    return this.branchList;
  }
}
