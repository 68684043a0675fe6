// `gitops-env rollback --repo DIR --env NAME --to SHA [--dry-run] [--json] [--provider KIND] [--api-url URL]`:
// a pull request that returns an environment to the state of an earlier commit, through the same
// plan / push / pull-request flow as promote.
import { planRollback } from '../git/promotion/planRollback';
import { CliUsageError, parseArgs, type CliIO } from './cliSupport';
import { PLAN_FLAGS, runPlanCommand } from './promoteCommand';

export async function runRollbackCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: [...PLAN_FLAGS.values, 'env', 'to'], booleans: PLAN_FLAGS.booleans });
  if (args.positional.length > 0) throw new CliUsageError(`unexpected argument "${args.positional[0]}"`);
  const env = args.flags.get('env');
  const to = args.flags.get('to');
  if (typeof env !== 'string' || typeof to !== 'string') throw new CliUsageError('rollback needs --env NAME and --to COMMIT');
  return runPlanCommand(args, io, (repo, context, overrides) =>
    planRollback(repo, { environments: context.environments, environment: env, to, promotion: context.promotion, hostOverrides: overrides }),
  );
}
