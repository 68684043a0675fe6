// Builds the plan a preview shows, the way the CLI does (loadPromotionContext → planPromotion or
// planRollback), from the workspace folder's repository, gitops.yaml re-read from the working tree,
// host overrides from settings and gitops.yaml, and the target's drift when it is known.
import { formatProblem } from '../../core/model';
import type { HostOverrides } from '../../core/hostKind';
import { PromotionError } from '../../core/promotion/promotionError';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import type { GitRepository } from '../../git/gitRepository';
import { planPromotion } from '../../git/promotion/planPromotion';
import { planRollback } from '../../git/promotion/planRollback';
import { loadPromotionContext } from '../../git/promotion/promotionContext';
import { hostDisplayName } from '../../hosts/providerFactory';
import type { EnvironmentsModel } from '../environmentsModel';
import type { Logger } from '../logger';
import type { PreviewTarget } from '../../../webview-ui/promotion/protocol';
import { hostOverridesFor } from './hostContext';

export interface PlannedPreview {
  target: PreviewTarget;
  /** The workspace folder's repository (owned by the model: never disposed here). */
  repo: GitRepository;
  plan: PromotionPlan;
  overrides: HostOverrides;
  hostName: string;
}

export interface PlannerDeps {
  model: EnvironmentsModel;
  log: Logger;
  /** The environment's drift in a sentence, when known. */
  driftState?: (folderUri: string, environment: string) => string | null;
}

export async function planPreview(deps: PlannerDeps, target: PreviewTarget): Promise<PlannedPreview> {
  await deps.model.ensureLoaded();
  const status = deps.model.folders().find((f) => f.folder.uri.toString() === target.folder);
  if (!status || status.kind !== 'ready') {
    throw new PromotionError('failed', 'The repository of this workspace folder is not loaded', status?.kind === 'failed' ? status.message : 'open the folder and refresh the Environments view');
  }
  const repo = status.data.repo;
  const context = await loadPromotionContext(repo);
  const errors = context.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new PromotionError('failed', `The environment definitions have ${errors.length} error${errors.length === 1 ? '' : 's'}: ${formatProblem(errors[0])}`, 'fix them (see the Problems panel) and try again');
  }
  const overrides = hostOverridesFor(target.folder, context.hosts, deps.log);
  const into = target.kind === 'promotion' ? target.to : target.environment;
  const driftState = deps.driftState?.(target.folder, into) ?? null;
  const started = Date.now();
  const plan =
    target.kind === 'promotion'
      ? await planPromotion(repo, { environments: context.environments, from: target.from, to: target.to, promotion: context.promotion, hostOverrides: overrides, driftState })
      : await planRollback(repo, { environments: context.environments, environment: target.environment, to: target.commit, promotion: context.promotion, hostOverrides: overrides, driftState });
  deps.log.info(`planned ${plan.kind} ${plan.from} → ${plan.to} (${plan.layout}): ${plan.files.length} files, ${plan.commitTotal} commits in ${Date.now() - started} ms`);
  const hostName = plan.host.kind === 'unknown' ? 'the host' : hostDisplayName(plan.host.kind);
  return { target, repo, plan, overrides, hostName };
}
