// Promotion end to end, against the GitHub REST test server: sign in to the host with a token
// typed into the input box (kept in SecretStorage), run "GitOps: Promote…" from the palette, pick
// staging → prod, check the preview lists the files and commits, the rendered comparison and the
// live impact on prod's (sandbox) cluster, click Open Pull Request, type
// `prod` (protected), and the pull request is created with the right head and base — while the
// workspace's checkout (HEAD, branch, uncommitted edits, untracked files, stash) stays as it was.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEMO_PENDING } from '../../../scripts/demoWorkspace.mjs';
import { CONTAINER_TITLE, VIEW, revParse } from '../contract.mjs';
import { notifications, openViewContainer, pickQuickItem, runCommand, typeIntoInputBox, waitFor, waitForNotification, waitForRow, webviewFrame } from '../vscodeDom.mjs';
import { userState } from '../workspaceState.mjs';

export const name = 'promote';
export const workspace = 'demo-hosted';
export const timeoutMs = 180_000;
/** The test server accepts this token only: the one typed into the sign-in box. */
export const githubHost = { owner: 'acme', repo: 'demo-gitops', token: 'e2e-test-token-1234' };

const quickInput = (page) => page.locator('.quick-input-widget');

export async function run({ page, workspace, github, assert, screenshot, log }) {
  assert.ok(github, 'the harness started the GitHub test server');
  const dir = workspace.dir;
  // The remote says github.test; the settings point the GitHub provider at the test server. They
  // are machine-overridable, which a remote window (code-server is one) reads from workspace or
  // remote settings, not from the local user settings.
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'gitops.hosts.kind': 'github', 'gitops.hosts.apiUrl': github.url }, null, 2));
  // The user is in the middle of something: an edit and a new file that must survive.
  writeFileSync(path.join(dir, 'README.md'), `${readFileSync(path.join(dir, 'README.md'), 'utf8')}\nwork in progress\n`);
  writeFileSync(path.join(dir, 'notes.txt'), 'untracked notes\n');
  const before = userState(dir);

  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['prod']);

  // Sign in: kind, host (as in the remote URL), token — into SecretStorage.
  await runCommand(page, 'GitOps: Sign in to Pull Request Host');
  await pickQuickItem(page, /^GitHub$/);
  await typeIntoInputBox(page, 'github.test', /Host name/);
  await typeIntoInputBox(page, githubHost.token, /Token for github\.test/);
  await waitForNotification(page, 'Signed in to github.test');
  await waitFor(async () => !(await quickInput(page).isVisible()), { message: 'the sign-in input box to close' });
  log('signed in to github.test');

  // Promote staging → prod from the palette.
  await runCommand(page, 'GitOps: Promote…');
  await pickQuickItem(page, /^staging → prod$/);
  const frame = await webviewFrame(page, '.file-list [data-path]', { timeout: 60_000, message: 'the promotion preview to list files' });
  const files = await frame.$$eval('.file-list [data-path].file', (els) => els.map((e) => e.getAttribute('data-path')));
  assert.deepEqual([...files].sort(), ['deploy/web-config.yaml', 'deploy/web.yaml'], `files in the preview: ${JSON.stringify(files)}`);
  const commits = await frame.$$eval('.commit .subject', (els) => els.map((e) => (e.textContent ?? '').trim()));
  assert.deepEqual([...commits].sort(), [...DEMO_PENDING.prod].sort(), `commits in the preview: ${JSON.stringify(commits)}`);
  const heading = await frame.$eval('h1', (e) => e.textContent);
  assert.equal(heading, 'Promote staging → prod');
  // The rendered before/after arrives after the plan.
  await waitFor(async () => !/Rendering prod/.test((await frame.$eval('section.rendered', (e) => e.textContent ?? '').catch(() => 'Rendering prod')) ?? ''), {
    timeout: 45_000,
    message: 'the rendered comparison of prod',
  });
  const renderedText = await frame.$eval('section.rendered', (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
  log(`rendered: ${renderedText.slice(0, 160)}`);
  // The two pending commits change the web Deployment and its ConfigMap; nothing appears or goes.
  assert.match(renderedText, /2 changed, 0 added, 0 removed/, `rendered comparison: ${renderedText.slice(0, 300)}`);
  assert.match(renderedText, /Deployment[^]*web/);
  assert.match(renderedText, /ConfigMap[^]*web-config/);
  // Then the live impact: the sandbox's prod asked what applying the promoted render would change.
  await waitFor(async () => !/Asking prod/.test((await frame.$eval('section.live', (e) => e.textContent ?? '').catch(() => 'Asking prod')) ?? ''), {
    timeout: 45_000,
    message: 'the live impact on prod',
  });
  const liveText = await frame.$eval('section.live', (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
  log(`live: ${liveText.slice(0, 200)}`);
  assert.match(liveText, /^Live impact on prod's cluster/, `live impact: ${liveText.slice(0, 300)}`);
  if (process.env.GITOPS_E2E_NO_SANDBOX) {
    assert.match(liveText, /could not be reached|Not checked against a cluster/);
  } else {
    // The two pending commits change these two objects live as well.
    assert.match(liveText, /Deployment demo-prod\/web:/, `live impact: ${liveText.slice(0, 300)}`);
    assert.match(liveText, /ConfigMap demo-prod\/web-config:/, `live impact: ${liveText.slice(0, 300)}`);
    // prod's hand-scaled replicas (the demo's drift) are what applying would overwrite; our
    // ApplySet bookkeeping label is not shown as a change.
    assert.match(liveText, /spec\.replicas 5 → 2 \(overwrites live drift\)/, `live impact: ${liveText.slice(0, 400)}`);
    assert.doesNotMatch(liveText, /applyset\.kubernetes\.io/);
  }
  await screenshot('preview');

  // Open Pull Request → type the protected environment's name → the pull request is opened.
  await frame.click('vscode-button[data-action="execute"]');
  await typeIntoInputBox(page, 'prod', /Type "prod"/);
  const done = await waitForNotification(page, /Opened pull request #\d+/, { timeout: 60_000 });
  log(`notification: ${done.message}`);
  await waitFor(async () => ((await frame.$eval('.notice.outcome', (e) => e.textContent ?? '').catch(() => '')) ?? '').includes('Opened pull request #1'), {
    message: 'the preview to show the opened pull request',
  });
  // The progress notification closes a moment after the run (best effort, for the picture).
  await waitFor(async () => !(await notifications(page)).some((n) => n.message.startsWith('Promoting')), { timeout: 10_000, message: 'the progress notification to close' }).catch(() => {});
  await screenshot('result');

  // The host received exactly the pull request the plan named.
  const stagingSha = revParse(dir, 'origin/staging');
  const head = `gitops/promote-staging-to-prod-${stagingSha.slice(0, 7)}`;
  const creates = github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/demo-gitops/pulls');
  assert.equal(creates.length, 1, `one create request: ${JSON.stringify(github.requests.map((r) => `${r.method} ${r.path}`))}`);
  assert.equal(creates[0].body.head, head);
  assert.equal(creates[0].body.base, 'prod');
  assert.match(creates[0].body.title, /^Promote staging → prod \([0-9a-f]{7}\)$/);
  assert.match(creates[0].body.body, /gitops-environments:/, 'the body carries the metadata block');
  assert.match(String(creates[0].headers.authorization), new RegExp(`^(token|bearer) ${githubHost.token}$`, 'i'), 'the typed token was used');
  assert.deepEqual(github.violations, [], 'every request matched GitHub’s OpenAPI description');
  assert.deepEqual(
    github.pulls.map((p) => [p.head, p.base, p.state]),
    [[head, 'prod', 'open']],
  );

  // The branch landed on the remote (the bare repository behind the hosted URL).
  const pushed = execFileSync('git', ['--git-dir', workspace.originDir, 'rev-parse', `refs/heads/${head}`], { encoding: 'utf8' }).trim();
  assert.match(pushed, /^[0-9a-f]{40}$/);
  const parents = execFileSync('git', ['--git-dir', workspace.originDir, 'rev-list', '--parents', '-n', '1', pushed], { encoding: 'utf8' }).trim().split(' ');
  assert.deepEqual(parents.slice(1), [revParse(dir, 'origin/prod'), stagingSha], 'a merge of staging into prod');

  // And the user's checkout is exactly as it was.
  assert.deepEqual(userState(dir), before, 'HEAD, branch, index, working tree (byte for byte), stash and worktrees unchanged');
}
