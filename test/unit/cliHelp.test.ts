// `gitops-env --help` lists every command, `gitops-env <command> --help` every option of it, and an
// unknown option names the accepted ones — which is how this test knows that help misses none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { COMMAND_HELP, commandHelpText, documentedFlags } from '../../src/cli/commandHelp';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The commands that parse their options with the shared parser (sandbox has its own, checked below). */
const SHARED_PARSER = Object.keys(COMMAND_HELP).filter((c) => c !== 'sandbox');

test('gitops-env --help names every command and every form, exit 0', async () => {
  const { code, out } = await run('--help');
  assert.equal(code, 0);
  for (const [name, help] of Object.entries(COMMAND_HELP)) {
    for (const form of help.forms) assert.ok(out.includes(`gitops-env ${form}`), `${name}: ${form}`);
  }
  assert.match(out, /<command> --help/);
});

test('gitops-env <command> --help prints that command\'s options without running it (exit 0, nothing on stderr)', async () => {
  for (const command of Object.keys(COMMAND_HELP)) {
    // sandbox --help must not start a server: a required flag is missing and help still wins.
    for (const argv of [[command, '--help'], [command, '-h'], ['help', command], [command, '--repo', '/nonexistent', '--help']]) {
      const { code, out, err } = await run(...argv);
      assert.equal(code, 0, argv.join(' '));
      assert.equal(err, '', argv.join(' '));
      assert.equal(out, commandHelpText(command), argv.join(' '));
    }
  }
});

test('every option a command accepts is documented in its help, with a description', async () => {
  for (const command of SHARED_PARSER) {
    const { code, err } = await run(command, '--zz-not-an-option');
    assert.equal(code, 2, command);
    const accepted = /accepted: (.*)$/m.exec(err)?.[1];
    assert.ok(accepted, `${command}: the error lists the accepted options:\n${err}`);
    const flags = accepted.split(', ').map((f) => f.replace(/^--/, ''));
    assert.ok(flags.length > 0);
    const documented = documentedFlags(COMMAND_HELP[command]);
    const missing = flags.filter((f) => !documented.includes(f));
    assert.deepEqual(missing, [], `${command}: accepted but not in its help`);
    const stale = documented.filter((f) => !flags.includes(f));
    assert.deepEqual(stale, [], `${command}: in its help but not accepted`);
    for (const f of COMMAND_HELP[command].flags) assert.ok(f.text.length > 10, `${command} ${f.flag} has a description`);
  }
});

test('an unknown option suggests the closest one; the command\'s own help follows the error', async () => {
  const { code, err, out } = await run('envs', '--jsn');
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /unknown option --jsn \(did you mean --json\?\)/);
  assert.ok(err.includes(commandHelpText('envs') as string));
});

test('sandbox: every option its parser knows is in its help', async () => {
  // The sandbox parser names the unknown argument; its known flags are the cases of its switch.
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(require.resolve('../../src/sandbox/sandboxCommand.ts'), 'utf8');
  const known = new Set([...source.matchAll(/['"]--([a-z-]+)['"]/g)].map((m) => m[1]).filter((f) => f !== 'help'));
  assert.ok(known.size >= 5);
  const documented = documentedFlags(COMMAND_HELP.sandbox);
  assert.deepEqual([...known].filter((f) => !documented.includes(f)), []);
});
