// `gitops-env promote --repo DIR --from A --to B [--images] [--render] [--allow-identity-change] [--dry-run] [--json] [--provider KIND] [--api-url URL]`:
// prints the promotion plan with its warnings (`--json` adds `"warnings": [{code, message}]`); kustomize
// and helm targets are rendered before → after by default (the identity check reads it). Without
// --dry-run it pushes the head branch and opens (or updates) the pull request with a token from
// GITHUB_TOKEN / GITLAB_TOKEN / GITEA_TOKEN / AZURE_DEVOPS_TOKEN / BITBUCKET_TOKEN — unless the plan
// would change the target's identity and --allow-identity-change was not given (exit code 3). The
// shared flow below also runs `gitops-env rollback`.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HostOverrides } from '../core/hostKind';
import { detectHostKind } from '../core/hostKind';
import { formatProblem } from '../core/model';
import { reselectPlan, withRenderedDiff } from '../core/promotion/buildPlan';
import { identityChangeBlocked } from '../core/promotion/safetyChecks';
import { planJson, planText } from '../core/promotion/planOutput';
import { PromotionError } from '../core/promotion/promotionError';
import type { PromotionPlan } from '../core/promotion/promotionTypes';
import { GitError } from '../git/gitError';
import { GitRepository } from '../git/gitRepository';
import { executePlan } from '../git/promotion/executePlan';
import { planPromotion } from '../git/promotion/planPromotion';
import { loadPromotionContext, type PromotionContext } from '../git/promotion/promotionContext';
import { remoteHost } from '../git/promotion/remoteHost';
import { renderPlanChange } from '../git/promotion/renderPlanChange';
import { refusedReasons } from '../cluster/drift/invalidDesired';
import { HostError } from '../hosts/hostError';
import { parseProviderKind, selectPullRequestProvider } from '../hosts/providerFactory';
import { environmentTokenSource } from '../hosts/tokenSource';
import { CliUsageError, parseArgs, safeIO, type CliIO, type ParsedArgs } from './cliSupport';

export const PLAN_FLAGS = { values: ['repo', 'provider', 'api-url'], booleans: ['dry-run', 'json', 'render'] };

type Planner = (repo: GitRepository, context: PromotionContext, overrides: HostOverrides) => Promise<PromotionPlan>;

/** gitops.yaml `hosts` first, then --provider / --api-url on top (they win). */
async function hostOverrides(repo: GitRepository, context: PromotionContext, flags: ParsedArgs['flags']): Promise<HostOverrides> {
  const overrides: HostOverrides = { kind: context.hosts?.kind ?? null, apiUrl: context.hosts?.apiUrl ?? null };
  const provider = flags.get('provider');
  const apiUrl = flags.get('api-url');
  if (typeof provider === 'string') {
    const { remoteUrl } = await remoteHost(repo, 'origin', {});
    const kind = parseProviderKind(provider, detectHostKind(remoteUrl ?? '', { kind: overrides.kind }).kind);
    if (!kind) throw new CliUsageError(`--provider must be one of github, gitlab, gitea, azure, bitbucket (got "${provider}")`);
    overrides.kind = kind;
  }
  if (typeof apiUrl === 'string') {
    if (!/^https?:\/\/[^/\s]+/i.test(apiUrl)) throw new CliUsageError(`--api-url must be an http(s) URL (got "${apiUrl}")`);
    overrides.apiUrl = apiUrl.replace(/\/+$/, '');
  }
  return overrides;
}

function describeError(error: unknown): string {
  if (error instanceof PromotionError || error instanceof HostError) return error.describe();
  if (error instanceof GitError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The rendered before → after comparison: always with --render; otherwise for promotions whose
 * target renders with kustomize or helm (the identity check needs it). A plain folder is shown only
 * when asked. The CLI is run by the user in their own repository: rendering tools may run (trusted).
 */
async function withDefaultRendering(repo: GitRepository, plan: PromotionPlan, asked: boolean, signal: AbortSignal): Promise<PromotionPlan> {
  if (plan.alreadyInSync) return plan;
  if (!asked && (plan.kind !== 'promotion' || plan.layout === 'image' || !plan.files.some((f) => f.selected))) return plan;
  const rendered = await renderPlanChange(repo, plan, { trusted: true, signal, refused: refusedReasons });
  if (!asked && rendered.renderer !== 'kustomize' && rendered.renderer !== 'helm') return plan;
  return withRenderedDiff(plan, rendered);
}

/** The flow shared by promote and rollback: plan, print, and unless --dry-run execute. */
export async function runPlanCommand(args: ParsedArgs, rawIO: CliIO, planner: Planner): Promise<number> {
  const io = safeIO(rawIO);
  const { flags } = args;
  const json = flags.has('json');
  const dir = resolve(String(flags.get('repo') ?? '.'));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.err(`gitops-env: ${dir} is not a directory\n`);
    return 2;
  }
  let repo: GitRepository;
  try {
    repo = await GitRepository.open(dir);
  } catch (error) {
    io.err(`gitops-env: ${dir} is not a Git repository (${describeError(error)}) — promotions need the repository's history; run this inside a clone\n`);
    return 2;
  }
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const context = await loadPromotionContext(repo);
    const errors = context.problems.filter((p) => p.severity === 'error');
    for (const problem of context.problems) io.err(`${problem.severity}: ${formatProblem(problem)}\n`);
    if (errors.length) {
      io.err(`gitops-env: ${errors.length} error${errors.length === 1 ? '' : 's'} in the environment definitions; fix them and run again\n`);
      return 2;
    }
    const overrides = await hostOverrides(repo, context, flags);
    let plan = await planner(repo, context, overrides);
    if (flags.has('allow-identity-change')) plan = reselectPlan(plan, { allowIdentityChange: true });
    plan = await withDefaultRendering(repo, plan, flags.has('render'), controller.signal);
    if (plan.alreadyInSync || flags.has('dry-run')) {
      if (json) io.out(`${JSON.stringify(planJson(plan), null, 2)}\n`);
      else io.out(planText(plan));
      return 0;
    }
    if (!json) io.out(planText(plan));
    if (identityChangeBlocked(plan)) {
      if (json) io.out(`${JSON.stringify(planJson(plan), null, 2)}\n`);
      io.err(`gitops-env: refusing to open the pull request: it would change ${plan.to}'s identity (see the identity-change warnings); untick those values in the preview, or run again with --allow-identity-change if it is intended\n`);
      return 3;
    }
    const { remoteUrl } = await remoteHost(repo, plan.target.remote, overrides);
    const selection = remoteUrl ? await selectPullRequestProvider({ remoteUrl, overrides, tokenSource: environmentTokenSource(process.env) }) : null;
    // Without a remote nothing is pushed at all: executePlan says so (noRemote), not this note.
    if (remoteUrl && selection?.reason) io.err(`note: no pull request will be opened (${selection.reason}); the branch is pushed only\n`);
    const result = await executePlan(repo, plan, {
      provider: selection?.provider ?? null,
      signal: controller.signal,
      onProgress: (p) => {
        if (!json) io.err(`… ${p.message}\n`);
      },
    });
    for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
    if (!json) for (const warning of plan.warnings) io.err(`warning (${warning.code}): ${warning.message}\n`);
    const pullRequest = result.pullRequest ? { url: result.pullRequest.url, number: result.pullRequest.number } : null;
    if (json) {
      io.out(`${JSON.stringify(planJson(plan, { pullRequest, compareUrl: result.compareUrl }), null, 2)}\n`);
    } else if (result.pullRequest) {
      io.out(`${result.pullRequestAction === 'updated' ? 'Updated' : 'Opened'} pull request #${result.pullRequest.number}: ${result.pullRequest.url}\n`);
    } else {
      io.out(`Pushed ${result.headBranch} to ${result.remote}.${result.compareUrl ? ` Open the pull request at ${result.compareUrl}` : ' Open a pull request for it on your Git host.'}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    io.err(`gitops-env: ${describeError(error)}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onInterrupt);
    repo.dispose();
  }
}

export async function runPromoteCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: [...PLAN_FLAGS.values, 'from', 'to'], booleans: [...PLAN_FLAGS.booleans, 'images', 'allow-identity-change'] });
  if (args.positional.length > 0) throw new CliUsageError(`unexpected argument "${args.positional[0]}"`);
  const from = args.flags.get('from');
  const to = args.flags.get('to');
  if (typeof from !== 'string' && typeof to !== 'string') throw new CliUsageError('promote needs --from (and optionally --to)');
  return runPlanCommand(args, io, (repo, context, overrides) =>
    planPromotion(repo, {
      environments: context.environments,
      from: typeof from === 'string' ? from : undefined,
      to: typeof to === 'string' ? to : undefined,
      imagesOnly: args.flags.has('images'),
      promotion: context.promotion,
      hostOverrides: overrides,
    }),
  );
}
