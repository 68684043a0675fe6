// Turns an environment's folder into the objects it declares: plain manifests, a kustomize
// build, or a helm chart. Never throws for problems in the input: they come back as located
// problems next to whatever could be rendered. Rejects only when the signal aborts.
import type { ObjectBlame } from '../core/blame/blameTypes';
import type { ParsedManifest } from '../core/manifest';
import { environmentPaths, type Environment, type LocatedProblem, type ResourceId, type SourceLocation, type SourceRange } from '../core/model';
import type { RepoView } from '../core/repoView';
import { renderHelm } from './renderHelm';
import { renderKustomize } from './renderKustomize';
import { renderPlain } from './renderPlain';
import { chartFileIn, cleanFolder, kustomizationFileIn } from './repoPaths';

export type RendererKind = 'plain' | 'kustomize' | 'helm';

/** Explicit executables; unset ones are looked up on PATH. */
export interface RenderTools {
  kustomize?: string;
  kubectl?: string;
  helm?: string;
}

export interface HelmRenderOptions {
  /** Release name for `helm template`; default: the chart folder's name. */
  releaseName?: string;
  namespace?: string;
  /** Values files (repository-relative) passed with `-f`, in order, after the chart's own values.yaml. */
  valuesFiles?: readonly string[];
}

export interface RenderInput {
  /** Files at the environment's ref (or the working tree). */
  view: RepoView;
  /** The environment's folder (repository-relative); null = the repository root. */
  path: string | null;
  /**
   * Every folder of an environment made of several (one per application); when it holds more than
   * one, each is rendered and the results are put together, and `path` is not used.
   */
  paths?: readonly string[];
  /** False in a Restricted Mode workspace: no rendering executable is started. */
  trusted: boolean;
  /** A directory on disk holding the repository tree at that ref; kustomize and helm need one. */
  materialize?: () => Promise<string>;
  /** Per tool run; default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  tools?: RenderTools;
  helm?: HelmRenderOptions;
  /**
   * Called with each object of a plain folder as soon as it is read (file by file; a nested
   * kustomize build's objects when it finishes), so a caller can start work on it — the CLI lists
   * its kind in the cluster — while the rest are read; reading then yields to the event loop
   * between batches so that work progresses. Not called for an environment that is one kustomize
   * or Helm build (its objects come all at once, in the result).
   */
  onObject?: (object: RenderedObject) => void;
}

export interface RenderedObject {
  id: ResourceId;
  object: Record<string, unknown>;
  /** Where the object is declared: the file and its `kind:` line; `patches` lists overlay files that change it; `blame` finds the file and line that set each field (kustomize layers, Helm values). */
  origin: { file: string; range?: SourceRange; patches?: SourceLocation[]; blame?: ObjectBlame };
  /** The parsed document, for plain YAML: gives the source range of every field (drift hints). */
  manifest?: ParsedManifest;
}

export interface RenderResult {
  renderer: RendererKind;
  objects: RenderedObject[];
  problems: LocatedProblem[];
  /** Repository-relative files that make up the environment. */
  files: string[];
}

/**
 * What an environment renders from: its folder(s), and for a chart folder other environments read
 * too, its own values files after the chart's (Environment.valuesFiles).
 */
export function environmentSource(environment: Pick<Environment, 'path' | 'paths' | 'valuesFiles'>): Pick<RenderInput, 'path' | 'paths' | 'helm'> {
  return { path: environment.path, paths: environmentPaths(environment), helm: environment.valuesFiles ? { valuesFiles: environment.valuesFiles } : undefined };
}

export async function renderEnvironment(input: RenderInput): Promise<RenderResult> {
  const folders = input.paths && input.paths.length > 1 ? [...new Set(input.paths)] : null;
  return folders ? renderFolders(input, folders) : renderFolder(input);
}

/**
 * An environment of several folders: each rendered on its own (one checkout shared by all), the
 * objects, problems and files put together in folder order. The renderer says `kustomize` or
 * `helm` when any folder needed one.
 */
async function renderFolders(input: RenderInput, folders: readonly string[]): Promise<RenderResult> {
  let checkout: Promise<string> | undefined;
  const materialize = input.materialize ? (): Promise<string> => (checkout ??= (input.materialize as () => Promise<string>)()) : undefined;
  const results = await Promise.all(folders.map((path) => renderFolder({ ...input, path, paths: undefined, materialize })));
  const renderer = results.find((r) => r.renderer === 'kustomize')?.renderer ?? results.find((r) => r.renderer === 'helm')?.renderer ?? 'plain';
  return {
    renderer,
    objects: results.flatMap((r) => r.objects),
    problems: results.flatMap((r) => r.problems),
    files: [...new Set(results.flatMap((r) => r.files))],
  };
}

async function renderFolder(input: RenderInput): Promise<RenderResult> {
  const folder = cleanFolder(input.path);
  let files: readonly string[];
  try {
    files = await input.view.listFiles();
  } catch (error) {
    return {
      renderer: 'plain',
      objects: [],
      files: [],
      problems: [{ severity: 'error', message: `Cannot list the environment's files: ${(error as Error).message}`, location: folder ? { file: folder } : undefined }],
    };
  }
  const fileSet = new Set(files);
  if (folder && !files.some((file) => file.startsWith(`${folder}/`))) {
    return {
      renderer: 'plain',
      objects: [],
      files: [],
      problems: [{ severity: 'error', message: `Folder ${folder} does not exist here`, location: { file: folder }, hint: 'check the environment\'s path, and that the branch holds it' }],
    };
  }
  const kustomization = kustomizationFileIn(fileSet, folder);
  if (kustomization) return renderKustomize(input, fileSet, kustomization);
  const chart = chartFileIn(fileSet, folder);
  if (chart) return renderHelm(input, fileSet, folder);
  return renderPlain(input, fileSet, folder);
}
