// Someone else's pull request, end to end: a colleague pushed a branch that scales prod's web
// Deployment and opened a pull request into prod on the (GitHub REST test) host. The extension did
// not open it, yet after a refresh it is listed under prod; right-click → Preview Impact opens the
// report of what it changes in prod — the Deployment and the field, before → after, as text on
// screen — and the user's checkout is left as it was.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { childrenOf, expandRow, formatRows, openViewContainer, pickQuickItem, runCommand, runContextMenuItem, treeRows, typeIntoInputBox, waitFor, waitForNotification, waitForRow, webviewFrame } from '../vscodeDom.mjs';
import { userState } from '../workspaceState.mjs';

export const name = 'preview-impact';
export const workspace = 'demo-hosted';
export const timeoutMs = 180_000;
export const githubHost = { owner: 'acme', repo: 'demo-gitops', token: 'e2e-test-token-5678' };

const TITLE = 'Scale web for the launch';
const BRANCH = 'colleague/scale-web';

const git = (cwd, args) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'A Colleague', GIT_AUTHOR_EMAIL: 'colleague@example.com', GIT_COMMITTER_NAME: 'A Colleague', GIT_COMMITTER_EMAIL: 'colleague@example.com' } }).trim();

/** The colleague's branch, made in a clone of their own and pushed to the shared remote. */
function pushColleagueBranch(originDir) {
  const clone = mkdtempSync(path.join(tmpdir(), 'gitops-e2e-colleague-'));
  try {
    git(clone, ['clone', '-q', '--branch', 'prod', originDir, '.']);
    git(clone, ['checkout', '-q', '-b', BRANCH]);
    const file = path.join(clone, 'deploy', 'web.yaml');
    const text = readFileSync(file, 'utf8');
    if (!/replicas: 2\n/.test(text)) throw new Error(`deploy/web.yaml on prod has no "replicas: 2":\n${text}`);
    writeFileSync(file, text.replace('replicas: 2\n', 'replicas: 6\n'));
    git(clone, ['commit', '-q', '-am', TITLE]);
    git(clone, ['push', '-q', 'origin', BRANCH]);
    return git(clone, ['rev-parse', 'HEAD']);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

export async function run({ page, workspace, github, assert, screenshot, log }) {
  assert.ok(github, 'the harness started the GitHub test server');
  const dir = workspace.dir;
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'gitops.hosts.kind': 'github', 'gitops.hosts.apiUrl': github.url }, null, 2));
  const before = userState(dir);

  const headSha = pushColleagueBranch(workspace.originDir);
  github.pulls.push({ number: 7, title: TITLE, body: 'More replicas before the launch on Monday.', head: BRANCH, base: 'prod', state: 'open', merged: false, draft: false, labels: [], reviewers: [], headSha });
  log(`colleague's pull request #7: ${BRANCH} (${headSha.slice(0, 7)}) → prod`);

  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['prod']);
  await runCommand(page, 'GitOps: Sign in to Pull Request Host');
  await pickQuickItem(page, /^GitHub$/);
  await typeIntoInputBox(page, 'github.test', /Host name/);
  await typeIntoInputBox(page, githubHost.token, /Token for github\.test/);
  await waitForNotification(page, 'Signed in to github.test');
  await waitFor(async () => !(await page.locator('.quick-input-widget').isVisible()), { message: 'the sign-in input box to close' });
  await runCommand(page, 'GitOps: Refresh Pull Requests');

  // Listed under prod, though no promotion of ours opened it.
  await expandRow(page, VIEW, ['prod']);
  let rows = [];
  await waitFor(
    async () => {
      rows = await treeRows(page, VIEW);
      if (rows.some((r) => r.label === TITLE)) return true;
      // A group of pull requests under prod, folded: open it.
      const prodRow = rows.find((r) => r.label === 'prod');
      const group = prodRow && childrenOf(rows, prodRow).find((r) => r.expanded === false && /pull request/i.test(r.label));
      if (group) await expandRow(page, VIEW, ['prod', group.label], { allowEmpty: true }).catch(() => undefined);
      return false;
    },
    { timeout: 60_000, interval: 500, message: `the pull request "${TITLE}" in the Environments view` },
  ).catch((error) => {
    throw new Error(`${error.message}\nrows:\n${formatRows(rows)}`);
  });
  const row = rows.find((r) => r.label === TITLE);
  // Its ancestors, nearest last: the path to right-click it by.
  const ancestors = [];
  for (let i = rows.indexOf(row) - 1, level = row.level; i >= 0 && level > 1; i--) {
    if (rows[i].level === level - 1) {
      ancestors.unshift(rows[i].label);
      level = rows[i].level;
    }
  }
  const labelPath = [...ancestors, TITLE];
  log(`row: ${labelPath.join(' › ')}${row.description ? ` — ${row.description}` : ''}`);
  assert.equal(labelPath[0], 'prod', `the pull request sits under prod:${formatRows(rows)}`);

  await runContextMenuItem(page, VIEW, labelPath, 'Preview Impact');
  const frame = await webviewFrame(page, '.row[data-key]', { timeout: 60_000, message: 'the impact report to list resources' });
  const heading = (await frame.$eval('h1', (e) => e.textContent ?? '')).trim();
  log(`heading: ${heading}`);
  assert.match(heading, /prod/, `the report is about prod: ${heading}`);
  const rowsText = await frame.$$eval('.row[data-key]', (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
  log(`report rows: ${JSON.stringify(rowsText)}`);
  const webRow = rowsText.find((t) => /Deployment/.test(t) && /\bweb\b/.test(t));
  assert.ok(webRow, `the web Deployment is in the report: ${JSON.stringify(rowsText)}`);
  assert.equal(rowsText.length, 1, `only what the pull request changes: ${JSON.stringify(rowsText)}`);
  // In the cluster: what applying the head would change live (prod was scaled to 5 by hand).
  const liveText = await frame.$eval('body', (e) => (e.textContent ?? '').replace(/\s+/g, ' '));
  assert.match(liveText, /In the cluster:\s*Deployment demo-prod\/web: spec\.replicas 5 → 6/, `the live impact: ${liveText.slice(0, 600)}`);
  // The changed field in Git, before → after: open the row.
  await frame.click('.row[data-key] button.toggle');
  await waitFor(async () => (await frame.$$eval('.row.expanded table.fields tr', (trs) => trs.length)) > 0, { timeout: 15_000, message: 'the row to open on its fields' });
  const fields = await frame.$$eval('.row.expanded table.fields tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td, th')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
  log(`fields: ${JSON.stringify(fields)}`);
  const replicas = fields.find((cells) => cells.some((c) => c === 'spec.replicas'));
  assert.ok(replicas, `a spec.replicas row: ${JSON.stringify(fields)}`);
  assert.ok(replicas.includes('2') && replicas.includes('6'), `2 → 6: ${JSON.stringify(replicas)}`);
  // Read before → after, as the diff editor shows base on the left.
  assert.ok(replicas.indexOf('2') < replicas.indexOf('6'), `before, then after: ${JSON.stringify(replicas)}`);
  const header = fields.find((cells) => cells.includes('Before') && cells.includes('After'));
  assert.ok(header && header.indexOf('Before') < header.indexOf('After'), `Before | After columns: ${JSON.stringify(fields)}`);
  await screenshot('impact');

  assert.deepEqual(github.violations, [], 'every request matched GitHub’s OpenAPI description');
  assert.deepEqual(userState(dir), before, 'HEAD, branch, index, working tree, stash and worktrees unchanged');
}
