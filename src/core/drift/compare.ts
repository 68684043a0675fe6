// Entry points of the drift engine: one resource (`compareResource`) and a whole environment
// (`compareEnvironment`: matching desired to live, Missing/Extra/Unknown, the cache).
import type { ObjectBlame } from '../blame/blameTypes';
import type { ParsedManifest } from '../manifest';
import { resourceKey, splitApiVersion, type ResourceId, type SourceLocation } from '../model';
import { DiffWalker } from './diffWalk';
import type { CachedDrift } from './driftCache';
import { buildFields } from './driftFields';
import type {
  CompareInput,
  CompareOptions,
  DesiredResource,
  DriftMode,
  DriftStatus,
  EnvironmentCompareOptions,
  EnvironmentDrift,
  InvalidProblem,
  KubeObject,
  ResourceDrift,
} from './driftTypes';
import { DRIFT_STATUSES } from './driftTypes';
import { contentHash } from './hash';
import { compileIgnoreRules, ignoredManagers, removeIgnoredPaths, rulesFor, type CompiledIgnoreRule } from './ignoreRules';
import { parseLabelSelector, type LabelMatcher } from './labelSelector';
import { readManagedFields, type FieldsNode } from './managedFields';
import { LAST_APPLIED_ANNOTATION, normalizeObject, secretSource } from './normalize';

/** Field managers that apply Git with server-side apply: ours, Argo CD's and Flux's. */
export const DEFAULT_APPLY_MANAGERS: readonly string[] = ['gitops-environments', 'argocd-controller', 'kustomize-controller'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Identity of any object with a kind and a name (unlike `identify`, tool kinds included). */
export function objectId(object: KubeObject): ResourceId {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const { group, version } = splitApiVersion(typeof object.apiVersion === 'string' ? object.apiVersion : '');
  return {
    group,
    version,
    kind: typeof object.kind === 'string' ? object.kind : '',
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : null,
    name: typeof metadata.name === 'string' ? metadata.name : '',
  };
}

function originOf(desired: DesiredResource | undefined): SourceLocation | undefined {
  if (desired?.manifest) return { file: desired.manifest.file, range: desired.manifest.kindRange };
  return desired?.origin;
}

/**
 * What kubectl's client-side apply last declared; undefined if absent or unreadable. Only which
 * fields it holds matters (never its values), so it skips the full normalization.
 */
function lastApplied(live: KubeObject): KubeObject | undefined {
  const metadata = isRecord(live.metadata) ? live.metadata : undefined;
  const annotations = isRecord(metadata?.annotations) ? metadata.annotations : undefined;
  const text = annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed)) return undefined;
    return parsed.kind === 'Secret' ? secretSource(parsed) : parsed;
  } catch {
    return undefined;
  }
}

interface PreparedOptions {
  options: CompareOptions;
  rules: CompiledIgnoreRule[];
  applyManagers: ReadonlySet<string>;
  /** Fingerprint of everything in the options that changes a result (cache signatures). */
  fingerprint: string;
}

function prepare(options: CompareOptions, rules: CompiledIgnoreRule[]): PreparedOptions {
  const applyManagers = new Set(options.applyManagers ?? DEFAULT_APPLY_MANAGERS);
  // Only cached results are keyed by the options: without a cache (a one-shot run, the dry-run
  // screen) hashing them would be work for nothing, once per call.
  if (!options.cache) return { options, rules, applyManagers, fingerprint: '' };
  const fingerprint = contentHash({
    mode: options.mode ?? 'local',
    compareStatus: options.compareStatus === true,
    ignoreAggregatedRoles: options.ignoreAggregatedRoles === true,
    ignoreMutationWebhook: options.ignoreMutationWebhook !== false,
    applyManagers: [...applyManagers].sort(),
    salt: options.secretHashSalt ?? '',
    rules: rules.map((rule) => rule.rule),
  });
  return { options, rules, applyManagers, fingerprint };
}

function emptyDrift(id: ResourceId, status: DriftStatus, mode: DriftMode, desired: DesiredResource | undefined, reason?: string): ResourceDrift {
  const drift: ResourceDrift = { id, key: resourceKey(id), status, fields: [], mode, approximate: mode === 'local', ignored: 0 };
  if (reason) drift.reason = reason;
  const origin = originOf(desired);
  if (origin) drift.origin = origin;
  return drift;
}

/** Compares one pair without the cache and without source ranges (those are attached per call). */
function computeDrift(id: ResourceId, input: CompareInput, prepared: PreparedOptions): CachedDrift {
  const { options } = prepared;
  const desired = input.desired;
  const requested: DriftMode = options.mode ?? 'local';
  // Without a dry-run result, server mode falls back to a local comparison and says so.
  const mode: DriftMode = requested === 'server' && input.predictedLive ? 'server' : 'local';
  // Git's object is refused: applying it fails, so neither its fields nor its absence are drift.
  if (desired && input.invalid) {
    const drift = emptyDrift(id, 'Invalid', requested, desired, input.invalid.reason);
    drift.problems = input.invalid.problems.map((problem) => ({ ...problem }));
    return { drift, rangePointers: [] };
  }
  if (input.unknownReason !== undefined) return { drift: emptyDrift(id, 'Unknown', requested, desired, input.unknownReason), rangePointers: [] };
  if (!desired) return { drift: emptyDrift(id, 'Extra', requested, desired), rangePointers: [] };
  if (!input.live) return { drift: emptyDrift(id, 'Missing', requested, desired), rangePointers: [] };

  const live = input.live;
  // A prediction that is the live object itself (an apply would change nothing) needs no walk.
  if (mode === 'server' && input.predictedLive === live) return { drift: emptyDrift(id, 'InSync', 'server', desired), rangePointers: [] };
  const git = normalizeObject(desired.object, options);
  const compared = mode === 'server' ? normalizeObject(input.predictedLive as KubeObject, options) : git;
  const liveNormalized = normalizeObject(live, options);
  const applied = mode === 'local' ? lastApplied(live) : undefined;
  const managedFields = readManagedFields(live);
  let appliedFields: FieldsNode[] | undefined;
  if (mode === 'local') {
    for (const entry of managedFields) {
      if (entry.operation === 'Apply' && prepared.applyManagers.has(entry.manager)) (appliedFields ??= []).push(entry.fields);
    }
  }
  const rules = rulesFor(prepared.rules, id, desired.object);
  let ignored = removeIgnoredPaths(rules, applied ? [compared, liveNormalized, applied] : [compared, liveNormalized], mode === 'local');
  const raw = new DiffWalker(id.kind, mode, options.ignoreMutationWebhook !== false).run(compared, liveNormalized, applied, appliedFields, git);
  const stringData = isRecord(desired.object.stringData) ? new Set(Object.keys(desired.object.stringData)) : undefined;
  const built = buildFields(raw, {
    kind: id.kind,
    live: liveNormalized,
    managedFields,
    ignoredManagers: ignoredManagers(rules),
    secretHashSalt: options.secretHashSalt,
    stringDataKeys: stringData,
  });
  ignored += built.ignored;
  const drift = emptyDrift(id, built.fields.length > 0 ? 'Drifted' : 'InSync', mode, desired);
  drift.fields = built.fields;
  drift.ignored = ignored;
  return { drift, rangePointers: built.rangePointers };
}

/** A fresh result with the ranges of the current manifest (which may have moved since the result was cached). */
function withRanges(cached: CachedDrift, manifest: ParsedManifest | undefined, desired: DesiredResource | undefined): ResourceDrift {
  const drift: ResourceDrift = { ...cached.drift, fields: cached.drift.fields.map((field) => ({ ...field })) };
  const origin = originOf(desired);
  if (origin) drift.origin = origin;
  if (cached.drift.problems) drift.problems = cached.drift.problems.map((problem) => locatedProblem(problem, manifest, desired?.blame));
  // Rendered objects: the line that set each value (overlay patch, transformer entry, component,
  // base). A value the declaring document sets has its range there already; one set in another
  // file has no range in this one (views use the source): either way no second parse.
  const blame = desired?.blame;
  drift.fields.forEach((field, i) => {
    const source = blame?.blame(field.pointer);
    if (source) field.source = source;
    const pointer = cached.rangePointers[i];
    if (!manifest || pointer === undefined) return;
    if (!source) field.range = manifest.rangeOf(pointer);
    else if (source.via === 'base' && source.location.file === manifest.file && source.docIndex === manifest.docIndex) field.range = source.location.range;
  });
  return drift;
}

/** A refused field's line: the overlay line that set it, else its (or its nearest declared ancestor's) range in the manifest. */
function locatedProblem(problem: InvalidProblem, manifest: ParsedManifest | undefined, blame: ObjectBlame | undefined): InvalidProblem {
  const located: InvalidProblem = { ...problem };
  if (problem.pointer === undefined) return located;
  const source = blame?.blame(problem.pointer);
  if (source) located.source = source;
  else if (manifest) located.range = problem.pointer === '' ? manifest.kindRange : manifest.rangeOf(problem.pointer);
  return located;
}

const desiredHashes = new WeakMap<object, string>();
const objectHashes = new WeakMap<object, string>();

function hashOnce(cache: WeakMap<object, string>, object: object): string {
  let hash = cache.get(object);
  if (hash === undefined) {
    hash = contentHash(object);
    cache.set(object, hash);
  }
  return hash;
}

/** The live side's version: its resourceVersion, or its content hash when it has none. */
function liveVersion(object: KubeObject | undefined): string {
  if (!object) return '-';
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  const version = metadata?.resourceVersion;
  return typeof version === 'string' && version !== '' ? `rv:${version}` : `h:${hashOnce(objectHashes, object)}`;
}

function signatureOf(input: CompareInput, prepared: PreparedOptions): string {
  const desired = input.desired ? (input.desired.contentHash ?? hashOnce(desiredHashes, input.desired.object)) : '-';
  // A prediction that is the live object itself is named as such: hashing it would cost more than the comparison.
  const predicted = !input.predictedLive ? '-' : input.predictedLive === input.live ? '=live' : hashOnce(objectHashes, input.predictedLive);
  const invalid = input.invalid ? contentHash(input.invalid) : '';
  return `${desired}|${liveVersion(input.live)}|${predicted}|${input.unknownReason ?? ''}|${invalid}|${prepared.fingerprint}`;
}

function compareWith(id: ResourceId, input: CompareInput, prepared: PreparedOptions): ResourceDrift {
  const cache = prepared.options.cache;
  if (!cache) return withRanges(computeDrift(id, input, prepared), input.desired?.manifest, input.desired);
  const key = resourceKey(id);
  const signature = signatureOf(input, prepared);
  let cached = cache.get(key, signature);
  if (!cached) {
    cached = computeDrift(id, input, prepared);
    cache.set(key, signature, cached);
  }
  return withRanges(cached, input.desired?.manifest, input.desired);
}

/**
 * Compares one resource. Ignore rules that cannot be compiled are skipped silently here; use
 * `compareEnvironment` (or `compileIgnoreRules`) to report them.
 */
export function compareResource(input: CompareInput): ResourceDrift {
  const object = input.desired?.object ?? input.live;
  if (!object) throw new TypeError('compareResource needs a desired or a live object');
  const options = input.options ?? {};
  const prepared = prepare(options, compileIgnoreRules(options.ignoreRules ?? []).rules);
  return compareWith(objectId(object), input, prepared);
}

function unavailableReason(id: ResourceId, options: EnvironmentCompareOptions): string | undefined {
  for (const entry of options.liveUnavailable ?? []) {
    if (entry.group === id.group && entry.kind === id.kind && (entry.namespace === undefined || entry.namespace === id.namespace)) return entry.reason;
  }
  return undefined;
}

function labelsOf(object: KubeObject): Record<string, string> | undefined {
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  if (!isRecord(metadata?.labels)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

export const ARGO_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/**
 * Whether Argo CD's tracking annotation names `app` as the object's application. Argo CD writes
 * `<instance>:<group>/<kind>:<namespace>/<name>`, the instance being the Application's name, or
 * `<app-namespace>_<app-name>` for an Application outside Argo CD's own namespace; it reads the
 * instance back by splitting at the first `_` (Kubernetes names never hold one). So `old-shop-prod`
 * or `team_old-shop-prod` is another application than `shop-prod`, however the names end.
 */
export function trackedBy(object: KubeObject, app: string): boolean {
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  const annotations = isRecord(metadata?.annotations) ? metadata.annotations : undefined;
  const id = annotations?.[ARGO_TRACKING_ANNOTATION];
  if (typeof id !== 'string') return false;
  const colon = id.indexOf(':');
  if (colon < 0) return false;
  const instance = id.slice(0, colon);
  if (instance === app) return true;
  const separator = instance.indexOf('_');
  return separator > 0 && instance.slice(separator + 1) === app;
}

/** Objects a controller created from another (ReplicaSets, Pods, Jobs of a CronJob) are not Git's, so never Extra. */
function isControllerOwned(object: KubeObject): boolean {
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  return Array.isArray(metadata?.ownerReferences) && metadata.ownerReferences.length > 0;
}

/**
 * Compares an environment: every desired object with its live counterpart (by group, kind,
 * namespace and name; the version is left out), live objects the selector marks as the
 * environment's but Git lacks as `Extra`, and kinds that could not be listed as `Unknown`.
 */
export function compareEnvironment(desired: readonly DesiredResource[], live: readonly KubeObject[], options: EnvironmentCompareOptions = {}): EnvironmentDrift {
  const compiled = compileIgnoreRules(options.ignoreRules ?? []);
  const problems = [...compiled.problems];
  const prepared = prepare(options, compiled.rules);
  const mode: DriftMode = options.mode ?? 'local';

  const liveByKey = new Map<string, KubeObject>();
  for (const object of live) liveByKey.set(resourceKey(objectId(object)), object);
  const matched = new Set<string>();
  const resources: ResourceDrift[] = [];

  for (const item of desired) {
    let id = objectId(item.object);
    let key = resourceKey(id);
    let liveObject = liveByKey.get(key);
    if (!liveObject && id.namespace === null && options.defaultNamespace) {
      // Git left the namespace to the environment; a namespaced object lives in the default one.
      const namespaced = { ...id, namespace: options.defaultNamespace };
      const namespacedKey = resourceKey(namespaced);
      liveObject = liveByKey.get(namespacedKey);
      if (liveObject || options.predictedLive?.has(namespacedKey)) {
        id = namespaced;
        key = namespacedKey;
      }
    }
    if (liveObject) matched.add(key);
    const reason = liveObject ? undefined : unavailableReason(id, options);
    resources.push(
      compareWith(
        id,
        { desired: item, live: liveObject, predictedLive: options.predictedLive?.get(key), unknownReason: reason, invalid: options.invalid?.get(key), options },
        prepared,
      ),
    );
  }

  let selector: LabelMatcher | undefined;
  if (options.extraSelector !== undefined) {
    try {
      selector = parseLabelSelector(options.extraSelector);
    } catch (error) {
      problems.push(`${(error as Error).message}; extra resources are not reported`);
    }
  }
  const tracking = options.extraTrackingApp;
  if (selector || tracking) {
    for (const object of live) {
      const id = objectId(object);
      const key = resourceKey(id);
      if (matched.has(key) || isControllerOwned(object)) continue;
      if (!(selector?.(labelsOf(object)) || (tracking !== undefined && trackedBy(object, tracking)))) continue;
      resources.push(compareWith(id, { live: object, options }, prepared));
    }
  }

  return { mode, approximate: resources.some((r) => r.approximate) || (mode === 'local' && resources.length === 0), resources, counts: countStatuses(resources), problems };
}

/** How many resources have each status (every status present, zero or not). */
export function countStatuses(resources: readonly ResourceDrift[]): Record<DriftStatus, number> {
  const counts = Object.fromEntries(DRIFT_STATUSES.map((status) => [status, 0])) as Record<DriftStatus, number>;
  for (const resource of resources) counts[resource.status]++;
  return counts;
}
