// Restricted Mode (an untrusted workspace) end to end, in code-server with workspace trust on:
//   - Git features work: the Environments view lists dev → staging → prod with their pending commits.
//   - No rendering executable starts: dev's manifests become a kustomization, its Resources say
//     rendering is off, and no kubectl/kustomize/helm process appears under code-server while the
//     scenario runs (a /proc watcher, checked first on a kubectl of our own, and shown to see
//     code-server's own git processes).
//   - No cluster write is possible: the sync commands, bound to keys so the command palette's
//     hiding cannot be what stops them, answer with the Restricted Mode message; "Sync Environment"
//     is not in the palette; and the sandbox counts every write request (a write that is not a
//     dry-run would also be refused with 403) — none arrives.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as https from 'node:https';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { DEMO_PENDING } from '../../../scripts/demoWorkspace.mjs';
import { CONTAINER_TITLE, VIEW, pendingRow } from '../contract.mjs';
import { expandRow, formatRows, notifications, openViewContainer, runCommand, treeRows, waitFor, waitForNotification, waitForRow } from '../vscodeDom.mjs';

export const name = 'restricted-mode';
export const timeoutMs = 150_000;
export const settings = {
  'security.workspace.trust.enabled': true,
  // The folder opens untrusted without asking; a dialog, if one still comes, is answered "No".
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

const TOOLS = new Set(['kubectl', 'kustomize', 'helm']);
const SYNC_KEYS = { resource: 'ctrl+alt+shift+u', environment: 'ctrl+alt+shift+j' };
const RESTRICTED_SYNC = 'Sync is off in Restricted Mode';
const RESTRICTED_RENDER = /Rendering is off in Restricted Mode/;
const RESOURCES = /^Resources( \(\d+\))?$/;

// ---------------------------------------------------------------------------------------------
// Processes: a watcher over /proc that remembers every process it saw, its parent and what it ran.

function readProcess(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      // Gone, or not ours to read.
    }
    return { ppid, argv, exe };
  } catch {
    return null;
  }
}

class ProcessWatch {
  /** pid → { ppid, names: Set<string>, argv: string[], firstSeen } */
  seen = new Map();
  #timer = null;
  #stopped = false;
  #first = true;

  start(intervalMs = 8) {
    const tick = () => {
      if (this.#stopped) return;
      this.scan();
      this.#timer = setTimeout(tick, intervalMs);
    };
    tick();
    return this;
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  scan() {
    const now = Date.now();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const known = this.seen.get(pid);
      // A forked child shows its parent's command line until it execs: young processes are read again.
      if (known && now - known.firstSeen > 3000) continue;
      const info = readProcess(pid);
      if (!info) continue;
      // What already ran before the watch started is not re-read.
      const record = known ?? { ppid: info.ppid, names: new Set(), argv: info.argv, firstSeen: this.#first ? 0 : now };
      for (const name of [info.argv[0], info.exe]) if (name) record.names.add(path.basename(name));
      if (info.argv.length) record.argv = info.argv;
      this.seen.set(pid, record);
    }
    this.#first = false;
  }

  isDescendant(pid, root) {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops++) {
      if (current === root) return true;
      current = this.seen.get(current)?.ppid ?? readProcess(current)?.ppid ?? 0;
    }
    return false;
  }

  /** Processes under `root` that ran one of `names`. */
  ran(root, names) {
    return [...this.seen].filter(([pid, r]) => pid !== root && this.isDescendant(pid, root) && [...r.names].some((n) => names.has(n))).map(([pid, r]) => `${pid}: ${r.argv.join(' ')}`);
  }
}

/** The code-server serving this scenario: the topmost process started with our user-data dir. */
function codeServerPid(userDataDir) {
  const matching = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (!info) continue;
    const i = info.argv.indexOf('--user-data-dir');
    if (i >= 0 && info.argv[i + 1] === userDataDir && info.argv.includes('--bind-addr')) matching.push({ pid: Number(entry), ppid: info.ppid });
  }
  const top = matching.find((m) => !matching.some((other) => other.pid === m.ppid));
  return top?.pid ?? null;
}

// ---------------------------------------------------------------------------------------------
// The sandbox's control API (/__sandbox/faults), authenticated with the kubeconfig's token.

function sandboxClient(kubeconfigPath, url) {
  const text = readFileSync(kubeconfigPath, 'utf8');
  const token = /\btoken:\s*"?([^"\s]+)/.exec(text)?.[1];
  const ca = /certificate-authority-data:\s*"?([^"\s]+)/.exec(text)?.[1];
  if (!token || !ca) throw new Error(`no token or CA in ${kubeconfigPath}`);
  const base = new URL(url);
  return (method, pathname, body) =>
    new Promise((resolve, reject) => {
      const request = https.request(
        { host: base.hostname, port: base.port, path: pathname, method, ca: Buffer.from(ca, 'base64'), headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
        (response) => {
          let data = '';
          response.on('data', (chunk) => (data += chunk));
          response.on('end', () => (response.statusCode && response.statusCode < 300 ? resolve(JSON.parse(data || '{}')) : reject(new Error(`${method} ${pathname}: ${response.statusCode} ${data}`))));
        },
      );
      request.on('error', reject);
      request.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];
const COUNT = 1_000_000;

// ---------------------------------------------------------------------------------------------

async function ensureUntrusted(page, log) {
  // If the trust dialog comes anyway, answer it the way a careful user would.
  const no = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust|Don.t Trust/ });
  if (await no.first().isVisible().catch(() => false)) {
    log('trust dialog: choosing "No, I don\'t trust the authors"');
    await no.first().click();
  }
  await waitFor(
    async () =>
      page.$$eval('.part.statusbar .statusbar-item, .monaco-workbench .banner', (els) => els.some((el) => /Restricted Mode/.test(el.textContent ?? ''))),
    { timeout: 20_000, message: 'the Restricted Mode indicator (status bar or banner)' },
  );
}

async function pressUntil(page, key, text, log) {
  // The key binding is read from keybindings.json shortly after it is written: press until the answer comes.
  return waitFor(
    async () => {
      // Focus the (empty) editor area: a click there opens nothing.
      const box = await page.locator('.part.editor').boundingBox();
      if (box) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press(key.split('+').map((k) => ({ ctrl: 'Control', alt: 'Alt', shift: 'Shift' })[k] ?? k.toUpperCase()).join('+'));
      const found = await waitForNotification(page, text, { timeout: 2500 }).catch(() => null);
      if (found) log(`${key}: "${found.message}"`);
      else log(`${key}: no answer yet (${JSON.stringify((await notifications(page)).map((n) => n.message))})`);
      return found;
    },
    { timeout: 30_000, interval: 200, message: `"${text}" after ${key}` },
  );
}

export async function run({ page, workspace, assert, screenshot, dom, skip, log }) {
  assert.ok(workspace.kubeconfig && workspace.sandboxUrl, 'this scenario needs the sandbox cluster');
  const tmp = path.resolve(workspace.dir, '..', '..', '..');
  const userDataDir = path.join(tmp, 'code-server', `user-data-${name}`);
  assert.ok(existsSync(userDataDir), `code-server's user-data dir at ${userDataDir}`);
  const root = codeServerPid(userDataDir);
  assert.ok(root, 'the code-server process of this scenario');

  // Watch processes from now on; first prove the watcher catches a kubectl as short as a render.
  const watch = new ProcessWatch().start();
  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
  if (kubectl) {
    await new Promise((resolve) => spawn(kubectl, ['version', '--client', '-o', 'json'], { stdio: 'ignore' }).on('close', resolve));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(watch.ran(process.pid, TOOLS).length > 0, 'the /proc watcher saw a kubectl of our own (it is fast enough)');
  } else {
    skip('the /proc watcher is not calibrated: no kubectl on this machine');
  }

  // Count every write that reaches the sandbox; refuse (403) any that is not a dry-run.
  const sandbox = sandboxClient(workspace.kubeconfig, workspace.sandboxUrl);
  // This scenario's code-server has its own identity at the sandbox: the rules count its requests
  // alone, whatever the other code-servers sharing the sandbox do meanwhile.
  const identity = workspace.sandboxIdentity;
  assert.ok(identity && identity !== 'admin', `this scenario's code-server has its own sandbox identity (got ${identity})`);
  const rules = [];
  for (const method of WRITES) {
    rules.push({ kind: 'write', method, ...(await sandbox('POST', '/__sandbox/faults', { method, identity, path: '^(?!.*[?&]dryRun=)', status: 403, message: 'e2e restricted-mode: a cluster write from Restricted Mode', times: COUNT })) });
    rules.push({ kind: 'dry-run', method, ...(await sandbox('POST', '/__sandbox/faults', { method, identity, path: '[?&]dryRun=', times: COUNT })) });
  }
  // The control: reads by this identity are counted too, to show the code-server does use it.
  rules.push({ kind: 'read', method: 'GET', ...(await sandbox('POST', '/__sandbox/faults', { method: 'GET', identity, times: COUNT })) });
  const ruleIds = rules.map((r) => r.id);

  let failure = null;
  try {
    await ensureUntrusted(page, log);

    // Git works: environments in order with the commits waiting to be promoted.
    await openViewContainer(page, CONTAINER_TITLE);
    await waitForRow(page, VIEW, ['prod']);
    const top = (await treeRows(page, VIEW)).filter((r) => r.level === 1).map((r) => r.label);
    assert.deepEqual(top.filter((l) => ['dev', 'staging', 'prod'].includes(l)), ['dev', 'staging', 'prod'], `environments in order${formatRows(await treeRows(page, VIEW))}`);
    await expandRow(page, VIEW, ['prod']);
    const prodCommits = await expandRow(page, VIEW, ['prod', pendingRow('staging', DEMO_PENDING.prod.length)]);
    assert.deepEqual(prodCommits.map((r) => r.label).sort(), [...DEMO_PENDING.prod].sort());
    await expandRow(page, VIEW, ['staging']);
    const stagingCommits = await expandRow(page, VIEW, ['staging', pendingRow('dev', DEMO_PENDING.staging.length)]);
    assert.deepEqual(stagingCommits.map((r) => r.label).sort(), [...DEMO_PENDING.staging].sort());

    // dev (checked out) becomes a kustomization: in a trusted window this runs kustomize or kubectl.
    const deployDir = path.join(workspace.dir, 'deploy');
    const resources = readdirSync(deployDir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    await fs.writeFile(path.join(deployDir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`);
    // The file watcher refreshes the tree (and may collapse dev) shortly after: expand until it stays.
    await waitFor(
      async () => {
        const children = await expandRow(page, VIEW, ['dev'], { timeout: 3000 }).catch(() => []);
        return children.some((r) => RESOURCES.test(r.label));
      },
      { timeout: 30_000, message: 'dev › Resources' },
    ).catch(async (error) => {
      throw new Error(`${error.message}${formatRows(await treeRows(page, VIEW))}`);
    });
    const rendered = await waitFor(
      async () => {
        const rows = await expandRow(page, VIEW, ['dev', RESOURCES], { allowEmpty: true, timeout: 5000 }).catch(() => []);
        return rows.find((r) => RESTRICTED_RENDER.test(r.label)) ? rows : null;
      },
      { timeout: 30_000, message: 'dev › Resources to say rendering is off in Restricted Mode' },
    ).catch(async (error) => {
      throw new Error(`${error.message}${formatRows(await treeRows(page, VIEW))}`);
    });
    log(`dev › Resources: ${rendered.map((r) => r.label).join(' | ')}`);
    await screenshot('tree');

    // Sync Environment is not offered in the palette…
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>GitOps: Sync Environment to Cluster');
    await new Promise((r) => setTimeout(r, 1500));
    const offered = await page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
    assert.ok(!offered.some((l) => /Sync Environment to Cluster/.test(l)), `the palette offers ${JSON.stringify(offered)}`);
    await page.keyboard.press('Escape');

    // …and key bindings that reach both sync commands anyway get the Restricted Mode answer. The
    // window is reloaded to read them (and comes back in Restricted Mode).
    const folderUri = pathToFileURL(workspace.dir).href;
    await fs.writeFile(
      path.join(userDataDir, 'User', 'keybindings.json'),
      JSON.stringify([
        { key: SYNC_KEYS.resource, command: 'gitops.syncResource', args: `${folderUri}#dev` },
        { key: SYNC_KEYS.environment, command: 'gitops.syncEnvironment' },
      ]),
    );
    await page.reload({ waitUntil: 'domcontentloaded' });
    await dom.waitForWorkbench(page);
    await ensureUntrusted(page, log);
    await openViewContainer(page, CONTAINER_TITLE);
    await waitForRow(page, VIEW, ['prod']);
    await pressUntil(page, SYNC_KEYS.environment, RESTRICTED_SYNC, log);
    // The same words must come again, from the other command: clear the first answer away.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await waitFor(async () => !(await notifications(page)).some((n) => n.message.includes(RESTRICTED_SYNC)), { timeout: 10_000, message: 'the notifications to clear' });
    await pressUntil(page, SYNC_KEYS.resource, RESTRICTED_SYNC, log);
    await screenshot('sync-refused');
  } catch (error) {
    failure = error;
  }
  watch.stop();
  const after = await sandbox('GET', '/__sandbox/faults');
  await Promise.all(ruleIds.map((id) => sandbox('DELETE', `/__sandbox/faults/${encodeURIComponent(id)}`).catch(() => {})));
  if (failure) throw failure;

  const used = (kind) =>
    rules
      .filter((r) => r.kind === kind)
      .map((r) => ({ method: r.method, count: COUNT - (after.items.find((i) => i.id === r.id)?.remaining ?? 0) }))
      .filter((r) => r.count > 0);
  const writes = used('write');
  const dryRuns = used('dry-run');
  log(`sandbox writes during the scenario: ${JSON.stringify(writes)}; dry-runs: ${JSON.stringify(dryRuns)}`);
  assert.deepEqual(writes, [], 'no write request reached the cluster');
  assert.deepEqual(dryRuns, [], 'not even a dry-run reached the cluster');
  const reads = used('read');
  assert.ok(reads.length > 0, 'the control: this code-server read the cluster under its own identity (so the zero counts above are its own)');

  const tools = watch.ran(root, TOOLS);
  const gits = watch.ran(root, new Set(['git']));
  log(`processes under code-server: ${gits.length} git, ${tools.length} kubectl/kustomize/helm`);
  assert.deepEqual(tools, [], 'no rendering executable started in Restricted Mode');
  assert.ok(gits.length > 0, 'the watcher saw code-server start git (it sees code-server’s children)');
}
