// Which environments a promotion or rollback is between, and how the change travels (layout).
// Rules only: the git layer resolves refs afterwards.
import { closestMatch } from '../didYouMean';
import { defaultPromotionSource, defaultPromotionTarget } from '../environmentLadder';
import type { Environment } from '../model';
import { PromotionError } from './promotionError';
import type { PromotionLayout } from './promotionTypes';

function find(environments: readonly Environment[], name: string, role: string): Environment {
  const found = environments.find((env) => env.name === name);
  if (found) return found;
  const names = environments.map((env) => env.name);
  const guess = closestMatch(name, names);
  throw new PromotionError(
    'unknownEnvironment',
    `There is no ${role ? `${role} ` : ''}environment "${name}"${guess ? ` — did you mean "${guess}"?` : ''}`,
    names.length ? `use one of: ${names.join(', ')}` : 'declare environments in gitops.yaml first',
  );
}

/**
 * The source and target of a promotion. Either may be left out: the target defaults to the next
 * tier in the source's lane (staging-eu → prod-eu, see defaultPromotionTarget), the source to the
 * environment that promotes into the target by default (prod-eu ← staging-eu).
 */
export function resolvePromotionPair(
  environments: readonly Environment[],
  from: string | undefined,
  to: string | undefined,
): { source: Environment; target: Environment } {
  if (environments.length < 2) {
    throw new PromotionError('unknownEnvironment', 'A promotion needs at least two environments', 'declare them in gitops.yaml, in promotion order');
  }
  const ordered = [...environments].sort((a, b) => a.order - b.order);
  let source = from ? find(ordered, from, 'source') : undefined;
  let target = to ? find(ordered, to, 'target') : undefined;
  if (!source && !target) {
    throw new PromotionError('unknownEnvironment', 'Say which environment to promote', 'give --from (and optionally --to)');
  }
  if (source && !target) {
    target = defaultPromotionTarget(ordered, source);
    if (!target) throw new PromotionError('unknownEnvironment', `${source.name} is the last environment; there is nothing after it to promote to`, 'give --to');
  }
  if (target && !source) {
    source = defaultPromotionSource(ordered, target);
    if (!source) throw new PromotionError('unknownEnvironment', `${target.name} is the first environment; nothing comes before it`, 'give --from');
  }
  const pair = { source: source as Environment, target: target as Environment };
  if (pair.source.name === pair.target.name) {
    throw new PromotionError('sameEnvironment', `Source and target are both "${pair.source.name}"`, 'pick two different environments');
  }
  if ((pair.source.repo ?? '') !== (pair.target.repo ?? '')) {
    throw new PromotionError(
      'unsupported',
      `${pair.source.name} and ${pair.target.name} live in different repositories; promotion between repositories is not supported`,
      'promote within one repository, or copy the change by hand',
    );
  }
  return pair;
}

/** The environment a rollback applies to. */
export function resolveRollbackEnvironment(environments: readonly Environment[], name: string): Environment {
  return find(environments, name, '');
}

/**
 * Branch per environment (same folder, different branches): merge. Anything else: copy the
 * folder's files. Image mode is asked for explicitly. Same branch and same folder: an error,
 * since there is nothing that could differ.
 */
export function chooseLayout(source: Environment, target: Environment, imagesOnly: boolean): PromotionLayout {
  const sameBranch = (source.branch ?? null) === (target.branch ?? null);
  const sameFolder = (source.path ?? '') === (target.path ?? '');
  if (sameBranch && sameFolder) {
    throw new PromotionError(
      'sameEnvironment',
      `${source.name} and ${target.name} read the same files (${source.branch ? `branch ${source.branch}` : 'the current branch'}${source.path ? `, folder ${source.path}` : ''})`,
      'give each environment its own branch or folder in gitops.yaml',
    );
  }
  if (imagesOnly) return 'image';
  return sameFolder ? 'branch' : 'folder';
}
