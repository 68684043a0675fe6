// Open pull requests per workspace folder — our promotions and rollbacks (head branches under
// `gitops/`), and anyone else's placed under the environments they change — with their checks, and the ones that were open a moment ago with how they ended (merged or
// closed). Read on demand, and every few minutes while the Environments view is visible; never
// with a sign-in prompt (background reads use existing tokens only). One read per folder at a
// time: a request while one runs is folded into one more run afterwards.
import * as vscode from 'vscode';
import { loadPromotionContext } from '../../git/promotion/promotionContext';
import { remoteHost } from '../../git/promotion/remoteHost';
import { HostError } from '../../hosts/hostError';
import { selectPullRequestProvider } from '../../hosts/providerFactory';
import type { ChecksSummary, PullRequestInfo, PullRequestProvider } from '../../hosts/pullRequestProvider';
import type { EnvironmentsModel } from '../environmentsModel';
import type { Logger } from '../logger';
import { hostOverridesFor } from './hostContext';
import type { HostTokens } from './hostTokens';
import { environmentsOfForeignPullRequest, isOurPullRequest } from './foreignPullRequests';
import { environmentOfPullRequest, pullRequestKind } from './pullRequestMatching';

export interface TrackedPullRequest {
  info: PullRequestInfo;
  /** Null when the checks could not be read (or were not read: closed pull requests). */
  checks: ChecksSummary | null;
  /** The environment it promotes into or rolls back (ours), or the first one it changes (someone else's); null when none. */
  environment: string | null;
  /** Every environment it is listed under: ours, the one it promotes into; someone else's, every one whose sources it changes. */
  environments: string[];
  /** Opened by a promotion or rollback of this extension. */
  ours: boolean;
  /** The host's ref for its head (`refs/pull/7/head`), for Preview Impact on a fork's pull request. */
  fetchRef: string | null;
  kind: 'promotion' | 'rollback';
}

export type FolderPullRequestState =
  | { state: 'idle' | 'loading' }
  | { state: 'ready'; host: string; at: number }
  /** No provider (no token, unknown host, no remote), and why. */
  | { state: 'noProvider'; reason: string }
  | { state: 'failed'; message: string };

interface FolderEntry {
  status: FolderPullRequestState;
  pulls: TrackedPullRequest[];
  running?: Promise<void>;
  again?: boolean;
  /** Pull requests seen open; when one disappears from the list, its end (merged/closed) is read once. */
  seenOpen: Map<number, TrackedPullRequest>;
  /** Ended pull requests shown for a while, by number, with when they were first seen ended. */
  ended: Map<number, { pull: TrackedPullRequest; since: number }>;
}

/** Reading checks costs a request or two per pull request: the newest ones only. */
const MAX_CHECKS = 10;
/** Placing someone else's pull request may fetch its head and read its diff: the newest ones only. */
const MAX_FOREIGN = 20;
const MAX_ENDED_READS = 5;
/** How long a merged or closed pull request stays listed. */
const ENDED_VISIBLE_MS = 24 * 60 * 60 * 1000;

export interface PullRequestsDeps {
  model: EnvironmentsModel;
  tokens: HostTokens;
  log: Logger;
  /** Minutes between refreshes while the view is visible; 0 = only on demand. */
  refreshMinutes(): number;
}

export class PullRequestsService implements vscode.Disposable {
  private readonly folders = new Map<string, FolderEntry>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the workspace folder URI whose pull requests changed. */
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setInterval> | undefined;
  private visible = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Where someone else's pull request goes, per folder, number, base and head commit: a refresh reads no diff twice. */
  private readonly placements = new Map<string, Promise<string[]>>();

  constructor(private readonly deps: PullRequestsDeps) {
    this.subscriptions.push(deps.tokens.onDidChange(() => void this.refreshLoaded()));
  }

  /** Pull requests into `environment` of the folder (open first, then recently ended). Starts the first read. */
  forEnvironment(folderUri: string, environment: string): TrackedPullRequest[] {
    const entry = this.entry(folderUri);
    if (entry.status.state === 'idle') void this.refresh(folderUri);
    const now = Date.now();
    const ended = [...entry.ended.values()].filter((e) => now - e.since < ENDED_VISIBLE_MS).map((e) => e.pull);
    return [...entry.pulls, ...ended].filter((p) => p.environments.includes(environment));
  }

  status(folderUri: string): FolderPullRequestState {
    return this.entry(folderUri).status;
  }

  /** Reads one folder, or every loaded folder of the workspace. */
  async refresh(folderUri?: string): Promise<void> {
    if (folderUri === undefined) {
      await this.deps.model.ensureLoaded();
      await Promise.all(this.deps.model.folders().filter((f) => f.kind === 'ready').map((f) => this.refresh(f.folder.uri.toString())));
      return;
    }
    const entry = this.entry(folderUri);
    if (entry.running) {
      entry.again = true;
      return entry.running;
    }
    entry.running = (async () => {
      try {
        do {
          entry.again = false;
          await this.load(folderUri, entry);
        } while (entry.again);
      } finally {
        entry.running = undefined;
      }
    })();
    return entry.running;
  }

  /** The Environments view became visible or hidden: refresh now and on a timer, or stop. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    clearInterval(this.timer);
    this.timer = undefined;
    if (!visible) return;
    void this.refreshLoaded();
    const minutes = this.deps.refreshMinutes();
    if (minutes > 0) this.timer = setInterval(() => void this.refreshLoaded(), Math.max(1, minutes) * 60_000);
  }

  /** Settings changed: restart the timer with the new interval. */
  restartTimer(): void {
    if (this.visible) this.setVisible(true);
  }

  /** Folders read before (or shown in the tree) are read again; others wait until the tree asks. */
  private async refreshLoaded(): Promise<void> {
    const loaded = [...this.folders.entries()].filter(([, e]) => e.status.state !== 'idle').map(([uri]) => uri);
    await Promise.all(loaded.map((uri) => this.refresh(uri)));
  }

  private entry(folderUri: string): FolderEntry {
    let entry = this.folders.get(folderUri);
    if (!entry) {
      entry = { status: { state: 'idle' }, pulls: [], seenOpen: new Map(), ended: new Map() };
      this.folders.set(folderUri, entry);
    }
    return entry;
  }

  private setStatus(folderUri: string, entry: FolderEntry, status: FolderPullRequestState): void {
    const before = JSON.stringify(entry.status);
    entry.status = status;
    if (status.state === 'noProvider' || status.state === 'failed') {
      if (before !== JSON.stringify(status)) this.deps.log.info(`pull requests of ${folderUri}: ${status.state === 'failed' ? status.message : status.reason}`);
    }
  }

  private async provider(folderUri: string): Promise<{ provider: PullRequestProvider } | { reason: string }> {
    const status = this.deps.model.folders().find((f) => f.folder.uri.toString() === folderUri);
    if (!status || status.kind !== 'ready') return { reason: 'the folder is not a loaded Git repository' };
    const repo = status.data.repo;
    const remotes = await repo.remotes();
    const remote = remotes.find((r) => r.name === 'origin') ?? remotes[0];
    if (!remote) return { reason: 'the repository has no remote' };
    const context = await loadPromotionContext(repo);
    const overrides = hostOverridesFor(folderUri, context.hosts, this.deps.log);
    const { remoteUrl } = await remoteHost(repo, remote.name, overrides);
    if (!remoteUrl) return { reason: 'the repository has no remote URL' };
    const selection = await selectPullRequestProvider({ remoteUrl, overrides, tokenSource: this.deps.tokens.source(false) });
    return selection.provider ? { provider: selection.provider } : { reason: selection.reason ?? 'no provider' };
  }

  private environmentsOf(folderUri: string): Array<{ name: string; branch: string | null }> {
    const status = this.deps.model.folders().find((f) => f.folder.uri.toString() === folderUri);
    return status?.kind === 'ready' ? status.data.states.map((s) => ({ name: s.environment.name, branch: s.environment.branch })) : [];
  }

  private async load(folderUri: string, entry: FolderEntry): Promise<void> {
    if (entry.status.state === 'idle') entry.status = { state: 'loading' };
    try {
      const chosen = await this.provider(folderUri);
      if ('reason' in chosen) {
        entry.pulls = [];
        this.setStatus(folderUri, entry, { state: 'noProvider', reason: chosen.reason });
        return;
      }
      const { provider } = chosen;
      const environments = this.environmentsOf(folderUri);
      // Every open pull request (an empty head prefix): ours and anyone else's.
      const open = await provider.listOpen('');
      // One at a time: placing may `git fetch` into the clone, and fetches of one repository contend for its refs.
      let foreign = 0;
      const placedNames = new Map<number, string[]>();
      for (const info of open) {
        if (isOurPullRequest(info) || foreign++ >= MAX_FOREIGN) continue;
        placedNames.set(info.number, await this.placeForeign(folderUri, info, environments, provider.headFetchRef?.(info.number) ?? null));
      }
      const track = (info: PullRequestInfo, checks: ChecksSummary | null): TrackedPullRequest => {
        const ours = isOurPullRequest(info);
        const own = ours ? environmentOfPullRequest(info, environments) : null;
        const names = ours ? (own ? [own] : []) : (placedNames.get(info.number) ?? []);
        return { info, checks, environment: names[0] ?? null, environments: names, ours, fetchRef: provider.headFetchRef?.(info.number) ?? null, kind: pullRequestKind(info) };
      };
      // Someone else's pull request that changes no environment is not ours to show (nor to read checks for).
      const shown = open.filter((info) => isOurPullRequest(info) || (placedNames.get(info.number) ?? []).length > 0);
      const pulls = await Promise.all(
        shown.map(async (info, index) => {
          if (index >= MAX_CHECKS) return track(info, null);
          const status = await provider.getStatus(info.number).catch(() => null);
          return track(status ?? info, status?.checks ?? null);
        }),
      );
      // Open before and gone now: merged or closed. Read how it ended, once.
      const openNumbers = new Set(pulls.map((p) => p.info.number));
      const vanished = [...entry.seenOpen.values()].filter((p) => !openNumbers.has(p.info.number)).slice(0, MAX_ENDED_READS);
      for (const previous of vanished) {
        const status = await provider.getStatus(previous.info.number).catch(() => null);
        // Where it was listed while open is where its end is shown.
        if (status && status.state !== 'open') entry.ended.set(status.number, { pull: { ...previous, info: status, checks: null }, since: Date.now() });
      }
      entry.seenOpen = new Map(pulls.map((p) => [p.info.number, p]));
      for (const number of openNumbers) entry.ended.delete(number);
      entry.pulls = pulls;
      this.setStatus(folderUri, entry, { state: 'ready', host: provider.displayName, at: Date.now() });
    } catch (error) {
      const message = error instanceof HostError ? error.describe() : error instanceof Error ? error.message : String(error);
      this.setStatus(folderUri, entry, { state: 'failed', message });
    } finally {
      this.changed.fire(folderUri);
    }
  }

  /** The environments someone else's pull request changes, read once per head and base; [] (logged) when its refs cannot be read. */
  private placeForeign(folderUri: string, info: PullRequestInfo, environments: Array<{ name: string; branch: string | null }>, fetchRef: string | null): Promise<string[]> {
    const repo = this.repositoryOf(folderUri);
    if (!repo) return Promise.resolve([]);
    const key = `${folderUri}\u0000${info.number}\u0000${info.base}\u0000${info.headSha ?? info.head}`;
    let placement = this.placements.get(key);
    if (!placement) {
      placement = environmentsOfForeignPullRequest({ repo, pull: info, environments, fetchRef }).catch((error: unknown) => {
        this.deps.log.info(`pull request #${info.number} (${info.head} → ${info.base}) of ${folderUri} is listed under no environment: ${error instanceof Error ? error.message : String(error)}`);
        this.placements.delete(key);
        return [];
      });
      this.placements.set(key, placement);
      // Old heads are not asked for again: keep the map from growing with every push.
      while (this.placements.size > 200) this.placements.delete(this.placements.keys().next().value as string);
    }
    return placement;
  }

  private repositoryOf(folderUri: string) {
    const status = this.deps.model.folders().find((f) => f.folder.uri.toString() === folderUri);
    return status?.kind === 'ready' ? status.data.repo : undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
