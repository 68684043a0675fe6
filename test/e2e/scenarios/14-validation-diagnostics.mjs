// Inline validation: in dev's deploy/web.yaml (a file of the dev environment), typing
// `imagePullPolicy: Sometimes` under the container's image gets an error on that line with the
// allowed values, listed in the Problems panel; hovering the key shows its schema type. Fixing the
// value clears the problem.
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { clickRow, dismissHovers, expandPath, findRow, openViewContainer, runCommand, treeRows, waitFor, waitForActiveEditor, waitForRow } from '../vscodeDom.mjs';

export const name = 'validation-diagnostics';
export const timeoutMs = 150_000;

const RESOURCES = /^Resources( \(\d+\))?$/;
const EDITOR = '.part.editor .editor-group-container.active';

/** The visible text of the Problems panel's rows. */
async function problemRows(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((row) => (row.innerText ?? row.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/** The visible text of the open hover(s). */
async function hoverText(page) {
  return page.$$eval('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .rendered-markdown', (els) => els.map((e) => (e.innerText ?? e.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | '));
}

export async function run({ page, assert, screenshot, log }) {
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['dev']);
  await waitFor(async () => /drifted|in sync/.test(findRow(await treeRows(page, VIEW), ['dev'])?.description ?? ''), { timeout: 60_000, message: 'dev to show its drift' });
  await expandPath(page, VIEW, ['dev', RESOURCES, 'Deployment (2)']);
  await clickRow(page, VIEW, ['dev', RESOURCES, 'Deployment (2)', 'web']);
  await waitForActiveEditor(page, 'web.yaml');

  // Type a new line under the container's image: what a user does.
  const imageLine = page.locator(`${EDITOR} .view-line`, { hasText: /image:\sghcr\.io\/example\/web/ }).first();
  await imageLine.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  // The editor keeps the indentation of the line above.
  await page.keyboard.type('imagePullPolicy: Sometimes', { delay: 20 });

  // The squiggle appears in the editor, and the Problems panel lists the problem with the allowed values.
  await waitFor(async () => (await page.locator(`${EDITOR} .squiggly-error`).count()) > 0, { timeout: 15_000, message: 'an error squiggle in web.yaml' });
  await runCommand(page, 'View: Focus Problems', { pick: /Focus Problems/ });
  const rows = await waitFor(
    async () => {
      const all = await problemRows(page);
      return all.some((row) => row.includes('Unsupported value: "Sometimes"')) ? all : null;
    },
    { timeout: 15_000, message: 'the Problems panel to list the unsupported imagePullPolicy' },
  );
  log(`problems: ${rows.join(' | ')}`);
  const problem = rows.find((row) => row.includes('Unsupported value: "Sometimes"'));
  assert.match(problem, /spec\.template\.spec\.containers\[0\]\.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"/);
  // The row names the line the user typed: the line after the image line.
  const lines = await page.$$eval(`${EDITOR} .view-line`, (els) =>
    els
      .map((el) => ({ top: parseFloat(el.style.top || '0'), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  const typed = lines.findIndex((text) => /^\s*imagePullPolicy: Sometimes\s*$/.test(text));
  assert.ok(typed > 0 && /image: ghcr\.io\/example\/web/.test(lines[typed - 1]), `the typed line follows the image line: ${JSON.stringify(lines)}`);
  assert.match(problem, new RegExp(`\\[Ln ${typed + 1}, Col \\d+\\]`), `the problem is on line ${typed + 1}: ${problem}`);

  // Hover on the key: the schema type (and, where the schema has one, the description).
  await page.locator(`${EDITOR} .view-line`, { hasText: /imagePullPolicy:\sSometimes/ }).first().hover({ position: { x: 90, y: 5 } });
  const hover = await waitFor(
    async () => {
      const text = await hoverText(page);
      return /imagePullPolicy\s*string/.test(text) && /spec\.template\.spec\.containers\[0\]\.imagePullPolicy · schema of cluster/.test(text) ? text : null;
    },
    { timeout: 15_000, message: 'the schema hover "imagePullPolicy string"' },
  );
  log(`hover: ${hover.slice(0, 300)}`);
  // The description comes from the generated schema asset (dist/kubernetes-schemas.json in the VSIX).
  assert.match(hover, /Image pull policy\. One of Always, Never, IfNotPresent\./, 'the hover shows the field\'s description');
  assert.match(hover, /Unsupported value: "Sometimes"/, 'the hover also shows the problem');
  await screenshot('validation-hover');
  await dismissHovers(page);

  // Fix the value: the problem goes away.
  await page.locator(`${EDITOR} .view-line`, { hasText: /imagePullPolicy:\sSometimes/ }).first().click();
  await page.keyboard.press('End');
  for (let i = 0; i < 'Sometimes'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('Always', { delay: 20 });
  await waitFor(async () => !(await problemRows(page)).some((row) => row.includes('imagePullPolicy')), { timeout: 15_000, message: 'the problem to clear after the fix' });
  assert.equal(await page.locator(`${EDITOR} .squiggly-error`).count(), 0, 'no error squiggle left');
}
