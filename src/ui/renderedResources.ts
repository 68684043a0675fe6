// Rendered objects per environment, computed on first expand and cached by what they depend on:
// the environment's head commit, or (for the checked-out branch) a generation bumped on save.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { environmentPaths, type Environment } from '../core/model';
import type { EnvironmentState } from '../git/environmentStates';
import type { GitRepository } from '../git/gitRepository';
import { materializeRef } from '../git/materialize';
import { refView, workingTreeView } from '../git/repoViews';
import { environmentSource, renderEnvironment, type RenderResult } from '../render/renderEnvironment';
import type { Logger } from './logger';

export class RenderedResources implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<RenderResult>>();
  private workingTreeGeneration = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: Logger,
    private readonly storageDir: string | undefined,
    private readonly timeoutSeconds: () => number,
  ) {}

  /** Working-tree manifests changed on disk: renders of checked-out environments are out of date. */
  invalidateWorkingTree(): void {
    this.workingTreeGeneration += 1;
    for (const key of [...this.cache.keys()]) if (key.includes('|wt:')) this.cache.delete(key);
    this.changed.fire();
  }

  clear(): void {
    this.cache.clear();
  }

  render(repo: GitRepository, state: EnvironmentState): Promise<RenderResult> {
    const env = state.environment;
    const version = state.checkedOut ? `wt:${this.workingTreeGeneration}` : `sha:${state.head?.sha ?? state.ref}`;
    const key = `${repo.root}|${env.name}|${environmentPaths(env).join(',')}|${(env.valuesFiles ?? []).join(',')}|${vscode.workspace.isTrusted}|${version}`;
    let pending = this.cache.get(key);
    if (!pending) {
      const started = Date.now();
      const ref = state.ref ?? 'HEAD';
      const view = state.checkedOut ? workingTreeView(repo) : refView(repo, ref);
      const materializeRoot = this.storageDir ?? join(tmpdir(), 'gitops-env-render');
      pending = renderEnvironment({
        view,
        ...environmentSource(env),
        trusted: vscode.workspace.isTrusted,
        timeoutMs: this.timeoutSeconds() * 1000,
        materialize: state.checkedOut ? async () => repo.root : () => materializeRef(repo, ref, materializeRoot),
      }).then((result) => {
        this.log.info(`${env.name}: rendered ${result.objects.length} objects (${result.renderer}) in ${Date.now() - started} ms`);
        return result;
      });
      // A failed render is not remembered: the next expand tries again.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
  }

  /** The environment rendered at a commit (a change's base or head): cached by commit, like a branch head. */
  renderCommit(repo: GitRepository, environment: Environment, commit: string): Promise<RenderResult> {
    const state: EnvironmentState = { environment, ref: commit, checkedOut: false, head: null, pending: null, problems: [] };
    return this.render(repo, state);
  }

  dispose(): void {
    this.changed.dispose();
    this.cache.clear();
  }
}
