// A drift result as the CLI prints it: the stable JSON shape CI pipelines parse, a readable text
// report with `file:line` and `- live / + git` values, and kubectl-diff-like exit codes. Values
// come from the engine already masked for Secrets; nothing here ever sees a raw Secret value.
import type { BlameVia } from '../../core/blame/blameTypes';
import type { DriftField, DriftStatus, EnvironmentDrift, InvalidProblem, ResourceDrift } from '../../core/drift/driftTypes';
import { isMaskedValue } from '../../core/drift/secretMask';

export interface DriftFieldJson {
  path: string;
  desired: unknown;
  live: unknown;
  file: string | null;
  line: number | null;
  /** How an overlay set the value (`patch`, `images`, `replicas`, `namespace`…); absent when the declaring file sets it. */
  via?: BlameVia;
}

/** One thing the API server or the schema refuses in an `Invalid` resource. */
export interface DriftProblemJson {
  /** The API server's field path (`spec.template.spec.containers[0].imagePullPolicy`); empty for the whole object. */
  path: string;
  message: string;
  file: string | null;
  line: number | null;
  via?: BlameVia;
}

export interface DriftResourceJson {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  status: DriftStatus;
  fields: DriftFieldJson[];
  /** `Invalid` only: the refusal in one line. */
  reason?: string;
  /** `Invalid` only: each refused field, at its line when known. */
  problems?: DriftProblemJson[];
}

export interface DriftReportJson {
  resources: DriftResourceJson[];
}

export interface OutputOptions {
  /** Rewrites a source path for display (make it relative to where the user ran the command). */
  displayPath?: (file: string) => string;
}

function apiVersionOf(resource: ResourceDrift): string {
  return resource.id.group ? `${resource.id.group}/${resource.id.version}` : resource.id.version;
}

/**
 * Where a field's value is set: the line blame found (an overlay's patch, an `images:` entry…),
 * else its own range in the declaring file, else the resource's `kind:` line, else unknown.
 */
function fieldLocation(resource: ResourceDrift, field: Pick<DriftField, 'range' | 'source'>, options: OutputOptions): { file: string | null; line: number | null; via?: BlameVia } {
  const source = field.source;
  if (source) {
    const shown = options.displayPath ? options.displayPath(source.location.file) : source.location.file;
    const line = source.location.range?.start.line ?? null;
    return source.via === 'base' ? { file: shown, line } : { file: shown, line, via: source.via };
  }
  const file = resource.origin?.file;
  if (!file) return { file: null, line: null };
  const shown = options.displayPath ? options.displayPath(file) : file;
  return { file: shown, line: field.range?.start.line ?? resource.origin?.range?.start.line ?? null };
}

/** Where a refused field is: the overlay line that set it, its own line, else the resource's `kind:` line. */
function problemLocation(resource: ResourceDrift, problem: InvalidProblem, options: OutputOptions): { file: string | null; line: number | null; via?: BlameVia } {
  return fieldLocation(resource, { range: problem.range, source: problem.source }, options);
}

function problemJson(resource: ResourceDrift, problem: InvalidProblem, options: OutputOptions): DriftProblemJson {
  return { path: problem.path, message: problem.message, ...problemLocation(resource, problem, options) };
}

export function driftReportJson(drift: EnvironmentDrift, options: OutputOptions = {}): DriftReportJson {
  return {
    resources: drift.resources.map((resource): DriftResourceJson => ({
      apiVersion: apiVersionOf(resource),
      kind: resource.id.kind,
      namespace: resource.id.namespace,
      name: resource.id.name,
      status: resource.status,
      fields: resource.fields.map((field) => ({
        path: field.path,
        desired: field.desired === undefined ? null : field.desired,
        live: field.live === undefined ? null : field.live,
        ...fieldLocation(resource, field, options),
      })),
      ...(resource.status === 'Invalid'
        ? { reason: resource.reason ?? 'the API server would refuse it', problems: (resource.problems ?? []).map((problem) => problemJson(resource, problem, options)) }
        : {}),
    })),
  };
}

/**
 * kubectl diff's convention: 0 in sync, 1 differences, 2 could not tell (an Unknown, or an error
 * elsewhere). An Invalid resource is 2 as well: it is an error in Git, not a difference a sync
 * would remove (a sync fails on it), so a pipeline that syncs on 1 must not be sent to apply it.
 */
export function driftExitCode(drift: EnvironmentDrift): 0 | 1 | 2 {
  if (drift.counts.Unknown > 0 || (drift.counts.Invalid ?? 0) > 0) return 2;
  return drift.counts.Drifted + drift.counts.Missing + drift.counts.Extra > 0 ? 1 : 0;
}

const MAX_VALUE_CHARS = 300;

export function formatValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (isMaskedValue(value)) return `(secret value, sha256 ${value.hash}…)`;
  let text: string;
  // Plain words read better unquoted; anything that could be mistaken for another type stays JSON.
  if (typeof value === 'string' && value !== '' && !/^\s|\s$|[\n"]/.test(value) && !/^(true|false|null|-?\d[\d.e+-]*)$/i.test(value)) text = value;
  else text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)` : text;
}

function title(resource: ResourceDrift): string {
  return `${resource.id.kind} ${resource.id.namespace ? `${resource.id.namespace}/` : ''}${resource.id.name}`;
}

function originText(resource: ResourceDrift, options: OutputOptions): string {
  const file = resource.origin?.file;
  if (!file) return '';
  const shown = options.displayPath ? options.displayPath(file) : file;
  const line = resource.origin?.range?.start.line;
  return ` (${shown}${line ? `:${line}` : ''})`;
}

function fieldText(resource: ResourceDrift, field: DriftField, options: OutputOptions): string[] {
  const where = fieldLocation(resource, field, options);
  const at = where.file ? `${where.file}${where.line ? `:${where.line}` : ''}  ` : '';
  const via = where.via ? `  (set by ${where.via})` : '';
  const live = field.change === 'notInLive' ? '(not set in the cluster)' : formatValue(field.live);
  const git = field.change === 'notInGit' ? '(not in Git: the next apply removes it)' : formatValue(field.desired);
  const owner = field.manager ? `  (changed by ${field.manager}${field.changedAt ? ` at ${field.changedAt}` : ''})` : '';
  return [`    ${at}${field.path}${via}${owner}`, `      - live: ${live}`, `      + git:  ${git}`];
}

function problemText(resource: ResourceDrift, problem: InvalidProblem, options: OutputOptions): string {
  const where = problemLocation(resource, problem, options);
  const at = where.file ? `${where.file}${where.line ? `:${where.line}` : ''}  ` : '';
  const path = problem.path && !problem.message.includes(problem.path) ? `${problem.path}: ` : '';
  return `    ${at}${path}${problem.message}${where.via ? `  (set by ${where.via})` : ''}`;
}

export function driftReportText(drift: EnvironmentDrift, options: OutputOptions = {}): string {
  const lines: string[] = [];
  for (const resource of drift.resources) {
    const name = title(resource);
    const ignored = resource.ignored > 0 ? `, ${resource.ignored} ignored` : '';
    switch (resource.status) {
      case 'InSync':
        continue;
      case 'Drifted':
        lines.push(`${name}: drifted, ${resource.fields.length} field${resource.fields.length === 1 ? '' : 's'}${ignored}${originText(resource, options)}`);
        for (const field of resource.fields) lines.push(...fieldText(resource, field, options));
        break;
      case 'Missing':
        lines.push(`${name}: missing — in Git, not in the cluster${originText(resource, options)}`);
        break;
      case 'Extra':
        lines.push(`${name}: extra — in the cluster, labelled for the environment, not in Git`);
        break;
      case 'Unknown':
        lines.push(`${name}: unknown — ${resource.reason ?? 'could not be compared'}${originText(resource, options)}`);
        break;
      case 'Invalid':
        lines.push(`${name}: invalid — ${resource.reason ?? 'the API server would refuse it'}${originText(resource, options)}`);
        for (const problem of resource.problems ?? []) lines.push(problemText(resource, problem, options));
        break;
    }
  }
  const c = drift.counts;
  const total = drift.resources.length;
  const counted = [`${c.InSync} in sync`, `${c.Drifted} drifted`, `${c.Missing} missing`, `${c.Extra} extra`, `${c.Unknown} unknown`];
  // Said only when there are some, so reports of valid environments read as before.
  if ((c.Invalid ?? 0) > 0) counted.push(`${c.Invalid} invalid`);
  const summary = counted.join(', ');
  lines.push(`${lines.length > 0 ? '\n' : ''}${total} resource${total === 1 ? '' : 's'}: ${summary}${drift.approximate ? ' (approximate: compared without a server dry-run)' : ''}`);
  for (const problem of drift.problems) lines.push(`note: ${problem}`);
  return `${lines.join('\n')}\n`;
}
