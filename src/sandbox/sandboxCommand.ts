// `gitops-env sandbox --kubeconfig FILE [--port N] [--seed DIR] [--context NAME] [--namespace NS]
// [--no-controllers]`: starts a sandbox cluster, writes its kubeconfig, prints `ready <url>` on
// stdout once it serves, and runs until SIGINT or SIGTERM. `argv` holds the arguments after
// `sandbox`. Exit code 0 after a clean stop, 2 on bad arguments or a failed start.

import { startOperatorEmulation } from './operatorEmulation';
import { startSandbox, type SandboxOptions } from './sandboxServer';

const usage =
  'usage: gitops-env sandbox --kubeconfig FILE [--port N] [--seed DIR] [--context NAME] [--namespace NS] [--no-controllers] [--operators]';

class UsageError extends Error {}

function parseArguments(argv: string[]): SandboxOptions | 'help' {
  const options: Partial<SandboxOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--help' || argument === '-h') return 'help';
    if (argument === '--no-controllers') {
      options.controllers = false;
      continue;
    }
    // Handled by runSandboxCommand (test infrastructure: emulated Argo CD / Flux status).
    if (argument === '--operators') continue;
    const equals = argument.indexOf('=');
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const takeValue = (): string => {
      if (equals > 0) return argument.slice(equals + 1);
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--kubeconfig':
        options.kubeconfigPath = takeValue();
        break;
      case '--port': {
        const text = takeValue();
        const port = Number(text);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${text}"`);
        options.port = port;
        break;
      }
      case '--seed':
        options.seedDir = takeValue();
        break;
      case '--context':
        options.contextName = takeValue();
        break;
      case '--namespace':
        options.namespace = takeValue();
        break;
      default:
        throw new UsageError(`unknown argument "${argument}"`);
    }
  }
  if (!options.kubeconfigPath) throw new UsageError('--kubeconfig is required');
  return { ...options, kubeconfigPath: options.kubeconfigPath };
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function runSandboxCommand(argv: string[]): Promise<number> {
  let options: SandboxOptions | 'help';
  try {
    options = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`gitops-env sandbox: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  // Listening before the start so a signal during start-up is not lost (and does not kill us mid-write).
  const signal = waitForSignal();
  let sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    process.stderr.write(`gitops-env sandbox: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  // Emulated Argo CD / Flux controllers fill Application and Kustomization status (deployed
  // revision from the sandbox annotation), so the demo shows an operator-managed environment.
  const emulation = argv.includes('--operators') ? startOperatorEmulation(sandbox) : undefined;
  process.stdout.write(`ready ${sandbox.url}\n`);
  await signal;
  emulation?.stop();
  await sandbox.stop();
  return 0;
}
