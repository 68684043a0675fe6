// Short texts for drift hints, hovers and CodeLens. No vscode import: unit-tested in plain Node.
// Secret values arrive masked from the engine; they are shown as "differs · #hash", never raw.
import type { DriftField, MaskedValue, ResourceDrift } from '../../core/drift/driftTypes';

const MAX_INLINE = 40;

function isMasked(value: unknown): value is MaskedValue {
  return typeof value === 'object' && value !== null && (value as MaskedValue).masked === true && typeof (value as MaskedValue).hash === 'string';
}

/** One value as short inline text: scalars as YAML would show them, objects abbreviated. */
export function formatValue(value: unknown, max = MAX_INLINE): string {
  if (isMasked(value)) return `differs · #${value.hash}`;
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const quoted = /^[\w./:@+-]+$/.test(value) && !/^(true|false|null|~|\d[\d.]*)$/i.test(value) ? value : JSON.stringify(value);
    return quoted.length > max ? `${quoted.slice(0, max - 1)}…` : quoted;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

/** After-line hint for a drifted field: `⟵ live: 5`. */
export function fieldHint(field: DriftField): string {
  switch (field.change) {
    case 'changed':
      return `⟵ live: ${formatValue(field.live)}`;
    case 'notInLive':
      return '⟵ not in cluster';
    case 'notInGit':
      return `⟵ live also has ${field.path.split('.').pop() ?? field.path}: ${formatValue(field.live)}`;
  }
}

/** Hint on a resource's `kind:` line for resource-level verdicts. */
export function resourceHint(resource: ResourceDrift): string | undefined {
  switch (resource.status) {
    case 'Missing':
      return '⟵ missing in cluster';
    case 'Unknown':
      return `⟵ drift unknown: ${resource.reason ?? 'no answer from the cluster'}`;
    case 'Invalid':
      return `⟵ invalid: ${invalidSummary(resource)}`;
    default:
      return undefined;
  }
}

/** CodeLens title: "● drifted · 3 fields" / "✓ in sync" / "○ missing in cluster". */
export function lensTitle(resource: ResourceDrift): string {
  const approx = resource.approximate ? ' (approximate)' : '';
  switch (resource.status) {
    case 'InSync':
      return `✓ in sync${approx}`;
    case 'Drifted':
      return `● drifted · ${resource.fields.length} field${resource.fields.length === 1 ? '' : 's'}${approx}`;
    case 'Missing':
      return '○ missing in cluster';
    case 'Extra':
      return '◌ in cluster only';
    case 'Unknown':
      return `? unknown: ${resource.reason ?? 'no answer'}`;
    case 'Invalid':
      return `✗ invalid: ${invalidSummary(resource)}`;
  }
}

/** "2 problems: spec.replicas …" — short, for a hint or a CodeLens; the hover and report list them all. */
export function invalidSummary(resource: ResourceDrift): string {
  const problems = resource.problems ?? [];
  if (problems.length === 0) return resource.reason ?? 'refused by the API server';
  const first = problems[0];
  const text = formatProblem(first.path, first.message);
  return problems.length === 1 ? text : `${problems.length} problems: ${text} …`;
}

/** After-line hint for one refused field: `⟵ invalid: Unsupported value: "Sometimes" …`. */
export function problemHint(message: string): string {
  return `⟵ invalid: ${message.length > 80 ? `${message.slice(0, 79)}…` : message}`;
}

function formatProblem(path: string, message: string): string {
  return path && !message.includes(path) ? `${path}: ${message}` : message;
}

/** "as of 10:42" for stale hints. */
export function asOfText(asOf: number | undefined, now = Date.now()): string {
  if (asOf === undefined) return 'cluster unreachable';
  const date = new Date(asOf);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return sameDay ? `as of ${time}` : `as of ${date.toISOString().slice(0, 10)} ${time}`;
}

/** Markdown-safe inline code (values may contain backticks). */
export function inlineCode(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text.replace(/\n/g, ' ')}${ticks}`;
}

/** Multi-line rendering of a value for hovers (YAML-ish JSON, bounded). */
export function blockValue(value: unknown, max = 1200): string {
  if (isMasked(value)) return `differs · #${value.hash}`;
  const text = value === undefined ? '(absent)' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text.length > max ? `${text.slice(0, max)}\n…` : text;
}
