// gitops-env: the command line on the same core as the extension.
import { CliUsageError, type CliIO } from './cliSupport';
import { COMMAND_HELP, commandHelpText, usageText } from './commandHelp';

const VERSION = '0.1.0';
const USAGE = usageText(VERSION);

/** `--help` anywhere after a command, or `help <command>`. */
function helpRequested(command: string | undefined, rest: readonly string[]): string | undefined {
  if (command === 'help' && rest[0] !== undefined && COMMAND_HELP[rest[0]]) return rest[0];
  if (command !== undefined && COMMAND_HELP[command] && rest.some((a) => a === '--help' || a === '-h')) return command;
  return undefined;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const helpFor = helpRequested(command, rest);
  if (helpFor) {
    io.out(commandHelpText(helpFor) ?? USAGE);
    return 0;
  }
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
      // Each command is loaded when it runs (a bundle of its own in dist/): help and envs stay fast.
      case 'envs':
        return await (await import('./envsCommand')).runEnvsCommand(rest, io);
      case 'health':
        return await (await import('./healthCommand')).runHealthCommand(rest, io);
      case 'promote':
        return await (await import('./promoteCommand')).runPromoteCommand(rest, io);
      case 'rollback':
        return await (await import('./rollbackCommand')).runRollbackCommand(rest, io);
      case 'drift':
        return await (await import('./driftCommand')).runDriftCommand(rest, io);
      case 'sync': return await (await import('./syncCommand')).runSyncCommand(rest, io);
      case 'preview': return await (await import('./previewCommand')).runPreviewCommand(rest, io);
      case 'validate': return await (await import('./validateCommand')).runValidateCommand(rest, io);
      case 'set-image': return await (await import('./setImageCommand')).runSetImageCommand(rest, io);
      case 'sandbox':
        return await (await import('../sandbox/sandboxCommand')).runSandboxCommand(rest);
      default:
        throw new CliUsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`gitops-env: ${error.message}\n\n${(command !== undefined && commandHelpText(command)) || USAGE}`);
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
