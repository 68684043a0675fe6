// The target environment rendered before and after a plan (kustomize build, helm template or
// plain manifests), for the preview and the PR body. "Before" is the target commit; "after" is the
// same tree with the plan's selected changes laid over it — in memory for plain folders, in a
// private copy on disk for the tools that need files. Nothing runs in an untrusted workspace
// (the renderers say so as a problem), and the copies are removed afterwards.
import { mkdtemp, rm, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatProblem, type BranchInfo } from '../../core/model';
import { fieldLevelText } from '../../core/promotion/fieldLevelFiles';
import { applyImageChanges } from '../../core/promotion/imageChanges';
import { diffRenderedObjects, objectLabel, sideProblems, type RenderedDiff } from '../../core/promotion/renderedDiff';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import type { RepoView } from '../../core/repoView';
import { renderEnvironment, type HelmRenderOptions, type RenderTools } from '../../render/renderEnvironment';
import type { GitRepository } from '../gitRepository';
import { materializeRef } from '../materialize';
import { refView } from '../repoViews';

export interface RenderPlanOptions {
  /** False in a Restricted Mode workspace: no rendering tool runs. */
  trusted: boolean;
  tools?: RenderTools;
  helm?: HelmRenderOptions;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Where the temporary copies go; default os.tmpdir(). */
  tempDir?: string;
  /**
   * What the API server would refuse among the rendered objects (a sentence per object). Given by
   * the caller so the schemas load where they already live: the CLI imports them, the extension
   * takes them from its lazily loaded cluster bundle. Absent: not checked.
   */
  refused?: (objects: readonly Record<string, unknown>[]) => Array<{ object: Record<string, unknown>; reason: string }>;
}

/** The target's files after the plan: path → new text, or null when deleted. */
async function overlayOf(repo: GitRepository, plan: PromotionPlan): Promise<Map<string, string | null>> {
  const overlay = new Map<string, string | null>();
  for (const file of plan.files.filter((f) => f.selected)) {
    if (file.action === 'delete') {
      overlay.set(file.path, null);
    } else if (plan.layout === 'image' && plan.kind === 'promotion') {
      const target = plan.imageTargets.find((t) => t.path === file.path);
      if (target) overlay.set(file.path, applyImageChanges(target.text, plan.images.filter((i) => i.file === file.path)).text);
    } else if (file.fieldLevel) {
      const text = fieldLevelText(plan, file.path);
      if (text !== null) overlay.set(file.path, text);
    } else if (file.afterBlob) {
      overlay.set(file.path, (await repo.readBlob(file.afterBlob))?.toString('utf8') ?? '');
    }
  }
  return overlay;
}

function overlayView(base: RepoView, overlay: ReadonlyMap<string, string | null>): RepoView {
  return {
    async listFiles(): Promise<readonly string[]> {
      const files = new Set(await base.listFiles());
      for (const [path, text] of overlay) {
        if (text === null) files.delete(path);
        else files.add(path);
      }
      return [...files].sort();
    },
    async readFile(path: string): Promise<string | undefined> {
      if (overlay.has(path)) return overlay.get(path) ?? undefined;
      return base.readFile(path);
    },
    branches: (): Promise<readonly BranchInfo[]> => base.branches(),
  };
}

/** The caller's helm options, with the environment's own values files when it has some and the caller named none. */
function withValuesFiles(helm: HelmRenderOptions | undefined, valuesFiles: readonly string[] | undefined): HelmRenderOptions | undefined {
  if (!valuesFiles || helm?.valuesFiles) return helm;
  return { ...helm, valuesFiles };
}

export async function renderPlanChange(repo: GitRepository, plan: PromotionPlan, options: RenderPlanOptions): Promise<RenderedDiff> {
  const scratch = await mkdtemp(join(options.tempDir ?? tmpdir(), 'gitops-render-'));
  try {
    const overlay = await overlayOf(repo, plan);
    const before = refView(repo, plan.target.commit);
    const after = overlayView(before, overlay);
    const common = { path: plan.target.folder || null, paths: plan.target.folders, trusted: options.trusted, tools: options.tools, helm: withValuesFiles(options.helm, plan.target.valuesFiles), timeoutMs: options.timeoutMs, signal: options.signal };
    const beforeResult = await renderEnvironment({ ...common, view: before, materialize: () => materializeRef(repo, plan.target.commit, join(scratch, 'before')) });
    const afterResult = await renderEnvironment({
      ...common,
      view: after,
      materialize: async () => {
        // A private copy (its own parent folder), then the plan's files written over it.
        const dir = await materializeRef(repo, plan.target.commit, join(scratch, 'after'));
        for (const [path, text] of overlay) {
          const full = join(dir, ...path.split('/'));
          if (text === null) await unlink(full).catch(() => undefined);
          else {
            await mkdir(dirname(full), { recursive: true });
            await writeFile(full, text);
          }
        }
        return dir;
      },
    });
    const problems = sideProblems(beforeResult.problems.map(formatProblem), afterResult.problems.map(formatProblem));
    const diff = diffRenderedObjects(beforeResult.objects, afterResult.objects, afterResult.renderer, problems);
    // What the API server would refuse after the change.
    if (options.refused) {
      const labels = new Map(afterResult.objects.map((o) => [o.object, objectLabel(o.id)]));
      const refused = options.refused([...labels.keys()]);
      if (refused.length > 0) diff.invalid = refused.map(({ object, reason }) => `${labels.get(object) ?? ''}: ${reason}`);
    }
    // The source as it renders: the identity check tells objects the source has from objects the
    // plan would invent or drop.
    if (plan.kind === 'promotion' && (diff.added.length > 0 || diff.removed.length > 0)) {
      const sourceResult = await renderEnvironment({
        ...common,
        path: plan.source.folder || null,
        paths: plan.source.folders,
        helm: withValuesFiles(options.helm, plan.source.valuesFiles),
        view: refView(repo, plan.source.commit),
        materialize: () => materializeRef(repo, plan.source.commit, join(scratch, 'source')),
      });
      // A warning (kustomize's deprecation notes) leaves the objects whole; an error may not.
      if (!sourceResult.problems.some((problem) => problem.severity === 'error')) diff.sourceObjects = sourceResult.objects.map((o) => objectLabel(o.id));
    }
    return diff;
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}
