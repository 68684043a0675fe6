// The promotion preview's live impact: what applying the promoted target — its render after the
// plan — would change in the target's cluster (server dry-run against live: objects created or
// changed, live drift it would overwrite, objects the server refuses, removed objects still live),
// exactly as `gitops-env preview` and Preview Impact say it (src/cluster/sync/liveImpact.ts).
// The cluster code comes from the lazily loaded cluster bundle, so @kubernetes/client-node stays
// out of the extension bundle.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../core/drift/driftTypes';
import type { Environment } from '../../core/model';
import { diffObjectSets } from '../../core/preview/objectDiff';
import type { EnvironmentPreview } from '../../core/preview/previewReport';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import type { RenderedDiff } from '../../core/promotion/renderedDiff';
import type { GitRepository } from '../../git/gitRepository';
import { materializeRef } from '../../git/materialize';
import { refView } from '../../git/repoViews';
import { renderEnvironment } from '../../render/renderEnvironment';
import type { ClusterModuleApi } from '../clusterLoader';

/** Checkouts of the target's commit for the "before" render; materializeRef reuses one per tree. */
const BEFORE_CHECKOUTS = join(tmpdir(), 'gitops-live-before');

/**
 * The rendered "after" of each RenderedDiff the preview produced: renderPlanChange hands the after
 * objects to its `refused` check and returns only labels, so the render action records them here.
 */
export class RenderedAfter {
  private readonly objects = new WeakMap<RenderedDiff, readonly KubeObject[]>();

  /** Wraps a `refused` check so the objects it sees are kept for `diff` once known. */
  capture(check: (objects: readonly Record<string, unknown>[]) => Array<{ object: Record<string, unknown>; reason: string }>): {
    refused: typeof check;
    keep: (diff: RenderedDiff) => RenderedDiff;
  } {
    let seen: readonly KubeObject[] | undefined;
    return {
      refused: (objects) => {
        seen = objects as readonly KubeObject[];
        return check(objects);
      },
      keep: (diff) => {
        if (seen) this.objects.set(diff, seen);
        return diff;
      },
    };
  }

  of(diff: RenderedDiff): readonly KubeObject[] | undefined {
    return this.objects.get(diff);
  }
}

export interface PromotionLiveInput {
  repo: GitRepository;
  plan: PromotionPlan;
  /** The target environment as the Environments view knows it (its cluster context, namespace). */
  environment: Environment;
  /** The target rendered after the plan. */
  after: readonly KubeObject[];
  kubeconfig?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  cluster: Pick<ClusterModuleApi, 'addLiveImpact'>;
}

/**
 * The cluster's answer for the promoted target. The target at its commit is rendered again as
 * "before" (objects the plan removes are pruned live; fields Git does not change are drift the
 * apply would overwrite). Never throws for the cluster: unreachable and no-cluster are results.
 */
export async function promotionLiveImpact(input: PromotionLiveInput): Promise<EnvironmentPreview['cluster']> {
  const { repo, plan } = input;
  const before = await renderEnvironment({
    view: refView(repo, plan.target.commit),
    path: plan.target.folder || null,
    helm: plan.target.valuesFiles ? { valuesFiles: plan.target.valuesFiles } : undefined,
    trusted: true,
    timeoutMs: input.timeoutMs,
    signal: input.signal,
    materialize: () => materializeRef(repo, plan.target.commit, BEFORE_CHECKOUTS),
  });
  const errors = before.problems.filter((p) => p.severity === 'error');
  // A target that does not render at its commit has no "before": everything is new to the diff,
  // and the dry-run still says what the cluster would change.
  const base = errors.length === 0 ? before.objects.map((o) => o.object as KubeObject) : [];
  const gitChanges = diffObjectSets(base, input.after);
  const preview: EnvironmentPreview = { name: input.environment.name, objects: gitChanges, cluster: { status: 'none', objects: [] }, problems: [] };
  await input.cluster.addLiveImpact(preview, { environment: input.environment, head: input.after, base, gitChanges, kubeconfig: input.kubeconfig });
  return preview.cluster;
}
