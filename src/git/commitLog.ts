// The `git log` format we parse and its parser. Fields are NUL-separated and records
// NUL-terminated (`-z`), so subjects holding `|`, tabs or any other text parse unchanged.
import type { CommitInfo } from '../core/model';

/** %H sha, %h short sha, %an/%ae author, %aI strict ISO date, %s subject (one line). */
export const COMMIT_FORMAT = '--format=%H%x00%h%x00%an%x00%ae%x00%aI%x00%s%x00';
const FIELDS = 6;
const SHA = /^[0-9a-f]{40,64}$/;

/** Parses `git log -z` output written with COMMIT_FORMAT. */
export function parseCommits(output: string): CommitInfo[] {
  const tokens = output.split('\0');
  const commits: CommitInfo[] = [];
  // Each record is FIELDS fields, each followed by NUL, then the -z record terminator (NUL).
  for (let i = 0; i + FIELDS <= tokens.length; i += FIELDS + 1) {
    const [sha, shortSha, authorName, authorEmail, date, subject] = tokens.slice(i, i + FIELDS);
    if (!SHA.test(sha)) break;
    commits.push({ sha, shortSha, subject, authorName, authorEmail, date });
  }
  return commits;
}
