// One drift run at a time. Requests made while a run is in progress merge into the next run (a
// refresh already running absorbs the next request), so a burst of watch events and edits costs
// one run, and concurrent callers share its promise.

export interface RunRequest<C> {
  keys: readonly string[];
  /** The whole environment (compute, full recompute). */
  all: boolean;
  /** Forget cached results of `keys` (or of everything, with `all`) before running. */
  invalidate: boolean;
  causes: readonly C[];
  signal?: AbortSignal;
}

export interface RunJob<C> {
  keys: Set<string>;
  all: boolean;
  invalidated: Set<string>;
  invalidateAll: boolean;
  causes: Set<C>;
  /** The signal of the request that opened the job; later requests merged into it share it. */
  signal?: AbortSignal;
}

interface Pending<C, R> extends RunJob<C> {
  promise: Promise<R>;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class RunQueue<C, R> {
  private next: Pending<C, R> | undefined;
  private running = false;

  constructor(
    private readonly run: (job: RunJob<C>) => Promise<R>,
    private readonly done: (job: RunJob<C>, result: R) => void,
  ) {}

  enqueue(request: RunRequest<C>): Promise<R> {
    let job = this.next;
    if (!job) {
      let resolve!: (result: R) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<R>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      job = { keys: new Set(), invalidated: new Set(), all: false, invalidateAll: false, causes: new Set(), signal: request.signal, promise, resolve, reject };
      this.next = job;
    }
    for (const key of request.keys) {
      job.keys.add(key);
      if (request.invalidate) job.invalidated.add(key);
    }
    job.all ||= request.all;
    job.invalidateAll ||= request.invalidate && request.all;
    for (const cause of request.causes) job.causes.add(cause);
    if (!this.running) void this.drain();
    return job.promise;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.next) {
      const job = this.next;
      this.next = undefined;
      try {
        const result = await this.run(job);
        job.resolve(result);
        this.done(job, result);
      } catch (error) {
        job.reject(error);
      }
    }
    this.running = false;
  }
}
