// The UI contract the scenarios check (ids from src/ui/ids.ts, texts the extension renders).

import { execFileSync } from 'node:child_process';

export const CONTAINER_TITLE = 'GitOps';
export const VIEW = 'Environments';

/** Full commit id of `ref` in the workspace repository (real git). */
export function revParse(repoDir, ref) {
  return execFileSync('git', ['rev-parse', ref], { cwd: repoDir, encoding: 'utf8' }).trim();
}

/** `Pending from <previous> (N)` */
export const pendingRow = (previous, count) => (label) => label === `Pending from ${previous} (${count})`;
export const countedRow = (name, count) => (label) => (count === undefined ? new RegExp(`^${name} \\(\\d+\\)$`).test(label) : label === `${name} (${count})`);
