// Environment comparison end to end: "GitOps: Compare Environments…" from the palette, staging then
// prod, and the report webview (the drift report's UI) lists what differs between the two rendered
// environments — web's image (1.5.0 in staging, 1.4.0 in prod) and web-config's LOG_LEVEL (only in
// staging) — with the Service and worker counted the same. Expanding web shows the field table;
// "Open diff" opens the native diff editor with staging's object on the left and prod's on the right.
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { dismissHovers, editorTabs, openViewContainer, pickQuickItem, runCommand, waitFor, waitForActiveEditor, waitForRow, webviewFrame } from '../vscodeDom.mjs';

export const name = 'compare-environments';
export const timeoutMs = 90_000;
/** Both sides next to each other even though the editor area is narrower than the inline breakpoint. */
export const settings = { 'diffEditor.useInlineViewWhenSpaceIsLimited': false };

const WEB = 'apps/Deployment//web';
const CONFIG = '/ConfigMap//web-config';

/** The rows of the report: [{ key, status, kind, name, count }]. */
function reportRows(frame) {
  return frame.$$eval('.row[data-key]', (rows) =>
    rows.map((row) => ({
      key: row.getAttribute('data-key'),
      status: (row.querySelector('.status')?.textContent ?? '').trim(),
      kind: (row.querySelector('.kind')?.textContent ?? '').trim(),
      name: (row.querySelector('.name')?.textContent ?? '').trim(),
      count: (row.querySelector('.count')?.textContent ?? '').trim(),
    })),
  );
}

/** The field table of an expanded row: { columns, fields: [[path, a, b]] }. */
function fieldTable(frame, key) {
  return frame.$eval(`.row[data-key="${key}"] table.fields`, (table) => ({
    columns: [...table.querySelectorAll('thead th')].map((th) => (th.textContent ?? '').trim()),
    fields: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
  }));
}

/** Expands a row (its toggle) and waits for its field table. */
async function expand(frame, key) {
  await frame.click(`.row[data-key="${key}"] button.toggle`);
  await waitFor(async () => (await frame.$(`.row[data-key="${key}"] table.fields`)) !== null, { message: `the field table of ${key}` });
  return fieldTable(frame, key);
}

/** The text of one side of the visible diff editor ('original' = left, 'modified' = right). */
/** The visible lines of the active (plain) editor, top to bottom. */
function editorText(page) {
  return page.$eval('.part.editor .editor-group-container.active .monaco-editor .view-lines', (el) =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'))
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

function diffSide(page, side) {
  return page.$eval(`.part.editor .editor-group-container.active .monaco-diff-editor .editor.${side} .view-lines`, (el) =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'))
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

export async function run({ page, assert, screenshot, log }) {
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['prod']);

  await runCommand(page, 'GitOps: Compare Environments…');
  await pickQuickItem(page, 'staging', { placeholder: /^Compare which environment/ });
  await pickQuickItem(page, 'prod', { placeholder: /^…with which environment\? \(staging is column A\)$/ });
  const frame = await webviewFrame(page, '.row[data-key]', { timeout: 45_000, message: 'the comparison to list resources' });

  assert.equal(await frame.$eval('h1', (e) => e.textContent), 'staging vs prod');
  // The status chips as the user reads them: label and count.
  const counts = await frame.$$eval('.counts .chip', (chips) =>
    Object.fromEntries(chips.map((c) => [(c.querySelector('span:not(.glyph)')?.textContent ?? '').trim(), (c.querySelector('vscode-badge')?.textContent ?? '').trim()])),
  );
  assert.deepEqual(counts, { Invalid: '0', Differs: '2', 'Only in staging': '0', 'Only in prod': '0', Unknown: '0', Same: '2' }, `counts: ${JSON.stringify(counts)}`);
  // By default only what differs is listed.
  const rows = await reportRows(frame);
  assert.deepEqual(
    rows.sort((a, b) => a.key.localeCompare(b.key)),
    [
      { key: CONFIG, status: 'Differs', kind: 'ConfigMap', name: 'web-config', count: '1 field' },
      { key: WEB, status: 'Differs', kind: 'Deployment', name: 'web', count: '1 field' },
    ],
    `rows: ${JSON.stringify(rows)}`,
  );
  // A comparison writes nothing: no Sync anywhere.
  assert.equal(await frame.$$eval('[data-action="sync"]', (els) => els.length), 0, 'no Sync button in a comparison');

  const web = await expand(frame, WEB);
  log(`web: ${JSON.stringify(web)}`);
  assert.deepEqual(web.columns, ['Path', 'staging', 'prod']);
  assert.deepEqual(web.fields, [['spec.template.spec.containers[name=web].image', 'ghcr.io/example/web:1.5.0', 'ghcr.io/example/web:1.4.0']]);
  const config = await expand(frame, CONFIG);
  log(`web-config: ${JSON.stringify(config)}`);
  assert.deepEqual(config.fields, [['data.LOG_LEVEL', 'info', '(not in prod)']]);
  // Two renders compared: no "approximate" notice or ≈ mark (no server dry-run is involved).
  assert.equal(await frame.$$eval('.approx', (els) => els.length), 0, 'no ≈ on a comparison row');
  assert.doesNotMatch(await frame.$eval('.notices', (e) => e.textContent ?? ''), /approximate/);
  await dismissHovers(page);
  await screenshot('report');

  // A field's path opens the file it comes from: column A's (staging's branch, not checked out).
  await frame.click(`.row[data-key="${CONFIG}"] button.path[data-action="openFile"]`);
  await waitForActiveEditor(page, 'web-config.yaml', { line: 7 });
  const fileText = await editorText(page);
  assert.match(fileText.split('\n')[6] ?? '', /^\s*LOG_LEVEL: info$/, `line 7 of staging's web-config.yaml: ${JSON.stringify(fileText)}`);

  // Back to the report (a hidden webview is rebuilt: find its document again).
  await page.locator('.part.editor .tabs-container .tab', { hasText: 'staging ↔ prod' }).first().click();
  const report = await webviewFrame(page, `.row[data-key="${WEB}"]`, { timeout: 30_000, message: 'the comparison again' });
  if ((await report.$(`.row[data-key="${WEB}"] .detail`)) === null) await report.click(`.row[data-key="${WEB}"] button.toggle`);

  // "Open diff" of web: the native diff editor, staging on the left, prod on the right.
  await report.click(`.row[data-key="${WEB}"] .detail vscode-button[data-action="diff"]`);
  // The report's own tab is "staging ↔ prod"; the diff's names the resource first.
  const tab = await waitFor(async () => (await editorTabs(page)).find((t) => t.active && /^Deployment web: /.test(t.title)), {
    message: 'the diff editor tab "Deployment web: staging ↔ prod"',
  }).catch(async (error) => {
    throw new Error(`${error.message}\ntabs: ${JSON.stringify(await editorTabs(page))}`);
  });
  log(`diff tab: ${tab.title}`);
  assert.equal(tab.title, 'Deployment web: staging ↔ prod');
  const sides = await waitFor(
    async () => {
      const original = await diffSide(page, 'original').catch(() => '');
      const modified = await diffSide(page, 'modified').catch(() => '');
      return /web:1\.5\.0/.test(original) && /web:1\.4\.0/.test(modified) ? { original, modified } : null;
    },
    { message: 'staging (1.5.0) on the left and prod (1.4.0) on the right of the diff editor' },
  );
  assert.doesNotMatch(sides.original, /web:1\.4\.0/);
  assert.doesNotMatch(sides.modified, /web:1\.5\.0/);
  // Normalized objects compared by kind and name: neither side carries its namespace.
  assert.doesNotMatch(`${sides.original}\n${sides.modified}`, /demo-(staging|prod)/);
  await dismissHovers(page);
  await screenshot('diff');
}
