// `gitops-env health FILE... [--json]`: the health Argo CD would give each object in manifest files,
// typically `kubectl get -o yaml` output (health reads `status`, which manifests in Git do not carry).
//
// Errors do not hide results: a file that cannot be read, or a document with a YAML error, is
// reported on stderr as `file:line:column: what`, every object that could be read is still printed,
// and the exit code is 2 when anything failed (0 otherwise). A script gets all the answers that
// exist and still cannot mistake a partial run for a complete one.
import { stat } from 'node:fs/promises';
import { FileTooLargeError, readTextFileBounded } from '../git/boundedFile';
import { assessHealth } from '../core/health/assessHealth';
import type { HealthStatus } from '../core/health/healthStatus';
import { MAX_MANIFEST_BYTES, parseManifests } from '../core/manifest';
import { formatProblem, type LocatedProblem } from '../core/model';
import { CliUsageError, parseArgs, safeIO, tooLargeProblem, type CliIO } from './cliSupport';

export const HEALTH_USAGE = `Usage: gitops-env health FILE... [--json]

Prints the health Argo CD would show for every object in the files (multi-document YAML, JSON,
and the items of a kind: List). Kinds Argo CD has no health rule for show "-" (null in JSON).
Exit code 2 when a file cannot be read or parsed; the objects that could be read are still printed.
`;

/** One line of `--json` output; `file` is the path exactly as given on the command line. */
export interface ResourceHealthJson {
  file: string;
  kind: string | null;
  name: string | null;
  health: HealthStatus | null;
}

interface ResourceHealthRow extends ResourceHealthJson {
  message: string;
}

function readProblem(file: string, error: unknown): LocatedProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const what =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot read: ${(error as Error).message}`;
  return { severity: 'error', message: what, location: { file } };
}

/** Reads one file; every failure becomes a located problem, never an exception. */
async function readManifestFile(file: string): Promise<{ text: string | null; problem?: LocatedProblem }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { text: null, problem: { severity: 'error', message: 'is a directory', location: { file }, hint: 'pass the manifest files in it' } };
    // Refused before reading (and while reading, if it grows), so a huge file never fills memory.
    return { text: readTextFileBounded(file, MAX_MANIFEST_BYTES) };
  } catch (error) {
    return { text: null, problem: error instanceof FileTooLargeError ? tooLargeProblem(file, error) : readProblem(file, error) };
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function rowsOf(file: string, text: string, problems: LocatedProblem[]): ResourceHealthRow[] {
  const parsed = parseManifests(text, file);
  problems.push(...parsed.problems);
  const rows: ResourceHealthRow[] = [];
  for (const { object } of parsed.manifests) {
    // Only Kubernetes-shaped documents: a values file or other plain YAML has no kind to assess.
    if (typeof object.kind !== 'string') continue;
    const metadata = object.metadata;
    const name = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? stringOrNull((metadata as Record<string, unknown>).name) : null;
    const result = assessHealth(object);
    rows.push({ file, kind: stringOrNull(object.kind), name, health: result?.status ?? null, message: result?.message ?? '' });
  }
  return rows;
}

function textTable(rows: ResourceHealthRow[]): string {
  const header = ['FILE', 'KIND', 'NAME', 'HEALTH', 'MESSAGE'];
  // Messages come from the cluster and may hold newlines; one row per object keeps the table readable.
  const cells = rows.map((r) => [r.file, r.kind ?? '-', r.name ?? '-', r.health ?? '-', r.message.replace(/\s+/g, ' ').trim()]);
  const all = [header, ...cells];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n') + '\n';
}

export async function runHealthCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  let files: string[];
  let json: boolean;
  try {
    const { flags, positional } = parseArgs(argv, { values: [], booleans: ['json'] });
    if (positional.length === 0) throw new CliUsageError('health needs at least one manifest file');
    files = positional;
    json = flags.has('json');
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`gitops-env health: ${error.message}\n\n${HEALTH_USAGE}`);
    return 2;
  }

  const problems: LocatedProblem[] = [];
  const rows: ResourceHealthRow[] = [];
  // One file at a time, in command-line order, so output and messages follow the arguments.
  for (const file of files) {
    const { text, problem } = await readManifestFile(file);
    if (problem) problems.push(problem);
    if (text !== null) rows.push(...rowsOf(file, text, problems));
  }

  for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
  if (json) {
    const out: ResourceHealthJson[] = rows.map(({ file, kind, name, health }) => ({ file, kind, name, health }));
    io.out(`${JSON.stringify(out, null, 2)}\n`);
  } else if (rows.length > 0) {
    io.out(textTable(rows));
  }
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}
