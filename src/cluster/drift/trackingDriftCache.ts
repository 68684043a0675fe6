// The core's DriftCache, remembering which keys it had to compute since last asked: a report can
// then say exactly what a watch event or an edit recomputed (and tests can hold it to that).
import { DriftCache } from '../../core/drift/driftCache';

export class TrackingDriftCache extends DriftCache {
  private missed: string[] = [];

  override get(resourceKey: string, signature: string): ReturnType<DriftCache['get']> {
    const found = super.get(resourceKey, signature);
    if (!found) this.missed.push(resourceKey);
    return found;
  }

  /** Keys computed (not served from the cache) since the last call. */
  takeMissed(): string[] {
    const out = this.missed;
    this.missed = [];
    return out;
  }
}
