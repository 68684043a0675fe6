// The one drift map every editor feature reads: per environment the latest EnvironmentDrift, and
// per file on disk the resources it declares or sets values of, with the drifted fields whose
// value that file sets (an overlay's patch, its kustomization's `images:` entry, a component).
// A field is indexed under the file blame names, so its hint sits on the line that set it. Built once per drift
// computation; decorations, hovers, CodeLens, file badges and the status bar only look things up.
// While a cluster cannot be reached, an environment's entry may hold its last-known snapshot,
// marked stale "as of" when it was true.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SourceRange } from '../../core/model';
import type { DriftField, EnvironmentDrift, InvalidProblem, ResourceDrift } from '../../core/drift/driftTypes';

export interface EnvironmentDriftEntry {
  /** `${folderUri}#${environment}` */
  key: string;
  folderUri: string;
  environment: string;
  repoRoot: string;
  /** True when the environment's files are the working tree's (hints can be drawn on them). */
  checkedOut: boolean;
  drift: EnvironmentDrift | undefined;
  /** When the live side last matched the cluster (ms since epoch). */
  asOf: number | undefined;
  /** The cluster is unreachable: results are the last known ones. */
  stale: boolean;
  /**
   * The results come from the last-known snapshot in workspace storage (written in an earlier
   * session), not from this session's watches; always `stale` too. Live results replace them.
   */
  fromSnapshot?: boolean;
  computing: boolean;
  error?: string;
}

export interface FileDriftEntry {
  environmentKey: string;
  resource: ResourceDrift;
  /** The drifted fields whose value this file sets. */
  fields: DriftField[];
  /** `Invalid` resources: the refused fields whose line is in this file. */
  problems?: InvalidProblem[];
  /** This file declares the resource (its `kind:` line is here): resource-level hints and CodeLens go here. */
  declares: boolean;
}

/** The range, in its file, of a refused field's line (or of its nearest declared ancestor). */
export function problemRange(problem: InvalidProblem): SourceRange | undefined {
  return problem.source ? problem.source.location.range : problem.range;
}

/** The file (repository-relative) that sets a field's value: blame's, else the declaring file. */
export function fieldFile(resource: ResourceDrift, field: DriftField): string | undefined {
  return field.source?.location.file ?? resource.origin?.file;
}

/** The range, in `fieldFile`, of the line that sets the field (or of its nearest ancestor). */
export function fieldRange(field: DriftField): SourceRange | undefined {
  return field.source ? field.source.location.range : field.range;
}

export function environmentKey(folderUri: string, environment: string): string {
  return `${folderUri}#${environment}`;
}

export class DriftStore implements vscode.Disposable {
  private readonly environments = new Map<string, EnvironmentDriftEntry>();
  private byFile = new Map<string, FileDriftEntry[]>();
  private readonly changed = new vscode.EventEmitter<{ environments: string[]; files: vscode.Uri[] }>();
  /** Which environments and files changed, so listeners refresh only those. */
  readonly onDidChange = this.changed.event;

  get(key: string): EnvironmentDriftEntry | undefined {
    return this.environments.get(key);
  }

  all(): EnvironmentDriftEntry[] {
    return [...this.environments.values()];
  }

  /** Resources declared in a file on disk (absolute path), with their drift. */
  forFile(fsPath: string): FileDriftEntry[] {
    return this.byFile.get(fsPath) ?? [];
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  set(entry: EnvironmentDriftEntry): void {
    const previousFiles = new Set(this.filesOf(entry.key));
    this.environments.set(entry.key, entry);
    this.rebuildFileIndex();
    const files = new Set([...previousFiles, ...this.filesOf(entry.key)]);
    this.changed.fire({ environments: [entry.key], files: [...files].map((f) => vscode.Uri.file(f)) });
  }

  delete(key: string): void {
    const files = this.filesOf(key);
    if (!this.environments.delete(key)) return;
    this.rebuildFileIndex();
    this.changed.fire({ environments: [key], files: files.map((f) => vscode.Uri.file(f)) });
  }

  private filesOf(key: string): string[] {
    return [...this.byFile.entries()].filter(([, entries]) => entries.some((e) => e.environmentKey === key)).map(([file]) => file);
  }

  private rebuildFileIndex(): void {
    const index = new Map<string, FileDriftEntry[]>();
    for (const entry of this.environments.values()) {
      if (!entry.checkedOut || !entry.drift) continue;
      for (const resource of entry.drift.resources) {
        const byFile = new Map<string, FileDriftEntry>();
        const at = (file: string): FileDriftEntry => {
          let found = byFile.get(file);
          if (!found) {
            found = { environmentKey: entry.key, resource, fields: [], declares: file === resource.origin?.file };
            byFile.set(file, found);
          }
          return found;
        };
        if (resource.origin?.file) at(resource.origin.file);
        for (const field of resource.fields) {
          const file = fieldFile(resource, field);
          if (file) at(file).fields.push(field);
        }
        for (const problem of resource.problems ?? []) {
          const file = problem.source?.location.file ?? resource.origin?.file;
          if (file && problemRange(problem)) (at(file).problems ??= []).push(problem);
        }
        for (const [file, fileEntry] of byFile) {
          const fsPath = join(entry.repoRoot, ...file.split('/'));
          const list = index.get(fsPath) ?? [];
          list.push(fileEntry);
          index.set(fsPath, list);
        }
      }
    }
    this.byFile = index;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
