// What each discovery layer (Argo CD, Flux, branches, folders) hands back, and the step that turns
// its findings into the ordered, de-duplicated environment list every layer shares.
import { compareByLadder } from './environmentLadder';
import type { Environment, LocatedProblem } from './model';

/** An environment before it has a place in the promotion order. */
export type DiscoveredEnvironment = Omit<Environment, 'order'>;

export interface LayerResult {
  environments: DiscoveredEnvironment[];
  problems: LocatedProblem[];
  /** True when the layer knows the promotion order itself (Kargo's freight graph): it is kept, not re-sorted by ladder word. */
  ordered?: boolean;
}

/**
 * Orders discovered environments along the ladder and numbers them. Names must be unique ignoring
 * case (the CLI and the promotion commands address environments by name): the first one found wins
 * and the others become warnings pointing at where they were declared.
 */
export function orderDiscovered(found: readonly DiscoveredEnvironment[], problems: LocatedProblem[], keepOrder = false): Environment[] {
  const byName = new Map<string, DiscoveredEnvironment>();
  for (const env of found) {
    const key = env.name.toLowerCase();
    const first = byName.get(key);
    if (!first) {
      byName.set(key, env);
      continue;
    }
    const firstAt = first.declaredAt ? ` (first found in ${first.declaredAt.file}${first.declaredAt.range ? `:${first.declaredAt.range.start.line}` : ''})` : '';
    problems.push({
      severity: 'warning',
      message: `Environment "${env.name}" was found twice${firstAt}; this one is ignored`,
      location: env.declaredAt,
      hint: 'declare the environments in gitops.yaml to choose exactly which ones exist',
    });
  }
  const unique = [...byName.values()];
  return (keepOrder ? unique : unique.sort((a, b) => compareByLadder(a.name, b.name))).map((env, order) => ({ ...env, order }));
}
