// Health as Argo CD reports it: the six status codes, one assessment result, and the roll-up order
// an environment (like an Argo CD Application) takes from its resources.

/** Argo CD's health codes (gitops-engine `HealthStatusCode`). */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthResult {
  status: HealthStatus;
  /** Why, in the words of the rule (Argo's message where Argo gives one). Absent when there is nothing to say. */
  message?: string;
}

/**
 * Best to worst, exactly gitops-engine's `healthOrder`. Unknown ranks worst there (it means the
 * assessment itself failed), so an environment with one unassessable resource shows Unknown, as its
 * Argo CD Application would.
 */
export const HEALTH_ORDER: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

export function isHealthStatus(value: unknown): value is HealthStatus {
  return typeof value === 'string' && (HEALTH_ORDER as readonly string[]).includes(value);
}

/** Argo's `IsWorse(current, next)`: true when `next` is a worse condition than `current`. */
export function isWorseHealth(current: HealthStatus, next: HealthStatus): boolean {
  return HEALTH_ORDER.indexOf(next) > HEALTH_ORDER.indexOf(current);
}

/** Builds a result, leaving `message` out when empty so JSON output and equality checks stay clean. */
export function health(status: HealthStatus, message?: string): HealthResult {
  return message ? { status, message } : { status };
}

/**
 * The worst health among `results`, the way Argo CD rolls resource health up into an Application:
 * start Healthy, take any worse status. `null` entries (kinds no rule applies to) do not count, so an
 * environment of ConfigMaps alone is Healthy, as its Argo CD Application would be. The message is the
 * first one given at the winning status.
 *
 * Callers decide what goes in: Argo leaves out a Missing resource whose kind has no health rule, and a
 * child Application that is Missing or Unknown; pass `null` for those to match it.
 */
export function rollUpHealth(results: Iterable<HealthResult | null | undefined>): HealthResult {
  let worst: HealthResult | null = null;
  for (const result of results) {
    if (result && (!worst || isWorseHealth(worst.status, result.status))) worst = result;
  }
  return worst ? health(worst.status, worst.message) : { status: 'Healthy' };
}
