// E2E harness: our VSIX in real VS Code (code-server) driven by Playwright in Debian's Chromium.
//
//   npm run test:e2e                    all scenarios in test/e2e/scenarios/*.mjs
//   npm run test:e2e -- open-resource   only the named scenarios
//
// Steps: Chromium and code-server (cached outside the repo) → VSIX (`npm run package`) → demo
// repositories in a temp dir → sandbox cluster (`node dist/cli.js sandbox`) → code-server with
// the VSIX and KUBECONFIG → one fresh browser context and one fresh copy of the workspace per
// scenario → screenshot of every scenario in test-results/<scenario>.png (also on failure) →
// summary; exit code 1 on any failure. Processes are stopped on success, failure, timeout and
// Ctrl-C.
//
// Environment:
//   GITOPS_E2E_VSIX=<file>              use this VSIX instead of running `npm run package`
//   GITOPS_E2E_NO_SANDBOX=1             do not start the sandbox cluster
//   GITOPS_E2E_SCENARIO_TIMEOUT_MS      per scenario (default 90000)
//   GITOPS_E2E_TIMEOUT_MS               whole run after installs (default 480000)
//   GITOPS_E2E_KEEP=1                   keep the temp dir (workspaces, code-server logs)
//   GITOPS_E2E_HEADED=1                 show the browser (needs a display)
//   GITOPS_ENV_CACHE=<dir>              cache root for code-server (see scripts/codeServer.mjs)

import { execFileSync, spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as https from 'node:https';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ensureChromium, launchBrowser } from '../../scripts/chromium.mjs';
import { ensureCodeServer, startCodeServer } from '../../scripts/codeServer.mjs';
import { createDemoWorkspace, createFolderDemo, seedManifestsForSandbox } from '../../scripts/demoWorkspace.mjs';
import * as dom from './vscodeDom.mjs';
import { compareScreenshots, describeComparison, keepPreviousScreenshots, referenceFor, writeBaseline } from './screenshotDiff.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = path.join(ROOT, 'test-results');
/** The final screenshots of the last run on this machine, compared with this run's. */
const PREVIOUS_DIR = path.join(RESULTS_DIR, 'previous');
/** Committed half-size pictures of each scenario's end, compared with when no previous run is here. */
const BASELINE_DIR = path.join(ROOT, 'test', 'e2e', 'baselines');
const SCENARIOS_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));
const VSIX = path.join(ROOT, 'gitops-environments.vsix');

const SCENARIO_TIMEOUT_MS = Number(process.env.GITOPS_E2E_SCENARIO_TIMEOUT_MS || 90_000);
const RUN_TIMEOUT_MS = Number(process.env.GITOPS_E2E_TIMEOUT_MS || 480_000);
const VIEWPORT = { width: 1440, height: 900 };
const SIDE_BAR_WIDTH = 540;

const started = Date.now();
const since = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (line) => console.log(`[e2e ${since()}] ${line}`);

class SetupError extends Error {}

/** Set when the run is being torn down (overall timeout, signal): no new scenario starts. */
let aborted = false;

// ---------------------------------------------------------------------------------------------
// Cleanup: every started resource registers a stop function; they run in reverse order once.

const cleanups = [];
const childPids = new Set();
let cleaningUp = null;

function onCleanup(fn) {
  cleanups.push(fn);
}

function cleanup() {
  cleaningUp ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await Promise.race([fn(), new Promise((r) => setTimeout(r, 10_000))]);
      } catch (err) {
        console.error(`[e2e] cleanup: ${err.message}`);
      }
    }
  })();
  return cleaningUp;
}

// Last resort if the process goes down without running cleanup(): kill our process groups.
process.on('exit', () => {
  for (const pid of childPids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (aborted && cleaningUp) return;
    aborted = true;
    console.error(`\n[e2e] ${signal}: stopping everything`);
    cleanup().finally(() => process.exit(130));
    setTimeout(() => process.exit(130), 15_000).unref();
  });
}

// ---------------------------------------------------------------------------------------------
// Steps

async function buildVsix() {
  if (process.env.GITOPS_E2E_VSIX) {
    const file = path.resolve(process.env.GITOPS_E2E_VSIX);
    if (!existsSync(file)) throw new SetupError(`GITOPS_E2E_VSIX=${file} does not exist`);
    log(`using VSIX ${file} (GITOPS_E2E_VSIX)`);
    return file;
  }
  if (!existsSync(path.join(ROOT, 'src', 'extension.ts'))) {
    throw new SetupError(
      'The extension is not there yet: src/extension.ts is missing, so there is no VSIX to test.\n' +
        'Build it first (npm run package), or point GITOPS_E2E_VSIX at a VSIX.',
    );
  }
  log('npm run package');
  await fs.rm(VSIX, { force: true });
  const { code, output } = await runToEnd('npm', ['run', 'package'], { cwd: ROOT, timeoutMs: 300_000 });
  if (code !== 0 || !existsSync(VSIX)) {
    const errors = output.split('\n').filter((l) => /\[ERROR\]|ERROR:|error TS\d+|npm error| ERROR /.test(l)).slice(0, 20);
    throw new SetupError(
      `npm run package failed (exit ${code}); no ${path.relative(ROOT, VSIX)}\n` +
        (errors.length ? `errors:\n${errors.join('\n')}\n--- output (tail) ---\n${tail(output, 25)}` : tail(output, 60)),
    );
  }
  log(`built ${path.relative(ROOT, VSIX)} (${Math.round((await fs.stat(VSIX)).size / 1024)} KB)`);
  return VSIX;
}

function runToEnd(cmd, args, { cwd, env = process.env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    childPids.add(child.pid);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[e2e] killed after ${timeoutMs} ms\n`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      childPids.delete(child.pid);
      resolve({ code, output });
    });
  });
}

function tail(text, lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Starts `node dist/cli.js sandbox` and waits for its `ready <url>` line. */
async function startSandbox(tmp) {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    throw new SetupError(`The sandbox cluster needs ${path.relative(ROOT, cli)} (run npm run build first). Set GITOPS_E2E_NO_SANDBOX=1 to run without a cluster.`);
  }
  const seedRepo = path.join(tmp, 'seed-source', 'demo-gitops');
  await createDemoWorkspace(seedRepo);
  const seedDir = path.join(tmp, 'seed');
  await seedManifestsForSandbox(seedRepo, seedDir);
  const kubeconfig = path.join(tmp, 'kubeconfig');
  log('starting the sandbox cluster');
  const child = spawn(process.execPath, [cli, 'sandbox', '--kubeconfig', kubeconfig, '--seed', seedDir, '--context', 'sandbox', '--operators'], {
    cwd: tmp,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  childPids.add(child.pid);
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    const late = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
    if (late) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    childPids.delete(child.pid);
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new SetupError(`the sandbox did not print "ready <url>" within 30 s\n${tail(output, 30)}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const m = /^ready (\S+)/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new SetupError(`the sandbox exited (${code ?? signal}) before it was ready\n${tail(output, 30)}`));
    });
  });
  log(`sandbox ready at ${url}; KUBECONFIG=${kubeconfig}`);
  return { url, kubeconfig, output: () => output };
}

/**
 * A kubeconfig for the sandbox that authenticates as its own identity (POST /__sandbox/identities):
 * a code-server started with it can be told apart from the others sharing the sandbox, so a
 * scenario can count its requests alone (fault rules with `identity`).
 */
async function identityKubeconfig(sandbox, name, file) {
  const text = readFileSync(sandbox.kubeconfig, 'utf8');
  const token = /\btoken:\s*"?([^"\s]+)/.exec(text)?.[1];
  const ca = /certificate-authority-data:\s*"?([^"\s]+)/.exec(text)?.[1];
  if (!token || !ca) throw new SetupError(`no token or CA in ${sandbox.kubeconfig}`);
  const base = new URL(sandbox.url);
  const made = await new Promise((resolve, reject) => {
    const request = https.request(
      { host: base.hostname, port: base.port, path: '/__sandbox/identities', method: 'POST', ca: Buffer.from(ca, 'base64'), headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
      (response) => {
        let data = '';
        response.on('data', (chunk) => (data += chunk));
        response.on('end', () => (response.statusCode && response.statusCode < 300 ? resolve(JSON.parse(data)) : reject(new SetupError(`the sandbox refused identity ${name}: ${response.statusCode} ${data}`))));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ name }));
  });
  await fs.writeFile(file, text.replace(token, made.token));
  return file;
}

/** Origin URL of the `demo-hosted` workspace: owner `acme`, repository `demo-gitops`. */
const HOSTED_REMOTE_URL = 'https://github.test/acme/demo-gitops.git';

/** Workspace kinds a scenario can ask for (`export const workspace = '...'`). */
const WORKSPACES = {
  async demo(dir) {
    const { repoDir, originDir } = await createDemoWorkspace(path.join(dir, 'demo-gitops'));
    return { kind: 'demo', dir: repoDir, originDir };
  },
  async 'no-git'(dir) {
    const { repoDir } = await createDemoWorkspace(path.join(dir, 'plain-folder'), { withGit: false });
    return { kind: 'no-git', dir: repoDir, originDir: null };
  },
  async folders(dir) {
    const { repoDir } = await createFolderDemo(path.join(dir, 'demo-folders'));
    return { kind: 'folders', dir: repoDir, originDir: null };
  },
  // The demo whose origin looks hosted (owner and repository come from the URL, as on GitHub)
  // while `insteadOf` sends every fetch and push to the local bare repository.
  async 'demo-hosted'(dir) {
    const { repoDir, originDir } = await createDemoWorkspace(path.join(dir, 'demo-gitops'));
    execFileSync('git', ['remote', 'set-url', 'origin', HOSTED_REMOTE_URL], { cwd: repoDir });
    execFileSync('git', ['config', `url.${originDir}.insteadOf`, HOSTED_REMOTE_URL], { cwd: repoDir });
    return { kind: 'demo-hosted', dir: repoDir, originDir, remoteUrl: HOSTED_REMOTE_URL };
  },
};

/**
 * The GitHub REST test server of the integration tests (checked against @octokit/openapi), for a
 * scenario that exports `githubHost = { owner, repo, token }`. TypeScript, loaded through tsx.
 */
async function startGitHubHost({ owner, repo, token }) {
  const { tsImport } = await import('tsx/esm/api');
  const { GitHubTestServer } = await tsImport('../integration/helpers/hostServers/githubServer.ts', import.meta.url);
  const server = await GitHubTestServer.start({ owner, repo, token });
  onCleanup(() => server.close());
  log(`GitHub test server for ${owner}/${repo} at ${server.url}`);
  return server;
}

/**
 * Compares a scenario's final screenshot with the previous run's (or the baseline) and writes the
 * diff picture beside it. GITOPS_E2E_UPDATE_BASELINES=1 makes a passing scenario's screenshot the
 * committed baseline.
 */
async function compareWithEarlier(browser, name, shot, passed) {
  const reference = referenceFor(name, PREVIOUS_DIR, BASELINE_DIR);
  let comparison = null;
  if (reference) {
    try {
      const result = await compareScreenshots(browser, shot, reference.file);
      await fs.writeFile(path.join(RESULTS_DIR, `${name}.diff.png`), result.diff);
      comparison = { ...result, kind: reference.kind };
    } catch (error) {
      comparison = { error: error.message };
    }
  }
  if (passed && process.env.GITOPS_E2E_UPDATE_BASELINES === '1') await writeBaseline(browser, shot, path.join(BASELINE_DIR, `${name}.png`));
  return comparison;
}

async function loadScenarios(only) {
  const files = (await fs.readdir(SCENARIOS_DIR)).filter((f) => f.endsWith('.mjs')).sort();
  const scenarios = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(SCENARIOS_DIR, file)).href);
    if (typeof mod.name !== 'string' || typeof mod.run !== 'function') throw new SetupError(`${file}: a scenario exports name and run()`);
    const workspace = mod.workspace ?? 'demo';
    if (!WORKSPACES[workspace]) throw new SetupError(`${file}: unknown workspace "${workspace}" (${Object.keys(WORKSPACES).join(', ')})`);
    scenarios.push({ file, name: mod.name, run: mod.run, workspace, settings: mod.settings, githubHost: mod.githubHost, timeoutMs: mod.timeoutMs ?? SCENARIO_TIMEOUT_MS });
  }
  if (!only.length) return scenarios;
  const unknown = only.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) throw new SetupError(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  return scenarios.filter((s) => only.includes(s.name));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const scenarios = await loadScenarios(only);
  await keepPreviousScreenshots(RESULTS_DIR, PREVIOUS_DIR, scenarios.map((s) => s.name));
  log(`${scenarios.length} scenario(s): ${scenarios.map((s) => s.name).join(', ')}`);

  // Installs first (they can take minutes on a clean machine; the run timeout starts after).
  await ensureChromium({ log });
  await ensureCodeServer({ log });
  const vsix = await buildVsix();

  const runDeadline = setTimeout(() => {
    aborted = true;
    console.error(`[e2e] the run took longer than ${RUN_TIMEOUT_MS} ms: stopping`);
    process.exitCode = 1;
    cleanup().finally(() => process.exit(1));
    setTimeout(() => process.exit(1), 15_000).unref();
  }, RUN_TIMEOUT_MS);
  runDeadline.unref();

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-e2e-'));
  if (process.env.GITOPS_E2E_KEEP) log(`temp dir ${tmp} (kept)`);
  else onCleanup(() => fs.rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

  const sandbox = process.env.GITOPS_E2E_NO_SANDBOX ? null : await startSandbox(tmp);
  const serverEnv = sandbox ? { KUBECONFIG: sandbox.kubeconfig } : {};

  // One code-server for every scenario with default settings; a scenario with its own
  // settings gets its own user-data dir and server. The VSIX is installed once.
  const extensionsDir = path.join(tmp, 'code-server', 'extensions');
  const servers = new Map();
  const serverFor = async (scenario) => {
    const key = scenario.settings ? scenario.name : 'default';
    if (!servers.has(key)) {
      const first = servers.size === 0;
      const server = await startCodeServer({
        extensionsDir,
        userDataDir: path.join(tmp, 'code-server', `user-data-${key}`),
        vsix: first ? vsix : undefined,
        settings: {
          'chat.disableAIFeatures': true,
          'workbench.secondarySideBar.defaultVisibility': 'hidden',
          'workbench.welcomePage.walkthroughs.openOnInstall': false,
          'git.autofetch': false,
          ...(scenario.settings ?? {}),
        },
        // A server of its own also gets an identity of its own at the sandbox.
        env: sandbox && scenario.settings ? { KUBECONFIG: await identityKubeconfig(sandbox, key, path.join(tmp, `kubeconfig-${key}`)) } : serverEnv,
        log,
      });
      servers.set(key, server);
      childPids.add(server.pid);
      onCleanup(async () => {
        await server.stop();
        childPids.delete(server.pid);
      });
    }
    return servers.get(key);
  };

  log('launching Chromium');
  const browser = await launchBrowser({ headless: !process.env.GITOPS_E2E_HEADED });
  onCleanup(() => browser.close());

  const results = [];
  for (const scenario of scenarios) {
    if (aborted) break;
    const t0 = Date.now();
    const shot = path.join(RESULTS_DIR, `${scenario.name}.png`);
    const consoleLog = [];
    // What a scenario could not check here (a missing tool): listed in the summary; under CI a failure.
    const skips = [];
    const skip = (what) => {
      if (process.env.CI === 'true') throw new Error(`not checked under CI: ${what}`);
      skips.push(what);
      log(`  SKIP ${what}`);
    };
    let context;
    let page;
    let error = null;
    log(`▶ ${scenario.name}`);
    try {
      const github = scenario.githubHost ? await startGitHubHost(scenario.githubHost) : null;
      const server = await serverFor(scenario);
      const workspace = {
        ...(await WORKSPACES[scenario.workspace](path.join(tmp, 'workspaces', scenario.name))),
        kubeconfig: sandbox?.kubeconfig ?? null,
        sandboxUrl: sandbox?.url ?? null,
        // The identity this scenario's code-server uses at the sandbox ('admin': the shared server's).
        sandboxIdentity: sandbox ? (scenario.settings ? scenario.name : 'admin') : null,
      };
      context = await browser.newContext({ viewport: VIEWPORT });
      page = await context.newPage();
      page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
      const screenshot = async (suffix) => {
        const file = path.join(RESULTS_DIR, suffix ? `${scenario.name}-${suffix}.png` : `${scenario.name}.png`);
        await page.screenshot({ path: file });
        return file;
      };
      await withTimeout(
        (async () => {
          await page.goto(server.folderUrl(workspace.dir), { waitUntil: 'domcontentloaded' });
          await dom.waitForWorkbench(page);
          await dom.setSideBarWidth(page, SIDE_BAR_WIDTH);
          // userDataDir: where VS Code keeps workspace storage (the offline scenario reads the extension's snapshots there).
          const userDataDir = path.join(tmp, 'code-server', `user-data-${scenario.settings ? scenario.name : 'default'}`);
          await scenario.run({ page, workspace, screenshot, assert, dom, github, userDataDir, skip, log: (l) => log(`  ${l}`) });
        })(),
        scenario.timeoutMs,
        `scenario ${scenario.name}`,
      );
    } catch (err) {
      error = err;
    }
    if (page) {
      if (!error) {
        // No hover tooltip (the mouse rests on what was clicked last) and no running progress bar.
        await dom.dismissHovers(page);
        await dom.waitForSideBarIdle(page);
      }
      await page.screenshot({ path: shot }).catch((err) => log(`  (no screenshot: ${err.message})`));
    }
    const comparison = existsSync(shot) ? await compareWithEarlier(browser, scenario.name, shot, !error) : null;
    if (error) {
      const server = servers.get(scenario.settings ? scenario.name : 'default');
      const details = [
        `scenario ${scenario.name} failed: ${error.stack ?? error.message}`,
        '',
        '--- browser console (last 80) ---',
        ...consoleLog.slice(-80),
        '',
        '--- code-server output (tail) ---',
        server ? tail(server.output(), 80) : '(not started)',
      ];
      if (sandbox) details.push('', '--- sandbox output (tail) ---', tail(sandbox.output(), 40));
      await fs.writeFile(path.join(RESULTS_DIR, `${scenario.name}.log`), details.join('\n') + '\n');
    } else {
      await fs.rm(path.join(RESULTS_DIR, `${scenario.name}.log`), { force: true });
    }
    await context?.close().catch(() => {});
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    results.push({ name: scenario.name, ok: !error, seconds, error, comparison, skips });
    log(`${error ? '✗' : '✓'} ${scenario.name} (${seconds}s)${error ? `\n    ${error.message.split('\n').join('\n    ')}` : ''}`);
  }

  clearTimeout(runDeadline);
  const failed = results.filter((r) => !r.ok);
  console.log('\nE2E summary');
  for (const r of results) console.log(`  ${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(28)} ${r.seconds.padStart(6)}s${r.ok ? '' : `  ${r.error.message.split('\n')[0]}`}`);
  console.log(`  ${results.length - failed.length} passed, ${failed.length} failed in ${since()}; screenshots in ${path.relative(ROOT, RESULTS_DIR)}/`);
  if (failed.length) console.log(`  details: ${failed.map((r) => path.relative(ROOT, path.join(RESULTS_DIR, `${r.name}.log`))).join(', ')}`);
  console.log('\nScreenshots against the earlier run (reported, never failing)');
  for (const r of results) console.log(`  ${r.name.padEnd(28)} ${describeComparison(r.comparison)}`);
  const skipped = results.flatMap((r) => r.skips.map((what) => `${r.name}: ${what}`));
  if (skipped.length) console.log(`\nNot checked on this machine (${skipped.length}):\n${skipped.map((line) => `  SKIP ${line}`).join('\n')}`);
  return failed.length ? 1 : 0;
}

main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`\n[e2e] ${err instanceof SetupError ? 'setup failed' : 'error'}: ${err instanceof SetupError ? err.message : (err.stack ?? err.message)}`);
      process.exitCode = 1;
    },
  )
  .finally(async () => {
    await cleanup();
    // Playwright and stray handles must not keep the process alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  });
