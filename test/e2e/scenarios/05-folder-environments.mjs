// Folder per environment, no gitops.yaml: environments are discovered from envs/*.
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { childrenOf, formatRows, openViewContainer, waitForTreeRows } from '../vscodeDom.mjs';

export const name = 'folder-environments';
export const workspace = 'folders';

export async function run({ page, assert }) {
  await openViewContainer(page, CONTAINER_TITLE);
  const rows = await waitForTreeRows(page, VIEW, (rows) => childrenOf(rows, null).length >= 4);
  const roots = childrenOf(rows, null);
  const names = roots.map((r) => r.label);
  const outline = formatRows(rows);
  assert.deepEqual([...names].sort(), ['dev', 'prod-eu', 'prod-us', 'staging'], `the four folders under envs/${outline}`);
  assert.equal(names[0], 'dev', `dev first${outline}`);
  assert.equal(names[1], 'staging', `then staging${outline}`);
  for (const row of roots) {
    assert.ok(row.description.includes(`envs/${row.label}`), `${row.label}: description names its folder: "${row.description}"`);
  }
}
