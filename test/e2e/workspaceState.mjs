// What a promotion or rollback must leave alone in the user's checkout, read with real git and the
// file system: HEAD, branch, index, status, stash, worktrees, local branches, and every file of the
// working tree outside .git (by content hash, so "unchanged" means byte for byte).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

function git(dir, args) {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

/** Relative path → sha256 of every file under `dir` except `.git`. */
function workingTreeFiles(dir) {
  const out = {};
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && entry.name === '.git') continue;
      if (entry.isDirectory()) walk(child);
      else out[child] = createHash('sha256').update(readFileSync(path.join(dir, child))).digest('hex');
    }
  };
  walk('');
  return out;
}

export function userState(dir) {
  return {
    head: git(dir, ['rev-parse', 'HEAD']).trim(),
    branch: git(dir, ['symbolic-ref', '--short', 'HEAD']).trim(),
    status: git(dir, ['status', '--porcelain=v1', '--untracked-files=all']),
    index: git(dir, ['ls-files', '--stage']),
    stash: git(dir, ['stash', 'list']),
    worktrees: git(dir, ['worktree', 'list', '--porcelain']),
    localBranches: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']),
    files: workingTreeFiles(dir),
  };
}
