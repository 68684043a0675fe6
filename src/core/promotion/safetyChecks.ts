// The checks a promotion plan carries as warnings, each with a code scripts and the preview switch
// on: an image or chart that would go back to an older version, a change to the target's identity
// (a ticked identity value, or rendered objects that would change name or namespace, or vanish),
// and a target that holds changes the source lacks. `identity-change` blocks execution unless the
// user allows it.
import { isChartVersion, isImageValue } from './valueClasses';
import { compareVersions, imageTag } from './versionOrder';
import type { RenderedDiff } from './renderedDiff';
import { namesSide, pairWords, withoutSideWords } from './environmentWords';
import type { ImageChange, PlanWarning, PlannedFileChange, PromotionPlan, ValueChange } from './promotionTypes';

function tagOf(field: string, value: string): string | null {
  return field === 'image' ? imageTag(value) : value;
}

function downgradeMessage(what: string, where: string, from: string, to: string): string {
  return `${where}: ${what} would go from ${from} back to ${to}`;
}

export interface SafetyInput {
  values: readonly ValueChange[];
  images: readonly ImageChange[];
  files: readonly PlannedFileChange[];
  rendered: RenderedDiff | null;
  /** Values the target changed after it had the source's value (it is ahead there). */
  targetAheadValues: readonly ValueChange[];
  /** Branch layout: values the merge brings (merge base → source), selected as their files are. */
  mergedValues: readonly ValueChange[];
  /** Branch layout: commits on the target the source lacks (touching the environment). */
  targetOnlyCommits: number;
  to: string;
  from: string;
  /** Takes both environments' words out of a name (pairs renamed objects). */
  neutral: (value: string) => string;
  /**
   * Whether a line names the source environment; folder promotions only (a branch merge brings
   * every folder of the branch). Files the plan adds whole are checked with it.
   */
  namesSource?: (text: string) => boolean;
}

/**
 * Lines of the files the plan adds whole (ticked) that name the source environment: copied into
 * the target, they would give it the source's namespace, prefix or host. The usual case is a
 * target folder that does not exist yet, filled from the source's.
 */
function addedIdentity(input: SafetyInput): PlanWarning[] {
  const namesSource = input.namesSource;
  if (!namesSource) return [];
  const found: string[] = [];
  let files = 0;
  for (const file of input.files) {
    if (!file.selected || file.action !== 'add' || file.fieldLevel === true) continue;
    let line = 0;
    let named = false;
    for (const text of file.diff.split('\n')) {
      if (!text.startsWith('+') || text.startsWith('+++')) continue;
      line++;
      const content = text.slice(1).trim();
      if (content === '' || content.startsWith('#') || !namesSource(content)) continue;
      named = true;
      found.push(`${file.path}:${line} ${content.length > 60 ? `${content.slice(0, 57)}…` : content}`);
    }
    if (named) files++;
  }
  if (found.length === 0) return [];
  return [{ code: 'identity-change', message: `${files} added file(s) name ${input.from} and would give ${input.to} its identity: ${found.slice(0, 3).join(', ')}${found.length > 3 ? ', …' : ''}` }];
}

function imageDowngrades(input: SafetyInput): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const v of [...input.values, ...input.mergedValues]) {
    if (!v.selected || v.op !== 'set' || v.from === null || v.to === null) continue;
    const key = v.path.slice(v.path.lastIndexOf('.') + 1);
    const keys = v.path.split('.');
    const file = v.file;
    if (isImageValue({ key, keys }) && key !== 'newName' && key !== 'repository' && key !== 'digest') {
      const from = tagOf(key, v.from);
      const to = tagOf(key, v.to);
      if (from !== null && to !== null && compareVersions(to, from) === -1) out.push({ code: 'image-downgrade', message: downgradeMessage('the image tag', `${file}:${v.line}`, from, to) });
    } else if (isChartVersion({ key, keys: keys.map((k) => k.replace(/\[.*$/, '')) }, file) && compareVersions(v.to, v.from) === -1) {
      out.push({ code: 'chart-downgrade', message: downgradeMessage('the chart version', `${file}:${v.line}`, v.from, v.to) });
    }
  }
  for (const i of input.images) {
    if (!i.selected || i.from === null || i.to === null) continue;
    if (i.field !== 'image' && i.field !== 'newTag' && i.field !== 'tag') continue;
    const from = tagOf(i.field, i.from);
    const to = tagOf(i.field, i.to);
    if (from !== null && to !== null && compareVersions(to, from) === -1) out.push({ code: 'image-downgrade', message: downgradeMessage(`image ${i.name}`, `${i.file}:${i.line}`, from, to) });
  }
  return out;
}

/**
 * kustomize's generators (configMapGenerator, secretGenerator) append `-` and ten characters of
 * a hash of the content to the name: its alphabet is hex with 0, 1, 3, a, e spelled g, h, k, m, t.
 */
const GENERATED_HASH = /^((?:ConfigMap|Secret) .*)-[245-9bcdfghkmt]{10}$/;

/** The label of a generated ConfigMap or Secret without its content hash; other labels as they are. */
export function withoutGeneratedHash(label: string): string {
  return GENERATED_HASH.exec(label)?.[1] ?? label;
}

function identityChanges(input: SafetyInput): PlanWarning[] {
  const out: PlanWarning[] = [];
  const identity = input.values.filter((v) => v.selected && v.class === 'identity');
  if (identity.length > 0) {
    const shown = identity.slice(0, 3).map((v) => `${v.file}:${v.line} ${v.path}`);
    out.push({ code: 'identity-change', message: `${identity.length} ticked value(s) name the environment and would change ${input.to}'s identity: ${shown.join(', ')}${identity.length > 3 ? ', …' : ''}` });
  }
  const rendered = input.rendered;
  if (!rendered) return out;
  // A generated ConfigMap or Secret whose content changed comes back under a new hash suffix:
  // the same object changed, neither renamed, lost nor gained.
  const regenerated = new Set(rendered.added.map(withoutGeneratedHash));
  const changedContent = (label: string): boolean => label !== withoutGeneratedHash(label) && regenerated.has(withoutGeneratedHash(label));
  const removedLabels = rendered.removed.filter((label) => !changedContent(label));
  const removedKeys = new Set(rendered.removed.map(withoutGeneratedHash));
  const addedLabels = rendered.added.filter((label) => !(label !== withoutGeneratedHash(label) && removedKeys.has(withoutGeneratedHash(label))));
  // Labels with both environments' words made neutral: `Deployment shop-prod/prod-web` and
  // `Deployment shop-staging/staging-web` are the same object under two identities (and each
  // environment's generated objects carry a hash of their own content).
  const neutral = (label: string): string => input.neutral(withoutGeneratedHash(label));
  const added = new Map(addedLabels.map((label) => [neutral(label), label]));
  const renamed = removedLabels.filter((label) => added.has(neutral(label)));
  if (renamed.length > 0) {
    const pairs = renamed.slice(0, 3).map((label) => `${label} → ${added.get(neutral(label)) ?? '?'}`);
    out.push({ code: 'identity-change', message: `rendered ${input.to} would change the name or namespace of ${renamed.length} object(s): ${pairs.join(', ')}${renamed.length > 3 ? ', …' : ''}` });
  }
  const renamedKeys = new Set(renamed.map(neutral));
  const source = rendered.sourceObjects ? new Set(rendered.sourceObjects.map(neutral)) : null;
  const deletesTicked = input.files.some((f) => f.selected && f.action === 'delete');
  const lost = removedLabels.filter((label) => !renamedKeys.has(neutral(label)) && !deletesTicked && (source === null || source.has(neutral(label))));
  if (lost.length > 0) {
    out.push({ code: 'identity-change', message: `rendered ${input.to} would lose ${lost.length} object(s) ${input.from} still has: ${lost.slice(0, 3).join(', ')}${lost.length > 3 ? ', …' : ''}` });
  }
  const gained = source === null ? [] : addedLabels.filter((label) => !renamedKeys.has(neutral(label)) && !source.has(neutral(label)));
  if (gained.length > 0) {
    out.push({ code: 'identity-change', message: `rendered ${input.to} would gain ${gained.length} object(s) ${input.from} does not have: ${gained.slice(0, 3).join(', ')}${gained.length > 3 ? ', …' : ''}` });
  }
  return out;
}

function targetAhead(input: SafetyInput): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const v of input.targetAheadValues.slice(0, 5)) {
    const outcome = v.selected ? 'promoting would undo that' : `kept (${v.class}); bring it back into ${input.from} if it should flow`;
    out.push({ code: 'target-ahead', message: `${v.file}:${v.line} ${v.path}: ${input.to} once had ${v.to} and changed it to ${v.from}; ${outcome}` });
  }
  if (input.targetOnlyCommits > 0) {
    out.push({ code: 'target-ahead', message: `${input.to} has ${input.targetOnlyCommits} commit(s) that ${input.from} lacks; merge them back into ${input.from} first, or check they are meant to stay` });
  }
  return out;
}

/** The target as rendered after the change holds objects the API server refuses: syncing it would fail on them. */
function invalidObjects(input: SafetyInput): PlanWarning[] {
  const invalid = input.rendered?.invalid ?? [];
  if (invalid.length === 0) return [];
  const shown = invalid.slice(0, 3).join('; ');
  return [{ code: 'invalid-objects', message: `rendered ${input.to} would hold ${invalid.length} object(s) the API server refuses, so its sync would fail: ${shown}${invalid.length > 3 ? '; …' : ''}` }];
}

export function safetyWarnings(input: SafetyInput): PlanWarning[] {
  return [...invalidObjects(input), ...identityChanges(input), ...addedIdentity(input), ...imageDowngrades(input), ...targetAhead(input)];
}

export function blocksExecution(warnings: readonly PlanWarning[], allowIdentityChange: boolean): boolean {
  return !allowIdentityChange && warnings.some((w) => w.code === 'identity-change');
}

/** The plan's warnings from its current ticks, values, images and rendering. */
export function planWarnings(plan: Pick<PromotionPlan, 'values' | 'images' | 'files' | 'rendered' | 'checks' | 'from' | 'to' | 'source' | 'target'> & Partial<Pick<PromotionPlan, 'layout' | 'kind'>>): PlanWarning[] {
  const ahead = new Set(plan.checks.aheadValues);
  const words = pairWords({ name: plan.source.environment, folder: plan.source.folder }, { name: plan.target.environment, folder: plan.target.folder });
  return safetyWarnings({
    values: plan.values,
    images: plan.images,
    files: plan.files,
    rendered: plan.rendered,
    targetAheadValues: plan.values.filter((v) => ahead.has(v.id)),
    mergedValues: plan.checks.mergedValues.map((v) => ({ ...v, selected: plan.files.some((f) => f.path === v.file && f.selected) })),
    targetOnlyCommits: plan.checks.targetOnlyCommits,
    from: plan.from,
    to: plan.to,
    neutral: (value) => withoutSideWords(value, words),
    namesSource: plan.kind === 'promotion' && plan.layout === 'folder' ? (text) => namesSide(text, words.source) : undefined,
  });
}

/** True when executing this plan is refused until the user allows its identity change. */
export function identityChangeBlocked(plan: Pick<PromotionPlan, 'warnings' | 'allowIdentityChange'>): boolean {
  return blocksExecution(plan.warnings, plan.allowIdentityChange);
}
