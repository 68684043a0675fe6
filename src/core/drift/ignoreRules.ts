// Ignore rules: fields whose difference is not drift. Same shape and meaning as Argo CD's
// `ignoreDifferences` (gitops.yaml uses it too); Flux's `driftIgnoreRules` (Kustomization) and
// `driftDetection.ignore` (HelmRelease) convert into it. Paths are removed from both sides before
// comparing (what Argo CD does); managedFieldsManagers filter drifts afterwards by field owner.
import type { ResourceId } from '../model';
import { stableStringify } from './hash';
import { parseJqPath, jqPathsIn, type JqPath } from './jqPath';
import { buildPointer, parsePointer, removeAt } from './jsonPointer';
import { parseLabelSelector, type LabelMatcher } from './labelSelector';
import { MAX_PATTERN_SUBJECT_LENGTH, regexHazard, wildcardMatches } from '../patternSafety';

export interface IgnoreRule {
  /** API group; '' is the core group (as in Argo CD); absent: any group. Globs (`*`) allowed. */
  group?: string;
  /** Absent or '': any kind. */
  kind?: string;
  /** Absent, null or '': every object. */
  name?: string | null;
  namespace?: string | null;
  /** RFC 6901 pointers, removed from both sides before comparing. */
  jsonPointers?: readonly string[];
  /** jq paths (the subset jqPath.ts reads), removed from both sides before comparing. */
  jqPathExpressions?: readonly string[];
  /** Differences in live fields owned only by these managers are not drift (an HPA's replicas...). */
  managedFieldsManagers?: readonly string[];
  /** How group/kind/name/namespace/version are matched: Argo CD globs (default) or Flux's anchored regular expressions. */
  match?: 'glob' | 'regex';
  /** API version (Flux targets). */
  version?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface CompiledIgnoreRule {
  rule: IgnoreRule;
  pointers: ReadonlyArray<readonly string[]>;
  jq: readonly JqPath[];
  managers: ReadonlySet<string>;
  appliesTo(id: ResourceId, object: Record<string, unknown> | undefined): boolean;
}

export interface CompiledIgnoreRules {
  rules: CompiledIgnoreRule[];
  /** Parts of rules that cannot be used, one sentence each; the rest of each rule still applies. */
  problems: string[];
}

type Matcher = (value: string) => boolean;

const ANY: Matcher = () => true;

function globMatcher(pattern: string): Matcher {
  if (!pattern.includes('*') && !pattern.includes('?')) return (value) => value === pattern;
  // Without a RegExp: `*a*a*a…` would backtrack for ages on a long name.
  return (value) => wildcardMatches(pattern, value);
}

function matcherFor(pattern: string | null | undefined, mode: 'glob' | 'regex', emptyMeansAny: boolean): Matcher {
  if (pattern === undefined || pattern === null || (emptyMeansAny && pattern === '')) return ANY;
  if (mode === 'regex') {
    const hazard = regexHazard(pattern);
    if (hazard) throw new Error(`the pattern "${pattern}" ${hazard}, which could take minutes to match here`);
    const regex = new RegExp(`^(?:${pattern})$`);
    return (value) => value === pattern || (value.length <= MAX_PATTERN_SUBJECT_LENGTH && regex.test(value));
  }
  return globMatcher(pattern);
}

function describe(rule: IgnoreRule, index: number): string {
  const what = [rule.group, rule.kind, rule.namespace, rule.name].filter((part) => part).join('/');
  return `ignore rule ${index + 1}${what ? ` (${what})` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Validates and prepares rules once per comparison run. Never throws: bad parts become problems. */
export function compileIgnoreRules(rules: readonly IgnoreRule[]): CompiledIgnoreRules {
  const problems: string[] = [];
  const compiled: CompiledIgnoreRule[] = [];
  rules.forEach((rule, index) => {
    const where = describe(rule, index);
    const mode = rule.match ?? 'glob';
    let group: Matcher, kind: Matcher, name: Matcher, namespace: Matcher, version: Matcher;
    let labels: LabelMatcher | undefined;
    let annotations: LabelMatcher | undefined;
    try {
      group = matcherFor(rule.group, mode, mode === 'regex');
      kind = matcherFor(rule.kind, mode, true);
      name = matcherFor(rule.name, mode, true);
      namespace = matcherFor(rule.namespace, mode, true);
      version = matcherFor(rule.version, mode, true);
      if (rule.labelSelector) labels = parseLabelSelector(rule.labelSelector);
      if (rule.annotationSelector) annotations = parseLabelSelector(rule.annotationSelector);
    } catch (error) {
      problems.push(`${where} is not used: ${(error as Error).message}`);
      return;
    }
    const pointers: string[][] = [];
    for (const pointer of rule.jsonPointers ?? []) {
      try {
        const tokens = parsePointer(pointer);
        if (tokens.length === 0) problems.push(`${where}: the pointer "" would ignore the whole object; it is not used`);
        else pointers.push(tokens);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
    const jq: JqPath[] = [];
    for (const expression of rule.jqPathExpressions ?? []) {
      try {
        jq.push(parseJqPath(expression));
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
    compiled.push({
      rule,
      pointers,
      jq,
      managers: new Set(rule.managedFieldsManagers ?? []),
      appliesTo(id, object) {
        if (!group(id.group) || !kind(id.kind) || !name(id.name) || !namespace(id.namespace ?? '') || !version(id.version)) return false;
        const metadata = isRecord(object?.metadata) ? object.metadata : undefined;
        if (labels && !labels(stringMap(metadata?.labels))) return false;
        if (annotations && !annotations(stringMap(metadata?.annotations))) return false;
        return true;
      },
    });
  });
  return { rules: compiled, problems };
}

/** The rules that apply to one resource; labels are read from the desired object, else the live one. */
export function rulesFor(compiled: readonly CompiledIgnoreRule[], id: ResourceId, object: Record<string, unknown> | undefined): CompiledIgnoreRule[] {
  return compiled.filter((rule) => rule.appliesTo(id, object));
}

function valueAt(root: unknown, tokens: ReadonlyArray<string | number>): unknown {
  let current = root;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isRecord(current)) current = current[String(token)];
    else return undefined;
  }
  return current;
}

function differs(a: unknown, b: unknown, countDesiredOnly: boolean): boolean {
  if (countDesiredOnly && a === undefined) return false;
  return (a !== undefined || b !== undefined) && stableStringify(a) !== stableStringify(b);
}

/** Deepest paths and highest indices first, so splicing a list item does not shift paths still to remove. */
/** A list index: jq paths give numbers, JSON pointers give the same index as text ("2"). */
function indexOf(token: string | number): number | undefined {
  if (typeof token === 'number') return token;
  return /^(0|[1-9]\d*)$/.test(token) ? Number(token) : undefined;
}

/**
 * Removal order: deeper paths first, and in a list the highest index first, so removing one item
 * never shifts the index of another still to be removed (map keys that look like numbers are
 * ordered the same way, which is harmless).
 */
function removalOrder(x: ReadonlyArray<string | number>, y: ReadonlyArray<string | number>): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const [a, b] = [indexOf(x[i]), indexOf(y[i])];
    if (a !== undefined && b !== undefined) {
      if (a === b) continue;
      return b - a;
    }
    return String(x[i]) < String(y[i]) ? -1 : 1;
  }
  return y.length - x.length;
}

/**
 * Removes every ignored path from each object (fresh normalized copies: desired, live, and the
 * last-applied configuration when there is one). jq paths are evaluated in each object on its own,
 * since `select(.name == "x")` may sit at a different index on each side. Returns how many rule
 * paths hid a difference between the first two objects, so a view can say "2 ignored".
 * `countDesiredOnly`: count only paths the first object (desired) declares — local mode, where
 * fields only live has are not differences anyway.
 */
export function removeIgnoredPaths(rules: readonly CompiledIgnoreRule[], objects: ReadonlyArray<unknown>, countDesiredOnly: boolean): number {
  // The usual case, once per compared object: nothing to remove, nothing to allocate.
  if (rules.length === 0) return 0;
  const removals = objects.map(() => new Map<string, ReadonlyArray<string | number>>());
  let differing = 0;
  for (const rule of rules) {
    for (const tokens of rule.pointers) {
      if (differs(valueAt(objects[0], tokens), valueAt(objects[1], tokens), countDesiredOnly)) differing++;
      for (const removal of removals) removal.set(buildPointer(tokens), tokens);
    }
    for (const jq of rule.jq) {
      const found = objects.map((object) => jqPathsIn(jq, object));
      found.forEach((paths, i) => {
        for (const tokens of paths) removals[i].set(buildPointer(tokens), tokens);
      });
      const values = found.slice(0, 2).map((paths, i) => paths.map((tokens) => valueAt(objects[i], tokens)));
      if (differs(values[0].length ? values[0] : undefined, values[1].length ? values[1] : undefined, countDesiredOnly)) differing++;
    }
  }
  objects.forEach((object, i) => {
    for (const tokens of [...removals[i].values()].sort(removalOrder)) removeAt(object, tokens);
  });
  return differing;
}

/** Managers whose fields the rules ignore, merged over the rules that apply. */
export function ignoredManagers(rules: readonly CompiledIgnoreRule[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const rule of rules) for (const manager of rule.managers) out.add(manager);
  return out;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `spec.ignoreDifferences` of an Argo CD Application (or ApplicationSet template spec). */
export function ignoreRulesFromArgoApplication(application: unknown): IgnoreRule[] {
  if (!isRecord(application) || !isRecord(application.spec)) return [];
  const entries = application.spec.ignoreDifferences;
  if (!Array.isArray(entries)) return [];
  const rules: IgnoreRule[] = [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    rules.push({
      // Argo CD reads a missing group as the core group.
      group: optionalString(entry.group) ?? '',
      kind: optionalString(entry.kind),
      name: optionalString(entry.name),
      namespace: optionalString(entry.namespace),
      jsonPointers: strings(entry.jsonPointers),
      jqPathExpressions: strings(entry.jqPathExpressions),
      managedFieldsManagers: strings(entry.managedFieldsManagers),
      match: 'glob',
    });
  }
  return rules;
}

/**
 * Flux: a Kustomization's `spec.driftIgnoreRules` or a HelmRelease's `spec.driftDetection.ignore`,
 * both `{ paths: [JSON pointer], target?: { group, version, kind, name, namespace (regular
 * expressions), labelSelector, annotationSelector } }`.
 */
export function ignoreRulesFromFlux(object: unknown): IgnoreRule[] {
  if (!isRecord(object) || !isRecord(object.spec)) return [];
  const spec = object.spec;
  const entries =
    object.kind === 'HelmRelease' ? (isRecord(spec.driftDetection) ? spec.driftDetection.ignore : undefined) : spec.driftIgnoreRules;
  if (!Array.isArray(entries)) return [];
  const rules: IgnoreRule[] = [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const target = isRecord(entry.target) ? entry.target : {};
    rules.push({
      group: optionalString(target.group),
      version: optionalString(target.version),
      kind: optionalString(target.kind),
      name: optionalString(target.name),
      namespace: optionalString(target.namespace),
      labelSelector: optionalString(target.labelSelector),
      annotationSelector: optionalString(target.annotationSelector),
      jsonPointers: strings(entry.paths),
      match: 'regex',
    });
  }
  return rules;
}
