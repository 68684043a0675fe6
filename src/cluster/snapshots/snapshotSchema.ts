// The last-known snapshot of one environment, as stored in the extension's workspace storage: what
// the tree, hints and report render from while the cluster cannot be reached, marked "as of" the
// time the data was true. Versioned: a file of another schema version is ignored, never misread.
// Version 2 added what a drift section needs to be trusted after a restart: the hash of each
// resource's desired object as it was compared (an entry whose desired object changed since is
// dropped, never shown), the time the computation took, and the size-bound marks.
import type { EnvironmentDrift } from '../../core/drift/driftTypes';
import type { MappedOperator } from '../../core/operators/operatorMapping';

export const SNAPSHOT_SCHEMA_VERSION = 2;

export interface SnapshotSection<T> {
  /** ISO time the data was read from the cluster. */
  asOf: string;
  data: T;
}

export interface LiveObjectsSection extends SnapshotSection<Array<Record<string, unknown>>> {
  /** Set when the size bound dropped objects: how many were kept of how many. */
  truncated?: { kept: number; total: number };
}

export interface DriftSnapshotSection extends SnapshotSection<EnvironmentDrift> {
  /**
   * Per resource key, the hash of its desired object and where it is declared, as compared (see
   * driftSnapshot.ts); '' for a resource Git did not declare (Extra).
   */
  desiredHashes: Record<string, string>;
  /** How long the computation took (ms); null when not measured (a watch-driven recompute). */
  durationMs: number | null;
  /** Why server mode fell back to local, when it did. */
  fallbackReason?: string;
  /** Set when the resource bound dropped resources (in-sync ones first): how many were kept of how many. */
  truncated?: { kept: number; total: number };
  /** Set when the byte bound needed every resource's field details dropped (statuses stay). */
  fieldsDropped?: boolean;
}

export interface EnvironmentSnapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  environment: string;
  context: string | null;
  /** ISO time of the newest section: "as of <time>". */
  asOf: string;
  /** ISO time the file was written. */
  writtenAt: string;
  /** The connection when the snapshot was taken. */
  connection: { status: string; reason: string | null } | null;
  /** The environment's operator objects with why each belongs to it. */
  operators: SnapshotSection<MappedOperator[]> | null;
  /** Live objects with Secret values replaced by hashes and managedFields dropped. */
  liveObjects: LiveObjectsSection | null;
  /** The drift report, Secret values masked, with what is needed to check it still applies. */
  drift: DriftSnapshotSection | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSection(value: unknown, data: (d: unknown) => boolean): boolean {
  return value === null || (isRecord(value) && typeof value.asOf === 'string' && data(value.data));
}

/** Why `value` is not a snapshot this version can read, or null when it is one. */
export function snapshotProblem(value: unknown, environment: string): string | null {
  if (!isRecord(value)) return 'not a JSON object';
  if (value.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) return `schema version ${JSON.stringify(value.schemaVersion)} (this version reads ${SNAPSHOT_SCHEMA_VERSION})`;
  if (value.environment !== environment) return `written for environment ${JSON.stringify(value.environment)}`;
  if (typeof value.asOf !== 'string' || Number.isNaN(Date.parse(value.asOf))) return 'no valid asOf time';
  if (!isSection(value.operators ?? null, Array.isArray)) return 'operators section is malformed';
  if (!isSection(value.liveObjects ?? null, Array.isArray)) return 'liveObjects section is malformed';
  if (!isSection(value.drift ?? null, (d) => isRecord(d) && Array.isArray(d.resources) && isRecord(d.counts))) return 'drift section is malformed';
  if (isRecord(value.drift) && !isRecord(value.drift.desiredHashes)) return 'drift section has no desired hashes';
  return null;
}
