// One long-lived `git cat-file --batch` per repository: bulk reads cost one pipe write each
// instead of one process each. Requests are written as they arrive (pipelined) and answered in
// order; the process is restarted when it dies and stopped when idle.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gitEnvironment } from './gitEnvironment';
import { GitError, gitFailure, gitSpawnFailure } from './gitError';
import { runGit } from './gitProcess';

export interface GitObject {
  sha: string;
  /** `blob`, `tree`, `commit` or `tag`. */
  type: string;
  content: Buffer;
}

interface PendingRead {
  spec: string;
  attempts: number;
  resolve(object: GitObject | undefined): void;
  reject(error: Error): void;
}

export interface CatFileBatchOptions {
  /** Stop the process after this long without requests; the next read starts a new one. */
  idleTimeoutMs?: number;
}

const HEADER = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/;
/** A request survives one crash of the process (it is re-sent once), not a crash loop. */
const MAX_ATTEMPTS = 2;

export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  /** Requests written to the current process, answered in this order. */
  private inFlight: PendingRead[] = [];
  private chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private offset = 0;
  private buffered = 0;
  private header: { sha: string; type: string; size: number } | undefined;
  private stderr = '';
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly cwd: string,
    private readonly options: CatFileBatchOptions = {},
  ) {}

  /** Process id of the running `git cat-file`, if one runs (for diagnostics and tests). */
  get processId(): number | undefined {
    return this.child?.pid;
  }

  /** Contents of `<ref>:<path>` or of an object id; undefined when it does not exist. */
  async read(spec: string): Promise<Buffer | undefined> {
    return (await this.readObject(spec))?.content;
  }

  /** Like read, with the object's id and type. */
  readObject(spec: string): Promise<GitObject | undefined> {
    if (this.disposed) return Promise.reject(new GitError('failed', 'git cat-file reader was disposed', { command: 'cat-file' }));
    // The batch protocol is line based; a path with a line break (or a trailing CR, which git
    // strips) cannot be sent on it, so those rare specs take a separate process.
    if (/[\n\r\0]/.test(spec)) return this.readAlone(spec);
    return new Promise<GitObject | undefined>((resolve, reject) => this.send({ spec, attempts: 0, resolve, reject }));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const pending = this.inFlight;
    this.reset();
    const child = this.child;
    this.child = undefined;
    if (child) {
      child.stdin.end();
      child.kill();
    }
    for (const request of pending) request.reject(new GitError('failed', 'git cat-file reader was disposed', { command: 'cat-file' }));
  }

  private send(request: PendingRead): void {
    const child = this.ensureProcess();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.inFlight.length === 0) setReferenced(child, true);
    this.inFlight.push(request);
    request.attempts++;
    child.stdin.write(`${request.spec}\n`);
  }

  private ensureProcess(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['cat-file', '--batch'], { cwd: this.cwd, env: gitEnvironment(), stdio: 'pipe', windowsHide: true });
    this.child = child;
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (child !== this.child) return;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.drain();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (child === this.child && this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    // A write after the process died raises EPIPE here; the close handler re-sends the requests.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child !== this.child) return;
      // spawn reports a missing working directory as ENOENT too; that is not a missing git.
      const failure =
        error.code === 'ENOENT' && !existsSync(this.cwd)
          ? new GitError('notARepository', `${this.cwd} does not exist`, { command: 'cat-file' })
          : gitSpawnFailure('cat-file', error);
      this.abandon(child, failure, false);
    });
    child.on('close', (code) => {
      if (child !== this.child) return;
      this.abandon(child, gitFailure('cat-file', code, this.stderr || 'git cat-file exited unexpectedly'), true);
    });
    return child;
  }

  /** The process is gone: re-send what it still owed (once per request), fail the rest. */
  private abandon(child: ChildProcessWithoutNullStreams, error: GitError, retry: boolean): void {
    const pending = this.inFlight;
    this.child = undefined;
    this.reset();
    child.kill();
    for (const request of pending) {
      if (retry && !this.disposed && request.attempts < MAX_ATTEMPTS) this.send(request);
      else request.reject(error);
    }
  }

  private reset(): void {
    this.inFlight = [];
    this.chunks = [];
    this.offset = 0;
    this.buffered = 0;
    this.header = undefined;
  }

  private drain(): void {
    while (this.inFlight.length > 0) {
      if (!this.header) {
        const newline = this.indexOfNewline();
        if (newline < 0) return;
        const line = this.take(newline + 1).toString('utf8', 0, newline);
        const match = HEADER.exec(line);
        if (!match) {
          // `<spec> missing`, `<spec> ambiguous`, `<spec> submodule`: no body follows.
          this.inFlight.shift()?.resolve(undefined);
          continue;
        }
        this.header = { sha: match[1], type: match[2], size: Number(match[3]) };
      }
      // The body is followed by one LF.
      if (this.buffered < this.header.size + 1) return;
      const body = this.take(this.header.size + 1);
      const { sha, type, size } = this.header;
      this.header = undefined;
      this.inFlight.shift()?.resolve({ sha, type, content: body.subarray(0, size) });
    }
    if (this.inFlight.length === 0) this.scheduleIdle();
  }

  private indexOfNewline(): number {
    let base = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      const start = i === 0 ? this.offset : 0;
      const at = chunk.indexOf(0x0a, start);
      if (at >= 0) return base + (at - start);
      base += chunk.length - start;
    }
    return -1;
  }

  /** Removes n bytes from the front of the buffered output, copying once. */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    while (written < n) {
      const chunk = this.chunks[0];
      const count = Math.min(chunk.length - this.offset, n - written);
      chunk.copy(out, written, this.offset, this.offset + count);
      written += count;
      this.offset += count;
      if (this.offset === chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.buffered -= n;
    return out;
  }

  private scheduleIdle(): void {
    const child = this.child;
    if (!child) return;
    // An idle reader must not keep a CLI run alive; it is re-referenced on the next request.
    setReferenced(child, false);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.child !== child || this.inFlight.length > 0) return;
      this.child = undefined;
      child.stdin.end();
    }, this.options.idleTimeoutMs ?? 60_000);
    this.idleTimer.unref();
  }

  /** The slow path for specs the line protocol cannot carry. */
  private async readAlone(spec: string): Promise<GitObject | undefined> {
    const resolved = await runGit(this.cwd, ['rev-parse', '--verify', '--quiet', spec], { okExitCodes: [0, 1, 128] });
    const sha = resolved.stdout.toString('utf8').trim();
    if (resolved.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) return undefined;
    const type = (await runGit(this.cwd, ['cat-file', '-t', sha])).stdout.toString('utf8').trim();
    const content = (await runGit(this.cwd, ['cat-file', type, sha])).stdout;
    return { sha, type, content };
  }
}

interface Referenceable {
  ref?: () => unknown;
  unref?: () => unknown;
}

function setReferenced(child: ChildProcessWithoutNullStreams, referenced: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as Referenceable[]) {
    if (referenced) handle.ref?.();
    else handle.unref?.();
  }
}
