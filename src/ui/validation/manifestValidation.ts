// Inline validation of an environment's manifests: the problems the API server would refuse, as
// diagnostics on the offending line while typing (the edited document only, shortly after typing
// stops), and a hover with a field's schema type, allowed values and description. Files of no
// environment stay quiet; `gitops.validation.enabled` turns all of it off. A file that a
// kustomization names as a patch is checked as one (no required fields), and its configuration and
// generator inputs not at all: the role is found in the background (kustomizeRoleOfFile.ts) and
// remembered until a kustomization changes on disk.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { environmentPaths } from '../../core/model';
import type { ManifestDiagnostic } from '../../core/validation/documentValidation';
import { KUSTOMIZATION_FILE_NAMES, type KustomizeFileRole } from '../../core/validation/kustomizeFileRoles';
import { parseSchemaAsset, parseSchemaDescriptions, SchemaAssetCatalog } from '../../core/validation/schemaAsset';
import { loadClusterModule } from '../clusterLoader';
import { environmentKey } from '../drift/driftStore';
import type { EnvironmentsModel } from '../environmentsModel';
import { Settings } from '../ids';
import type { Logger } from '../logger';
import { environmentCrds } from './environmentCrds';
import { environmentOfFile, inHelmChart, type EnvironmentCandidate } from './fileEnvironment';
import { KustomizeRoles } from './kustomizeRoleOfFile';
import { ValidationCatalogs, type BuiltinSchemas } from './validationCatalogs';
import { hoverHeading, hoverSource, VALIDATION_DEBOUNCE_MS, ValidationEngine } from './validationEngine';

export const VALIDATION_ENABLED_SETTING = 'validation.enabled';
const CRD_KIND = /^kind:[ \t]*["']?CustomResourceDefinition/m;
/** A checkout or a generator rewrites many kustomizations at once: open files are validated again once, after this quiet time. */
const KUSTOMIZATION_CHANGE_DEBOUNCE_MS = 150;
const KUSTOMIZATION_GLOB = `**/{${KUSTOMIZATION_FILE_NAMES.join(',')}}`;

/** A file's text through the editor's file system (the remote host's, in a remote window); undefined when unreadable. */
async function readWorkspaceText(path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  } catch {
    return undefined;
  }
}

/** The generated asset next to the bundle; without it, the models from the cluster bundle (slower to load, no descriptions). */
function builtinSchemas(log: Logger): BuiltinSchemas {
  try {
    const catalog = new SchemaAssetCatalog(parseSchemaAsset(readFileSync(join(__dirname, 'kubernetes-schemas.json'), 'utf8')), () =>
      parseSchemaDescriptions(readFileSync(join(__dirname, 'kubernetes-schema-descriptions.json'), 'utf8')),
    );
    return { catalog, describe: catalog.describe };
  } catch (error) {
    log.warn(`bundled schema asset not readable (${error instanceof Error ? error.message : String(error)}); using the cluster bundle's models`);
    return { catalog: loadClusterModule().bundledCatalog() };
  }
}

async function clusterDocuments(context: string, kubeconfig: string | undefined): Promise<unknown[]> {
  // Loading the cluster bundle blocks for a moment: not inside the keystroke that asked.
  await new Promise((resolve) => setImmediate(resolve));
  const cluster = loadClusterModule();
  const loaded = cluster.loadKubeconfig({ path: kubeconfig });
  const client = new cluster.KubeClient(loaded.forContext(context), context);
  return (await cluster.clusterOpenApiDocuments(client, cluster.userCacheDir())).documents;
}

function isManifestDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && /\.ya?ml$/i.test(document.uri.path);
}

function toDiagnostic(document: vscode.TextDocument, problem: ManifestDiagnostic): vscode.Diagnostic {
  const line = Math.min(Math.max(problem.line - 1, 0), document.lineCount - 1);
  const text = document.lineAt(line);
  const start = Math.min(problem.column - 1, text.range.end.character);
  const end = problem.endColumn === undefined ? text.range.end.character : Math.min(problem.endColumn - 1, text.range.end.character);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, start, line, Math.max(end, start + 1)), problem.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'gitops validate';
  return diagnostic;
}

export class ManifestValidation implements vscode.Disposable, vscode.HoverProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('gitops-validation');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];
  private candidatesSignature = '';
  /** Folder → inside a Helm chart (forgotten when the environments reload). */
  private readonly charts = new Map<string, boolean>();
  private readonly kustomizationWatcher = vscode.workspace.createFileSystemWatcher(KUSTOMIZATION_GLOB);
  private kustomizationTimer: NodeJS.Timeout | undefined;
  /** A role search may answer after dispose: the collection is gone by then. */
  private disposed = false;

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly engine: ValidationEngine,
    private readonly catalogs: ValidationCatalogs,
    private readonly enabled: () => boolean,
    private readonly roles = new KustomizeRoles(readWorkspaceText),
  ) {
    const kustomizationChanged = (uri: vscode.Uri): void => this.kustomizationChanged(uri);
    this.subscriptions = [
      this.kustomizationWatcher,
      this.kustomizationWatcher.onDidCreate(kustomizationChanged),
      this.kustomizationWatcher.onDidChange(kustomizationChanged),
      this.kustomizationWatcher.onDidDelete(kustomizationChanged),
      vscode.workspace.onDidOpenTextDocument((document) => this.open(document)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.close(document)),
      vscode.workspace.onDidSaveTextDocument((document) => {
        // The watcher may miss a save (files.watcherExclude); a saved kustomization says itself what changed.
        if (document.uri.scheme === 'file' && KUSTOMIZATION_FILE_NAMES.includes(basename(document.uri.fsPath))) this.kustomizationChanged(document.uri);
        // A saved CRD changes the schemas of the environment's custom resources.
        if (isManifestDocument(document) && CRD_KIND.test(document.getText())) {
          this.catalogs.reset('crds');
          this.validateAll();
        }
      }),
      model.onDidChange(() => {
        this.charts.clear();
        const signature = this.candidates()
          .map((c) => `${c.key}|${c.repoRoot}|${c.folders.join(',')}|${c.context ?? ''}`)
          .join('\n');
        if (signature !== this.candidatesSignature) {
          this.candidatesSignature = signature;
          this.catalogs.reset('crds');
        }
        this.validateAll();
      }),
    ];
    // Documents already open: after activation returns (activation itself does no Git work).
    setTimeout(() => {
      for (const document of vscode.workspace.textDocuments) this.open(document);
    }, 0);
  }

  /** Environments whose files are on disk now: the checked-out branch's, and every folder environment. */
  private candidates(): EnvironmentCandidate[] {
    return this.model
      .allStates()
      .filter(({ state }) => state.checkedOut && state.environment.repo === null)
      .map(({ folder, state, data }) => ({
        key: environmentKey(folder.uri.toString(), state.environment.name),
        name: state.environment.name,
        repoRoot: data.repo.root,
        folders: environmentPaths(state.environment),
        context: state.environment.cluster.context,
      }));
  }

  private environmentOf(document: vscode.TextDocument): EnvironmentCandidate | undefined {
    if (!isManifestDocument(document)) return undefined;
    const environment = environmentOfFile(this.candidates(), document.uri.fsPath);
    // A chart's templates are not objects until rendered: quiet, as the CLI skips charts.
    return environment && !inHelmChart(document.uri.fsPath, environment.repoRoot, this.charts) ? environment : undefined;
  }

  private open(document: vscode.TextDocument): void {
    if (!isManifestDocument(document) || !this.enabled()) return;
    // The environments may not be loaded yet: validate once they are.
    void this.model.ensureLoaded().then(() => this.validate(document));
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isManifestDocument(document)) return;
    const key = document.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validate(document);
      }, VALIDATION_DEBOUNCE_MS),
    );
  }

  private close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.engine.forget(key);
    this.collection.delete(document.uri);
  }

  /** The roles found so far are stale: find them again and validate every open manifest once things are quiet. */
  private kustomizationChanged(uri: vscode.Uri): void {
    this.roles.changed(uri.fsPath);
    if (this.kustomizationTimer) clearTimeout(this.kustomizationTimer);
    this.kustomizationTimer = setTimeout(() => {
      this.kustomizationTimer = undefined;
      this.validateAll();
    }, KUSTOMIZATION_CHANGE_DEBOUNCE_MS);
  }

  /** `found`: the role just found for this document (by the search `validate` started). */
  private validate(document: vscode.TextDocument, found?: { role: KustomizeFileRole | undefined }): void {
    if (document.isClosed || this.disposed) return;
    const environment = this.enabled() ? this.environmentOf(document) : undefined;
    if (!environment) {
      this.collection.delete(document.uri);
      return;
    }
    const role = found ?? this.roles.known(document.uri.fsPath, environment.repoRoot);
    if (!role) {
      // Not known yet: found in the background, and the document validated then (its last
      // diagnostics stay meanwhile, so a patch never flashes the required fields it leaves out).
      this.roles.resolve(document.uri.fsPath, environment.repoRoot).then(
        (resolved) => this.validate(document, { role: resolved }),
        () => this.validate(document, { role: undefined }),
      );
      return;
    }
    const problems = this.engine.validate(document.uri.toString(), document.getText(), environment, role.role);
    this.collection.set(
      document.uri,
      problems.map((problem) => toDiagnostic(document, problem)),
    );
  }

  /** Every open manifest again (environments, catalogs or the setting changed). */
  validateAll(): void {
    if (!this.enabled()) {
      this.collection.clear();
      return;
    }
    for (const document of vscode.workspace.textDocuments) if (isManifestDocument(document)) this.validate(document);
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled()) return undefined;
    const environment = this.environmentOf(document);
    if (!environment) return undefined;
    const hover = this.engine.hover(document.getText(), position.line, position.character, environment);
    if (!hover) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(hoverHeading(hover));
    if (hover.field.allowed) markdown.appendMarkdown('\n\nAllowed: ').appendText(hover.field.allowed);
    if (hover.field.description) markdown.appendMarkdown('\n\n').appendText(hover.field.description);
    markdown.appendMarkdown('\n\n---\n\n').appendText(hoverSource(hover));
    return new vscode.Hover(markdown, new vscode.Range(hover.line, hover.startColumn, hover.line, hover.endColumn));
  }

  dispose(): void {
    this.disposed = true;
    if (this.kustomizationTimer) clearTimeout(this.kustomizationTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

/** Everything the editor's validation needs, registered (one call from the composition root). */
export function registerManifestValidation(options: { model: EnvironmentsModel; log: Logger; kubeconfig: () => string | undefined }): vscode.Disposable[] {
  const setting = (): boolean => vscode.workspace.getConfiguration(Settings.section).get<boolean>(VALIDATION_ENABLED_SETTING, true);
  const catalogs = new ValidationCatalogs(
    {
      builtin: () => builtinSchemas(options.log),
      clusterDocuments: (context) => clusterDocuments(context, options.kubeconfig()),
      environmentCrds,
    },
    // Background loads finish after `validation` exists.
    () => validation.validateAll(),
  );
  const validation = new ManifestValidation(options.model, new ValidationEngine(catalogs), catalogs, setting);
  const selector: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.{yaml,yml}' }];
  return [
    validation,
    vscode.languages.registerHoverProvider(selector, validation),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${Settings.section}.${Settings.kubeconfig}`)) catalogs.reset('all');
      if (event.affectsConfiguration(`${Settings.section}.${VALIDATION_ENABLED_SETTING}`) || event.affectsConfiguration(`${Settings.section}.${Settings.kubeconfig}`)) validation.validateAll();
    }),
  ];
}
