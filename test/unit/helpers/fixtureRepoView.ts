// A read-only RepoView over a folder of the shared fixtures (../shared/fixtures beside the checkout).
// Tests read the fixtures in place; they are other projects' data and are never copied here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { BranchInfo } from '../../../src/core/model';
import type { RepoView } from '../../../src/core/repoView';

/** `<checkout>/../shared/fixtures`; this file sits in <checkout>/test/unit/helpers. */
export const SHARED_FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures');

/** Absolute path of a shared fixture, or undefined when the shared folder is not beside the checkout. */
export function sharedFixture(...segments: string[]): string | undefined {
  const path = join(SHARED_FIXTURES, ...segments);
  return existsSync(path) ? path : undefined;
}

export class FolderRepoView implements RepoView {
  constructor(
    private readonly root: string,
    private readonly branchList: readonly BranchInfo[] = [],
  ) {}

  async listFiles(): Promise<readonly string[]> {
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir).sort()) {
        if (name === '.git') continue;
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else out.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    walk(this.root);
    return out;
  }

  async readFile(path: string): Promise<string | undefined> {
    const full = resolve(this.root, ...path.split('/'));
    if (!full.startsWith(this.root + sep) || !existsSync(full)) return undefined;
    return readFileSync(full, 'utf8');
  }

  async branches(): Promise<readonly BranchInfo[]> {
    return this.branchList;
  }
}
