// Argo CD in the tree: the sandbox's emulated Argo CD reports prod's Application Synced and Healthy
// at prod's previous commit; the tree shows the operator leading prod's row, the Application under
// prod, and the commit not yet deployed.
import { execFileSync } from 'node:child_process';
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { expandRow, findRow, formatRows, openViewContainer, treeRows, waitFor, waitForRow } from '../vscodeDom.mjs';

export const name = 'operator';
export const timeoutMs = 120_000;

export async function run({ page, workspace, assert, screenshot }) {
  // The sandbox was seeded from another copy of the demo repository: point the Application at
  // this workspace's remote (the real kubectl does it), as a team's Argo CD points at theirs.
  assert.ok(workspace.kubeconfig && workspace.originDir, 'the scenario needs the sandbox and the demo origin');
  execFileSync('kubectl', ['--kubeconfig', workspace.kubeconfig, '-n', 'argocd', 'patch', 'application', 'web-prod', '--type', 'merge', '-p', JSON.stringify({ spec: { source: { repoURL: workspace.originDir } } })], { encoding: 'utf8' });
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['prod']);
  await waitFor(
    async () => /Argo CD: Synced · Healthy/.test(findRow(await treeRows(page, VIEW), ['prod'])?.description ?? ''),
    { timeout: 60_000, message: 'prod to show "Argo CD: Synced · Healthy"' },
  ).catch(async (error) => {
    throw new Error(`${error.message}${formatRows(await treeRows(page, VIEW))}`);
  });
  const children = await expandRow(page, VIEW, ['prod']);
  const app = children.find((r) => r.label === 'Argo CD web-prod');
  assert.ok(app, `prod › Argo CD web-prod${formatRows(children)}`);
  assert.match(app.description ?? '', /Synced · Healthy/);
  const details = await waitFor(
    async () => {
      const rows = await expandRow(page, VIEW, ['prod', 'Argo CD web-prod']);
      return rows.some((r) => /1 commit not yet deployed/.test(r.label)) ? rows : null;
    },
    { timeout: 30_000, message: 'the "1 commit not yet deployed" row' },
  );
  const behind = details.find((r) => /1 commit not yet deployed/.test(r.label));
  assert.match(behind.label, /^deployed [0-9a-f]{7}, branch at [0-9a-f]{7}: 1 commit not yet deployed$/);
  const commits = await expandRow(page, VIEW, ['prod', 'Argo CD web-prod', behind.label]);
  // The one commit: prod's head, which Argo CD has not deployed yet.
  const head = execFileSync('git', ['log', '-1', '--format=%s', 'prod'], { cwd: workspace.dir, encoding: 'utf8' }).trim();
  assert.deepEqual(commits.map((r) => r.label), [head], formatRows(commits));
  await screenshot('tree');
}
