// Last-known snapshots, one JSON file per environment in a storage folder (the extension's
// workspace storage). Writes are atomic (a temporary file beside the target, flushed, then
// renamed: a reader never sees half a file, a crash never leaves one), serialized per environment,
// and size-bounded (live objects are dropped from the end first, then drift field details; a
// snapshot still too large is not written and the previous file stays). A section not given in a
// write keeps its previous content, so the operator view and the drift report can each save their
// part — through ONE store per folder, or two writers would overwrite each other's sections.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvironmentDrift } from '../../core/drift/driftTypes';
import type { MappedOperator } from '../../core/operators/operatorMapping';
import { sanitizeDrift, sanitizeLiveObject, sanitizeOperatorStatus } from './snapshotSanitize';
import { SNAPSHOT_SCHEMA_VERSION, snapshotProblem, type DriftSnapshotSection, type EnvironmentSnapshot } from './snapshotSchema';

export type SnapshotErrorCode = 'io' | 'tooLarge';

export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export interface SnapshotStoreOptions {
  /** Largest file written, in bytes; default 4 MiB. */
  maxBytes?: number;
  /** Mixed into the hashes of Secret values, so short hashes cannot be looked up in a table. */
  secretHashSalt?: string;
}

/** A drift report to keep (see driftSnapshot.ts for how it is prepared). */
export interface DriftSnapshotUpdate {
  drift: EnvironmentDrift;
  desiredHashes: Record<string, string>;
  durationMs: number | null;
  fallbackReason?: string;
  truncated?: { kept: number; total: number };
}

export interface SnapshotUpdate {
  context?: string | null;
  /** When the data was true; default now. */
  asOf?: Date;
  connection?: { status: string; reason: string | null } | null;
  operators?: readonly MappedOperator[];
  liveObjects?: ReadonlyArray<Record<string, unknown>>;
  drift?: DriftSnapshotUpdate;
}

export interface SnapshotLoad {
  snapshot: EnvironmentSnapshot | null;
  /** Why an existing file was not used (corrupt, another schema version); null when fine or absent. */
  problem: string | null;
}

/** A file name that is safe on every platform and distinct per environment name. */
export function snapshotFileName(environment: string): string {
  const readable = environment.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  const hash = createHash('sha256').update(environment, 'utf8').digest('hex').slice(0, 10);
  return `${readable}-${hash}.json`;
}

let temporaryCounter = 0;

export class SnapshotStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly dir: string,
    private readonly options: SnapshotStoreOptions = {},
  ) {}

  pathOf(environment: string): string {
    return join(this.dir, snapshotFileName(environment));
  }

  async load(environment: string): Promise<EnvironmentSnapshot | null> {
    return (await this.loadDetailed(environment)).snapshot;
  }

  async loadDetailed(environment: string): Promise<SnapshotLoad> {
    let text: string;
    try {
      text = await readFile(this.pathOf(environment), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { snapshot: null, problem: null };
      return { snapshot: null, problem: `cannot read the snapshot: ${(error as Error).message}` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { snapshot: null, problem: 'the snapshot file is not valid JSON' };
    }
    const problem = snapshotProblem(parsed, environment);
    return problem ? { snapshot: null, problem } : { snapshot: parsed as EnvironmentSnapshot, problem: null };
  }

  /** Merges `update` into the environment's snapshot and writes it. One write per environment at a time. */
  write(environment: string, update: SnapshotUpdate): Promise<EnvironmentSnapshot> {
    const previous = this.queues.get(environment) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.writeNow(environment, update));
    this.queues.set(environment, next);
    // Drop the queue entry once idle, whatever the outcome (a rejected write is not cached).
    void next.catch(() => undefined).finally(() => {
      if (this.queues.get(environment) === next) this.queues.delete(environment);
    });
    return next;
  }

  async remove(environment: string): Promise<void> {
    await rm(this.pathOf(environment), { force: true });
  }

  private async writeNow(environment: string, update: SnapshotUpdate): Promise<EnvironmentSnapshot> {
    const existing = await this.load(environment);
    const salt = this.options.secretHashSalt ?? '';
    const asOf = (update.asOf ?? new Date()).toISOString();
    const snapshot: EnvironmentSnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      environment,
      context: update.context !== undefined ? update.context : (existing?.context ?? null),
      asOf: existing && existing.asOf > asOf ? existing.asOf : asOf,
      writtenAt: new Date().toISOString(),
      connection: update.connection !== undefined ? update.connection : (existing?.connection ?? null),
      operators: update.operators ? { asOf, data: update.operators.map((m) => ({ ...m, status: sanitizeOperatorStatus(m.status) })) } : (existing?.operators ?? null),
      liveObjects: update.liveObjects ? { asOf, data: update.liveObjects.map((o) => sanitizeLiveObject(o, salt)) } : (existing?.liveObjects ?? null),
      drift: update.drift ? this.driftSection(update.drift, asOf, salt) : (existing?.drift ?? null),
    };
    const text = this.bounded(snapshot);
    await this.writeAtomically(this.pathOf(environment), text);
    return JSON.parse(text) as EnvironmentSnapshot;
  }

  private driftSection(update: DriftSnapshotUpdate, asOf: string, salt: string): DriftSnapshotSection {
    const section: DriftSnapshotSection = { asOf, data: sanitizeDrift(update.drift, salt), desiredHashes: update.desiredHashes, durationMs: update.durationMs };
    if (update.fallbackReason !== undefined) section.fallbackReason = update.fallbackReason;
    if (update.truncated) section.truncated = update.truncated;
    return section;
  }

  /** The JSON text within the size bound, dropping the least needed data first. */
  private bounded(snapshot: EnvironmentSnapshot): string {
    const max = this.options.maxBytes ?? 4 * 1024 * 1024;
    let text = JSON.stringify(snapshot);
    if (Buffer.byteLength(text) <= max) return text;
    const live = snapshot.liveObjects;
    if (live && live.data.length > 0) {
      const all = live.data;
      const total = live.truncated?.total ?? all.length;
      // Binary search for the most objects that fit.
      let low = 0;
      let high = all.length;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        snapshot.liveObjects = { ...live, data: all.slice(0, mid), truncated: { kept: mid, total } };
        if (Buffer.byteLength(JSON.stringify(snapshot)) <= max) low = mid;
        else high = mid - 1;
      }
      snapshot.liveObjects = { ...live, data: all.slice(0, low), truncated: { kept: low, total } };
      text = JSON.stringify(snapshot);
      if (Buffer.byteLength(text) <= max) return text;
    }
    if (snapshot.drift) {
      snapshot.drift = { ...snapshot.drift, fieldsDropped: true, data: { ...snapshot.drift.data, resources: snapshot.drift.data.resources.map((r) => ({ ...r, fields: [] })) } };
      text = JSON.stringify(snapshot);
      if (Buffer.byteLength(text) <= max) return text;
    }
    throw new SnapshotError('tooLarge', `The snapshot of ${snapshot.environment} needs ${Buffer.byteLength(text)} bytes even without live objects (limit ${max})`);
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    const temporary = `${path}.${process.pid}.${++temporaryCounter}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        // Flushed before the rename, so a crash leaves the old file or the new one, never a torn one.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new SnapshotError('io', `Cannot write the snapshot ${path}: ${(error as Error).message}`);
    }
  }
}
