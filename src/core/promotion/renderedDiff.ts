// What the target environment's rendered objects (kustomize build, helm template, plain
// manifests) look like before and after a plan: which objects are added, removed or changed, and
// a YAML diff of each changed object. Secret values are never shown, only that they changed.
import { stringify } from 'yaml';
import { resourceKey, type ResourceId } from '../model';
import { unifiedDiff } from './lineDiff';

export interface RenderedObjectInput {
  id: ResourceId;
  object: Record<string, unknown>;
}

export interface RenderedDiff {
  /** `plain`, `kustomize` or `helm` (of the after side). */
  renderer: string;
  /** Labels like `Deployment shop/web`. */
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
  /** Unified diff of the changed objects' YAML (Secret values masked). */
  text: string;
  truncated: boolean;
  /** Rendering problems of either side, one line each (a missing tool, a broken kustomization). */
  problems: string[];
  /**
   * Labels of the source environment's rendered objects, when it was rendered too: an object the
   * target gains or loses is expected only when the source has it or lacks it likewise.
   */
  sourceObjects?: string[];
  /** Objects of the target as rendered after the change that the API server would refuse: `Deployment shop/web: <why>`. */
  invalid?: string[];
}

/**
 * Rendering problems of the target before and after the change, one line each: a problem both
 * sides have (a deprecation note of the kustomization) is said once, not twice.
 */
export function sideProblems(before: readonly string[], after: readonly string[]): string[] {
  const inAfter = new Set(after);
  const inBefore = new Set(before);
  const both = (text: string): boolean => inBefore.has(text) && inAfter.has(text);
  const said = new Set<string>();
  const out: string[] = [];
  for (const text of before) {
    if (said.has(`before: ${text}`) || said.has(`before and after: ${text}`)) continue;
    const line = both(text) ? `before and after: ${text}` : `before: ${text}`;
    said.add(line);
    out.push(line);
  }
  for (const text of after) {
    if (both(text) || said.has(`after: ${text}`)) continue;
    said.add(`after: ${text}`);
    out.push(`after: ${text}`);
  }
  return out;
}

export function objectLabel(id: ResourceId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

/** A copy of a Secret with every data/stringData value replaced, so its YAML can be shown. */
function masked(input: RenderedObjectInput): Record<string, unknown> {
  if (input.id.kind !== 'Secret') return input.object;
  const copy: Record<string, unknown> = { ...input.object };
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
      copy[field] = Object.fromEntries(Object.keys(values).map((key) => [key, '*** (hidden)']));
    }
  }
  return copy;
}

function yamlOf(object: Record<string, unknown>): string {
  return stringify(object, { lineWidth: 0 });
}

/** Compares two renderings by object identity. */
export function diffRenderedObjects(before: readonly RenderedObjectInput[], after: readonly RenderedObjectInput[], renderer: string, problems: string[] = [], maxChars = 500_000): RenderedDiff {
  const beforeByKey = new Map(before.map((o) => [resourceKey(o.id), o]));
  const afterByKey = new Map(after.map((o) => [resourceKey(o.id), o]));
  const result: RenderedDiff = { renderer, added: [], removed: [], changed: [], unchanged: 0, text: '', truncated: false, problems };
  const pieces: string[] = [];
  for (const [key, next] of afterByKey) {
    const prev = beforeByKey.get(key);
    const label = objectLabel(next.id);
    if (!prev) {
      result.added.push(label);
      pieces.push(unifiedDiff(label, null, yamlOf(masked(next))).text);
      continue;
    }
    if (JSON.stringify(prev.object) === JSON.stringify(next.object)) {
      result.unchanged++;
      continue;
    }
    result.changed.push(label);
    const diff = unifiedDiff(label, yamlOf(masked(prev)), yamlOf(masked(next))).text;
    // Only a Secret value changed: the masked YAML is equal, so say so instead of showing nothing.
    pieces.push(diff || `--- a/${label}\n+++ b/${label}\n(Secret values changed; not shown)\n`);
  }
  for (const [key, prev] of beforeByKey) {
    if (afterByKey.has(key)) continue;
    const label = objectLabel(prev.id);
    result.removed.push(label);
    pieces.push(unifiedDiff(label, yamlOf(masked(prev)), null).text);
  }
  for (const piece of pieces) {
    if (result.text.length + piece.length > maxChars) {
      result.truncated = true;
      break;
    }
    result.text += piece;
  }
  return result;
}
