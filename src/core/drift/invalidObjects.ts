// Git objects the API server would refuse: drift reports them as `Invalid` (never as drift, which
// would suggest that applying Git fixes it). Two sources give the verdict: the kind's schema plus
// the server's own rules, checked here without a cluster (all problems at once, like `gitops-env
// validate`), and the cluster's dry-run answering 400/422 (its message and `details.causes`).
import { escapePointerToken } from '../manifest';
import { validateKubernetesObject } from '../validation/objectValidator';
import type { FieldProblem } from '../validation/openApiSchema';
import type { SchemaCatalog } from '../validation/schemaCatalog';
import type { InvalidProblem, InvalidVerdict, KubeObject } from './driftTypes';

function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${escapePointerToken(String(segment))}`).join('');
}

/**
 * The RFC 6901 pointer of an API server field path (`spec.containers[0].image`,
 * `metadata.labels[app.kubernetes.io/name]`); undefined when the text is not one.
 */
export function fieldPathPointer(path: string): string | undefined {
  const segments: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return undefined;
      segments.push(path.slice(i + 1, close));
      i = close + 1;
      if (path[i] === '.') i++;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
    if (end === i) return undefined;
    segments.push(path.slice(i, end));
    i = path[end] === '.' ? end + 1 : end;
  }
  return pointerOf(segments);
}

/**
 * Messages quote the refused value (`Invalid value: "…"`); a Secret's data must never reach a
 * report, so quoted text in problems under its `data`/`stringData` is replaced.
 */
function withoutSecretValues(kind: string, path: string, message: string): string {
  if (kind !== 'Secret' || !/^(data|stringData)\b/.test(path)) return message;
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '"(secret value)"');
}

function problemOf(kind: string, problem: FieldProblem): InvalidProblem {
  // A missing field is shown where its parent is declared (as `gitops-env validate` does).
  const segments = problem.reason === 'FieldValueRequired' ? problem.segments.slice(0, -1) : problem.segments;
  return { path: problem.path, message: withoutSecretValues(kind, problem.path, problem.message), pointer: pointerOf(segments) };
}

function summary(problems: readonly InvalidProblem[]): string {
  const first = problems[0];
  const text = first.path && !first.message.includes(first.path) ? `${first.path}: ${first.message}` : first.message;
  return problems.length === 1 ? text : `${text} (and ${problems.length - 1} more)`;
}

const verdicts = new WeakMap<object, WeakMap<SchemaCatalog, InvalidVerdict | null>>();

/**
 * What the kind's schema and the API server's rules refuse in `object` (unknown fields refused, as
 * kubectl's default strict field validation does); undefined when nothing, or when no schema knows
 * the kind and its metadata is fine. Remembered per (object, catalog): the hot path asks again on
 * every run, and desired objects are replaced, never changed in place.
 */
export function schemaVerdict(object: KubeObject, catalog: SchemaCatalog): InvalidVerdict | undefined {
  let byCatalog = verdicts.get(object);
  const known = byCatalog?.get(catalog);
  if (known !== undefined) return known ?? undefined;
  // Without prune or applyDefaults the validator only reads: no copy (a deep clone of every
  // object was a tenth of a CLI drift run). A test checks it on deep-frozen objects.
  const result = validateKubernetesObject(object, catalog, { unknownFields: 'Strict' });
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const problems = [...result.decodeErrors, ...result.unknownFields, ...result.invalid].map((problem) => problemOf(kind, problem));
  const verdict: InvalidVerdict | undefined =
    problems.length === 0 ? undefined : { by: 'schema', reason: `the API server would refuse it: ${summary(problems)}`, problems };
  if (!byCatalog) {
    byCatalog = new WeakMap();
    verdicts.set(object, byCatalog);
  }
  byCatalog.set(catalog, verdict ?? null);
  return verdict;
}

/** One `details.causes[]` entry of a Kubernetes `Status`. */
export interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

/** The cluster's dry-run refused the object (400 Bad Request or 422 Invalid): its message, and one problem per cause. */
export function serverVerdict(kind: string, message: string, causes: readonly StatusCause[]): InvalidVerdict {
  // The server's summary repeats every cause's value: for a Secret, only the causes (masked) are kept.
  if (kind === 'Secret') message = withoutSecretValues(kind, 'data', message);
  const problems: InvalidProblem[] = causes.map((cause) => {
    const path = cause.field ?? '';
    const problem: InvalidProblem = { path, message: withoutSecretValues(kind, path, cause.message ?? cause.reason ?? 'refused') };
    const pointer = path === '' ? undefined : fieldPathPointer(path);
    if (pointer !== undefined) problem.pointer = pointer;
    return problem;
  });
  if (problems.length === 0) problems.push({ path: '', message });
  return { by: 'server', reason: `the cluster's dry-run refuses it: ${message}`, problems };
}
