// A kustomize folder: `kustomize build` (or `kubectl kustomize`) on a checkout of the ref, with
// every object traced back to its declaring file and line. Nothing runs in Restricted Mode.
import { join } from 'node:path';
import type { LocatedProblem } from '../core/model';
import { kustomizeProblem, kustomizeWarnings, withoutTempDir } from './kustomizeErrors';
import { createOriginResolver } from './kustomizeOrigins';
import { readKustomizeTree, type KustomizeTree } from './kustomizeTree';
import { DEFAULT_PROCESS_TIMEOUT_MS, formatDuration, ProcessError, runProcess } from './processRunner';
import type { RenderedObject, RenderInput, RenderResult } from './renderEnvironment';
import { parseRenderedYaml } from './renderedYaml';
import { kustomizeCommand, RESTRICTED_MODE_MESSAGE } from './renderTools';

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Rendering was cancelled', 'AbortError');
}

function remoteProblems(tree: KustomizeTree, trusted: boolean): LocatedProblem[] {
  if (trusted) return [];
  return tree.references
    .filter((ref) => ref.status === 'remote')
    .map((ref) => ({
      severity: 'error' as const,
      message: `Remote base ${ref.entry} is not fetched in Restricted Mode`,
      location: ref.location,
      hint: 'trust the workspace to let kustomize fetch it, or vendor the base into the repository',
    }));
}

/** Deprecation warnings point at the field they are about, in whichever kustomization uses it. */
function warningProblems(stderr: string, tree: KustomizeTree, materialized: string): LocatedProblem[] {
  return kustomizeWarnings(stderr).map((warning) => {
    const field = /'([A-Za-z0-9]+)' is deprecated/.exec(warning)?.[1];
    const node = field ? tree.nodes.find((n) => n.manifest?.object[field] !== undefined) : undefined;
    const range = node && field ? node.manifest?.rangeOf(`/${field}`) : undefined;
    return {
      severity: 'warning' as const,
      message: withoutTempDir(warning, materialized),
      location: { file: node?.file ?? tree.root.file, range },
    };
  });
}

export async function renderKustomize(input: RenderInput, files: ReadonlySet<string>, kustomizationFile: string): Promise<RenderResult> {
  const tree = await readKustomizeTree(input.view, files, kustomizationFile);
  const result: RenderResult = { renderer: 'kustomize', objects: [], problems: [], files: tree.files };
  const at = { file: kustomizationFile };

  if (!input.trusted) {
    result.problems.push(
      { severity: 'warning', message: RESTRICTED_MODE_MESSAGE, location: at, hint: 'trust the workspace to see the objects this kustomization builds' },
      ...remoteProblems(tree, false),
      // Broken YAML in the kustomizations and their files is found without running anything.
      ...tree.problems.filter((problem) => problem.severity === 'error'),
    );
    return result;
  }
  const command = await kustomizeCommand(input.tools);
  if (!command) {
    result.problems.push({
      severity: 'error',
      message: 'Neither kustomize nor kubectl was found on PATH',
      location: at,
      hint: 'install kustomize or kubectl (which includes `kubectl kustomize`)',
    });
    return result;
  }
  if (!input.materialize) {
    result.problems.push({ severity: 'error', message: 'kustomize needs the files on disk, and no checkout of this ref was provided', location: at });
    return result;
  }
  let root: string;
  try {
    root = await input.materialize();
  } catch (error) {
    result.problems.push({ severity: 'error', message: `Cannot check out the files to render: ${(error as Error).message}`, location: at });
    return result;
  }
  if (input.signal?.aborted) throw abortError(input.signal);

  const folder = tree.root.dir;
  // Helm charts inside a kustomization need the flag; exec plugins and KRM functions stay off.
  const args = [...command.args, ...(tree.usesHelmCharts ? ['--enable-helm'] : []), folder ? join(root, ...folder.split('/')) : root];
  const timeoutMs = input.timeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS;
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await runProcess(command.executable, args, { cwd: root, timeoutMs, signal: input.signal }));
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    if (error.code === 'cancelled' && input.signal) throw abortError(input.signal);
    result.problems.push(processProblem(error, tree, root, command.tool, timeoutMs));
    // What we could not build, we can still say is broken in its own YAML.
    result.problems.push(...tree.problems.filter((problem) => problem.severity === 'error' && !sameLocation(problem, result.problems[0])));
    return result;
  }

  const parsed = parseRenderedYaml(stdout);
  const origin = createOriginResolver(tree);
  result.objects = parsed.documents.map((document): RenderedObject => ({ id: document.id, object: document.object, origin: origin(document.id, document.object) }));
  for (const error of parsed.errors) result.problems.push({ severity: 'error', message: `${command.tool} printed YAML that cannot be read: ${error}`, location: at });
  result.problems.push(...warningProblems(stderr, tree, root));
  return result;
}

function sameLocation(a: LocatedProblem, b: LocatedProblem | undefined): boolean {
  return !!b && a.location?.file === b.location?.file && a.location?.range?.start.line === b.location?.range?.start.line;
}

function processProblem(error: ProcessError, tree: KustomizeTree, root: string, tool: string, timeoutMs: number): LocatedProblem {
  const at = { file: tree.root.file };
  switch (error.code) {
    case 'notFound':
      return { severity: 'error', message: `${tool} was not found at ${error.executable}`, location: at, hint: 'check the configured path, or install it' };
    case 'timeout': {
      const remote = tree.references.find((ref) => ref.status === 'remote');
      return remote
        ? {
            severity: 'error',
            message: `kustomize did not finish within ${formatDuration(timeoutMs)} while fetching remote base ${remote.entry}`,
            location: remote.location,
            hint: 'check the network and the URL, or vendor the base into the repository',
          }
        : { severity: 'error', message: `kustomize did not finish within ${formatDuration(timeoutMs)}`, location: at, hint: 'raise the render timeout in settings' };
    }
    case 'outputTooLarge':
      return { severity: 'error', message: error.message, location: at };
    default:
      return error.stderr.trim()
        ? kustomizeProblem(error.stderr, tree, root)
        : { severity: 'error', message: withoutTempDir(error.message, root), location: at };
  }
}
