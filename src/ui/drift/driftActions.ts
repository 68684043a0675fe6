// What the user can do about drift: see the normalized diff, sync Git's object to the cluster
// (preview, confirmation, the environment's name typed when it is protected), accept the live
// value into the file, open the drift report or compare two environments. Shared by the
// commands, hovers, CodeLens and the report webview.
import { stringify } from 'yaml';
import * as vscode from 'vscode';
import type { ReportTarget } from '../../../webview-ui/protocol';
import { acceptLiveEdit, planAcceptLive } from '../../core/acceptLive';
import type { FieldBlame } from '../../core/blame/blameTypes';
import { ACCEPT_LIVE_PATCH } from '../../core/blame/overlayPatch';
import { compareEnvironment, objectId } from '../../core/drift/compare';
import type { DesiredResource, DriftField, KubeObject, ResourceDrift } from '../../core/drift/driftTypes';
import { normalizeObject } from '../../core/drift/normalize';
import { parseManifests } from '../../core/manifest';
import { resourceKey, splitApiVersion, type SourceRange } from '../../core/model';
import { loadClusterModule } from '../clusterLoader';
import type { ClusterStatus } from '../clusterStatus';
import type { EnvironmentsModel } from '../environmentsModel';
import { openLocation } from '../locations';
import type { Logger } from '../logger';
import type { RenderedResources } from '../renderedResources';
import { comparedObject, toReportViewModel, withoutNamespace } from '../webview/reportViewModel';
import type { DriftReportActions } from '../webview/driftReportPanel';
import type { DriftController } from './driftController';
import type { OperatorsController } from '../operators/operatorsController';
import { environmentKey, type DriftStore } from './driftStore';

export const DRIFT_DOCUMENT_SCHEME = 'gitops-drift';

/** Read-only documents holding normalized YAML for the native diff editor. */
export class DriftDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '# This drift view has expired: open it again from the report or the hover.\n';
  }
}

function splitKey(envKey: string): { folderUri: string; environment: string } {
  const hash = envKey.lastIndexOf('#');
  return { folderUri: envKey.slice(0, hash), environment: envKey.slice(hash + 1) };
}

function toYaml(object: KubeObject | undefined): string {
  return object ? stringify(object, { sortMapEntries: true, lineWidth: 0 }) : '# (absent)\n';
}

/** What a sync command says in Restricted Mode (ARCHITECTURE.md: no cluster writes there). */
export const RESTRICTED_SYNC_MESSAGE = 'Sync is off in Restricted Mode: trust this workspace to write to clusters.';

/** Where the report gets a change's impact (a `preview` target) from: src/ui/preview/previewImpact.ts. */
export type PreviewReportSource = Pick<DriftReportActions, 'refresh' | 'openDiff' | 'openFile'>;

export class DriftActions implements DriftReportActions {
  private previewSource: PreviewReportSource | undefined;

  /** Reports on a change's impact come from `source` (set once the promotion services exist). */
  setPreviewSource(source: PreviewReportSource): void {
    this.previewSource = source;
  }

  private preview(): PreviewReportSource {
    if (!this.previewSource) throw new Error('Preview Impact is not available yet');
    return this.previewSource;
  }

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly rendered: RenderedResources,
    private readonly clusters: ClusterStatus,
    private readonly store: DriftStore,
    private readonly controller: DriftController,
    private readonly documents: DriftDocuments,
    private readonly log: Logger,
    private readonly operators: OperatorsController,
  ) {}

  private envKeyOf(target: ReportTarget): string {
    const folder = target.folder ?? this.model.folders()[0]?.folder.uri.toString() ?? '';
    return environmentKey(folder, target.kind === 'compare' ? target.to : target.environment);
  }

  private found(envKey: string) {
    const { folderUri, environment } = splitKey(envKey);
    const found = this.model.findState(folderUri, environment);
    if (!found) throw new Error(`Environment ${environment} is gone; refresh the Environments view`);
    return { folderUri, ...found };
  }

  /** Git's rendered object and the live one from the shared cache, both normalized and masked. */
  private async objectsFor(envKey: string, key: string): Promise<{ desired?: KubeObject; live?: KubeObject; title: string }> {
    const { folderUri, state } = this.found(envKey);
    const repo = await this.model.repositoryFor(folderUri, state.environment);
    if (!repo) throw new Error('The repository is not available');
    const render = await this.rendered.render(repo, state);
    const desiredObject = render.objects.find((o) => resourceKey({ ...o.id, namespace: o.id.namespace ?? state.environment.cluster.namespace }) === key || resourceKey(o.id) === key);
    const resource = this.store.get(envKey)?.drift?.resources.find((r) => r.key === key);
    const id = resource?.id ?? desiredObject?.id;
    if (!id) throw new Error('This resource is no longer in the report');
    let live: KubeObject | undefined;
    const context = state.environment.cluster.context;
    if (context && vscode.workspace.isTrusted) {
      const namespace = id.namespace ?? state.environment.cluster.namespace;
      const manager = this.clusters.clusters();
      const namespaced = await manager
        .discovery(context)
        .resolve(id)
        .then((info) => info.namespaced)
        .catch(() => true);
      const cache = manager.cache(context, id, namespaced ? namespace : null);
      await cache.start().catch(() => undefined);
      live = cache.get(namespaced ? namespace : null, id.name) as KubeObject | undefined;
    }
    const { maskSecretObject } = loadClusterModule();
    const prepare = (o: KubeObject | undefined): KubeObject | undefined => (o ? maskSecretObject(normalizeObject(o), undefined) : undefined);
    return { desired: prepare(desiredObject?.object), live: prepare(live), title: `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}` };
  }

  async showDiff(envKey: string, key: string): Promise<void> {
    const { environment } = splitKey(envKey);
    const { desired, live, title } = await this.objectsFor(envKey, key);
    const base = `/${encodeURIComponent(environment)}/${encodeURIComponent(key)}`;
    const liveUri = vscode.Uri.from({ scheme: DRIFT_DOCUMENT_SCHEME, path: `${base}/live.yaml` });
    const gitUri = vscode.Uri.from({ scheme: DRIFT_DOCUMENT_SCHEME, path: `${base}/git.yaml` });
    this.documents.set(liveUri, toYaml(live));
    this.documents.set(gitUri, toYaml(desired));
    await vscode.commands.executeCommand('vscode.diff', liveUri, gitUri, `${title}: Live ↔ Git (${environment})`, { preview: true });
  }

  /** Preview, confirm (typing the name for protected environments), then apply. */
  async syncResources(envKey: string, keys: readonly string[]): Promise<void> {
    const { state, folderUri } = this.found(envKey);
    const env = state.environment;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(RESTRICTED_SYNC_MESSAGE);
      return;
    }
    // The pull model: where Argo CD or Flux reconciles the environment, we ask it to sync instead
    // of applying behind its back.
    const operator = this.operators.managing(folderUri, env.name);
    if (operator) {
      const who = operator.operator === 'argocd' ? 'Argo CD' : 'Flux';
      const choice = await vscode.window.showInformationMessage(
        `${env.name} is reconciled by ${who} (${operator.ref.name}). Ask ${who} to sync it instead of applying directly?`,
        { modal: true },
        `Ask ${who} to Sync`,
      );
      if (choice) await this.operators.act(folderUri, env.name, operator, operator.operator === 'argocd' ? 'sync' : 'reconcile');
      return;
    }
    if (!state.checkedOut) {
      const go = await vscode.window.showWarningMessage(
        `${env.name}'s manifests are read from ${state.ref}, not your working tree. Sync applies that branch's objects.`,
        { modal: true },
        'Continue',
      );
      if (go !== 'Continue') return;
    }
    const previews = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Previewing sync of ${keys.length} resource${keys.length === 1 ? '' : 's'} to ${env.cluster.context}…` },
      () => this.controller.previewSync(envKey, keys),
    );
    const failed = previews.filter((p) => !p.ok);
    const ready = previews.filter((p): p is Extract<typeof p, { ok: true }> => p.ok && p.action !== 'unchanged');
    if (ready.length === 0) {
      const why = failed.length ? failed.map((f) => (f.ok ? '' : f.reason)).join('; ') : 'the cluster already matches Git';
      void vscode.window.showInformationMessage(`Nothing to sync: ${why}.`);
      return;
    }
    const lines = ready.slice(0, 8).map((p) => {
      const fields = p.fields.slice(0, 4).map((f) => f.path).join(', ');
      return `${p.action === 'create' ? 'create' : 'update'} ${p.id.kind} ${p.id.name}${fields ? ` (${fields}${p.fields.length > 4 ? ', …' : ''})` : ''}`;
    });
    if (ready.length > 8) lines.push(`… and ${ready.length - 8} more`);
    const detail = `${lines.join('\n')}${failed.length ? `\n\n${failed.length} cannot be synced.` : ''}`;
    if (env.protected) {
      const typed = await vscode.window.showInputBox({
        title: `Sync to protected environment ${env.name}`,
        prompt: `${detail}\n\nType "${env.name}" to apply Git's objects to ${env.cluster.context}.`,
        validateInput: (value) => (value === env.name ? undefined : `Type ${env.name} to confirm`),
        ignoreFocusOut: true,
      });
      if (typed !== env.name) return;
    } else {
      const choice = await vscode.window.showWarningMessage(`Apply Git's objects to ${env.cluster.context} (${env.name})?`, { modal: true, detail }, 'Sync');
      if (choice !== 'Sync') return;
    }
    const outcomes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Syncing ${ready.length} resource${ready.length === 1 ? '' : 's'} to ${env.cluster.context}…` },
      () => this.controller.sync(envKey, ready.map((p) => p.key)),
    );
    const errors = outcomes.filter((o) => !o.ok);
    for (const o of outcomes) this.log.info(`sync ${env.name} ${o.key}: ${o.ok ? 'applied' : o.reason}`);
    if (errors.length) void vscode.window.showErrorMessage(`Synced ${outcomes.length - errors.length} of ${outcomes.length}. ${errors.map((e) => (e.ok ? '' : e.reason)).join('; ')}`);
    else void vscode.window.showInformationMessage(`Synced ${outcomes.length} resource${outcomes.length === 1 ? '' : 's'} to ${env.cluster.context}.`);
  }

  /** Writes the live value at `pointer` into the manifest, as an undoable editor edit. */
  async acceptLiveValue(envKey: string, key: string, pointer: string, documentUri?: string): Promise<void> {
    const entry = this.store.get(envKey);
    const resource = entry?.drift?.resources.find((r) => r.key === key);
    const field = resource?.fields.find((f) => f.pointer === pointer);
    if (!entry || !resource || !field || !resource.origin) {
      void vscode.window.showWarningMessage('That drift is no longer reported; refresh and try again.');
      return;
    }
    if (!entry.checkedOut) {
      void vscode.window.showWarningMessage(`Check out ${entry.environment}'s branch to edit its manifests.`);
      return;
    }
    if (field.source) {
      await this.acceptLiveWhereSet(envKey, entry.repoRoot, resource, { ...field, source: field.source });
      return;
    }
    const uri = documentUri ? vscode.Uri.parse(documentUri) : vscode.Uri.file(`${entry.repoRoot}/${resource.origin.file}`);
    const document = await vscode.workspace.openTextDocument(uri);
    const manifest = parseManifests(document.getText(), resource.origin.file).manifests.find(
      (m) => m.id && m.id.kind === resource.id.kind && m.id.name === resource.id.name && (m.id.namespace === null || m.id.namespace === resource.id.namespace),
    );
    const edit = manifest && acceptLiveEdit(manifest, pointer, field.change === 'notInLive' ? undefined : field.live, document.getText());
    if (!edit) {
      const reason =
        typeof field.live === 'object' && field.live !== null && (field.live as { masked?: unknown }).masked === true
          ? 'it is a Secret value, never copied from the cluster'
          : !manifest
            ? `${resource.origin.file} no longer declares ${resource.id.kind} ${resource.id.name}`
            : `Git declares no value there to replace (a template or generated value), or it shares its line with other fields`;
      void vscode.window.showWarningMessage(`Cannot write ${field.path} into ${resource.origin.file}: ${reason}.`);
      return;
    }
    const range = new vscode.Range(edit.range.start.line - 1, edit.range.start.column - 1, edit.range.end.line - 1, edit.range.end.column - 1);
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(document.uri, range, edit.newText);
    if (await vscode.workspace.applyEdit(workspaceEdit)) {
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(range.start, range.start) });
    }
  }

  /**
   * Accept Live for a rendered (kustomize) object: at the line blame names, or in this
   * environment's own overlay when that line is in a file other environments use.
   */
  private async acceptLiveWhereSet(envKey: string, repoRoot: string, resource: ResourceDrift, field: DriftField & { source: FieldBlame }): Promise<void> {
    const { folderUri, state } = this.found(envKey);
    const environment = state.environment;
    const uriOf = (file: string): vscode.Uri => vscode.Uri.file(`${repoRoot}/${file}`);
    const texts = new Map<string, string>();
    const read = async (file: string): Promise<void> => {
      // Open editors' text wins over the disk: Accept Live edits what the user sees.
      const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uriOf(file).fsPath);
      if (open) texts.set(file, open.getText());
      else {
        const bytes = await vscode.workspace.fs.readFile(uriOf(file)).then((b) => b, () => undefined);
        if (bytes) texts.set(file, new TextDecoder().decode(bytes));
      }
    };
    const overlayKustomization = await this.ownKustomization(environment.paths?.length ? environment.paths : environment.path !== null ? [environment.path] : [], resource.origin?.file ?? field.source.location.file, uriOf);
    await Promise.all([field.source.location.file, ...(overlayKustomization ? [overlayKustomization, overlayKustomization.replace(/[^/]*$/, ACCEPT_LIVE_PATCH)] : [])].map(read));
    const sharedBy = await this.environmentsReading(folderUri, environment.name, field.source.location.file, environment.paths ?? (environment.path !== null ? [environment.path] : []));
    const plan = planAcceptLive({
      field,
      resource: { apiVersion: resource.id.group ? `${resource.id.group}/${resource.id.version}` : resource.id.version, kind: resource.id.kind, name: resource.id.name },
      environment: environment.name,
      files: texts,
      overlayKustomization,
      otherUsers: (file) => (file === field.source.location.file ? sharedBy : []),
    });
    if (plan.kind === 'refused') {
      const open = plan.file ? 'Open File' : undefined;
      const choice = await vscode.window.showWarningMessage(`Cannot accept the live value of ${field.path}: ${plan.reason}.`, ...(open ? [open] : []));
      if (choice === open && plan.file) await vscode.window.showTextDocument(uriOf(plan.file), { selection: new vscode.Range((plan.line ?? 1) - 1, 0, (plan.line ?? 1) - 1, 0) });
      return;
    }
    const toRange = (range: SourceRange): vscode.Range => new vscode.Range(range.start.line - 1, range.start.column - 1, range.end.line - 1, range.end.column - 1);
    const edit = new vscode.WorkspaceEdit();
    let show: { uri: vscode.Uri; at: vscode.Position };
    if (plan.kind === 'edit') {
      edit.replace(uriOf(plan.file), toRange(plan.edit.range), plan.edit.newText);
      show = { uri: uriOf(plan.file), at: toRange(plan.edit.range).start };
    } else {
      const patchUri = uriOf(plan.patchFile);
      if (texts.has(plan.patchFile)) {
        const document = await vscode.workspace.openTextDocument(patchUri);
        edit.replace(patchUri, new vscode.Range(0, 0, document.lineCount, 0), plan.patchText);
      } else {
        edit.createFile(patchUri, { ignoreIfExists: true });
        edit.insert(patchUri, new vscode.Position(0, 0), plan.patchText);
      }
      if (plan.kustomizationEdit) edit.replace(uriOf(plan.kustomizationFile), toRange(plan.kustomizationEdit.range), plan.kustomizationEdit.newText);
      show = { uri: patchUri, at: new vscode.Position(0, 0) };
      void vscode.window.showInformationMessage(
        `${plan.sharedFile} is shared with ${plan.sharedBy.join(', ')}: the live value of ${field.path} goes into ${environment.name}'s own overlay (${plan.patchFile}) instead. Editing ${plan.sharedFile} would change those environments too.`,
      );
    }
    if (await vscode.workspace.applyEdit(edit)) {
      await vscode.window.showTextDocument(show.uri, { selection: new vscode.Range(show.at, show.at) });
    }
  }

  /** The kustomization of the environment's folder the resource belongs to (the folder sharing most of its path). */
  private async ownKustomization(paths: readonly string[], resourceFile: string, uriOf: (file: string) => vscode.Uri): Promise<string | undefined> {
    const common = (a: string, b: string): number => {
      const x = a.split('/');
      const y = b.split('/');
      let n = 0;
      while (n < x.length && n < y.length && x[n] === y[n]) n++;
      return n;
    };
    const ordered = [...paths].sort((a, b) => common(b, resourceFile) - common(a, resourceFile));
    for (const path of ordered) {
      for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
        const file = path ? `${path}/${name}` : name;
        if (await vscode.workspace.fs.stat(uriOf(file)).then(() => true, () => false)) return file;
      }
    }
    return undefined;
  }

  /** Other environments of the folder whose build reads `file` (a file in the environment's own folder is its own). */
  private async environmentsReading(folderUri: string, name: string, file: string, ownPaths: readonly string[]): Promise<string[]> {
    if (ownPaths.some((path) => path !== '' && file.startsWith(`${path}/`))) return [];
    const others = this.model.allStates().filter((s) => s.folder.uri.toString() === folderUri && s.state.environment.name !== name);
    const readers = await Promise.all(
      others.map(async ({ state }) => {
        const repo = await this.model.repositoryFor(folderUri, state.environment);
        if (!repo) return undefined;
        const result = await this.rendered.render(repo, state).catch(() => undefined);
        return result?.files.includes(file) ? state.environment.name : undefined;
      }),
    );
    return readers.filter((reader): reader is string => reader !== undefined);
  }

  /** Both environments of a comparison, rendered. */
  private async renderPair(target: Extract<ReportTarget, { kind: 'compare' }>) {
    const folder = target.folder ?? this.model.folders()[0]?.folder.uri.toString() ?? '';
    const render = async (name: string) => {
      const found = this.model.findState(folder, name);
      if (!found) throw new Error(`No environment named ${name}`);
      const repo = await this.model.repositoryFor(folder, found.state.environment);
      if (!repo) throw new Error(`The repository of ${name} is not available`);
      return { state: found.state, result: await this.rendered.render(repo, found.state) };
    };
    return Promise.all([render(target.from), render(target.to)]);
  }

  /** Environment A's render compared with environment B's render, in the report's shape. */
  private async compareRenders(target: Extract<ReportTarget, { kind: 'compare' }>) {
    const [a, b] = await this.renderPair(target);
    const desired: DesiredResource[] = a.result.objects.map((o) => ({ object: o.object, manifest: o.manifest, origin: o.origin }));
    // Namespaces differ per environment by design: compare by kind and name within each side's namespace.
    return compareEnvironment(
      desired.map((d) => ({ ...d, object: withoutNamespace(d.object) })),
      b.result.objects.map((o) => withoutNamespace(o.object)),
      { mode: 'local', extraSelector: '' },
    );
  }

  /** The diff editor on one resource of a comparison: A's rendered object on the left, B's on the right. */
  private async showComparisonDiff(target: Extract<ReportTarget, { kind: 'compare' }>, key: string): Promise<void> {
    const [a, b] = await this.renderPair(target);
    const { maskSecretObject } = loadClusterModule();
    const side = (objects: ReadonlyArray<{ object: KubeObject }>): KubeObject | undefined => {
      const object = comparedObject(objects.map((o) => o.object), key);
      return object ? maskSecretObject(normalizeObject(withoutNamespace(object)), undefined) : undefined;
    };
    const left = side(a.result.objects);
    const right = side(b.result.objects);
    const shown = left ?? right;
    if (!shown) throw new Error('This resource is in neither render any more; refresh the comparison');
    const id = objectId(shown);
    const base = `/${encodeURIComponent(target.from)}..${encodeURIComponent(target.to)}/${encodeURIComponent(key)}`;
    const leftUri = vscode.Uri.from({ scheme: DRIFT_DOCUMENT_SCHEME, path: `${base}/${encodeURIComponent(target.from)}.yaml` });
    const rightUri = vscode.Uri.from({ scheme: DRIFT_DOCUMENT_SCHEME, path: `${base}/${encodeURIComponent(target.to)}.yaml` });
    this.documents.set(leftUri, toYaml(left));
    this.documents.set(rightUri, toYaml(right));
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `${id.kind} ${id.name}: ${target.from} ↔ ${target.to}`, { preview: true });
  }

  // ---- DriftReportActions (the webview) ----

  async refresh(target: ReportTarget) {
    if (target.kind === 'preview') return this.preview().refresh(target);
    const folder = target.folder ?? this.model.folders()[0]?.folder.uri.toString() ?? '';
    const environments = this.model.allStates().filter((s) => s.folder.uri.toString() === folder).map((s) => s.state.environment.name);
    if (target.kind === 'compare') {
      const drift = await this.compareRenders(target);
      return toReportViewModel(drift, { target, environments, asOf: new Date(), readOnly: true, columns: { a: target.from, b: target.to } });
    }
    const envKey = this.envKeyOf(target);
    await this.controller.ensure(envKey);
    const entry = this.store.get(envKey);
    if (!entry?.drift) throw new Error(entry?.error ?? `No drift for ${target.environment}: it names no cluster context, or the workspace is in Restricted Mode`);
    const operator = this.operators.managing(splitKey(envKey).folderUri, target.environment);
    return toReportViewModel(entry.drift, {
      operatorManaged: operator ? { kind: operator.operator, name: operator.ref.name } : undefined,
      target,
      environments,
      asOf: new Date(entry.asOf ?? Date.now()),
      stale: entry.stale,
      fromSnapshot: entry.fromSnapshot === true,
      readOnly: !vscode.workspace.isTrusted,
      canSync: vscode.workspace.isTrusted,
    });
  }

  openDiff(target: ReportTarget, key: string): Promise<void> {
    if (target.kind === 'preview') return this.preview().openDiff(target, key);
    return target.kind === 'compare' ? this.showComparisonDiff(target, key) : this.showDiff(this.envKeyOf(target), key);
  }

  async openFile(target: ReportTarget, file: string, line: number): Promise<void> {
    if (target.kind === 'preview') return this.preview().openFile(target, file, line);
    // A comparison's locations come from environment A's render (column A).
    const envKey = target.kind === 'compare' ? environmentKey(target.folder ?? this.model.folders()[0]?.folder.uri.toString() ?? '', target.from) : this.envKeyOf(target);
    const { folderUri, state, data } = this.found(envKey);
    await openLocation({ repoRoot: data.repo.root, environmentRepo: state.environment.repo, folderUri, environment: state.environment.name, ref: state.checkedOut ? null : state.ref, file, line });
  }

  sync(target: ReportTarget, keys: readonly string[]): Promise<void> {
    // The message policy already refuses it (the report is read-only); a second lock, since a change's impact names no live state to write.
    if (target.kind === 'preview') return Promise.reject(new Error('A change preview does not sync'));
    return this.syncResources(this.envKeyOf(target), keys);
  }

  acceptLive(target: ReportTarget, key: string, pointer: string): Promise<void> {
    return this.acceptLiveValue(this.envKeyOf(target), key, pointer);
  }
}

/** For a ResourceId-like object from YAML: `group/kind/namespace/name` as the report uses. */
export function keyOfObject(object: KubeObject, defaultNamespace: string | null): string | undefined {
  const metadata = object.metadata as { name?: unknown; namespace?: unknown } | undefined;
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof metadata?.name !== 'string') return undefined;
  const { group, version } = splitApiVersion(object.apiVersion);
  return resourceKey({ group, version, kind: object.kind, name: metadata.name, namespace: typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace });
}
