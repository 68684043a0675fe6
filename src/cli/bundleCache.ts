// Loads a CommonJS command bundle (dist/cli-<name>.js) with V8's code cache, so a fresh process
// does not compile the same 2–3 MB of JavaScript on every run (Node 20 has no
// module.enableCompileCache). The cache lives in the user's cache folder, one file per bundle
// content hash and Node version, written once after a run that compiled without it. Any problem
// with the cache (unwritable folder, corrupt or foreign data) falls back to a plain compile:
// the cache only ever saves time.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Where code caches go: $GITOPS_ENV_CODE_CACHE ('' or 'off' disables), else $XDG_CACHE_HOME or ~/.cache. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.GITOPS_ENV_CODE_CACHE;
  if (explicit !== undefined) return explicit === '' || explicit === 'off' ? null : explicit;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'gitops-env', 'code-cache');
}

/** The cache file for one bundle text: its content hash, and the V8 that may read it. */
export function codeCacheFile(dir: string, source: Buffer): string {
  const key = createHash('sha1').update(process.version).update(process.arch).update(source).digest('hex');
  return join(dir, `${key}.bin`);
}

/**
 * Code cache data is code: only a folder this user owns and nobody else may write is used (a
 * shared GITOPS_ENV_CODE_CACHE or XDG_CACHE_HOME is ignored). A missing folder is made 0700.
 */
export function trustedCacheDir(dir: string): boolean {
  if (typeof process.getuid !== 'function') return true; // Windows: the profile's ACLs guard it
  try {
    const info = statSync(dir);
    return info.uid === process.getuid() && (info.mode & 0o022) === 0;
  } catch {
    return true;
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Cache files kept: one per command bundle of a few versions; older ones are of upgraded bundles. */
export const MAX_CACHE_FILES = 24;

/**
 * Writes a cache file (its folder made 0700, the file 0600) under a temporary name, then renames
 * it: a concurrent run reads the old file or the whole new one. Throws what the file system says.
 */
export function writeCacheFile(file: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  renameSync(temp, file);
}

function writeCache(file: string, data: Buffer): void {
  try {
    writeCacheFile(file, data);
    pruneCache(dirname(file));
  } catch {
    // A read-only home, a full disk: the next run compiles again.
  }
}

/** Removes the least recently written cache files beyond MAX_CACHE_FILES (only after a miss: rare). */
function pruneCache(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .map((name) => ({ path: join(dir, name), written: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const stale of files.slice(MAX_CACHE_FILES)) unlinkSync(stale.path);
}

export interface LoadedBundle {
  exports: unknown;
  /** True when V8 accepted the cached code (nothing was compiled from scratch). */
  cacheHit: boolean;
}

/**
 * Runs `file` as a CommonJS module, as `require` would (own module object, `require` relative to
 * the file), compiled from the code cache when there is a valid one. After a miss, the cache is
 * written when the process is about to exit, so it holds every function the run compiled.
 */
export function loadBundle(file: string, cacheDir: string | null = codeCacheDir()): LoadedBundle {
  const source = readFileSync(file);
  const cacheFile = cacheDir && trustedCacheDir(cacheDir) ? codeCacheFile(cacheDir, source) : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData });
  const cacheHit = cachedData !== undefined && !script.cachedDataRejected;
  if (cacheFile && !cacheHit) process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  const module = new Module(file);
  module.filename = file;
  module.paths = [];
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return { exports: module.exports, cacheHit };
}
