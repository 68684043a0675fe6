// A plain folder: every YAML/JSON manifest under it, recursively, each object located at the
// `kind:` line of the document that declares it. A subfolder holding a kustomization is built
// with kustomize instead of being read file by file (what Flux does for a plain path), and a
// subfolder holding a helm chart is skipped (its templates are not YAML).
import { posix } from 'node:path';
import { isManifestPath, parseManifests } from '../core/manifest';
import { resourceKey, type LocatedProblem } from '../core/model';
import type { RenderedObject, RenderInput, RenderResult } from './renderEnvironment';
import { renderKustomize } from './renderKustomize';
import { isUnder, KUSTOMIZATION_FILES } from './repoPaths';

/** Reads at once; enough to keep a cat-file pipe busy. */
const READ_BATCH = 64;
const PARALLEL_BUILDS = 4;

function hiddenBelow(file: string, folder: string): boolean {
  const rest = folder ? file.slice(folder.length + 1) : file;
  return rest.split('/').slice(0, -1).some((part) => part.startsWith('.'));
}

/** Subfolders of `folder` that are kustomize builds or helm charts, outermost only. */
function specialFolders(files: ReadonlySet<string>, folder: string): { kustomize: Map<string, string>; charts: string[] } {
  const kustomize = new Map<string, string>();
  const charts: string[] = [];
  for (const file of files) {
    if (!isUnder(file, folder)) continue;
    const dir = posix.dirname(file);
    if (dir === (folder || '.')) continue;
    const name = posix.basename(file);
    if ((KUSTOMIZATION_FILES as readonly string[]).includes(name) && !kustomize.has(dir)) kustomize.set(dir, file);
    if (name === 'Chart.yaml') charts.push(dir);
  }
  const all = [...kustomize.keys(), ...charts];
  const outermost = (dir: string): boolean => !all.some((other) => other !== dir && isUnder(dir, other));
  return {
    kustomize: new Map([...kustomize].filter(([dir]) => outermost(dir))),
    charts: charts.filter(outermost),
  };
}

export async function renderPlain(input: RenderInput, files: ReadonlySet<string>, folder: string): Promise<RenderResult> {
  const special = specialFolders(files, folder);
  const skipped = [...special.kustomize.keys(), ...special.charts];
  const manifestFiles = [...files]
    .filter((file) => isUnder(file, folder) && isManifestPath(file) && !hiddenBelow(file, folder))
    .filter((file) => !skipped.some((dir) => isUnder(file, dir)))
    .sort();
  const objects: RenderedObject[] = [];
  const problems: LocatedProblem[] = [];
  const outputFiles = new Set(manifestFiles);
  const seen = new Map<string, RenderedObject>();

  const add = (object: RenderedObject): void => {
    const key = resourceKey(object.id);
    const first = seen.get(key);
    if (first) {
      // Two overlays of one base build the same declaration: nothing to warn about here.
      if (first.origin.file === object.origin.file && first.origin.range?.start.line === object.origin.range?.start.line) return;
      problems.push({
        severity: 'warning',
        message: `${object.id.kind} ${object.id.name} is declared twice; also at ${first.origin.file}:${first.origin.range?.start.line ?? 1}`,
        location: { file: object.origin.file, range: object.origin.range },
        hint: 'remove one of the declarations; which one is applied depends on the tool',
      });
      return;
    }
    seen.set(key, object);
    objects.push(object);
    input.onObject?.(object);
  };

  const readBatch = (start: number): Promise<Array<string | undefined | Error>> =>
    Promise.all(manifestFiles.slice(start, start + READ_BATCH).map((file) => input.view.readFile(file).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  let reading = readBatch(0);
  for (let i = 0; i < manifestFiles.length; i += READ_BATCH) {
    // Reads that finish at once (a directory view reads synchronously) would otherwise hold the
    // event loop for the whole folder: answers to work started on the first objects wait.
    if (i > 0 && input.onObject) await new Promise<void>((resolve) => setImmediate(resolve));
    const batch = manifestFiles.slice(i, i + READ_BATCH);
    const texts = await reading;
    // The next batch is read (git answers it) while this one is parsed.
    if (i + READ_BATCH < manifestFiles.length) reading = readBatch(i + READ_BATCH);
    batch.forEach((file, j) => {
      const text = texts[j];
      if (text === undefined || text instanceof Error) {
        // A reader that says why (a file over the size limit) is quoted; the rest cannot be read.
        problems.push({ severity: 'error', message: text instanceof Error ? `File cannot be read: ${text.message}` : 'File cannot be read', location: { file }, hint: text instanceof Error ? 'split it into smaller files' : undefined });
        return;
      }
      const parsed = parseManifests(text, file);
      problems.push(...parsed.problems);
      for (const manifest of parsed.manifests) {
        if (manifest.id) add({ id: manifest.id, object: manifest.object, origin: { file, range: manifest.kindRange }, manifest });
      }
    });
  }

  // Builds run a few at a time (each is a process); results are merged in folder order.
  const builds = [...special.kustomize].sort(([a], [b]) => a.localeCompare(b));
  const results: RenderResult[] = [];
  for (let i = 0; i < builds.length; i += PARALLEL_BUILDS) {
    results.push(...(await Promise.all(builds.slice(i, i + PARALLEL_BUILDS).map(([dir, file]) => renderKustomize({ ...input, path: dir }, files, file)))));
  }
  for (const nested of results) {
    nested.objects.forEach(add);
    problems.push(...nested.problems);
    nested.files.forEach((file) => outputFiles.add(file));
  }

  return { renderer: 'plain', objects, problems, files: [...outputFiles].sort() };
}
