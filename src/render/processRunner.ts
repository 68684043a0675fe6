// Runs a rendering tool (kustomize, kubectl, helm) with an argument array — never a shell —
// bounded in time and output, cancellable, with errors typed by what went wrong.
import { spawn } from 'node:child_process';

export const DEFAULT_PROCESS_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export type ProcessErrorCode = 'notFound' | 'timeout' | 'failed' | 'cancelled' | 'outputTooLarge';

export class ProcessError extends Error {
  override readonly name = 'ProcessError';

  constructor(
    readonly code: ProcessErrorCode,
    message: string,
    readonly executable: string,
    readonly exitCode: number | null = null,
    readonly stderr = '',
  ) {
    super(message);
  }
}

export interface RunProcessOptions {
  cwd?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** stdout + stderr beyond this stops the process (a runaway generator must not eat the memory). */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Exit statuses that count as success. Default `[0]`. */
  okExitCodes?: readonly number[];
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** `400 ms`, `30 s`: how a timeout reads in a message. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

/** The first lines of tool output worth showing: no blank lines, no klog prefixes, no warnings. */
export function firstUsefulLines(text: string, max = 3): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\]\s*/, '').trim())
    .filter((line) => line !== '' && !/^#?\s*warning:/i.test(line))
    .slice(0, max)
    .join('\n');
}

function baseName(executable: string): string {
  return executable.split(/[\\/]/).pop() ?? executable;
}

export function runProcess(executable: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const name = baseName(executable);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const okExitCodes = options.okExitCodes ?? [0];
  return new Promise<ProcessResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ProcessError('cancelled', `${name} was cancelled`, executable));
      return;
    }
    // Its own process group on POSIX, so a timeout also stops what the tool started
    // (kustomize runs git for remote bases; a wrapper script runs the real binary).
    const posix = process.platform !== 'win32';
    const child = spawn(executable, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: posix,
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let settled = false;

    const finish = (error: ProcessError | null, result?: ProcessResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(result as ProcessResult);
    };
    const kill = (): void => {
      try {
        if (posix && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const stop = (error: ProcessError): void => {
      kill();
      // Do not wait for 'close': a grandchild holding the pipes open would delay it.
      finish(error);
    };
    const onAbort = (): void => stop(new ProcessError('cancelled', `${name} was cancelled`, executable));
    const timer = setTimeout(
      () => stop(new ProcessError('timeout', `${name} did not finish within ${formatDuration(timeoutMs)}`, executable, null, Buffer.concat(stderr).toString('utf8'))),
      timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxOutput) stop(new ProcessError('outputTooLarge', `${name} printed more than ${Math.round(maxOutput / 1048576)} MB`, executable));
      else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish(new ProcessError('notFound', `${name} was not found (${executable})`, executable));
      else if (error.code === 'EACCES') finish(new ProcessError('failed', `${name} is not executable (${executable})`, executable));
      else finish(new ProcessError('failed', `${name} could not start: ${error.message}`, executable));
    });
    child.on('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      const exitCode = code ?? -1;
      if (code !== null && okExitCodes.includes(code)) {
        finish(null, { stdout: out, stderr: err, exitCode });
        return;
      }
      const summary = firstUsefulLines(err) || firstUsefulLines(out) || (signal ? `killed by ${signal}` : `exit status ${exitCode}`);
      finish(new ProcessError('failed', `${name} failed: ${summary}`, executable, code, err));
    });
  });
}
