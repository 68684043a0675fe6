// Decides, for one differing value, whether it is the target environment's identity, its own
// (sizing, kept, never flowed) or something that flows. The order matters: identity keys first
// (a namespace is identity even when it names nothing), then what always flows (image tags and
// chart versions, even when a tag happens to contain a tier word), then values naming either
// environment, then sizing and `promotion.keep`, and last Git history as evidence.
import { firstMatchingGlob } from './globMatch';
import { namesSide, withoutSideWords, type PairWords } from './environmentWords';
import type { ValueDifference } from './valueDiff';
import type { ValueClass } from './promotionTypes';

/** Keys whose differing value is where or as what the environment runs. */
const IDENTITY_KEYS = new Set(['namespace', 'nameprefix', 'namesuffix', 'components', 'cluster', 'clustername', 'cluster_name', 'server', 'env', 'environment', 'stage', 'tier', 'region', 'zone', 'targetnamespace']);
/** Environment variables (and `name:`-keyed items) that say which environment this is. */
const IDENTITY_VARIABLES = /^(ENV|ENVIRONMENT|ENV_TYPE|ENV_NAME|STAGE|TIER|REGION|ZONE|CLUSTER|CLUSTER_NAME|APP_ENV|DEPLOY_ENV|DEPLOYMENT_ENV|ASPNETCORE_ENVIRONMENT|SPRING_PROFILES_ACTIVE|RAILS_ENV|NODE_ENV)$/i;
/** Image fields: kustomize `images:` entries, container `image:`, Helm `image.tag`. */
const IMAGE_KEYS = new Set(['image', 'newTag', 'newName', 'digest']);
/** Keys of sizing: how big this environment runs. */
const SIZING_KEYS = new Set(['replicas', 'replicaCount', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage', 'averageUtilization', 'averageValue']);

export interface KeepRule {
  /** File glob the rule is limited to; null = every file. */
  glob: string | null;
  /** Dotted path (`spec.replicas`) or JSON pointer (`/spec/replicas`). */
  path: string;
  /** The entry as written in gitops.yaml, for the reason shown. */
  text: string;
}

/** `spec.replicas`, `/spec/replicas`, `**\/app-config.yaml#data.LOG_LEVEL` (glob, `#`, path). */
export function parseKeepRules(entries: readonly string[]): KeepRule[] {
  return entries
    .map((text) => {
      const hash = text.indexOf('#');
      const glob = hash > 0 ? text.slice(0, hash).trim() : null;
      const path = (hash >= 0 ? text.slice(hash + 1) : text).trim();
      return { glob, path, text };
    })
    .filter((rule) => rule.path !== '');
}

/** `a.b[name=x].c` → `a.b.c` (list items are not named in keep paths unless the rule names them). */
function withoutItems(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '');
}

function underPath(path: string, rule: string): boolean {
  return path === rule || path.startsWith(`${rule}.`) || path.startsWith(`${rule}[`);
}

function keepMatches(rule: KeepRule, diff: ValueDifference, files: readonly string[]): boolean {
  if (rule.glob !== null && firstMatchingGlob([rule.glob], files) === null) return false;
  if (rule.path.startsWith('/')) return diff.pointer === rule.path || diff.pointer.startsWith(`${rule.path}/`);
  return underPath(diff.path, rule.path) || underPath(withoutItems(diff.path), rule.path);
}

export interface HistoryEvidence {
  /** Every value the source's file ever held at each place (`docKey path` → values). */
  source: ReadonlyMap<string, ReadonlySet<string>>;
  /** Likewise for the target's file. */
  target: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ClassifyInput {
  diff: ValueDifference;
  /** The target file, repository-relative and relative to its folder (for globs). */
  files: readonly string[];
  words: PairWords;
  keep: readonly KeepRule[];
  /** The file matched `promotion.exclude`. */
  excludedBy: string | null;
  /** null when no history was gathered (the plan then trusts that values differing flow). */
  history: HistoryEvidence | null;
  /** Source document key for history lookups (`#<index>` documents are numbered per file). */
  sourceDocKey: string;
}

export interface Classification {
  class: ValueClass;
  reason: string;
}

export function isImageValue(diff: Pick<ValueDifference, 'key' | 'keys'>): boolean {
  if (IMAGE_KEYS.has(diff.key)) return true;
  const parent = diff.keys[diff.keys.length - 2];
  return parent === 'image' && (diff.key === 'tag' || diff.key === 'repository');
}

/** A Helm chart version: HelmRelease `spec.chart.spec.version`, kustomize `helmCharts[].version`, Chart.yaml `dependencies[].version`, Argo CD `targetRevision`. */
export function isChartVersion(diff: Pick<ValueDifference, 'key' | 'keys'>, file: string): boolean {
  if (diff.key === 'targetRevision') return true;
  if (diff.key !== 'version') return false;
  const keys = diff.keys;
  if (keys.includes('chart') || keys.includes('helmCharts')) return true;
  return /(^|\/)Chart\.ya?ml$/.test(file) && keys[0] === 'dependencies';
}

function isSizing(diff: ValueDifference): boolean {
  if (SIZING_KEYS.has(diff.key)) return true;
  const keys = diff.keys;
  // A kustomization's `replicas: [{name, count}]` entries.
  if (keys[0] === 'replicas') return true;
  const resources = keys.lastIndexOf('resources');
  // Container resources (limits/requests), not a kustomization's `resources:` list of files.
  if (resources >= 0 && (keys[resources + 1] === 'limits' || keys[resources + 1] === 'requests' || (diff.key === 'resources' && diff.structured && keys.includes('containers')))) return true;
  if (keys.includes('limits') && keys.includes('resources')) return true;
  return keys.includes('autoscaling') || (keys[0] === 'spec' && (diff.key === 'minReplicas' || diff.key === 'maxReplicas'));
}

/**
 * A container's `env:` list (or map) as a whole — a new list, the first variables into `env: []` —
 * is not the scalar `env: prod` that names the environment: its variables decide, as they do when
 * added one by one (an identity variable among them keeps the whole list the environment's own).
 */
function isVariableBlock(diff: ValueDifference): boolean {
  return diff.structured && diff.key.toLowerCase() === 'env';
}

/** An identity variable (`{name: STAGE, …}`) inside a structured value written as flow YAML. */
function identityVariableIn(text: string | null): string | null {
  if (text === null) return null;
  for (const match of text.matchAll(/(?:^|[{,\s])name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/g)) if (IDENTITY_VARIABLES.test(match[1])) return match[1];
  return null;
}

function identityKeyOf(diff: ValueDifference): boolean {
  if (isVariableBlock(diff)) return identityVariableIn(diff.to) !== null || identityVariableIn(diff.from) !== null;
  return IDENTITY_KEYS.has(diff.key.toLowerCase()) || (diff.key === 'value' && diff.itemName !== null && IDENTITY_VARIABLES.test(diff.itemName)) || diff.keys.includes('components') || diff.keys.includes('destination');
}

function identityReason(diff: ValueDifference, words: PairWords): string | null {
  const key = diff.key.toLowerCase();
  if (isVariableBlock(diff)) {
    const variable = identityVariableIn(diff.to) ?? identityVariableIn(diff.from);
    if (variable !== null) return `variable ${variable}`;
  } else if (IDENTITY_KEYS.has(key)) return diff.key;
  if (diff.key === 'value' && diff.itemName !== null && IDENTITY_VARIABLES.test(diff.itemName)) return `variable ${diff.itemName}`;
  if (!isVariableBlock(diff) && IDENTITY_VARIABLES.test(diff.key)) return diff.key;
  if (diff.keys.some((k) => k === 'components')) return 'components';
  // Argo CD's `destination` (server, name, namespace) is where the environment runs.
  if (diff.keys.includes('destination')) return 'destination';
  if (diff.to !== null && namesSide(diff.to, words.source)) return `names ${[...words.source.words].join('/') || 'the source'}`;
  if (diff.from !== null && namesSide(diff.from, words.target)) return `names ${[...words.target.words].join('/') || 'the target'}`;
  if (diff.from !== null && diff.to !== null && withoutSideWords(diff.from, words) === withoutSideWords(diff.to, words)) return 'differs only by the environment’s name';
  return null;
}

function historyHas(map: ReadonlyMap<string, ReadonlySet<string>>, place: string, value: string | null): boolean {
  return value !== null && (map.get(place)?.has(value) ?? false);
}

export function classifyValue(input: ClassifyInput): Classification {
  const { diff } = input;
  if (input.excludedBy !== null) return { class: 'own', reason: `file matches promotion.exclude ${input.excludedBy}` };
  const kept = input.keep.find((rule) => keepMatches(rule, diff, input.files));
  if (kept) return { class: 'own', reason: `promotion.keep ${kept.text}` };
  const identityKey = identityKeyOf(diff);
  if (identityKey) return { class: 'identity', reason: identityReason(diff, input.words) ?? diff.key };
  if (isImageValue(diff)) return { class: 'flows', reason: 'image' };
  if (isChartVersion(diff, input.files[0] ?? '')) return { class: 'flows', reason: 'chart version' };
  const identity = identityReason(diff, input.words);
  if (identity) return { class: 'identity', reason: identity };
  if (isSizing(diff)) return { class: 'own', reason: 'sizing' };
  if (diff.op === 'add') return { class: 'flows', reason: 'new in the source' };
  if (!input.history) return { class: 'flows', reason: 'setting' };
  const sourcePlace = `${input.sourceDocKey} ${diff.path}`;
  if (historyHas(input.history.source, sourcePlace, diff.from)) {
    return { class: 'flows', reason: diff.op === 'remove' ? 'the source removed it' : 'flowed before' };
  }
  return { class: 'own', reason: 'never flowed: the target’s value was never the source’s' };
}

/** A value the target once had as the source's value and then changed: the target is ahead there. */
export function targetMovedOn(input: ClassifyInput): boolean {
  const { diff, history } = input;
  if (!history || diff.op !== 'set' || diff.to === null) return false;
  return historyHas(history.target, `${diff.docKey} ${diff.path}`, diff.to);
}
