// Drift for what the editor shows. A saved file reads the environment's precomputed results; a
// document with unsaved edits is compared from its current text against the cached live objects
// (local mode, marked approximate), re-parsing only the YAML document that changed, 150 ms after
// typing stops.
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { compareResource } from '../../core/drift/compare';
import type { KubeObject, ResourceDrift } from '../../core/drift/driftTypes';
import { IncrementalManifestParser } from '../../core/manifestChunks';
import type { ResourceId } from '../../core/model';
import type { DriftStore, EnvironmentDriftEntry } from './driftStore';

export interface DocumentDriftEntry {
  environmentKey: string;
  resource: ResourceDrift;
}

export interface DocumentDriftResult {
  entries: DocumentDriftEntry[];
  stale: boolean;
  asOf: number | undefined;
}

export interface DocumentDriftSource {
  forDocument(document: vscode.TextDocument): DocumentDriftResult | undefined;
  readonly onDidChange: vscode.Event<readonly vscode.Uri[]>;
}

/** Live objects of an environment from the shared caches; `ready` is false until the first list. */
export interface LiveLookup {
  live(environmentKey: string, id: ResourceId): { object: KubeObject | undefined; ready: boolean };
}

const EDIT_DEBOUNCE_MS = 150;

interface EditState {
  parser: IncrementalManifestParser;
  result: DocumentDriftResult | undefined;
  version: number;
}

export class DocumentDrift implements DocumentDriftSource, vscode.Disposable {
  private readonly edits = new Map<string, EditState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<readonly vscode.Uri[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private liveLookup: LiveLookup | undefined;

  constructor(private readonly store: DriftStore) {
    this.subscriptions = [
      store.onDidChange(({ files }) => {
        // Fresh live data: dirty documents are recomputed against it too.
        for (const state of this.edits.values()) state.result = undefined;
        this.changed.fire(files.length > 0 ? [...files, ...this.dirtyUris()] : this.dirtyUris());
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.scheduleEdit(event.document)),
      vscode.workspace.onDidSaveTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
  }

  setLiveLookup(lookup: LiveLookup): void {
    this.liveLookup = lookup;
  }

  private dirtyUris(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter((d) => d.isDirty && this.edits.has(d.uri.toString())).map((d) => d.uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.edits.delete(key);
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.changed.fire([uri]);
  }

  private scheduleEdit(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || !document.isDirty) return;
    if (this.store.forFile(document.uri.fsPath).length === 0 && !this.edits.has(document.uri.toString())) return;
    const key = document.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.recompute(document);
        this.changed.fire([document.uri]);
      }, EDIT_DEBOUNCE_MS),
    );
  }

  /** The environment whose checked-out folder holds this file. */
  private environmentOf(fsPath: string): EnvironmentDriftEntry | undefined {
    const owners = new Set(this.store.forFile(fsPath).map((e) => e.environmentKey));
    for (const key of owners) {
      const entry = this.store.get(key);
      if (entry) return entry;
    }
    return undefined;
  }

  /** Compares the document's current text with the cached live objects. Exported for the benchmark. */
  recompute(document: vscode.TextDocument): DocumentDriftResult | undefined {
    const key = document.uri.toString();
    const environment = this.environmentOf(document.uri.fsPath);
    if (!environment || !this.liveLookup) return undefined;
    let state = this.edits.get(key);
    if (!state) {
      const file = relative(environment.repoRoot, document.uri.fsPath).split(sep).join('/');
      state = { parser: new IncrementalManifestParser(file), result: undefined, version: -1 };
      this.edits.set(key, state);
    }
    const { manifests } = state.parser.parse(document.getText());
    const entries: DocumentDriftEntry[] = [];
    for (const manifest of manifests) {
      if (!manifest.id) continue;
      const { object, ready } = this.liveLookup.live(environment.key, manifest.id);
      if (!ready) continue;
      const resource = compareResource({
        desired: { object: manifest.object, manifest, origin: { file: manifest.file, range: manifest.kindRange } },
        live: object,
        options: { mode: 'local' },
      });
      entries.push({ environmentKey: environment.key, resource: { ...resource, approximate: true } });
    }
    state.result = { entries, stale: environment.stale, asOf: environment.asOf };
    state.version = document.version;
    return state.result;
  }

  forDocument(document: vscode.TextDocument): DocumentDriftResult | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    if (document.isDirty) {
      const state = this.edits.get(document.uri.toString());
      if (state?.result && state.version === document.version) return state.result;
      if (state && state.version !== document.version) return state.result; // the debounced recompute is on its way
      return this.recompute(document);
    }
    const entries = this.store.forFile(document.uri.fsPath);
    if (entries.length === 0) return undefined;
    const environment = this.store.get(entries[0].environmentKey);
    return {
      entries: entries.map((e) => ({ environmentKey: e.environmentKey, resource: e.resource })),
      stale: environment?.stale ?? false,
      asOf: environment?.asOf,
    };
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
