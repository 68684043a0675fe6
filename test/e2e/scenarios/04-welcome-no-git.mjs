// A folder without Git: the view explains why it is empty and offers a way forward.
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { openViewContainer, treeRows, waitForWelcome } from '../vscodeDom.mjs';

export const name = 'welcome-no-git';
export const workspace = 'no-git';

export async function run({ page, assert }) {
  await openViewContainer(page, CONTAINER_TITLE);
  const welcome = await waitForWelcome(page, VIEW, 'No Git repository');
  assert.ok(welcome.buttons.length >= 1, `the welcome content has a button: ${JSON.stringify(welcome)}`);
  assert.deepEqual(await treeRows(page, VIEW), [], 'no environment rows without Git');
}
