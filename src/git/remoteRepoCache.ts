// Environments whose desired state lives in another repository are read from a bare clone we
// own, one per URL under the extension's storage folder. We fetch into those clones only, never
// into a checkout the user works in.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GitError } from './gitError';
import { runGit } from './gitProcess';
import { GitRepository } from './gitRepository';
import { runNetworkGit } from './networkGit';
import { hasCredentials, redactCredentials } from './redactCredentials';

export interface RemoteRepoCacheOptions {
  /** Kill clone/fetch after this long without output. */
  timeoutMs?: number;
}

interface RemoteTarget {
  /** The URL without credentials: what goes in argv, config, logs, and the cache key. */
  cleanUrl: string;
  /** Environment that hands git the credentialed URL without putting it in argv (see credentialEnv). */
  env: Record<string, string>;
}

/** Transports we clone from. `ext::` and other `<helper>::` forms run programs and are refused. */
function checkUrl(url: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const ok =
    !url.startsWith('-') &&
    !/[\0\n\r]/.test(url) &&
    !url.includes('::') &&
    (scheme ? ['https', 'http', 'ssh', 'git', 'file', 'git+ssh', 'ssh+git'].includes(scheme) : true);
  if (!ok) throw new GitError('failed', `Refusing to clone ${redactCredentials(url)}: unsupported or unsafe URL`);
}

/**
 * Credentials embedded in a URL reach git through an `insteadOf` rewrite passed in the
 * environment (GIT_CONFIG_*), which other users cannot read, instead of argv, which they can.
 */
function targetFor(url: string): RemoteTarget {
  checkUrl(url);
  const cleanUrl = redactCredentials(url).replace(/\/+$/, '');
  if (!hasCredentials(url)) return { cleanUrl, env: {} };
  return {
    cleanUrl,
    env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `url.${url.replace(/\/+$/, '')}.insteadOf`, GIT_CONFIG_VALUE_0: cleanUrl },
  };
}

function folderName(cleanUrl: string): string {
  const base = cleanUrl.replace(/\.git$/, '').split(/[/:]/).filter(Boolean).pop() ?? 'repo';
  const slug = base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'repo';
  return `${slug}-${createHash('sha256').update(cleanUrl).digest('hex').slice(0, 16)}.git`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export class RemoteRepoCache {
  private readonly repos = new Map<string, Promise<GitRepository>>();
  private readonly refreshes = new Map<string, Promise<GitRepository>>();
  private readonly envs = new Map<string, Record<string, string>>();

  constructor(
    readonly storageDir: string,
    private readonly options: RemoteRepoCacheOptions = {},
  ) {}

  /** Where the clone of `url` lives (whether or not it exists yet). */
  directoryFor(url: string): string {
    return join(this.storageDir, folderName(targetFor(url).cleanUrl));
  }

  /** The bare clone of `url`, cloned on first use. Concurrent calls share one clone. */
  get(url: string): Promise<GitRepository> {
    let target: RemoteTarget;
    try {
      target = targetFor(url);
    } catch (error) {
      return Promise.reject(error);
    }
    // Remember the latest credentials for later fetches; they never touch disk.
    this.envs.set(target.cleanUrl, target.env);
    const known = this.repos.get(target.cleanUrl);
    if (known) return known;
    const opening = this.open(target);
    this.repos.set(target.cleanUrl, opening);
    opening.catch(() => {
      if (this.repos.get(target.cleanUrl) === opening) this.repos.delete(target.cleanUrl);
    });
    return opening;
  }

  /** `git fetch --prune` into the clone of `url` (cloning first if needed). Concurrent calls share one fetch. */
  refresh(url: string): Promise<GitRepository> {
    let cleanUrl: string;
    try {
      cleanUrl = targetFor(url).cleanUrl;
    } catch (error) {
      return Promise.reject(error);
    }
    const running = this.refreshes.get(cleanUrl);
    if (running) return running;
    const work = (async () => {
      const repo = await this.get(url);
      await repo.fetch('origin', { timeoutMs: this.options.timeoutMs, env: this.envs.get(cleanUrl) });
      return repo;
    })().finally(() => this.refreshes.delete(cleanUrl));
    this.refreshes.set(cleanUrl, work);
    return work;
  }

  /** Stops the cat-file readers of every clone opened so far. */
  dispose(): void {
    for (const opening of this.repos.values()) opening.then((repo) => repo.dispose(), () => undefined);
    this.repos.clear();
  }

  private async open(target: RemoteTarget): Promise<GitRepository> {
    const dir = join(this.storageDir, folderName(target.cleanUrl));
    if (await exists(dir)) {
      try {
        return await GitRepository.open(dir);
      } catch {
        // A damaged clone (disk full, killed mid-write by an older version) is replaced.
        await rm(dir, { recursive: true, force: true });
      }
    }
    await mkdir(this.storageDir, { recursive: true });
    const scratch = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await this.clone(target, scratch);
      // A bare clone has no fetch refspec; without one `fetch` would update nothing.
      await runGit(scratch, ['config', 'remote.origin.fetch', '+refs/heads/*:refs/heads/*']);
      try {
        await rename(scratch, dir);
      } catch (error) {
        if (!(await exists(dir))) throw error;
        await rm(scratch, { recursive: true, force: true });
      }
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
    return GitRepository.open(dir);
  }

  private async clone(target: RemoteTarget, into: string): Promise<void> {
    const options = { timeoutMs: this.options.timeoutMs, env: target.env };
    try {
      // Blobs are fetched on demand: environments read a few folders of a possibly large repository.
      await runNetworkGit(this.storageDir, ['clone', '--bare', '--quiet', '--filter=blob:none', '--', target.cleanUrl, into], options);
    } catch (error) {
      // Servers or git versions without partial clone: retry with a plain bare clone. Other
      // failures (not found, auth, timeout) would only fail again, twice as slowly.
      if (!(error instanceof GitError) || error.code !== 'failed' || !/filter|partial|promisor|unknown option/i.test(error.message)) throw error;
      await rm(into, { recursive: true, force: true });
      await runNetworkGit(this.storageDir, ['clone', '--bare', '--quiet', '--', target.cleanUrl, into], options);
    }
  }
}
