// gitops-env: the command line on the same core as the extension.
import { runDriftCommand } from './driftCommand';
import { runEnvsCommand } from './envsCommand';
import { runHealthCommand } from './healthCommand';
import { runSandboxCommand } from '../sandbox/sandboxCommand';
import { CliUsageError, type CliIO } from './cliSupport';

const USAGE = `gitops-env — GitOps environments from the command line

Usage:
  gitops-env envs [--repo DIR] [--json]          environments in promotion order
  gitops-env health FILE... [--json]             health of the objects in manifest files
  gitops-env promote --from A [--to B] [--repo DIR] [--images] [--render] [--dry-run] [--json] [--provider KIND] [--api-url URL]
  gitops-env rollback --env NAME --to COMMIT [--repo DIR] [--render] [--dry-run] [--json] [--provider KIND] [--api-url URL]
  gitops-env drift (--desired FILE --live FILE | --repo DIR --env NAME | -f FILE|DIR) [--json]
                                                 what differs between Git and the cluster (exit 1 on drift)
  gitops-env sandbox --kubeconfig FILE [--port N] [--seed DIR] [--context NAME]
                                                 start the sandbox Kubernetes API server
  gitops-env --help | --version
`;

const VERSION = '0.1.0';

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      case '--version':
        io.out(`${VERSION}\n`);
        return 0;
      case 'envs':
        return await runEnvsCommand(rest, io);
      case 'health':
        return await runHealthCommand(rest, io);
      case 'promote': return await (await import('./promoteCommand')).runPromoteCommand(rest, io);
      case 'rollback': return await (await import('./rollbackCommand')).runRollbackCommand(rest, io);
      case 'drift':
        return await runDriftCommand(rest, io);
      case 'sandbox':
        return await runSandboxCommand(rest);
      default:
        throw new CliUsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`gitops-env: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`gitops-env: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

/** Runs the CLI on this process's arguments (used by bin/gitops-env.js and `node dist/cli.js`). */
export function runFromProcess(): void {
  main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gitops-env: ${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) runFromProcess();
