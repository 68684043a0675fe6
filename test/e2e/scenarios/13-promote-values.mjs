// A folder-layout promotion previewed value by value (issue 10): promoting staging → prod-eu in the
// folder demo (envs/<env>/kustomization.yaml holds the namespace, the image tag and the replica
// count in one file) lists each differing value with its class — the namespace is prod-eu's
// identity and the replica count its own, both left unticked; the image tag flows, ticked. Ticking
// the namespace raises the identity-change warning and blocks Open Pull Request until "Allow
// identity change" is ticked. Everything is read from what the preview shows.
import { CONTAINER_TITLE, VIEW } from '../contract.mjs';
import { openViewContainer, pickQuickItem, runCommand, waitFor, waitForRow, webviewFrame } from '../vscodeDom.mjs';

export const name = 'promote-values';
export const workspace = 'folders';
export const timeoutMs = 150_000;

/** Each value row as the user reads it: its visible text, its class badge, and whether it is ticked. */
async function valueRows(frame) {
  return frame.$$eval('section.values .value', (els) =>
    els.map((e) => ({
      // The path is the checkbox's label, drawn inside the component's shadow root.
      text: `${e.querySelector('vscode-checkbox')?.getAttribute('label') ?? ''} ${e.textContent ?? ''}`.replace(/\s+/g, ' ').trim(),
      badge: (e.querySelector('.value-class')?.textContent ?? '').trim(),
      ticked: e.querySelector('vscode-checkbox')?.hasAttribute('checked') === true || e.querySelector('vscode-checkbox')?.checked === true,
    })),
  );
}

async function text(frame, selector) {
  return ((await frame.$eval(selector, (e) => e.textContent ?? '').catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
}

export async function run({ page, assert, screenshot, log }) {
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['prod-eu']);

  await runCommand(page, 'GitOps: Promote…');
  // The usual promotion into prod-eu is from staging (its lane's previous tier); pick it.
  await pickQuickItem(page, /^staging → prod-eu$/);
  const frame = await webviewFrame(page, 'section.values .value', { timeout: 60_000, message: 'the promotion preview to list values' });
  const heading = await text(frame, 'h1');
  assert.equal(heading, 'Promote staging → prod-eu');

  const rows = await valueRows(frame);
  log(`values: ${JSON.stringify(rows)}`);
  const row = (pattern) => rows.find((r) => pattern.test(r.text));
  const namespace = row(/namespace/);
  const tag = row(/newTag/);
  const replicas = row(/count/);
  assert.ok(namespace && tag && replicas, `the three differing values are listed: ${JSON.stringify(rows)}`);
  assert.equal(namespace.badge, 'identity');
  assert.match(namespace.text, /demo-prod-eu → demo-staging/);
  assert.equal(namespace.ticked, false, 'the namespace (identity) is not promoted by default');
  assert.equal(tag.badge, 'flows');
  assert.match(tag.text, /1\.4\.0 → 1\.5\.0/);
  assert.equal(tag.ticked, true, 'the image tag flows');
  assert.equal(replicas.badge, 'own');
  assert.equal(replicas.ticked, false, 'the replica count is prod-eu\'s own');
  // Nothing warns while only the tag is promoted.
  assert.equal(await text(frame, 'section.warnings'), '');
  await screenshot('values');

  // Tick the namespace: the identity change is named and blocks the pull request.
  await frame.click('section.values .value[data-class="identity"] vscode-checkbox');
  await waitFor(async () => /Identity change:/.test(await text(frame, 'section.warnings')), { message: 'the identity-change warning' });
  const warning = await text(frame, 'section.warnings');
  assert.match(warning, /would change prod-eu's identity: envs\/prod-eu\/kustomization\.yaml:3 namespace/);
  // The explicit consent, drawn as a checkbox whose label is its text.
  const allowLabel = await frame.$eval('section.warnings vscode-checkbox[data-action="allowIdentityChange"]', (e) => e.getAttribute('label') ?? '');
  assert.match(allowLabel, /^Allow identity change/);
  await waitFor(async () => (await frame.$eval('vscode-button[data-action="execute"]', (e) => e.hasAttribute('disabled'))) === true, { message: 'Open Pull Request to be disabled' });
  const blocked = await text(frame, '.actions');
  assert.match(blocked, /This would change prod-eu's identity/);
  await screenshot('blocked');

  // Allowing it explicitly lifts that block (this workspace has no remote: that is what is said next).
  await frame.click('vscode-checkbox[data-action="allowIdentityChange"]');
  await waitFor(async () => !/This would change prod-eu's identity/.test(await text(frame, '.actions')), { message: 'the identity block to lift' });
  assert.match(await text(frame, '.actions'), /no remote/);
  log(`after allowing: ${await text(frame, '.actions')}`);
}
