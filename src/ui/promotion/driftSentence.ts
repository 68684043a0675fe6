// The target environment's drift in one sentence, for the preview and the pull request body
// ("prod's cluster matches Git", "prod's cluster differs from Git: 1 drifted, 2 missing"). Pure:
// it reads the shape the drift store keeps, without importing it.
import type { DriftStatus } from '../../core/drift/driftTypes';

export interface DriftSnapshot {
  drift?: { counts: Record<DriftStatus, number> };
  stale: boolean;
  computing: boolean;
  error?: string;
  /** ms since epoch of the live side. */
  asOf?: number;
}

/** Null when nothing is known (no cluster, not computed yet): the body then says nothing about drift. */
export function driftSentence(environment: string, snapshot: DriftSnapshot | undefined, now = Date.now()): string | null {
  if (!snapshot?.drift) return null;
  const c = snapshot.drift.counts;
  const parts = [c.Drifted ? `${c.Drifted} drifted` : '', c.Missing ? `${c.Missing} missing in the cluster` : '', c.Extra ? `${c.Extra} only in the cluster` : ''].filter(Boolean);
  const base = parts.length ? `${environment}'s cluster differs from Git: ${parts.join(', ')}` : `${environment}'s cluster matches Git`;
  if (!snapshot.stale || snapshot.asOf === undefined) return `${base}.`;
  const minutes = Math.max(1, Math.round((now - snapshot.asOf) / 60_000));
  return `${base} (last checked ${minutes} minute${minutes === 1 ? '' : 's'} ago; the cluster is unreachable now).`;
}
