// Runs one git command with an argument array (never a shell) and returns its raw output.
// Plumbing reads go through here rather than simple-git: simple-git waits an extra 50 ms for
// every command that prints nothing and hides the exit status, and both matter on the hot path
// (`rev-parse --verify -q` exits 1 to say "no such ref").
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gitEnvironment } from './gitEnvironment';
import { GitError, gitFailure, gitSpawnFailure } from './gitError';

export const DEFAULT_GIT_TIMEOUT_MS = 60_000;
/** Output beyond this is a runaway command (or a hostile repository); stop reading. */
const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export interface GitRunOptions {
  timeoutMs?: number;
  /** Exit statuses that are answers rather than failures (`[0, 1]` for `rev-parse --verify -q`). */
  okExitCodes?: readonly number[];
  signal?: AbortSignal;
  maxOutputBytes?: number;
  env?: Readonly<Record<string, string>>;
}

export interface GitRunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

export function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitRunResult> {
  const command = args[0] ?? 'git';
  const okExitCodes = options.okExitCodes ?? [0];
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return new Promise<GitRunResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new GitError('failed', `git ${command} was cancelled`, { command }));
      return;
    }
    const child = spawn('git', args, { cwd, env: gitEnvironment(options.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outBytes = 0;
    let settled = false;
    const finish = (error: GitError | null, result?: GitRunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(result as GitRunResult);
    };
    const stop = (error: GitError): void => {
      child.kill('SIGKILL');
      finish(error);
    };
    const onAbort = (): void => stop(new GitError('failed', `git ${command} was cancelled`, { command }));
    const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    const timer = setTimeout(() => stop(new GitError('timeout', `git ${command} did not finish within ${Math.round(timeoutMs / 1000)} s`, { command })), timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) stop(new GitError('failed', `git ${command} printed more than ${maxOutput} bytes`, { command }));
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the start of stderr is ever shown; keep memory bounded.
      if (stderr.length < 64) stderr.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // spawn reports a missing working directory as ENOENT too; that is not a missing git.
      if ((error.code === 'ENOENT' && !existsSync(cwd)) || error.code === 'ENOTDIR') {
        finish(new GitError('notARepository', `${cwd} does not exist`, { command }));
      } else {
        finish(gitSpawnFailure(command, error));
      }
    });
    child.on('close', (code, signal) => {
      const exitCode = code ?? (signal ? 128 : 1);
      const errText = Buffer.concat(stderr).toString('utf8');
      if (okExitCodes.includes(exitCode)) finish(null, { stdout: Buffer.concat(stdout), stderr: errText, exitCode });
      else finish(gitFailure(command, code, errText));
    });
  });
}

/** Runs git and returns stdout as UTF-8 text. */
export async function gitText(cwd: string, args: readonly string[], options?: GitRunOptions): Promise<string> {
  return (await runGit(cwd, args, options)).stdout.toString('utf8');
}
