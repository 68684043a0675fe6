// A helm chart folder: `helm template` on a checkout of the ref. Objects point at the template
// they came from (helm's `# Source:` comments) and at that template's `kind:` line.
import { join, posix } from 'node:path';
import { helmValuesBlame, type ValuesFile } from '../core/blame/helmValuesBlame';
import type { LocatedProblem, SourceRange } from '../core/model';
import { DEFAULT_PROCESS_TIMEOUT_MS, formatDuration, firstUsefulLines, ProcessError, runProcess } from './processRunner';
import type { RenderedObject, RenderInput, RenderResult } from './renderEnvironment';
import { parseRenderedYaml } from './renderedYaml';
import { helmExecutable, RESTRICTED_MODE_MESSAGE } from './renderTools';
import { isUnder, joinPath, resolveFrom } from './repoPaths';
import { withoutTempDir } from './kustomizeErrors';

/** A DNS-1123 label helm accepts as a release name. */
function releaseNameFor(folder: string): string {
  const base = (folder.split('/').pop() ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return (base || 'release').slice(0, 53);
}

/** The line of `kind: <Kind>` in a template, so a hint lands where the object is written. */
function kindLine(text: string | undefined, kind: string): SourceRange | undefined {
  if (!text) return undefined;
  const lines = text.split('\n');
  // The kind comes from the tool's output: matched as text, never compiled into a pattern.
  const index = lines.findIndex((line) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('kind:')) return false;
    const value = trimmed.slice('kind:'.length).trim();
    return value === kind || value === `"${kind}"` || value === `'${kind}'`;
  });
  if (index < 0) return undefined;
  return { start: { line: index + 1, column: 1 }, end: { line: index + 1, column: lines[index].length + 1 } };
}

function helmErrorProblem(error: ProcessError, folder: string, chartFile: string, root: string, timeoutMs: number): LocatedProblem {
  const at = { file: chartFile };
  if (error.code === 'notFound') return { severity: 'error', message: `helm was not found at ${error.executable}`, location: at, hint: 'check the configured path, or install helm 3' };
  if (error.code === 'timeout') return { severity: 'error', message: `helm template did not finish within ${formatDuration(timeoutMs)}`, location: at, hint: 'raise the render timeout in settings' };
  const text = withoutTempDir(firstUsefulLines(error.stderr, 4) || error.message, root).replace(/^Error:\s*/, '');
  // `parse error at (chart/templates/x.yaml:12)`, `YAML parse error on chart/templates/x.yaml`.
  const template = /(?:\(|on |in )[\w.-]+\/((?:charts\/[\w.-]+\/)?templates\/[^\s:)]+)(?::(\d+))?/.exec(text);
  if (template) {
    const line = template[2] ? Number(template[2]) : undefined;
    return {
      severity: 'error',
      message: `helm template failed: ${text}`,
      location: { file: joinPath(folder, template[1]), range: line ? { start: { line, column: 1 }, end: { line, column: 1 } } : undefined },
    };
  }
  const hint = /missing in charts\/ directory|dependencies/.test(text) ? 'run `helm dependency build` on the chart and commit charts/' : undefined;
  return { severity: 'error', message: `helm template failed: ${text}`, location: at, hint };
}

export async function renderHelm(input: RenderInput, files: ReadonlySet<string>, folder: string): Promise<RenderResult> {
  const chartFile = joinPath(folder, 'Chart.yaml');
  const result: RenderResult = { renderer: 'helm', objects: [], problems: [], files: [...files].filter((file) => isUnder(file, folder)).sort() };
  const at = { file: chartFile };
  if (!input.trusted) {
    result.problems.push({ severity: 'warning', message: RESTRICTED_MODE_MESSAGE, location: at, hint: 'trust the workspace to see the objects this chart renders' });
    return result;
  }
  const helm = await helmExecutable(input.tools);
  if (!helm) {
    result.problems.push({ severity: 'error', message: 'helm not found on PATH', location: at, hint: 'install helm 3 and make sure it is on PATH' });
    return result;
  }
  if (!input.materialize) {
    result.problems.push({ severity: 'error', message: 'helm needs the files on disk, and no checkout of this ref was provided', location: at });
    return result;
  }
  let root: string;
  try {
    root = await input.materialize();
  } catch (error) {
    result.problems.push({ severity: 'error', message: `Cannot check out the files to render: ${(error as Error).message}`, location: at });
    return result;
  }
  const onDisk = (path: string): string => (path ? join(root, ...path.split('/')) : root);
  const options = input.helm ?? {};
  const args = ['template', options.releaseName ?? releaseNameFor(folder), onDisk(folder), '--skip-tests'];
  if (options.namespace) args.push('--namespace', options.namespace);
  for (const values of options.valuesFiles ?? []) {
    const resolved = resolveFrom('', values);
    if (resolved === null || !files.has(resolved)) {
      result.problems.push({ severity: 'error', message: `Values file ${values} does not exist`, location: at });
      return result;
    }
    args.push('-f', onDisk(resolved));
    if (!result.files.includes(resolved)) result.files.push(resolved);
  }
  const timeoutMs = input.timeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS;
  let stdout: string;
  try {
    ({ stdout } = await runProcess(helm, args, { cwd: root, timeoutMs, signal: input.signal }));
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    if (error.code === 'cancelled' && input.signal) {
      throw input.signal.reason instanceof Error ? input.signal.reason : new DOMException('Rendering was cancelled', 'AbortError');
    }
    result.problems.push(helmErrorProblem(error, folder, chartFile, root, timeoutMs));
    return result;
  }
  const parsed = parseRenderedYaml(stdout);
  const templates = new Map<string, Promise<string | undefined>>();
  // Values in the order helm reads them: the chart's own, then each -f file (later wins).
  const valuesFiles: ValuesFile[] = [];
  for (const file of [joinPath(folder, 'values.yaml'), ...(options.valuesFiles ?? []).map((v) => resolveFrom('', v) ?? v)]) {
    const text = files.has(file) ? await input.view.readFile(file).catch(() => undefined) : undefined;
    if (text !== undefined) valuesFiles.push({ file, text });
  }
  result.objects = await Promise.all(
    parsed.documents.map(async (document): Promise<RenderedObject> => {
      // `# Source: <chart name>/templates/web.yaml` → `<folder>/templates/web.yaml`.
      const relative = document.source?.split('/').slice(1).join('/');
      if (!relative) return { id: document.id, object: document.object, origin: { file: chartFile } };
      const file = posix.normalize(joinPath(folder, relative));
      // The comment is the tool's output: a path that leaves the chart points at the chart instead.
      if (!isUnder(file, folder) || file.split('/').includes('..')) return { id: document.id, object: document.object, origin: { file: chartFile } };
      if (!templates.has(file)) templates.set(file, input.view.readFile(file).catch(() => undefined));
      const template = await templates.get(file);
      const range = kindLine(template, document.id.kind);
      const blame = template !== undefined && range ? { blame: helmValuesBlame(template, range.start.line, valuesFiles, document.object) } : {};
      return { id: document.id, object: document.object, origin: { file, range, ...blame } };
    }),
  );
  for (const error of parsed.errors) result.problems.push({ severity: 'error', message: `helm printed YAML that cannot be read: ${error}`, location: at });
  return result;
}
