// Discovery from Kargo `Stage` manifests (kargo.akuity.io): one environment per Stage.
// - order: the freight graph — a Stage fed only from a Warehouse (`sources.direct: true`, no
//   `sources.stages`) comes first; one that takes freight from `sources.stages: [dev]` comes after
//   dev (longest path), even when it is also fed directly;
// - folders: the `path` of the promotion steps that edit the environment (`kustomize-set-image`,
//   `helm-update-image`, `yaml-update`, `json-update`), from the Stage's inline
//   `promotionTemplate.spec.steps` or from the `PromotionTask` / `ClusterPromotionTask` a step
//   runs; `${{ ctx.stage }}` and `${{ vars.x }}` are evaluated; the `git-clone` checkout folder
//   (`./src/`, `./out/`) is stripped, and a checkout of a branch other than main/master gives the
//   environment's branch.
import type { DiscoveredEnvironment, LayerResult } from './discoveryLayer';
import { compareByLadder, isProductionName } from './environmentLadder';
import type { ParsedManifest } from './manifest';
import type { LocatedProblem } from './model';
import { branchNameProblem, isSafeEnvironmentName, normalizeRepoPath } from './safeNames';

export const KARGO_GROUP = 'kargo.akuity.io';

/** Steps whose `path` is a folder or file of the environment that the promotion edits. */
const EDITING_STEPS = new Set(['kustomize-set-image', 'helm-update-image', 'yaml-update', 'json-update', 'helm-update-chart']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** `vars: [{name, value}]` as a map; later lists override earlier ones. */
function varsOf(...lists: unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const list of lists) {
    for (const v of records(list)) {
      const name = str(v.name);
      if (name !== null && (typeof v.value === 'string' || typeof v.value === 'number')) out.set(name, String(v.value));
    }
  }
  return out;
}

/** Evaluates `${{ ctx.stage }}`, `${{ vars.x }}` (and `${{ quote(...) }}`-free plain references); undefined when another expression remains. */
export function evaluateKargoExpression(text: string, stage: string, vars: ReadonlyMap<string, string>): string | undefined {
  let unresolved = false;
  const out = text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => {
    if (expression === 'ctx.stage') return stage;
    const v = /^vars\.([A-Za-z_][\w]*)$/.exec(expression) ?? /^vars\[['"]([^'"]+)['"]\]$/.exec(expression);
    if (v && vars.has(v[1])) return vars.get(v[1]) as string;
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : out;
}

interface StageInfo {
  manifest: ParsedManifest;
  name: string;
  upstream: string[];
}

interface Checkout {
  path: string;
  branch: string | null;
}

/**
 * Environments from Kargo manifests (see the rules at the top of this file). Problems (a step path
 * that cannot be evaluated, a missing PromotionTask, a stage taking freight from an unknown stage)
 * are located warnings; the other stages keep working. The layer returns its own order.
 */
export function discoverKargoEnvironments(manifests: readonly ParsedManifest[]): LayerResult & { ordered: true } {
  const problems: LocatedProblem[] = [];
  const kargo = manifests.filter((m) => m.id?.group === KARGO_GROUP);
  const tasks = kargo.filter((m) => m.id?.kind === 'PromotionTask' || m.id?.kind === 'ClusterPromotionTask');
  const stages: StageInfo[] = [];
  for (const manifest of kargo.filter((m) => m.id?.kind === 'Stage')) {
    const spec = isRecord(manifest.object.spec) ? manifest.object.spec : {};
    const upstream: string[] = [];
    for (const request of records(spec.requestedFreight)) {
      const sources = isRecord(request.sources) ? request.sources : {};
      for (const s of Array.isArray(sources.stages) ? sources.stages : []) if (typeof s === 'string') upstream.push(s);
    }
    stages.push({ manifest, name: manifest.id?.name ?? '', upstream });
  }
  const known = new Set(stages.map((s) => s.name));
  const depth = new Map<string, number>();
  const depthOf = (stage: StageInfo, seen: Set<string>): number => {
    const cached = depth.get(stage.name);
    if (cached !== undefined) return cached;
    if (seen.has(stage.name)) return 0;
    seen.add(stage.name);
    let d = 0;
    for (const up of stage.upstream) {
      const parent = stages.find((s) => s.name === up);
      if (parent) d = Math.max(d, depthOf(parent, seen) + 1);
    }
    depth.set(stage.name, d);
    return d;
  };
  for (const stage of stages) {
    depthOf(stage, new Set());
    for (const up of stage.upstream) {
      if (!known.has(up)) {
        problems.push({
          severity: 'warning',
          message: `Kargo Stage "${stage.name}" takes freight from stage "${up}", which is not in this repository`,
          location: { file: stage.manifest.file, range: stage.manifest.rangeOf('/spec/requestedFreight') },
          hint: 'add that Stage, or declare the environments in gitops.yaml',
        });
      }
    }
  }

  const environments: DiscoveredEnvironment[] = [];
  const sorted = [...stages].sort((a, b) => (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0) || compareByLadder(a.name, b.name));
  for (const stage of sorted) {
    if (!isSafeEnvironmentName(stage.name)) {
      problems.push({ severity: 'warning', message: `Kargo Stage "${stage.name}" is not used as an environment: the name is not a safe environment name`, location: { file: stage.manifest.file, range: stage.manifest.range }, hint: 'declare it in gitops.yaml under another name' });
      continue;
    }
    const { paths, branch } = foldersOf(stage, tasks, problems);
    environments.push({
      name: stage.name,
      repo: null,
      branch,
      path: paths[0] ?? null,
      ...(paths.length > 1 ? { paths } : {}),
      cluster: { context: null, namespace: null },
      protected: isProductionName(stage.name),
      source: 'kargo',
      declaredAt: { file: stage.manifest.file, range: stage.manifest.range },
    });
  }
  return { environments, problems, ordered: true };
}

/** The folders a Stage's promotion edits, and the branch they are on when it is not the default one. */
function foldersOf(stage: StageInfo, tasks: readonly ParsedManifest[], problems: LocatedProblem[]): { paths: string[]; branch: string | null } {
  const spec = isRecord(stage.manifest.object.spec) ? stage.manifest.object.spec : {};
  const template = isRecord(spec.promotionTemplate) && isRecord(spec.promotionTemplate.spec) ? spec.promotionTemplate.spec : {};
  const stageVars = varsOf(template.vars);
  const paths: string[] = [];
  let branch: string | null = null;
  const visit = (steps: unknown, vars: Map<string, string>, manifest: ParsedManifest, pointer: string, checkouts: Checkout[]): void => {
    records(steps).forEach((step, index) => {
      const at = `${pointer}/${index}`;
      const config = isRecord(step.config) ? step.config : {};
      const uses = str(step.uses);
      if (isRecord(step.task)) {
        const taskName = str(step.task.name);
        const kind = str(step.task.kind) ?? 'PromotionTask';
        const task = tasks.find((t) => t.id?.name === taskName && t.id.kind === kind) ?? tasks.find((t) => t.id?.name === taskName);
        if (!task) {
          problems.push({ severity: 'warning', message: `Kargo Stage "${stage.name}" runs ${kind} "${taskName ?? '?'}", which is not in this repository; its folders are unknown`, location: { file: manifest.file, range: manifest.rangeOf(at) }, hint: 'add the task, or declare the environment in gitops.yaml' });
          return;
        }
        const taskSpec = isRecord(task.object.spec) ? task.object.spec : {};
        const taskVars = new Map([...varsOf(taskSpec.vars), ...vars, ...varsOf(step.vars)]);
        visit(taskSpec.steps, taskVars, task, '/spec/steps', checkouts);
        return;
      }
      if (uses === 'git-clone') {
        for (const c of records(config.checkout)) {
          const path = str(c.path);
          if (path === null) continue;
          const evaluated = evaluateKargoExpression(path, stage.name, vars);
          const rawBranch = str(c.branch);
          const b = rawBranch === null ? null : evaluateKargoExpression(rawBranch, stage.name, vars) ?? null;
          if (evaluated !== undefined) checkouts.push({ path: evaluated.replace(/^\.\//, '').replace(/\/+$/, ''), branch: b });
        }
        return;
      }
      if (uses === null || !EDITING_STEPS.has(uses)) return;
      const raw = str(config.path);
      if (raw === null) return;
      const evaluated = evaluateKargoExpression(raw, stage.name, vars);
      if (evaluated === undefined) {
        problems.push({ severity: 'warning', message: `Kargo Stage "${stage.name}": the ${uses} step's path "${raw}" uses an expression that cannot be evaluated offline; that folder is left out`, location: { file: manifest.file, range: manifest.rangeOf(`${at}/config/path`) }, hint: 'use ${{ ctx.stage }} or ${{ vars.name }} with a default value, or declare the environment in gitops.yaml' });
        return;
      }
      let path = evaluated.replace(/^\.\//, '');
      const checkout = [...checkouts].sort((a, b) => b.path.length - a.path.length).find((c) => path === c.path || path.startsWith(`${c.path}/`));
      if (checkout) {
        path = path.slice(checkout.path.length).replace(/^\//, '');
        if (checkout.branch !== null && !['main', 'master'].includes(checkout.branch) && !branchNameProblem(checkout.branch)) branch ??= checkout.branch;
      } else {
        path = path.replace(/^(?:src|out)\//, '');
      }
      // yaml-update, json-update and helm-update-image edit a file: the environment is its folder.
      if (/\.(ya?ml|json)$/i.test(path)) path = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      const normalized = normalizeRepoPath(path);
      if (!normalized.ok) {
        problems.push({ severity: 'warning', message: `Kargo Stage "${stage.name}": the ${uses} step's path "${raw}" ${normalized.reason}`, location: { file: manifest.file, range: manifest.rangeOf(`${at}/config/path`) }, hint: 'use a path inside the git-clone checkout' });
        return;
      }
      if (normalized.path !== null && !paths.includes(normalized.path)) paths.push(normalized.path);
    });
  };
  visit(template.steps, stageVars, stage.manifest, '/spec/promotionTemplate/spec/steps', []);
  return { paths, branch };
}
