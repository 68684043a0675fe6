// Per workspace folder: the repository, its environments and their Git state. Refreshes are
// debounced, a refresh in flight absorbs further requests, and listeners learn which folder changed.
import * as vscode from 'vscode';
import type { Environment, LocatedProblem } from '../core/model';
import { GitError } from '../git/gitError';
import { GitRepository } from '../git/gitRepository';
import type { RemoteRepoCache } from '../git/remoteRepoCache';
import { loadRepositoryEnvironments, repositoryOpener, type RepositoryEnvironments } from '../git/repositoryEnvironments';
import type { EnvironmentState } from '../git/environmentStates';
import type { Logger } from './logger';

export type FolderStatus =
  | { kind: 'noGit'; folder: vscode.WorkspaceFolder; message: string }
  | { kind: 'failed'; folder: vscode.WorkspaceFolder; message: string }
  | { kind: 'ready'; folder: vscode.WorkspaceFolder; data: RepositoryEnvironments; loadedInMs: number };

export interface ModelSettings {
  pendingLimit(): number;
}

export class EnvironmentsModel implements vscode.Disposable {
  private readonly statuses = new Map<string, FolderStatus>();
  private readonly repositories = new Map<string, GitRepository>();
  private readonly changed = new vscode.EventEmitter<vscode.WorkspaceFolder | undefined>();
  /** Fires with the folder that changed (undefined: the folder list itself changed). */
  readonly onDidChange = this.changed.event;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private firstLoad: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly settings: ModelSettings,
    private readonly remoteCache: () => RemoteRepoCache | undefined,
  ) {}

  /** Loads once; later calls return the same promise. */
  ensureLoaded(): Promise<void> {
    this.firstLoad ??= this.refreshNow();
    return this.firstLoad;
  }

  folders(): FolderStatus[] {
    const order = vscode.workspace.workspaceFolders ?? [];
    return order.map((f) => this.statuses.get(f.uri.toString())).filter((s): s is FolderStatus => s !== undefined);
  }

  allStates(): Array<{ folder: vscode.WorkspaceFolder; state: EnvironmentState; data: RepositoryEnvironments }> {
    return this.folders().flatMap((s) => (s.kind === 'ready' ? s.data.states.map((state) => ({ folder: s.folder, state, data: s.data })) : []));
  }

  findState(folderUri: string, name: string): { state: EnvironmentState; data: RepositoryEnvironments } | undefined {
    const status = this.statuses.get(folderUri);
    if (status?.kind !== 'ready') return undefined;
    const state = status.data.states.find((s) => s.environment.name === name);
    return state ? { state, data: status.data } : undefined;
  }

  /** The repository that holds an environment's desired state. */
  async repositoryFor(folderUri: string, environment: Environment): Promise<GitRepository | undefined> {
    const status = this.statuses.get(folderUri);
    if (status?.kind !== 'ready') return undefined;
    if (!environment.repo) return status.data.repo;
    return repositoryOpener(status.data.repo.root, this.remoteCache())(environment);
  }

  problems(): Array<{ folder: vscode.WorkspaceFolder; problem: LocatedProblem }> {
    return this.folders().flatMap((s) => (s.kind === 'ready' ? s.data.discovery.problems.map((problem) => ({ folder: s.folder, problem })) : []));
  }

  /** Debounced refresh: bursts of file-system events become one reload. */
  requestRefresh(delayMs = 400): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refreshNow();
    }, delayMs);
  }

  /** Reloads every folder; a call while one runs is folded into one more run afterwards. */
  refreshNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.loadAll();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async loadAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const seen = new Set(folders.map((f) => f.uri.toString()));
    for (const key of [...this.statuses.keys()]) if (!seen.has(key)) this.statuses.delete(key);
    await Promise.all(folders.map((folder) => this.loadFolder(folder)));
  }

  private async openRepository(folder: vscode.WorkspaceFolder): Promise<GitRepository> {
    const key = folder.uri.toString();
    const existing = this.repositories.get(key);
    if (existing) return existing;
    const repo = await GitRepository.open(folder.uri.fsPath);
    this.repositories.set(key, repo);
    return repo;
  }

  private async loadFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const started = Date.now();
    let status: FolderStatus;
    if (folder.uri.scheme !== 'file') {
      status = { kind: 'noGit', folder, message: 'Only folders on disk are supported' };
    } else {
      try {
        const repo = await this.openRepository(folder);
        const data = await loadRepositoryEnvironments(repo, { pendingLimit: this.settings.pendingLimit(), remoteCache: this.remoteCache() });
        status = { kind: 'ready', folder, data, loadedInMs: Date.now() - started };
        this.log.info(`${folder.name}: ${data.discovery.environments.length} environments (${data.discovery.source ?? 'none'}) in ${Date.now() - started} ms`);
      } catch (error) {
        if (error instanceof GitError && (error.code === 'notARepository' || error.code === 'gitMissing')) {
          status = { kind: 'noGit', folder, message: error.message };
        } else {
          this.log.error(`${folder.name}: loading environments failed`, error);
          status = { kind: 'failed', folder, message: error instanceof Error ? error.message : String(error) };
        }
      }
    }
    this.statuses.set(key, status);
    this.changed.fire(folder);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const repo of this.repositories.values()) repo.dispose();
    this.repositories.clear();
    this.changed.dispose();
  }
}
