// `gitops-env set-image --repo DIR --env NAME --image NAME:TAG|NAME@DIGEST [--dry-run] [--json] [--provider KIND] [--api-url URL]`:
// the two-repository hand-off. An application repository's build runs it after pushing an image:
// it opens the pull request that sets that image in the environment (the kustomize `images:`
// entry where there is one, else the container / Helm image fields in place), through the same
// plan / push / pull-request flow as promote. An image the environment does not use: exit 1.
import { ImageNotUsedError, parseRequestedImage } from '../core/promotion/setImagePlan';
import { planSetImage } from '../git/promotion/planSetImage';
import { CliUsageError, parseArgs, type CliIO } from './cliSupport';
import { PLAN_FLAGS, runPlanCommand } from './promoteCommand';

export async function runSetImageCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: [...PLAN_FLAGS.values, 'env', 'image'], booleans: ['dry-run', 'json'] });
  if (args.positional.length > 0) throw new CliUsageError(`unexpected argument "${args.positional[0]}"`);
  const env = args.flags.get('env');
  const reference = args.flags.get('image');
  if (typeof env !== 'string' || typeof reference !== 'string') throw new CliUsageError('set-image needs --env NAME and --image NAME:TAG (or NAME@DIGEST)');
  const image = parseRequestedImage(reference);
  if (typeof image === 'string') throw new CliUsageError(`--image: ${image}`);
  let notUsed = false;
  const code = await runPlanCommand(args, io, async (repo, context, overrides) => {
    try {
      return await planSetImage(repo, { environments: context.environments, environment: env, image, promotion: context.promotion, hostOverrides: overrides });
    } catch (error) {
      notUsed = error instanceof ImageNotUsedError;
      throw error;
    }
  });
  // The shared flow reports every planning error as a configuration problem (2); an image the
  // environment does not use is the build asking for the wrong thing: 1, so pipelines can tell.
  return notUsed ? 1 : code;
}
