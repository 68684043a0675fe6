// Offline: dev's `web` runs 4 replicas while Git says 2; the hint shows, and the extension writes
// its last-known snapshot to workspace storage. Then the cluster goes away (the sandbox resets every
// API connection) and VS Code reloads: the tree's cluster row says "unreachable", and the hint and
// CodeLens still show on the drifted line from the snapshot, greyed "as of <time>". The cluster comes
// back, Retry on the cluster row: live results replace the snapshot, the "as of" marks go away.
// The sandbox is left as it was found (faults cleared, replicas restored).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as https from 'node:https';
import * as path from 'node:path';
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { afterLineHints, clickRow, codeLenses, expandPath, findRow, formatRows, openViewContainer, treeRows, viewPane, waitFor, waitForActiveEditor, waitForRow, waitForWorkbench } from '../vscodeDom.mjs';

export const name = 'offline';
export const timeoutMs = 240_000;

const RESOURCES = /^Resources( \(\d+\))?$/;
const CLUSTER_ROW = /^Cluster sandbox$/;
const WEB = ['dev', RESOURCES, 'Deployment (2)', 'web'];
const AS_OF = /as of \d\d:\d\d/;

function kubectl(workspace, ...args) {
  return execFileSync('kubectl', ['--kubeconfig', workspace.kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** The sandbox's control API (/__sandbox/…), over HTTPS with the CA and token its kubeconfig carries. */
async function sandboxControl(workspace, method, pathname, body) {
  const YAML = await import('yaml');
  const config = YAML.parse(await fs.readFile(workspace.kubeconfig, 'utf8'));
  const caData = config.clusters?.find((c) => c.name === 'sandbox')?.cluster?.['certificate-authority-data'] ?? config.clusters?.[0]?.cluster?.['certificate-authority-data'];
  const token = config.users?.[0]?.user?.token;
  const url = new URL(pathname, workspace.sandboxUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method,
        ca: caData ? Buffer.from(caData, 'base64') : undefined,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (response) => {
        let text = '';
        response.on('data', (d) => (text += d));
        response.on('end', () => (response.statusCode && response.statusCode < 300 ? resolve(text) : reject(new Error(`${method} ${pathname}: ${response.statusCode} ${text}`))));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}



async function replicasLineTop(page) {
  return page.$$eval('.part.editor .editor-group-container.active .view-line', (lines) => {
    const line = lines.find((l) => /^\s*replicas:\s*2\b/.test((l.textContent ?? '').replace(/\u00a0/g, ' ')));
    return line ? parseFloat(line.style.top || '0') : null;
  });
}

/** The hint on the replicas line, once `accept(text)` holds. */
async function waitForReplicasHint(page, accept, message) {
  return waitFor(
    async () => {
      const top = await replicasLineTop(page);
      const hint = (await afterLineHints(page)).find((h) => h.top === top);
      return hint && accept(hint.text) ? hint.text : null;
    },
    { timeout: 60_000, message },
  );
}

/** dev's snapshot file in the extension's workspace storage, once it holds drift with live 4. */
async function waitForSnapshot(userDataDir) {
  const root = path.join(userDataDir, 'User', 'workspaceStorage');
  return waitFor(
    async () => {
      const files = await fs.readdir(root, { recursive: true }).catch(() => []);
      for (const file of files) {
        if (!/snapshots[\\/][^\\/]+[\\/]dev-[0-9a-f]{10}\.json$/.test(file)) continue;
        const text = await fs.readFile(path.join(root, file), 'utf8').catch(() => '');
        if (/"drift":\{/.test(text) && /"pointer":"\/spec\/replicas"[^}]*"live":4/.test(text)) return path.join(root, file);
      }
      return null;
    },
    { timeout: 30_000, message: "dev's drift snapshot with live replicas 4 in workspace storage" },
  );
}

/** Waits until dev's row matches `matcher` and the tree has not changed for a second (rows arrive in repaints: a click must not land mid-repaint). */
async function waitForSettledTree(page, matcher, message) {
  let last = '';
  let since = Date.now();
  let rows = [];
  await waitFor(
    async () => {
      rows = await treeRows(page, VIEW);
      const text = formatRows(rows);
      if (text !== last) {
        last = text;
        since = Date.now();
      }
      return matcher.test(findRow(rows, ['dev'])?.description ?? '') && Date.now() - since > 1000;
    },
    { timeout: 60_000, message },
  ).catch((error) => {
    throw new Error(`${error.message}${formatRows(rows)}`);
  });
}

async function clusterRowDescription(page, matcher, message) {
  let rows = [];
  return waitFor(
    async () => {
      rows = await treeRows(page, VIEW);
      const row = findRow(rows, ['dev', CLUSTER_ROW]);
      return row && matcher.test(row.description ?? '') ? row.description : null;
    },
    { timeout: 60_000, message },
  ).catch((error) => {
    throw new Error(`${error.message}${formatRows(rows)}`);
  });
}

export async function run({ page, workspace, userDataDir, assert, screenshot, log }) {
  assert.ok(workspace.kubeconfig && workspace.sandboxUrl && userDataDir, 'the scenario needs the sandbox and the user data folder');
  const before = kubectl(workspace, '-n', 'demo-dev', 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}').trim();
  kubectl(workspace, '-n', 'demo-dev', 'scale', 'deployment/web', '--replicas=4');
  try {
    // Online: the hint, and the snapshot written behind it.
    await openViewContainer(page, CONTAINER_TITLE);
    await waitForRow(page, VIEW, ['dev']);
    await waitForSettledTree(page, /1 drifted$/, 'dev to show "1 drifted", the tree settled');
    await expandPath(page, VIEW, WEB.slice(0, 3));
    await clickRow(page, VIEW, WEB);
    await waitForActiveEditor(page, 'web.yaml');
    const live = await waitForReplicasHint(page, (t) => t.includes('live: 4') && !AS_OF.test(t), 'the live hint "⟵ live: 4"');
    log(`online hint: ${live}`);
    const file = await waitForSnapshot(userDataDir);
    log(`snapshot: ${path.relative(userDataDir, file)}`);

    // The cluster goes away (every API connection reset), and VS Code reloads.
    await sandboxControl(workspace, 'POST', '/__sandbox/faults', { reset: true });
    await sandboxControl(workspace, 'POST', '/__sandbox/watches/drop', { mode: 'reset' });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page);
    // The reload restores the open side bar; clicking its Activity Bar item meanwhile would close it.
    const restored = await waitFor(() => viewPane(page, VIEW).first().isVisible().catch(() => false), { timeout: 15_000, message: 'the restored view' }).catch(() => false);
    if (!restored) await openViewContainer(page, CONTAINER_TITLE);
    await waitForRow(page, VIEW, ['dev']);
    await waitForSettledTree(page, /1 drifted \(as of \d\d:\d\d\)/, 'dev to show "1 drifted (as of …)" from the snapshot, the tree settled');
    await expandPath(page, VIEW, ['dev']);
    const unreachable = await clusterRowDescription(page, /unreachable/, 'the cluster row to say "unreachable"');
    log(`cluster row: ${unreachable}`);
    log(`dev row: ${findRow(await treeRows(page, VIEW), ['dev'])?.description}`);
    await waitForSettledTree(page, /as of/, 'the tree settled');
    await expandPath(page, VIEW, WEB.slice(0, 3));
    await clickRow(page, VIEW, WEB);
    await waitForActiveEditor(page, 'web.yaml');
    const stale = await waitForReplicasHint(page, (t) => t.includes('live: 4') && AS_OF.test(t), 'the hint "⟵ live: 4 (as of …)" on the replicas line');
    log(`offline hint: ${stale}`);
    const lenses = await waitFor(async () => {
      const all = await codeLenses(page);
      return all.some((t) => t.includes('drifted · 1 field') && AS_OF.test(t)) ? all : null;
    }, { timeout: 15_000, message: 'the CodeLens "● drifted · 1 field · as of …"' });
    log(`CodeLens: ${lenses.join(' | ')}`);
    await screenshot('unreachable');

    // Back: Retry on the cluster row; live results replace the snapshot.
    await sandboxControl(workspace, 'DELETE', '/__sandbox/faults');
    const row = findRow(await treeRows(page, VIEW), ['dev', CLUSTER_ROW]);
    assert.ok(row, 'the cluster row');
    const rowLocator = viewPane(page, VIEW).first().locator(`.monaco-list-row[data-index="${row.index}"]`);
    await rowLocator.hover();
    await rowLocator.locator('.action-label[aria-label="Retry Cluster Connection"]').click();
    await clusterRowDescription(page, /connected/, 'the cluster row to say "connected" after Retry');
    const again = await waitForReplicasHint(page, (t) => t.includes('live: 4') && !AS_OF.test(t), 'the live hint without "as of" after Retry');
    log(`live again: ${again}`);
  } finally {
    await sandboxControl(workspace, 'DELETE', '/__sandbox/faults').catch(() => undefined);
    kubectl(workspace, '-n', 'demo-dev', 'scale', 'deployment/web', `--replicas=${before || '3'}`);
  }
}
