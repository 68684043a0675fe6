// `npm run demo`: the product on the embedded default. Builds the VSIX, creates the demo
// workspace (a branch-per-environment repository dev → staging → prod with commits waiting to be
// promoted, and a folder-per-environment repository), starts the sandbox cluster with the
// environments deployed and some live drift, then opens VS Code in the browser (code-server) on it
// and prints the URL. `--desktop` uses the `code` CLI instead when it is on the PATH.
// Runs until Ctrl-C; everything it started is stopped then.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, startCodeServer } from './codeServer.mjs';
import { createDemoWorkspace, createFolderDemo, seedManifestsForSandbox } from './demoWorkspace.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const desktop = process.argv.includes('--desktop');
const portArg = process.argv.find((a) => a.startsWith('--port='));
const port = portArg ? Number(portArg.slice('--port='.length)) : 8080;
const log = (line) => console.log(`[demo] ${line}`);
const stops = [];

async function stopAll() {
  for (const stop of stops.splice(0).reverse()) {
    try {
      await stop();
    } catch {
      // keep stopping the rest
    }
  }
}

function onCommandPath(name) {
  const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

async function startSandbox(dir, seedDir) {
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'sandbox', '--kubeconfig', kubeconfig, '--seed', seedDir, '--context', 'sandbox', '--operators'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stops.push(async () => {
    child.kill('SIGTERM');
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 30 s:\n${out}`)), 30_000);
    const onData = (chunk) => {
      out += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(out);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (out += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code}:\n${out}`));
    });
  });
  return { url, kubeconfig };
}

async function main() {
  const vsix = path.join(ROOT, 'gitops-environments.vsix');
  log('packaging the extension');
  const pack = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (pack.status !== 0 || !existsSync(vsix)) throw new Error('npm run package failed');

  const dir = path.join(os.tmpdir(), `gitops-env-demo-${process.pid}`);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  stops.push(() => fs.rm(dir, { recursive: true, force: true }));
  log(`creating the demo repositories in ${dir}`);
  const { repoDir } = await createDemoWorkspace(path.join(dir, 'demo-gitops'));
  const folderDir = path.join(dir, 'demo-folders');
  await createFolderDemo(folderDir);
  const seedDir = path.join(dir, 'seed');
  await seedManifestsForSandbox(repoDir, seedDir);

  log('starting the sandbox cluster (environments deployed, prod has live drift)');
  const sandbox = await startSandbox(dir, seedDir);
  log(`sandbox cluster at ${sandbox.url}; KUBECONFIG=${sandbox.kubeconfig}`);

  const workspaceFile = path.join(dir, 'demo.code-workspace');
  await fs.writeFile(workspaceFile, JSON.stringify({ folders: [{ path: repoDir }, { path: folderDir }], settings: { 'gitops.kubeconfig': sandbox.kubeconfig } }, null, 2));

  if (desktop && onCommandPath('code')) {
    log('opening desktop VS Code');
    spawnSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
    spawn('code', ['--new-window', workspaceFile], { stdio: 'inherit', env: { ...process.env, KUBECONFIG: sandbox.kubeconfig } });
  } else {
    if (desktop) log('`code` is not on the PATH: using VS Code in the browser instead');
    log('making sure code-server is installed (first run: about 2–4 minutes)');
    await ensureCodeServer({ log });
    const server = await startCodeServer({
      extensionsDir: path.join(dir, 'extensions'),
      userDataDir: path.join(dir, 'user-data'),
      port,
      vsix,
      settings: { 'gitops.kubeconfig': sandbox.kubeconfig },
      env: { KUBECONFIG: sandbox.kubeconfig },
      log,
    });
    stops.push(() => server.stop());
    const url = `${server.url.replace(/\/$/, '')}/?workspace=${encodeURIComponent(workspaceFile)}`;
    console.log('');
    console.log(`  GitOps Environments demo is running: ${url}`);
    console.log('  Open it in a browser, then the GitOps view in the Activity Bar. Ctrl-C stops everything.');
    console.log('');
  }
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGHUP', resolve);
  });
}

main()
  .catch((error) => {
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    log('stopping');
    await stopAll();
  });
