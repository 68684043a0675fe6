// `gitops-env preview --base REF --head REF`: what a change (a pull request) does to every
// environment whose sources it touches — rendered objects before → after, field by field — and,
// where the environment's cluster answers, what applying the head would change live (server
// dry-run: drift it would overwrite, objects the server refuses). Markdown for a PR comment, or JSON.
// Exit: 0 preview made, 1 a render or dry-run failed, 2 usage error.
import { resolve } from 'node:path';
import { previewJson, previewMarkdown } from '../core/preview/previewReport';
import { kustomizationsOnlyView, previewChange, renderedObjects, UnknownRefError } from '../git/preview/changePreview';
import { GitRepository } from '../git/gitRepository';
import { CliUsageError, parseArgs, safeIO, type CliIO } from './cliSupport';
import type { Environment } from '../core/model';
import type { RepoView } from '../core/repoView';
import { materializeRef } from '../git/materialize';
import { environmentSource, renderEnvironment, type RenderResult } from '../render/renderEnvironment';
import { cleanFolder, kustomizationFileIn } from '../render/repoPaths';
import { RENDER_CHECKOUTS } from './environmentRender';

export const PREVIEW_USAGE = `Usage:
  gitops-env preview --repo DIR --base REF --head REF [--kubeconfig FILE] [--format markdown|json]
`;

interface PreviewFlags {
  repo: string;
  base: string;
  head: string;
  kubeconfig?: string;
  format: 'markdown' | 'json';
}

function parsePreviewFlags(argv: string[]): PreviewFlags {
  const { flags, positional } = parseArgs(argv, { values: ['repo', 'base', 'head', 'kubeconfig', 'format'], booleans: [] });
  if (positional.length > 0) throw new CliUsageError(`unexpected argument "${positional[0]}"`);
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const base = value('base');
  const head = value('head');
  if (!base || !head) throw new CliUsageError('--base REF and --head REF are required');
  const format = value('format') ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') throw new CliUsageError(`--format must be markdown or json, not "${format}"`);
  return { repo: value('repo') ?? '.', base, head, kubeconfig: value('kubeconfig'), format };
}

/**
 * renderAt's render, through the preview's shared view of the commit (a base shared by several
 * environments is read from git once, not once per environment and end). A kustomize environment
 * renders through kustomizationsOnlyView: kustomize reads the checkout on disk, and the preview
 * prints objects and fields, never the file and line that declare them — so the manifests need not
 * be parsed a second time for origins (the largest part of the preview's own time). A render that
 * fails is done again with every file read, for the error's exact file and line.
 */
async function renderForPreview(repo: GitRepository, environment: Environment, commit: string, view: RepoView): Promise<RenderResult> {
  const source = environmentSource(environment);
  const paths = source.paths ?? [];
  const render = (through: RepoView): Promise<RenderResult> =>
    renderEnvironment({
      view: through,
      ...source,
      trusted: true,
      timeoutMs: 60_000,
      materialize: () => materializeRef(repo, commit, RENDER_CHECKOUTS),
    });
  const files = new Set(await view.listFiles());
  const folders = paths.length > 0 ? paths : [environment.path ?? ''];
  if (!folders.every((folder) => kustomizationFileIn(files, cleanFolder(folder)) !== null)) return render(view);
  const fast = await render(kustomizationsOnlyView(view));
  return fast.problems.some((p) => p.severity === 'error') ? render(view) : fast;
}

type LiveImpactModule = typeof import('../cluster/sync/liveImpact');
let liveImpactModule: Promise<LiveImpactModule> | undefined;

/**
 * The cluster client (a bundle of its own in dist/), loaded once. The first render to finish
 * starts loading it, while the other environments' kustomize builds still run: its ~100 ms of
 * loading overlaps them instead of following the last one.
 */
function loadLiveImpact(): Promise<LiveImpactModule> {
  liveImpactModule ??= import('../cluster/sync/liveImpact');
  return liveImpactModule;
}

export async function runPreviewCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  let flags: PreviewFlags;
  try {
    flags = parsePreviewFlags(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`gitops-env preview: ${error.message}\n\n${PREVIEW_USAGE}`);
    return 2;
  }
  let repo: GitRepository;
  try {
    repo = await GitRepository.open(resolve(flags.repo));
  } catch (error) {
    io.err(`gitops-env preview: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    // The cluster client loads only when an environment rendered cleanly (loadLiveImpact).
    const report = await previewChange(repo, {
      base: flags.base,
      head: flags.head,
      render: async (environment, commit, view) => {
        const result = await renderForPreview(repo, environment, commit, view);
        if (!result.problems.some((p) => p.severity === 'error')) void loadLiveImpact().catch(() => undefined);
        return result;
      },
      live: async (preview, touched) => {
        const { addLiveImpact } = await loadLiveImpact();
        await addLiveImpact(preview, { environment: touched.environment, head: renderedObjects(touched.head), base: renderedObjects(touched.base), gitChanges: preview.objects, kubeconfig: flags.kubeconfig });
      },
    });
    const { environments } = report;
    const shown = { base: report.base, head: report.head, environments };
    io.out(flags.format === 'json' ? `${JSON.stringify(previewJson(shown), null, 2)}\n` : previewMarkdown(shown));
    for (const env of environments) for (const problem of env.problems) io.err(`${env.name}: ${problem}\n`);
    return environments.some((env) => env.problems.length > 0) ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UnknownRefError)) throw error;
    io.err(`gitops-env preview: ${error.message}\n`);
    return 2;
  } finally {
    repo.dispose();
  }
}
