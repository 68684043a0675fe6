// Writes drift snapshots on change, debounced: watch events recompute drift many times a minute,
// the disk sees at most one write per environment per `delayMs`, with the latest report. A report
// equal to the one last written is not written again, unless the last write is older than
// `refreshMs` (then it is, so "as of" after a restart is not older than it needs to be).
import { contentHash } from '../../core/drift/hash';
import type { EnvironmentSnapshot } from './snapshotSchema';
import type { DriftSnapshotUpdate, SnapshotStore } from './snapshotStore';

export interface DriftSnapshotJob {
  store: SnapshotStore;
  environment: string;
  context: string | null;
  /** When the results were true. */
  asOf: Date;
  /** Built when the write happens (the latest one scheduled wins); undefined: nothing to write. */
  update: () => DriftSnapshotUpdate | undefined;
}

export interface DriftSnapshotWriterOptions {
  /** Default 2 s. */
  delayMs?: number;
  /** Default 5 min. */
  refreshMs?: number;
  onWrite?: (environment: string, snapshot: EnvironmentSnapshot) => void;
  onError?: (environment: string, error: Error) => void;
}

export class DriftSnapshotWriter {
  private readonly pending = new Map<string, { job: DriftSnapshotJob; timer: NodeJS.Timeout }>();
  private readonly written = new Map<string, { signature: string; at: number }>();
  private readonly running = new Set<Promise<void>>();
  private disposed = false;

  constructor(private readonly options: DriftSnapshotWriterOptions = {}) {}

  private keyOf(job: Pick<DriftSnapshotJob, 'store' | 'environment'>): string {
    return `${job.store.dir}\u0000${job.environment}`;
  }

  /** Writes `job` after the delay; a job scheduled meanwhile for the same environment replaces it. */
  schedule(job: DriftSnapshotJob): void {
    if (this.disposed) return;
    const key = this.keyOf(job);
    const existing = this.pending.get(key);
    if (existing) {
      existing.job = job;
      return;
    }
    const timer = setTimeout(() => this.writePending(key), this.options.delayMs ?? 2000);
    timer.unref?.();
    this.pending.set(key, { job, timer });
  }

  /** Drops a scheduled write (the environment went away, or its results are no longer live). */
  cancel(store: SnapshotStore, environment: string): void {
    const key = this.keyOf({ store, environment });
    const entry = this.pending.get(key);
    if (entry) clearTimeout(entry.timer);
    this.pending.delete(key);
  }

  /** Writes everything scheduled now; resolves when every write (also those already running) is done. */
  async flush(): Promise<void> {
    for (const key of [...this.pending.keys()]) this.writePending(key);
    await Promise.all([...this.running]);
  }

  private writePending(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    const run = this.write(key, entry.job).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async write(key: string, job: DriftSnapshotJob): Promise<void> {
    let update: DriftSnapshotUpdate | undefined;
    try {
      update = job.update();
    } catch (error) {
      this.options.onError?.(job.environment, error as Error);
      return;
    }
    if (!update) return;
    const signature = contentHash({ drift: update.drift, hashes: update.desiredHashes, truncated: update.truncated ?? null, context: job.context });
    const last = this.written.get(key);
    if (last && last.signature === signature && Date.now() - last.at < (this.options.refreshMs ?? 5 * 60_000)) return;
    try {
      const snapshot = await job.store.write(job.environment, { context: job.context, asOf: job.asOf, drift: update });
      this.written.set(key, { signature, at: Date.now() });
      this.options.onWrite?.(job.environment, snapshot);
    } catch (error) {
      this.options.onError?.(job.environment, error as Error);
    }
  }

  /** Writes what is scheduled (not waiting for it: the host may be going away) and stops. */
  dispose(): Promise<void> {
    const done = this.flush();
    this.disposed = true;
    return done;
  }
}
