// Expanding an environment shows the commits waiting in the previous one, by subject.
import { DEMO_PENDING } from '../../../scripts/demoWorkspace.mjs';
import { CONTAINER_TITLE, VIEW, pendingRow } from '../contract.mjs';
import { expandRow, formatRows, openViewContainer, treeRows, waitForRow } from '../vscodeDom.mjs';

export const name = 'pending-commits';

export async function run({ page, assert }) {
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['prod']);

  await expandRow(page, VIEW, ['prod']);
  const prodCommits = await expandRow(page, VIEW, ['prod', pendingRow('staging', 2)]);
  assert.deepEqual(
    prodCommits.map((r) => r.label).sort(),
    [...DEMO_PENDING.prod].sort(),
    `prod › Pending from staging (2) lists the two commits${formatRows(await treeRows(page, VIEW))}`,
  );

  await expandRow(page, VIEW, ['staging']);
  const stagingCommits = await expandRow(page, VIEW, ['staging', pendingRow('dev', 3)]);
  assert.deepEqual(
    stagingCommits.map((r) => r.label).sort(),
    [...DEMO_PENDING.staging].sort(),
    `staging › Pending from dev (3) lists the three commits${formatRows(await treeRows(page, VIEW))}`,
  );

  // dev is first in the order: nothing can be pending for it.
  const devChildren = await expandRow(page, VIEW, ['dev']);
  assert.ok(!devChildren.some((r) => r.label.startsWith('Pending from')), `dev has no pending row${formatRows(devChildren)}`);
}
