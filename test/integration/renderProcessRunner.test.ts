// runProcess: argument arrays (no shell), exit codes, typed errors, time and output limits,
// cancellation — and findExecutable's PATH lookup.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from '../../src/render/findExecutable';
import { firstUsefulLines, ProcessError, runProcess } from '../../src/render/processRunner';
import { fakeTool } from './helpers/renderSetup';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

after(removeTempDirs);

function isCode(code: ProcessError['code']) {
  return (error: unknown): boolean => error instanceof ProcessError && error.code === code;
}

test('runs with an argument array: shell syntax in arguments stays literal', async () => {
  const dir = tempDir();
  const marker = join(dir, 'pwned');
  const hostile = `$(touch ${marker}); touch ${marker} | \`touch ${marker}\``;
  const result = await runProcess('/bin/echo', [hostile], { cwd: dir });
  assert.equal(result.stdout, `${hostile}\n`);
  assert.equal(result.exitCode, 0);
  assert.equal(existsSync(marker), false);
});

test('a missing executable is notFound', async () => {
  await assert.rejects(runProcess(join(tempDir(), 'kustomize'), ['build']), isCode('notFound'));
});

test('a failing tool is failed, with its exit status and the first useful stderr lines', async () => {
  const tool = fakeTool('tool', "echo '# Warning: something is deprecated' >&2\necho '' >&2\necho 'Error: the real problem' >&2\necho 'second line' >&2\nexit 3");
  const error = await runProcess(tool, []).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProcessError);
  assert.equal(error.code, 'failed');
  assert.equal(error.exitCode, 3);
  assert.equal(error.message, 'tool failed: Error: the real problem\nsecond line');
  assert.match(error.stderr, /deprecated/);
});

test('okExitCodes turns a status into an answer', async () => {
  const tool = fakeTool('tool', 'echo out; exit 1');
  assert.deepEqual(await runProcess(tool, [], { okExitCodes: [0, 1] }), { stdout: 'out\n', stderr: '', exitCode: 1 });
});

test('a timeout kills the whole process group, grandchildren included', async () => {
  const pidFile = join(tempDir(), 'pid');
  const tool = fakeTool('hang', `sleep 30 &\necho $! > '${pidFile}'\nwait`);
  const started = Date.now();
  await assert.rejects(runProcess(tool, [], { timeoutMs: 300 }), (error: unknown) => isCode('timeout')(error) && /within 300 ms/.test((error as Error).message));
  assert.ok(Date.now() - started < 3000);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Gone, or a zombie waiting for a reaper (in containers PID 1 may not reap): either way not running.
  const state = existsSync(`/proc/${pid}/status`) ? /State:\s+(\w)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] : 'gone';
  assert.ok(state === 'gone' || state === 'Z', `the background sleep is ${state}`);
});

test('output beyond the limit stops the tool', async () => {
  await assert.rejects(runProcess('/usr/bin/yes', [], { maxOutputBytes: 100_000 }), isCode('outputTooLarge'));
});

test('an abort signal cancels the run', async () => {
  const tool = fakeTool('hang', 'sleep 30');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(runProcess(tool, [], { signal: controller.signal }), isCode('cancelled'));
  await assert.rejects(runProcess(tool, [], { signal: controller.signal }), isCode('cancelled'), 'an aborted signal does not start anything');
});

test('firstUsefulLines drops klog prefixes, warnings and blank lines', () => {
  const stderr = '# Warning: x is deprecated\n\nE1126 05:38:35.680553    9297 run.go:72] "command failed" err="boom"\nmore\nand more\nhidden';
  assert.equal(firstUsefulLines(stderr), '"command failed" err="boom"\nmore\nand more');
});

test('findExecutable searches PATH for executable files only', async () => {
  const a = tempDir();
  const b = tempDir();
  fakeTool('kustomize', 'exit 0', b);
  const notExecutable = join(a, 'kustomize');
  (await import('node:fs')).writeFileSync(notExecutable, 'not executable');
  assert.equal(await findExecutable('kustomize', `${a}:${b}`), join(b, 'kustomize'));
  assert.equal(await findExecutable('helm', `${a}:${b}`), null);
  assert.equal(await findExecutable(join(b, 'kustomize')), join(b, 'kustomize'));
  assert.equal(await findExecutable(notExecutable), null);
});
