// Runs inside the desktop extension host (loaded by @vscode/test-electron). Plain assertions, no
// test framework: any thrown error fails the run.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');

async function run() {
  const extension = vscode.extensions.getExtension(`${pkg.publisher}.${pkg.name}`);
  assert.ok(extension, 'the extension is installed');
  const api = await extension.activate();
  assert.ok(api.activationMs < 50, `activation took ${api.activationMs} ms`);

  const environments = await api.environments();
  assert.deepEqual(environments.map((e) => e.name), ['dev', 'staging', 'prod']);
  assert.deepEqual(environments.map((e) => e.pending), [null, 3, 2]);

  const commands = new Set(await vscode.commands.getCommands(true));
  for (const { command } of pkg.contributes.commands) assert.ok(commands.has(command), `${command} is registered`);

  await vscode.commands.executeCommand('gitops.refresh');
  const again = await api.environments();
  assert.equal(again.length, 3);
  console.log('desktop suite: all checks passed');
}

module.exports = { run };
