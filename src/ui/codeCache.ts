// Loads a CommonJS bundle with V8's code cache, for the extension's entry (src/ui/extensionEntry.ts):
// a window then does not compile the same 1.5 MB of JavaScript on every start. Any problem with the
// cache (read-only or missing folder, corrupt or foreign data) falls back to a plain compile: the
// cache only ever saves time. No `vscode` here: it runs before the bundle that asks for it. The
// folder, its trust check and the atomic write are the CLI's (src/cli/bundleCache.ts).
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { codeCacheDir, trustedCacheDir, writeCacheFile } from '../cli/bundleCache';

/** The CLI's cache folder ($GITOPS_ENV_CODE_CACHE, $XDG_CACHE_HOME or ~/.cache): one place to clear. */
export const extensionCodeCacheDir = codeCacheDir;

export interface CachedLoad<T> {
  exports: T;
  /** True when V8 accepted the cached code. */
  cacheHit: boolean;
  /** Writes the code cache (once, only after a miss); never throws. */
  writeCache(): void;
}

/**
 * Runs a CommonJS bundle as `require` would (its own module, `require` relative to the file: the
 * extension host still sees our extension's path as the importer of `vscode`), compiled from the
 * code cache keyed by the bundle's content and the running V8. The bundle must not contain a real
 * `import()` (a vm.Script has no loader for it): scripts/build.mjs turns them into requires.
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string | null): CachedLoad<T> {
  const source = readFileSync(file);
  // The executable too: two hosts with one Node version can differ in V8 flags, and would otherwise
  // keep replacing each other's cache.
  const key = createHash('sha1').update(process.version).update(process.arch).update(process.execPath).update(source).digest('hex');
  const cacheFile = cacheDir && trustedCacheDir(cacheDir) ? join(cacheDir, `extension-${key}.bin`) : undefined;
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  // esbuild writes ASCII (it escapes the rest): latin1 then decodes to the same text several times faster.
  const text = isAscii(source) ? source.toString('latin1') : source.toString('utf8');
  const script = new Script(Module.wrap(text), { filename: file, cachedData });
  const cacheHit = cachedData !== undefined && !script.cachedDataRejected;
  const module = new Module(file);
  module.filename = file;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  let written = cacheHit || !cacheFile;
  const writeCache = (): void => {
    if (written || !cacheFile) return;
    written = true;
    try {
      writeCacheFile(cacheFile, script.createCachedData());
      pruneStale(dirname(cacheFile), cacheFile);
    } catch {
      // Read-only home, full disk: the next start compiles again.
    }
  };
  return { exports: module.exports as T, cacheHit, writeCache };
}

/** Caches of earlier versions nobody has written for this long are removed when a new one is written. */
export const STALE_CACHE_MS = 30 * 24 * 3600 * 1000;

/** Removes other extension caches (earlier versions, other hosts) not written for STALE_CACHE_MS. */
function pruneStale(dir: string, keep: string, now = Date.now()): void {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (file === keep || !/^extension-[0-9a-f]{40}\.bin$/.test(name)) continue;
    try {
      if (now - statSync(file).mtimeMs > STALE_CACHE_MS) rmSync(file, { force: true });
    } catch {
      // Removed by another window meanwhile.
    }
  }
}
