// Preview Impact in the editor: what a change (a pull request row of the Environments view, or a
// local branch) does to every environment whose sources it touches — the same computation as
// `gitops-env preview` (src/git/preview/changePreview.ts), rendered with the editor's settings
// and workspace trust, with the live impact from the cluster when the workspace is trusted —
// opened as one report per touched environment, each object with its Diff and a link to its file
// at the change's head.
import { stringify } from 'yaml';
import * as vscode from 'vscode';
import { isGitRef, type ReportTarget, type ReportViewModel } from '../../../webview-ui/protocol';
import { objectId } from '../../core/drift/compare';
import { normalizeObject } from '../../core/drift/normalize';
import { resourceKey } from '../../core/model';
import { previewChange, renderedObjects, type ChangePreview, type TouchedEnvironment } from '../../git/preview/changePreview';
import type { GitRepository } from '../../git/gitRepository';
import type { RenderedObject } from '../../render/renderEnvironment';
import { loadClusterModule } from '../clusterLoader';
import { DRIFT_DOCUMENT_SCHEME, type DriftDocuments, type PreviewReportSource } from '../drift/driftActions';
import type { EnvironmentsModel } from '../environmentsModel';
import { Settings } from '../ids';
import { openLocation } from '../locations';
import type { Logger } from '../logger';
import type { RenderedResources } from '../renderedResources';
import { previewReportModel, type PreviewTarget } from './previewImpactModel';

/** Panels opened together ask for the same computation: they share it for this long. */
const SHARED_FOR_MS = 15_000;

export interface PreviewImpactDeps {
  model: EnvironmentsModel;
  rendered: RenderedResources;
  documents: DriftDocuments;
  log: Logger;
  /** Opens (or reveals) the report panel for a target. */
  show: (target: ReportTarget) => void;
}

export class PreviewImpact implements PreviewReportSource {
  private readonly computations = new Map<string, { at: number; pending: Promise<ChangePreview> }>();

  constructor(private readonly deps: PreviewImpactDeps) {}

  /** The repository of a workspace folder, once its environments are loaded. */
  repositoryOf(folderUri: string): GitRepository | undefined {
    const status = this.deps.model.folders().find((s) => s.folder.uri.toString() === folderUri);
    return status?.kind === 'ready' ? status.data.repo : undefined;
  }

  /**
   * Computes the impact of `base` ← `head` and opens a report per environment it touches; says so
   * when it touches none. Refs must be safe for the report protocol (`isGitRef`): pass a commit
   * when a branch name is not. Returns the environments opened.
   */
  async open(folderUri: string, base: string, head: string): Promise<string[]> {
    if (!isGitRef(base) || !isGitRef(head)) throw new Error(`Cannot preview ${head} → ${base}: not a plain branch name or commit`);
    this.computations.delete(this.keyOf(folderUri, base, head));
    const preview = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Previewing the impact of ${head} on ${base}…` }, () => this.compute(folderUri, base, head));
    if (preview.environments.length === 0) {
      void vscode.window.showInformationMessage(`${head} touches no environment's sources compared with ${base}.`);
      return [];
    }
    for (const environment of preview.environments) this.deps.show({ kind: 'preview', environment: environment.name, base, head, folder: folderUri });
    return preview.environments.map((e) => e.name);
  }

  private keyOf(folderUri: string, base: string, head: string): string {
    return `${folderUri}\u0000${base}\u0000${head}`;
  }

  private compute(folderUri: string, base: string, head: string): Promise<ChangePreview> {
    const key = this.keyOf(folderUri, base, head);
    const cached = this.computations.get(key);
    if (cached && Date.now() - cached.at < SHARED_FOR_MS) return cached.pending;
    const repo = this.repositoryOf(folderUri);
    if (!repo) return Promise.reject(new Error('The repository of this workspace folder is not loaded; refresh the Environments view'));
    const started = Date.now();
    const trusted = vscode.workspace.isTrusted;
    const kubeconfig = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.kubeconfig) || undefined;
    const pending = previewChange(repo, {
      base,
      head,
      render: (environment, commit) => this.deps.rendered.renderCommit(repo, environment, commit),
      // Restricted Mode: nothing rendered with executables and no cluster contact (ARCHITECTURE.md).
      live: trusted
        ? (preview, touched) => loadClusterModule().addLiveImpact(preview, { environment: touched.environment, head: renderedObjects(touched.head), base: renderedObjects(touched.base), gitChanges: preview.objects, kubeconfig })
        : async (preview) => {
            preview.cluster = { status: 'none', objects: [], message: 'Restricted Mode: trust the workspace to check the cluster' };
          },
    }).then((result) => {
      this.deps.log.info(`preview ${head} → ${base}: ${result.environments.map((e) => `${e.name} (${e.objects.length} objects, cluster ${e.cluster.status})`).join(', ') || 'no environment touched'} in ${Date.now() - started} ms`);
      return result;
    });
    pending.catch(() => this.computations.delete(key));
    this.computations.set(key, { at: Date.now(), pending });
    return pending;
  }

  private async touchedOf(target: PreviewTarget): Promise<{ preview: ChangePreview; touched: TouchedEnvironment }> {
    const folder = target.folder ?? this.deps.model.folders()[0]?.folder.uri.toString() ?? '';
    const preview = await this.compute(folder, target.base, target.head);
    const touched = preview.touched.find((t) => t.environment.name === target.environment);
    if (!touched) throw new Error(`${target.head} no longer touches ${target.environment} (compared with ${target.base})`);
    return { preview, touched };
  }

  private asPreview(target: ReportTarget): PreviewTarget {
    if (target.kind !== 'preview') throw new Error('Not a change preview');
    return target;
  }

  // ---- the report webview (through DriftActions) ----

  async refresh(target: ReportTarget): Promise<ReportViewModel> {
    const previewTarget = this.asPreview(target);
    const { preview, touched } = await this.touchedOf(previewTarget);
    const environmentPreview = preview.environments.find((e) => e.name === previewTarget.environment);
    if (!environmentPreview) throw new Error(`No preview for ${previewTarget.environment}`);
    const folder = previewTarget.folder ?? this.deps.model.folders()[0]?.folder.uri.toString() ?? '';
    const environments = this.deps.model
      .allStates()
      .filter((s) => s.folder.uri.toString() === folder)
      .map((s) => s.state.environment.name);
    return previewReportModel({ target: previewTarget, preview: environmentPreview, head: touched.head.objects, environments, asOf: new Date() });
  }

  /** The diff editor on one object: its render at base on the left, at head on the right (Secrets masked, normalized). */
  async openDiff(target: ReportTarget, key: string): Promise<void> {
    const previewTarget = this.asPreview(target);
    const { touched } = await this.touchedOf(previewTarget);
    const { maskSecretObject } = loadClusterModule();
    const side = (objects: readonly RenderedObject[]) => {
      const found = objects.find((o) => resourceKey(o.id) === key);
      return found ? maskSecretObject(normalizeObject(found.object), undefined) : undefined;
    };
    const before = side(touched.base?.objects ?? []);
    const after = side(touched.head.objects);
    const shown = after ?? before;
    if (!shown) throw new Error('This object is in neither render any more; refresh the report');
    const yaml = (object: Record<string, unknown> | undefined): string => (object ? stringify(object, { sortMapEntries: true, lineWidth: 0 }) : '# (absent)\n');
    const path = `/impact/${encodeURIComponent(previewTarget.environment)}/${encodeURIComponent(previewTarget.base)}..${encodeURIComponent(previewTarget.head)}/${encodeURIComponent(key)}`;
    const left = vscode.Uri.from({ scheme: DRIFT_DOCUMENT_SCHEME, path: `${path}/before.yaml` });
    const right = vscode.Uri.from({ scheme: DRIFT_DOCUMENT_SCHEME, path: `${path}/after.yaml` });
    this.deps.documents.set(left, yaml(before));
    this.deps.documents.set(right, yaml(after));
    const { kind, name } = objectId(shown);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${kind} ${name}: ${previewTarget.base} ← ${previewTarget.head}`, { preview: true });
  }

  /** A file the report names, as the change's head has it. */
  async openFile(target: ReportTarget, file: string, line: number): Promise<void> {
    const previewTarget = this.asPreview(target);
    const { preview } = await this.touchedOf(previewTarget);
    const folder = previewTarget.folder ?? this.deps.model.folders()[0]?.folder.uri.toString() ?? '';
    const repo = this.repositoryOf(folder);
    if (!repo) throw new Error('The repository of this workspace folder is not loaded');
    await openLocation({ repoRoot: repo.root, environmentRepo: null, folderUri: folder, environment: previewTarget.environment, ref: preview.headSha, file, line });
  }
}
