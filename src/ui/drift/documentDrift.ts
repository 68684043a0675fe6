// Drift for what the editor shows. Every lookup reads the DriftStore; while a manifest has unsaved
// edits, its text is handed to the environment's drift service 150 ms after typing stops, which
// re-parses only that file's documents and compares only the resources that changed. Closing a
// document without saving hands back the text on disk.
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { DriftField, InvalidProblem, ResourceDrift } from '../../core/drift/driftTypes';
import type { DriftStore } from './driftStore';

export interface DocumentDriftEntry {
  environmentKey: string;
  resource: ResourceDrift;
  /** The drifted fields whose value this document sets (their `fieldRange` is in it). */
  fields: DriftField[];
  /** `Invalid` resources: the refused fields whose line is in this document. */
  problems?: InvalidProblem[];
  /** The document declares the resource (resource-level hints and CodeLens belong here). */
  declares: boolean;
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

/** Where edited text goes: the environment's drift service (`updateFile`). */
export type EditSink = (environmentKey: string, file: string, text: string) => Promise<void>;

export const EDIT_DEBOUNCE_MS = 150;

export class DocumentDrift implements DocumentDriftSource, vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Documents whose edited text the service holds, so a close without save can restore the disk text. */
  private readonly edited = new Map<string, { environmentKey: string; file: string }>();
  private readonly changed = new vscode.EventEmitter<readonly vscode.Uri[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: DriftStore,
    private readonly sink: EditSink,
  ) {
    this.subscriptions = [
      store.onDidChange(({ files }) => this.changed.fire(files)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => void this.restore(document.uri)),
      vscode.workspace.onDidSaveTextDocument((document) => this.edited.delete(document.uri.toString())),
    ];
  }

  private owner(fsPath: string): { environmentKey: string; file: string } | undefined {
    // Only a file that declares resources has documents to re-parse: an overlay's patch file (where
    // blame puts hints) is input to a build, and its documents are not objects of their own.
    const entries = this.store.forFile(fsPath).filter((entry) => entry.declares);
    if (entries.length === 0) return undefined;
    const environment = this.store.get(entries[0].environmentKey);
    if (!environment) return undefined;
    return { environmentKey: environment.key, file: relative(environment.repoRoot, fsPath).split(sep).join('/') };
  }

  private schedule(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    const owner = this.edited.get(key) ?? this.owner(document.uri.fsPath);
    if (!owner) return;
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.edited.set(key, owner);
        void this.sink(owner.environmentKey, owner.file, document.getText()).catch(() => undefined);
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private async restore(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const owner = this.edited.get(key);
    this.edited.delete(key);
    if (!owner) return;
    const text = await readFile(uri.fsPath, 'utf8').catch(() => '');
    await this.sink(owner.environmentKey, owner.file, text).catch(() => undefined);
  }

  forDocument(document: vscode.TextDocument): DocumentDriftResult | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const entries = this.store.forFile(document.uri.fsPath);
    if (entries.length === 0) return undefined;
    const environment = this.store.get(entries[0].environmentKey);
    return {
      entries: entries.map((e) => ({ environmentKey: e.environmentKey, resource: e.resource, fields: e.fields, problems: e.problems, declares: e.declares })),
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
