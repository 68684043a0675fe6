// Rollback end to end, against the GitHub REST test server: sign in, expand staging's History in
// the Environments view, right-click an older commit → "Roll Back Environment to This Commit", the
// preview lists the files that change back and the `rollback` label, Open Pull Request → the host
// receives a pull request from `gitops/rollback-staging-to-<sha>` into `staging` labelled
// `rollback`, the pushed branch holds that commit's deploy/ tree, the user's checkout is byte for
// byte as it was; then the pull request's row under staging follows the host through the view's
// "Refresh Pull Requests": open with its checks, then merged.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTAINER_TITLE, VIEW, revParse } from '../contract.mjs';
import {
  childrenOf,
  clearAllNotifications,
  dismissHovers,
  expandPath,
  findRow,
  formatRows,
  notifications,
  openViewContainer,
  pickQuickItem,
  runCommand,
  runContextMenuItem,
  runViewTitleAction,
  treeRows,
  typeIntoInputBox,
  waitFor,
  waitForNotification,
  waitForRow,
  waitForTreeRows,
  webviewFrame,
} from '../vscodeDom.mjs';
import { userState } from '../workspaceState.mjs';

export const name = 'rollback';
export const workspace = 'demo-hosted';
export const timeoutMs = 120_000;
export const githubHost = { owner: 'acme', repo: 'demo-gitops', token: 'e2e-rollback-token-5678' };

/** staging's commits that touch deploy/, newest first (scripts/demoWorkspace.mjs). */
const STAGING_HISTORY = ['Add LOG_LEVEL to web-config', 'Bump web to 1.5.0', 'Add worker Deployment', 'Add web-config ConfigMap', 'Add web Deployment and Service'];
/** The commit rolled back to: before both staging-only commits, so both files change back. */
const TARGET_SUBJECT = 'Add worker Deployment';
const UNDONE = ['Add LOG_LEVEL to web-config', 'Bump web to 1.5.0'];

function bare(originDir, args) {
  return execFileSync('git', ['--git-dir', originDir, ...args], { encoding: 'utf8' }).trim();
}

/** The pull request's row under staging (it comes before History), with its description. */
async function waitForPullRequestRow(page, title, description, message) {
  let row = null;
  await waitFor(
    async () => {
      row = findRow(await treeRows(page, VIEW), ['staging', title]);
      return row && description.test(row.description);
    },
    { timeout: 30_000, message },
  ).catch(async (error) => {
    throw new Error(`${error.message}; row: ${JSON.stringify(row)}${formatRows(await treeRows(page, VIEW))}`);
  });
  return row;
}

export async function run({ page, workspace, github, assert, screenshot, log }) {
  assert.ok(github, 'the harness started the GitHub test server');
  const dir = workspace.dir;
  // As in 07-promote: the remote says github.test, the workspace settings point at the test server.
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'gitops.hosts.kind': 'github', 'gitops.hosts.apiUrl': github.url }, null, 2));
  writeFileSync(path.join(dir, 'README.md'), `${readFileSync(path.join(dir, 'README.md'), 'utf8')}\nhalf-written rollback notes\n`);
  writeFileSync(path.join(dir, 'notes.txt'), 'untracked notes\n');
  const before = userState(dir);

  const stagingHead = revParse(dir, 'origin/staging');
  const targetSha = revParse(dir, 'origin/staging~2');
  assert.equal(execFileSync('git', ['log', '-1', '--format=%s', targetSha], { cwd: dir, encoding: 'utf8' }).trim(), TARGET_SUBJECT);
  const short = targetSha.slice(0, 7);
  const head = `gitops/rollback-staging-to-${short}`;
  const title = `Roll back staging to ${short}`;

  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['staging']);

  await runCommand(page, 'GitOps: Sign in to Pull Request Host');
  await pickQuickItem(page, /^GitHub$/);
  await typeIntoInputBox(page, 'github.test', /Host name/);
  await typeIntoInputBox(page, githubHost.token, /Token for github\.test/);
  await waitForNotification(page, 'Signed in to github.test');
  log('signed in to github.test');

  // staging's History: newest first, the newest marked current.
  const history = await expandPath(page, VIEW, ['staging', 'History']);
  assert.deepEqual(
    history.map((r) => r.label),
    STAGING_HISTORY,
    `History of staging${formatRows(await treeRows(page, VIEW))}`,
  );
  assert.match(history[0].description, new RegExp(`^${stagingHead.slice(0, 7)} · Demo User · .* · current$`));
  assert.match(history[2].description, new RegExp(`^${short} · Demo User · `));
  assert.doesNotMatch(history[2].description, /current/);

  await runContextMenuItem(page, VIEW, ['staging', 'History', TARGET_SUBJECT], 'Roll Back Environment to This Commit');
  const frame = await webviewFrame(page, '.file-list [data-path]', { timeout: 60_000, message: 'the rollback preview to list files' });
  assert.equal(await frame.$eval('h1', (e) => e.textContent), title);
  const files = await frame.$$eval('.file-list [data-path].file', (els) => els.map((e) => `${e.getAttribute('data-path')} ${e.querySelector('.action-letter')?.textContent}`));
  assert.deepEqual([...files].sort(), ['deploy/web-config.yaml M', 'deploy/web.yaml M'], `files in the preview: ${JSON.stringify(files)}`);
  const commits = await frame.$$eval('.commit .subject', (els) => els.map((e) => (e.textContent ?? '').trim()));
  assert.deepEqual([...commits].sort(), [...UNDONE].sort(), `commits the rollback undoes: ${JSON.stringify(commits)}`);
  const meta = await frame.$eval('.pr-meta', (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
  assert.match(meta, new RegExp(`^Into staging from ${head} on GitHub · labels rollback · `), `pull request line: ${meta}`);
  // The web.yaml diff goes back from 1.5.0 to 1.4.0.
  await frame.click('.file[data-path="deploy/web.yaml"] button[data-action="toggleDiff"]');
  const diffLines = await waitFor(
    async () => {
      const lines = await frame.$$eval('.file[data-path="deploy/web.yaml"] pre.diff span', (els) => els.map((e) => `${e.className} ${(e.textContent ?? '').trim()}`));
      return lines.length > 0 ? lines : null;
    },
    { message: 'the web.yaml diff' },
  );
  assert.deepEqual(
    diffLines.filter((l) => /^diff-(add|del) /.test(l)),
    ['diff-del -          image: ghcr.io/example/web:1.5.0', 'diff-add +          image: ghcr.io/example/web:1.4.0'],
    `web.yaml diff: ${JSON.stringify(diffLines)}`,
  );
  await waitFor(async () => !/Rendering/.test((await frame.$eval('section.rendered', (e) => e.textContent ?? '').catch(() => 'Rendering')) ?? ''), {
    timeout: 45_000,
    message: 'the rendered comparison of staging',
  });
  await dismissHovers(page);
  await screenshot('preview');

  // Open Pull Request (staging is not protected: no name to type).
  await frame.click('vscode-button[data-action="execute"]');
  const done = await waitForNotification(page, /Opened pull request #\d+/, { timeout: 60_000 });
  log(`notification: ${done.message}`);
  await waitFor(async () => ((await frame.$eval('.notice.outcome', (e) => e.textContent ?? '').catch(() => '')) ?? '').includes('Opened pull request #1 into staging'), {
    message: 'the preview to show the opened pull request',
  });

  const creates = github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/demo-gitops/pulls');
  assert.equal(creates.length, 1, `one create request: ${JSON.stringify(github.requests.map((r) => `${r.method} ${r.path}`))}`);
  assert.equal(creates[0].body.head, head);
  assert.equal(creates[0].body.base, 'staging');
  assert.equal(creates[0].body.title, title);
  assert.match(creates[0].body.body, /gitops-environments:/, 'the body carries the metadata block');
  assert.deepEqual(
    github.pulls.map((p) => [p.head, p.base, p.state, p.labels]),
    [[head, 'staging', 'open', ['rollback']]],
  );
  assert.deepEqual(github.violations, [], 'every request matched GitHub’s OpenAPI description');

  // The remote holds one new commit on top of staging whose deploy/ is the chosen commit's.
  const pushed = bare(workspace.originDir, ['rev-parse', `refs/heads/${head}`]);
  assert.deepEqual(bare(workspace.originDir, ['rev-list', '--parents', '-n', '1', pushed]).split(' ').slice(1), [stagingHead], 'one commit on top of staging');
  assert.equal(bare(workspace.originDir, ['rev-parse', `${pushed}:deploy`]), bare(workspace.originDir, ['rev-parse', `${targetSha}:deploy`]), 'deploy/ as of the chosen commit');
  assert.equal(bare(workspace.originDir, ['rev-parse', `${pushed}^{tree}`]), bare(workspace.originDir, ['rev-parse', `${targetSha}^{tree}`]), 'the whole tree as of the chosen commit');
  assert.equal(bare(workspace.originDir, ['rev-parse', 'refs/heads/staging']), stagingHead, 'staging itself is untouched');
  assert.deepEqual(userState(dir), before, 'HEAD, branch, index, working tree (byte for byte), stash and worktrees unchanged');
  await waitFor(async () => !(await notifications(page)).some((n) => n.message.startsWith('Rolling back')), { timeout: 10_000, message: 'the progress notification to close' }).catch(() => {});
  await screenshot('result');

  // The run reads the pull requests again by itself: the row appears under staging, no checks yet.
  await waitForPullRequestRow(page, title, /^#1 · open$/, 'the open rollback pull request under staging');
  // The host reports a passing check: only the view's "Refresh Pull Requests" can show it.
  github.checks = [{ status: 'completed', conclusion: 'success' }];
  await runViewTitleAction(page, 'Refresh Pull Requests');
  await waitForPullRequestRow(page, title, /^#1 · open · check passing$/, 'the open rollback pull request with its checks under staging');
  const rows = await treeRows(page, VIEW);
  const staging = findRow(rows, ['staging']);
  const under = childrenOf(rows, staging).map((r) => r.label);
  assert.ok(under.indexOf(title) >= 0 && under.indexOf(title) < under.indexOf('History'), `the pull request comes before History: ${JSON.stringify(under)}`);
  await clearAllNotifications(page);
  await dismissHovers(page);
  await screenshot('pr-open');

  // Merged on the host: the row stays (for a day) and says so.
  github.pulls[0].state = 'closed';
  github.pulls[0].merged = true;
  await runViewTitleAction(page, 'Refresh Pull Requests');
  await waitForPullRequestRow(page, title, /^#1 · merged$/, 'the rollback pull request shown merged under staging');
  await waitForTreeRows(page, VIEW, (all) => findRow(all, ['staging', 'History']) !== null, { message: 'History still under staging' });
  await clearAllNotifications(page);
  await dismissHovers(page);
  await screenshot('pr-merged');
}
