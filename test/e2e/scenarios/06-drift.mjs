// Drift end to end: the sandbox runs dev's `web` with 3 replicas while Git says 2. Opening the
// manifest shows the hint on the `replicas:` line, the hover shows both values, the drift report
// lists the resource, and Sync (from the CodeLens) clears it.
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { afterLineHints, clickRow, codeLenses, dismissHovers, expandPath, findRow, formatRows, openViewContainer, runCommand, treeRows, waitFor, waitForActiveEditor, waitForRow } from '../vscodeDom.mjs';

export const name = 'drift';
export const timeoutMs = 150_000;

const RESOURCES = /^Resources( \(\d+\))?$/;



/** The webview's inner document (code-server nests an iframe in an iframe). */
async function reportFrame(page) {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        if ((await frame.$('.row .row-head').catch(() => null)) !== null) return frame;
      }
      return null;
    },
    { timeout: 45_000, message: 'the drift report webview to list resources' },
  );
}

export async function run({ page, assert, screenshot, log }) {
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['dev']);
  // The environment row summarises drift once the first comparison is done.
  await waitFor(
    async () => {
      const row = findRow(await treeRows(page, VIEW), ['dev']);
      return row && /1 drifted/.test(row.description ?? '');
    },
    { timeout: 60_000, message: 'dev to show "1 drifted"' },
  ).catch(async (error) => {
    throw new Error(`${error.message}${formatRows(await treeRows(page, VIEW))}`);
  });

  await expandPath(page, VIEW, ['dev', RESOURCES, 'Deployment (2)']);
  const rows = await treeRows(page, VIEW);
  const web = findRow(rows, ['dev', RESOURCES, 'Deployment (2)', 'web']);
  assert.ok(web && /drifted/.test(web.description ?? ''), `web carries its status${formatRows(rows)}`);
  await clickRow(page, VIEW, ['dev', RESOURCES, 'Deployment (2)', 'web']);
  await waitForActiveEditor(page, 'web.yaml');

  const lenses = await waitFor(async () => {
    const all = await codeLenses(page);
    return all.some((t) => t.includes('drifted · 1 field')) ? all : null;
  }, { timeout: 30_000, message: 'the CodeLens "● drifted · 1 field"' });
  log(`CodeLens: ${lenses.join(' | ')}`);

  const hints = await waitFor(async () => {
    const all = await afterLineHints(page);
    return all.some((h) => h.text.includes('live: 3')) ? all : null;
  }, { timeout: 15_000, message: 'the hint "⟵ live: 3"' });
  // The hint sits on the line that declares replicas.
  const replicasTop = await page.$$eval('.part.editor .editor-group-container.active .view-line', (lines) => {
    const line = lines.find((l) => /^\s*replicas:\s*2\b/.test((l.textContent ?? '').replace(/\u00a0/g, ' ')));
    return line ? parseFloat(line.style.top || '0') : null;
  });
  assert.ok(replicasTop !== null, 'the replicas line is visible');
  assert.ok(hints.some((h) => h.text.includes('live: 3') && h.top === replicasTop), `hint on the replicas line: ${JSON.stringify(hints)} vs top ${replicasTop}`);

  // Hover on the drifted line: both values.
  const replicasLine = page.locator('.part.editor .editor-group-container.active .view-line', { hasText: 'replicas' }).first();
  await replicasLine.hover({ position: { x: 40, y: 5 } });
  const hover = await waitFor(async () => {
    const text = await page.$$eval('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .rendered-markdown', (els) => els.map((e) => e.textContent ?? '').join(' '));
    return /Git/.test(text) && /Live/.test(text) && /\b3\b/.test(text) && /\b2\b/.test(text) ? text : null;
  }, { timeout: 15_000, message: 'the drift hover with Git 2 and Live 3' });
  log(`hover: ${hover.slice(0, 160)}`);
  await screenshot('hint-and-hover');
  await dismissHovers(page);

  // The drift report lists the resource.
  await runCommand(page, 'GitOps: Show Drift Report');
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'dev' }).first();
  if (await pick.isVisible().catch(() => false)) await pick.click();
  const frame = await reportFrame(page);
  // What the user reads: each row's visible line (status, kind, namespace/name, field count).
  const visibleRows = await waitFor(
    async () => {
      const lines = await frame.$$eval('.row .row-head', (els) => els.map((e) => (e.innerText ?? e.textContent ?? '').replace(/\s+/g, ' ').trim()));
      return lines.some((l) => /Drifted\s+Deployment\s+demo-dev\/web\b/.test(l)) ? lines : null;
    },
    { timeout: 15_000, message: 'the report row "Drifted Deployment demo-dev/web"' },
  );
  log(`report rows: ${visibleRows.join(' | ')}`);
  const webRow = visibleRows.find((l) => /Drifted\s+Deployment\s+demo-dev\/web\b/.test(l));
  assert.match(webRow, /1 field/, `the row counts the differing field: ${webRow}`);
  // Expanded, the row shows the field with Git's and the live value, as text.
  const toggle = frame.locator('.row.status-Drifted .row-head .toggle', { hasText: 'web' }).first();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const fieldText = await waitFor(
    async () => {
      const rows = await frame.$$eval('.row.expanded table.fields tbody tr', (els) => els.map((e) => (e.innerText ?? e.textContent ?? '').replace(/\s+/g, ' ').trim()));
      const replicas = rows.find((r) => /replicas/.test(r));
      return replicas && /\b2\b/.test(replicas) && /\b3\b/.test(replicas) ? replicas : null;
    },
    { timeout: 15_000, message: 'the expanded row to show spec.replicas with 2 and 3' },
  );
  log(`field: ${fieldText}`);
  await screenshot('report');

  // Sync from the CodeLens, confirm, and the drift is gone.
  await page.locator('.part.editor .tabs-container .tab', { hasText: 'web.yaml' }).first().click();
  await page.locator('.part.editor .editor-group-container.active .codelens-decoration a', { hasText: /^Sync$/ }).first().click();
  const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Sync$/ });
  await confirm.waitFor({ timeout: 20_000 });
  await confirm.click();
  await waitFor(
    async () => {
      const all = await codeLenses(page);
      return !all.some((t) => t.includes('drifted')) && all.filter((t) => t.includes('in sync')).length >= 2;
    },
    { timeout: 30_000, message: 'both resources of web.yaml "✓ in sync" after Sync' },
  );
  const after = await afterLineHints(page);
  assert.ok(!after.some((h) => h.text.includes('live: 3')), `no hint after sync: ${JSON.stringify(after)}`);
  await screenshot('synced');
}
