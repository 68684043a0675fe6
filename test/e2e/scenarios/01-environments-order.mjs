// The Environments view lists dev → staging → prod with branch, head commit and pending counts.
import { CONTAINER_TITLE, VIEW, revParse } from '../contract.mjs';
import { childrenOf, formatRows, openViewContainer, waitForTreeRows, activityBarItems } from '../vscodeDom.mjs';

export const name = 'environments-order';

export async function run({ page, workspace, assert }) {
  // Waits for the "GitOps" Activity Bar item (contributed by the extension), then opens it.
  await openViewContainer(page, CONTAINER_TITLE);
  assert.ok((await activityBarItems(page)).find((i) => i.title === CONTAINER_TITLE)?.selected);

  // Descriptions fill in once Git has been read: wait for the pending counts.
  const rows = await waitForTreeRows(page, VIEW, (rows) => {
    const roots = childrenOf(rows, null);
    return roots.length >= 3 && roots.filter((r) => r.description.includes('to promote')).length >= 2;
  });
  const roots = childrenOf(rows, null);
  const outline = formatRows(rows);
  assert.deepEqual(roots.map((r) => r.label), ['dev', 'staging', 'prod'], `environments in promotion order${outline}`);

  for (const row of roots) {
    const sha = revParse(workspace.dir, row.label).slice(0, 7);
    assert.ok(row.description.includes(row.label), `${row.label}: description names its branch: "${row.description}"`);
    assert.ok(row.description.includes(sha), `${row.label}: description has the head commit ${sha}: "${row.description}"`);
  }
  const [dev, staging, prod] = roots;
  assert.ok(!dev.description.includes('to promote'), `dev has nothing before it: "${dev.description}"`);
  assert.ok(staging.description.includes('3 to promote from dev'), `staging: "${staging.description}"`);
  assert.ok(prod.description.includes('2 to promote from staging'), `prod: "${prod.description}"`);
}
