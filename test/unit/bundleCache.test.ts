// The CLI's command bundles load through V8's code cache (src/cli/bundleCache.ts): a bundle runs
// exactly as `require` runs it (exports, relative requires, __filename), the cache is written by
// the run that missed it and used by the next, keyed by the bundle's content (an edited bundle
// never runs stale code), and a broken or unwritable cache only costs the compile. Each case is a
// fresh process: the cache is written when a process exits.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { codeCacheDir, MAX_CACHE_FILES } from '../../src/cli/bundleCache';

const LOADER = join(__dirname, '..', '..', 'src', 'cli', 'bundleCache.ts');
const root = mkdtempSync(join(tmpdir(), 'gitops-bundle-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Loads `file` in a fresh process; what it exported and whether the cache was used. */
function load(file: string, cacheDir: string | null): { exports: Record<string, unknown>; cacheHit: boolean } {
  const script = `const { loadBundle } = require(${JSON.stringify(LOADER)});
const loaded = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
process.stdout.write(JSON.stringify({ exports: loaded.exports, cacheHit: loaded.cacheHit }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as { exports: Record<string, unknown>; cacheHit: boolean };
}

function bundle(name: string, answer: number): string {
  const file = join(root, name);
  writeFileSync(join(root, 'helper.js'), 'module.exports = { twice: (n) => n * 2 };\n');
  // Uses every part of the CommonJS wrapper a bundle relies on.
  writeFileSync(file, `"use strict";\nconst { twice } = require('./helper.js');\nconst path = require('node:path');\nexports.answer = twice(${answer / 2});\nmodule.exports.file = path.basename(__filename);\nmodule.exports.dir = path.basename(__dirname);\nmodule.exports.self = this === module.exports;\n`);
  return file;
}

describe('command bundles through the code cache', () => {
  it('runs a bundle as require does, writes the cache on a miss and uses it on the next run', () => {
    const cache = join(root, 'cache-a');
    const file = bundle('a.js', 42);
    const first = load(file, cache);
    assert.deepEqual(first.exports, { answer: 42, file: 'a.js', dir: root.split('/').pop(), self: true });
    assert.equal(first.cacheHit, false);
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.bin')).length, 1, 'the missing run wrote one cache file');
    const second = load(file, cache);
    assert.equal(second.cacheHit, true);
    assert.deepEqual(second.exports, first.exports);
  });

  it('never runs stale code: an edited bundle misses the cache and gets its own entry', () => {
    const cache = join(root, 'cache-b');
    const file = bundle('b.js', 42);
    load(file, cache);
    // Same length, other content: the key is the content, not the size or the name.
    bundle('b.js', 24);
    const edited = load(file, cache);
    assert.equal(edited.cacheHit, false);
    assert.equal(edited.exports.answer, 24);
    assert.equal(load(file, cache).cacheHit, true);
  });

  it('a corrupt cache file, an unwritable cache folder, or the cache turned off only cost the compile', () => {
    const cache = join(root, 'cache-c');
    const file = bundle('c.js', 8);
    load(file, cache);
    for (const entry of readdirSync(cache)) writeFileSync(join(cache, entry), 'not V8 code cache data');
    const corrupt = load(file, cache);
    assert.deepEqual([corrupt.cacheHit, corrupt.exports.answer], [false, 8]);
    const blocked = join(root, 'not-a-folder');
    writeFileSync(blocked, '');
    assert.equal(load(file, join(blocked, 'cache')).exports.answer, 8);
    assert.deepEqual(load(file, null), { exports: load(file, null).exports, cacheHit: false });
  });

  it('ignores a cache folder others may write (cache data is code)', () => {
    const cache = join(root, 'cache-e');
    const file = bundle('e.js', 6);
    load(file, cache);
    assert.equal(load(file, cache).cacheHit, true);
    chmodSync(cache, 0o777);
    const shared = load(file, cache);
    assert.deepEqual([shared.cacheHit, shared.exports.answer], [false, 6]);
    chmodSync(cache, 0o700);
    assert.equal(load(file, cache).cacheHit, true);
  });

  it('keeps the cache folder bounded: a miss removes the oldest files beyond the limit, never the one it wrote', () => {
    const cache = join(root, 'cache-d');
    mkdirSync(cache);
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < MAX_CACHE_FILES + 5; i++) {
      const stale = join(cache, `stale-${i}.bin`);
      writeFileSync(stale, 'x');
      utimesSync(stale, old + i, old + i);
    }
    writeFileSync(join(cache, 'not-a-cache.txt'), 'kept');
    const file = bundle('d.js', 4);
    assert.equal(load(file, cache).cacheHit, false);
    const left = readdirSync(cache).filter((name) => name.endsWith('.bin'));
    assert.equal(left.length, MAX_CACHE_FILES);
    assert.ok(!left.includes('stale-0.bin') && left.includes(`stale-${MAX_CACHE_FILES + 4}.bin`), 'the oldest went');
    assert.ok(existsSync(join(cache, 'not-a-cache.txt')));
    assert.equal(load(file, cache).cacheHit, true, 'the file just written was kept');
  });

  it('finds the cache folder: GITOPS_ENV_CODE_CACHE (off disables), else XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(codeCacheDir({ GITOPS_ENV_CODE_CACHE: 'off', HOME: '/h' }), null);
    assert.equal(codeCacheDir({ GITOPS_ENV_CODE_CACHE: '', HOME: '/h' }), null);
    assert.equal(codeCacheDir({ GITOPS_ENV_CODE_CACHE: '/c', HOME: '/h' }), '/c');
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/gitops-env/code-cache');
    assert.equal(codeCacheDir({ HOME: '/h' }), '/h/.cache/gitops-env/code-cache');
  });
});
