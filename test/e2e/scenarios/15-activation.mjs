// Activation as VS Code itself measures it: "Developer: Show Running Extensions" lists each running
// extension with "Activation: N ms" ("Startup Activation: N ms" when a startup event activated it),
// N = loading the extension's code (require of dist/extension.js and what it loads) + activate().
// The scenario opens that editor, reads our row's figure, logs it and writes it to
// test-results/activation.json. It asserts that the figure is shown, not a bound: timing belongs to
// the bench (bench/hostActivationBench.ts reads the same figure over several fresh windows).
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { openViewContainer, runCommand, waitFor, waitForRow } from '../vscodeDom.mjs';

export const name = 'activation';

const RESULTS_DIR = fileURLToPath(new URL('../../../test-results/', import.meta.url));

export const EXTENSION_ID = 'gitops-environments.gitops-environments';
/** Our row's name in the Running Extensions editor: the display name (the identifier in some versions). */
const ROW_NAMES = new Set(['GitOps Environments', EXTENSION_ID]);

/** "Startup Activation: 41ms" / "Activation: 41ms" → { ms, startup }; anything else → null. */
export function parseActivationText(text) {
  const m = /^\s*(Startup )?Activation:\s*(\d+(?:\.\d+)?)\s*ms\s*$/.exec(text ?? '');
  return m ? { ms: Number(m[2]), startup: Boolean(m[1]) } : null;
}

/**
 * Opens "Developer: Show Running Extensions" and reads our extension's activation figure:
 * { ms, startup, text, extensions } (extensions: how many rows the editor listed). The list is
 * virtualized, so it is scrolled until our row is rendered. Expects the extension to be active.
 */
export async function readActivation(page, { timeout = 30_000 } = {}) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor');
  await list.first().waitFor({ state: 'visible', timeout });
  const seen = new Set();
  return waitFor(
    async () => {
      const rows = await page.$$eval('.runtime-extensions-editor .extension', (els) =>
        els.map((el) => ({ name: el.querySelector('.name')?.textContent?.trim() ?? '', time: el.querySelector('.activation-time')?.textContent?.trim() ?? '' })),
      );
      for (const row of rows) seen.add(row.name);
      const ours = rows.find((row) => ROW_NAMES.has(row.name));
      const parsed = ours ? parseActivationText(ours.time) : null;
      if (parsed) return { ...parsed, text: ours.time, extensions: seen.size };
      // Not rendered yet (or still "Activating..."): scroll the virtualized list a page down.
      await list.first().hover().catch(() => {});
      await page.mouse.wheel(0, ours ? 0 : 500);
      return null;
    },
    { timeout, interval: 300, message: `the activation time of ${EXTENSION_ID} in Running Extensions` },
  ).catch(async (error) => {
    throw new Error(`${error.message}; rows seen: ${[...seen].join(', ') || 'none'}`);
  });
}

export async function run({ page, assert, log }) {
  // Our views appear once the extension is active (workspaceContains:gitops.yaml).
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['dev']);
  const activation = await readActivation(page);
  assert.ok(Number.isFinite(activation.ms) && activation.ms >= 0, `a figure in ms: ${activation.text}`);
  log(`${EXTENSION_ID}: "${activation.text}" (${activation.extensions} running extensions seen)`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(
    path.join(RESULTS_DIR, 'activation.json'),
    `${JSON.stringify({ extension: EXTENSION_ID, activationMs: activation.ms, startup: activation.startup, text: activation.text, at: new Date().toISOString() }, null, 2)}\n`,
  );
}
