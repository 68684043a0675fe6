// Clicking a resource opens the manifest that declares it, at the object's document.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CONTAINER_TITLE, VIEW, countedRow } from '../contract.mjs';
import { waitFor, findRow, childrenOf, clickRow, expandPath, expandRow, formatRows, openViewContainer, treeRows, waitForActiveEditor, waitForRow } from '../vscodeDom.mjs';

export const name = 'open-resource';

/** Lines (1-based) that count as "the object's position": its `---`, first line, or `kind:` line. */
async function acceptableLines(file, kind, objectName) {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const docs = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i].startsWith('---')) {
      docs.push({ separator: start > 0 ? start : null, from: start === 0 ? 0 : start + 1, to: i });
      start = i;
    }
  }
  for (const doc of docs) {
    const body = lines.slice(doc.from, doc.to);
    const kindAt = body.findIndex((l) => l === `kind: ${kind}`);
    if (kindAt >= 0 && body.some((l) => l === `  name: ${objectName}`)) {
      const accepted = new Set([doc.from + 1, doc.from + kindAt + 1]);
      if (doc.separator !== null) accepted.add(doc.separator + 1);
      return [...accepted].sort((a, b) => a - b);
    }
  }
  throw new Error(`no ${kind} ${objectName} in ${file}`);
}

export async function run({ page, workspace, assert, screenshot }) {
  await openViewContainer(page, CONTAINER_TITLE);
  await waitForRow(page, VIEW, ['dev']);
  // Let the first drift computation land (it repaints the rows) before clicking through them.
  await waitFor(async () => /drifted|in sync/.test(findRow(await treeRows(page, VIEW), ['dev'])?.description ?? ''), { timeout: 60_000, message: 'dev to show its drift' });

  // "Resources (4)" / "Files (3)" per the contract; the tree leaves the count out until the group is
  // expanded (it renders lazily), so it is optional here — the kinds listed below must add up to 4.
  const RESOURCES = /^Resources( \(4\))?$/;
  const FILES = /^Files( \(3\))?$/;
  const devChildren = await expandRow(page, VIEW, ['dev']);
  const labels = devChildren.map((r) => r.label);
  assert.ok(labels.some((l) => RESOURCES.test(l)), `dev › Resources (4) (2 Deployments, a Service, a ConfigMap)${formatRows(devChildren)}`);
  assert.ok(labels.some((l) => FILES.test(l)), `dev › Files (3)${formatRows(devChildren)}`);

  const kinds = await expandRow(page, VIEW, ['dev', RESOURCES]);
  assert.deepEqual(kinds.map((r) => r.label).sort(), ['ConfigMap (1)', 'Deployment (2)', 'Service (1)'], `kinds under Resources${formatRows(kinds)}`);

  const deployments = await expandPath(page, VIEW, ['dev', RESOURCES, countedRow('Deployment', 2)]);
  assert.deepEqual(deployments.map((r) => r.label).sort(), ['web', 'worker']);

  const webYaml = path.join(workspace.dir, 'deploy', 'web.yaml');
  const deploymentLines = await acceptableLines(webYaml, 'Deployment', 'web');
  await clickRow(page, VIEW, ['dev', RESOURCES, 'Deployment (2)', 'web']);
  const opened = await waitForActiveEditor(page, 'web.yaml', { line: deploymentLines });
  assert.equal(opened.editor.title, 'web.yaml');
  await screenshot('deployment');

  // The Service of the same name is the second document of web.yaml: a different line.
  await expandRow(page, VIEW, ['dev', RESOURCES, countedRow('Service', 1)]);
  const serviceLines = await acceptableLines(webYaml, 'Service', 'web');
  await clickRow(page, VIEW, ['dev', RESOURCES, 'Service (1)', 'web']);
  const service = await waitForActiveEditor(page, 'web.yaml', { line: serviceLines });
  assert.ok(serviceLines.includes(service.cursor.line), `Service web at one of lines ${serviceLines}, got ${service.cursor.line}`);

  // Back to the Deployment, for the picture.
  await clickRow(page, VIEW, ['dev', RESOURCES, 'Deployment (2)', 'web']);
  await waitForActiveEditor(page, 'web.yaml', { line: deploymentLines });
  const rows = await treeRows(page, VIEW);
  assert.ok(childrenOf(rows, null).length >= 3, formatRows(rows));
}
