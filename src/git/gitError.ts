// The one error type the git adapter throws. The code is assigned here, once, from git's exit
// status and stderr, so callers switch on `code` and never on message text.
import { redactCredentials } from './redactCredentials';

export type GitErrorCode = 'notARepository' | 'gitMissing' | 'unknownRef' | 'locked' | 'timeout' | 'failed';

export interface GitErrorDetails {
  /** The git subcommand (`log`, `cat-file`...); never the full argument list, which may hold URLs. */
  command?: string;
  exitCode?: number | null;
  /** git's stderr with credentials removed. */
  stderr?: string;
}

export class GitError extends Error {
  override readonly name = 'GitError';

  constructor(
    readonly code: GitErrorCode,
    message: string,
    readonly details: GitErrorDetails = {},
  ) {
    super(redactCredentials(message));
  }
}

const NOT_A_REPOSITORY = /not a git repository|must be run in a work tree|does not appear to be a git repository|Cannot change to/i;
const UNKNOWN_REF =
  /unknown revision|bad revision|ambiguous argument|not a valid object name|invalid object name|bad object|couldn't find remote ref|not a valid ref|needed a single revision|unknown commit|not a tree object|invalid reference|does not have any commits yet/i;
const LOCKED = /\.lock'?:? File exists|Unable to create '.*\.lock'|cannot lock ref|could not lock|Another git process seems to be running|unable to lock/i;

/** Classifies a failed git run from its stderr (English, see gitEnvironment) and exit status. */
export function gitErrorCodeFor(stderr: string, exitCode: number | null): GitErrorCode {
  if (NOT_A_REPOSITORY.test(stderr)) return 'notARepository';
  if (LOCKED.test(stderr)) return 'locked';
  if (UNKNOWN_REF.test(stderr)) return 'unknownRef';
  // 127 is what a wrapper script returns when git itself is missing.
  if (exitCode === 127) return 'gitMissing';
  return 'failed';
}

/** The first lines of stderr that say something (git prefixes them with fatal:/error:). */
export function summarizeStderr(stderr: string, maxLines = 3): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^hint:/i.test(line))
    .map((line) => line.replace(/^(fatal|error):\s*/i, ''));
  return lines.slice(0, maxLines).join('; ');
}

/** Builds the error for a git process that exited with a failure status. */
export function gitFailure(command: string, exitCode: number | null, stderr: string): GitError {
  const clean = redactCredentials(stderr);
  const code = gitErrorCodeFor(clean, exitCode);
  const summary = summarizeStderr(clean) || `exit status ${exitCode ?? 'unknown'}`;
  return new GitError(code, `git ${command} failed: ${summary}`, { command, exitCode, stderr: clean });
}

/** Maps a spawn error (`ENOENT` when git is not installed) to a GitError. */
export function gitSpawnFailure(command: string, error: NodeJS.ErrnoException): GitError {
  if (error.code === 'ENOENT') {
    return new GitError('gitMissing', 'git was not found on PATH; install git or add it to PATH', { command });
  }
  return new GitError('failed', `git ${command} could not start: ${error.message}`, { command });
}
