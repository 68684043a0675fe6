// Argument parsing and output plumbing shared by the CLI commands.
import { closestMatch } from '../core/didYouMean';
import type { LocatedProblem } from '../core/model';
import { maskSecrets } from '../core/secrets';
import type { FileTooLargeError } from '../git/boundedFile';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export class CliUsageError extends Error {}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

/** Parses `--name value`, `--name=value` and boolean `--flag` (names listed in `booleans`). */
export function parseArgs(argv: string[], known: { values: string[]; booleans: string[] }): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (known.booleans.includes(name)) {
      if (eq >= 0) throw new CliUsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (known.values.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new CliUsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      const accepted = [...known.values, ...known.booleans];
      const guess = closestMatch(name, accepted);
      throw new CliUsageError(`unknown option --${name}${guess ? ` (did you mean --${guess}?)` : ''}; accepted: ${accepted.map((flag) => `--${flag}`).join(', ')}`);
    }
  }
  return { flags, positional };
}

/**
 * Control characters (other than tab and line feed) shown as `\u001b`: names and values come
 * from repositories and clusters, and an escape sequence in a resource name must not reach the
 * terminal (recolour it, move the cursor, rewrite earlier lines).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Output passes through the secret masker and `printable`: the CLI never prints a credential or a terminal escape. */
export function safeIO(io: CliIO): CliIO {
  return { out: (t) => io.out(printable(maskSecrets(t))), err: (t) => io.err(printable(maskSecrets(t))) };
}

/** A manifest file over the size limit, located on the file, with what to do. */
export function tooLargeProblem(file: string, error: FileTooLargeError): LocatedProblem {
  const limit = `${error.limit / 1048576} MB`;
  return error.grew
    ? { severity: 'error', message: `file grew past ${limit} while it was read; manifests over ${limit} are not read`, location: { file }, hint: 'read it once it is complete' }
    : { severity: 'error', message: `file is ${(error.bytes / 1048576).toFixed(1)} MB; manifests over ${limit} are not read`, location: { file }, hint: 'split it into smaller files' };
}
