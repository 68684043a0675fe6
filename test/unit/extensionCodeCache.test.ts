// The extension entry's code cache (src/ui/codeCache.ts): the bundle loads the same with or without
// a cache, a written cache is used by the next load, and no cache problem (read-only folder, corrupt
// or foreign file, changed bundle) ever stops the bundle from loading. Loads that judge the cache run
// in fresh processes: within one process V8's in-memory compilation cache would answer instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { extensionCodeCacheDir, loadWithCodeCache, STALE_CACHE_MS } from '../../src/ui/codeCache';

const root = mkdtempSync(join(tmpdir(), 'gitops-code-cache-'));
after(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

let counter = 0;
/** A bundle that requires a sibling relatively and reports its own __dirname, like dist/extension-main.js. */
function makeBundle(body = ''): { dir: string; file: string } {
  const dir = join(root, `bundle-${counter++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sibling.js'), 'module.exports = { answer: 42 };\n');
  const file = join(dir, 'main.js');
  writeFileSync(file, `"use strict";\nconst sibling = require('./sibling.js');\nexports.activate = (n) => n * 2 + sibling.answer;\nexports.dir = __dirname;\nexports.ownFile = module.filename;\n${body}\n`);
  return { dir, file };
}

const CODE_CACHE_MODULE = join(__dirname, '..', '..', 'src', 'ui', 'codeCache.ts');

/** Loads `file` in a fresh node process: { hit, activated: activate(1) }; writes the cache after when `write`. */
function loadFresh(file: string, cacheDir: string, write: boolean): { hit: boolean; activated: number } {
  const script = `const { loadWithCodeCache } = require(${JSON.stringify(CODE_CACHE_MODULE)});
const loaded = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
if (${String(write)}) loaded.writeCache();
process.stdout.write(JSON.stringify({ hit: loaded.cacheHit, activated: loaded.exports.activate(1) }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { hit: boolean; activated: number };
}

interface Bundle {
  activate(n: number): number;
  dir: string;
  ownFile: string;
}

test('a bundle loads as require would: relative require, __dirname, module.filename', () => {
  const { dir, file } = makeBundle();
  const loaded = loadWithCodeCache<Bundle>(file, null);
  assert.equal(loaded.exports.activate(5), 52);
  assert.equal(loaded.exports.dir, dir);
  assert.equal(loaded.exports.ownFile, file);
  assert.equal(loaded.cacheHit, false);
});

test('the cache written after a miss is used by the next start, and is keyed by the bundle content', () => {
  const cache = join(root, 'cache-hit');
  const { file } = makeBundle();
  assert.deepEqual(loadFresh(file, cache, true), { hit: false, activated: 44 });
  assert.equal(readdirSync(cache).filter((f) => f.endsWith('.bin')).length, 1);
  assert.deepEqual(loadFresh(file, cache, false), { hit: true, activated: 44 });
  // Another text is another key: a miss, never somebody else's code.
  writeFileSync(file, 'exports.activate = () => -1;\n');
  assert.deepEqual(loadFresh(file, cache, false), { hit: false, activated: -1 });
});

test('a cache folder others may write is ignored (cache data is code), and used again once it is private', () => {
  const cache = join(root, 'cache-shared');
  const { file } = makeBundle();
  loadFresh(file, cache, true);
  assert.equal(loadFresh(file, cache, false).hit, true);
  chmodSync(cache, 0o777);
  assert.deepEqual(loadFresh(file, cache, false), { hit: false, activated: 44 });
  chmodSync(cache, 0o700);
  assert.equal(loadFresh(file, cache, false).hit, true);
});

test('a corrupt cache file is ignored (and replaced)', () => {
  const cache = join(root, 'cache-corrupt');
  const { file } = makeBundle('exports.x = 1;');
  loadFresh(file, cache, true);
  const [bin] = readdirSync(cache);
  writeFileSync(join(cache, bin), Buffer.from('not a V8 code cache at all'));
  assert.deepEqual(loadFresh(file, cache, true), { hit: false, activated: 44 });
  assert.deepEqual(loadFresh(file, cache, false), { hit: true, activated: 44 });
});

test('an unwritable cache folder: the bundle still loads and writing does not throw', { skip: process.getuid?.() === 0 ? 'root ignores file modes' : false }, () => {
  const cache = join(root, 'read-only');
  mkdirSync(cache);
  chmodSync(cache, 0o500);
  const { file } = makeBundle();
  const loaded = loadWithCodeCache<Bundle>(file, cache);
  assert.equal(loaded.exports.activate(1), 44);
  assert.doesNotThrow(() => loaded.writeCache());
  assert.deepEqual(readdirSync(cache), []);
});

test('a cache path that cannot be a folder (a file is in the way): loads, writing does not throw', () => {
  const blocker = join(root, 'blocker');
  writeFileSync(blocker, 'a file, not a folder');
  const { file } = makeBundle();
  const loaded = loadWithCodeCache<Bundle>(file, join(blocker, 'cache'));
  assert.equal(loaded.exports.activate(2), 46);
  assert.doesNotThrow(() => loaded.writeCache());
});

test('the cache folder: GITOPS_ENV_CODE_CACHE, off, XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(extensionCodeCacheDir({ GITOPS_ENV_CODE_CACHE: '/x/y' }), '/x/y');
  assert.equal(extensionCodeCacheDir({ GITOPS_ENV_CODE_CACHE: 'off' }), null);
  assert.equal(extensionCodeCacheDir({ GITOPS_ENV_CODE_CACHE: '' }), null);
  assert.equal(extensionCodeCacheDir({ XDG_CACHE_HOME: '/c' }), join('/c', 'gitops-env', 'code-cache'));
  assert.equal(extensionCodeCacheDir({ HOME: '/h' }), join('/h', '.cache', 'gitops-env', 'code-cache'));
});

test('writing a cache removes stale caches of other versions, keeps recent ones and foreign files', () => {
  const cache = join(root, 'cache-prune');
  mkdirSync(cache);
  const stale = `extension-${'a'.repeat(40)}.bin`;
  const recent = `extension-${'b'.repeat(40)}.bin`;
  const foreign = 'cli-drift.bin';
  for (const name of [stale, recent, foreign]) writeFileSync(join(cache, name), 'x');
  const old = new Date(Date.now() - STALE_CACHE_MS - 60_000);
  utimesSync(join(cache, stale), old, old);
  utimesSync(join(cache, foreign), old, old);
  const { file } = makeBundle();
  loadWithCodeCache<Bundle>(file, cache).writeCache();
  const left = readdirSync(cache);
  assert.ok(!left.includes(stale), 'the stale cache is gone');
  assert.ok(left.includes(recent) && left.includes(foreign), `kept: ${left.join(', ')}`);
  assert.equal(left.filter((f) => /^extension-[0-9a-f]{40}\.bin$/.test(f)).length, 2, 'the new cache and the recent one');
});
