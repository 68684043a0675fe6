// Recent warning Events of an environment's namespaces, newest first and bounded, for the tree's
// "what went wrong" line. Messages go through the secret mask (oneLine): an Event can quote a
// failing command line or URL with a token in it.
import { field, metadataOf, oneLine, text, type KubeObject } from './lenientFields';

export interface WarningEvent {
  namespace: string | null;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string; namespace: string | null };
  /** How many times it happened (series or count), at least 1. */
  count: number;
  /** ISO time it was last seen. */
  lastSeen: string | null;
  /** The component that reported it (kubelet, kustomize-controller…). */
  source: string | null;
}

export interface WarningEventOptions {
  /** Only Events in these namespaces; all when absent. */
  namespaces?: readonly string[];
  /** Default 20. */
  limit?: number;
}

function lastSeenOf(event: KubeObject): string | null {
  return text(event, 'series', 'lastObservedTime') ?? text(event, 'lastTimestamp') ?? text(event, 'eventTime') ?? text(event, 'metadata', 'creationTimestamp');
}

function countOf(event: KubeObject): number {
  const series = field(event, 'series', 'count');
  const count = field(event, 'count');
  const n = typeof series === 'number' ? series : typeof count === 'number' ? count : 1;
  return Math.max(1, n);
}

/** Warning Events among `events`, newest first, at most `limit`. */
export function recentWarningEvents(events: Iterable<KubeObject>, options: WarningEventOptions = {}): WarningEvent[] {
  const namespaces = options.namespaces ? new Set(options.namespaces) : null;
  const out: WarningEvent[] = [];
  for (const event of events) {
    if (text(event, 'type') !== 'Warning') continue;
    const meta = metadataOf(event);
    if (namespaces && !namespaces.has(meta.namespace ?? '')) continue;
    out.push({
      namespace: meta.namespace,
      reason: text(event, 'reason') ?? '',
      message: oneLine(text(event, 'message') ?? text(event, 'note') ?? ''),
      involvedObject: {
        kind: text(event, 'involvedObject', 'kind') ?? text(event, 'regarding', 'kind') ?? '',
        name: text(event, 'involvedObject', 'name') ?? text(event, 'regarding', 'name') ?? '',
        namespace: text(event, 'involvedObject', 'namespace') ?? text(event, 'regarding', 'namespace'),
      },
      count: countOf(event),
      lastSeen: lastSeenOf(event),
      source: text(event, 'source', 'component') ?? text(event, 'reportingComponent') ?? text(event, 'reportingController'),
    });
  }
  // ISO timestamps sort as text; events without a time go last.
  out.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
  return out.slice(0, Math.max(0, options.limit ?? 20));
}
