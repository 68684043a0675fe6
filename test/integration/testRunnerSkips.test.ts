// The test runner itself (scripts/run-tests.mjs + test/support/requirePresent.ts), run on small
// probe test files in a child process: under CI=true a missing fixture or tool fails the run and
// says what is missing and where it was looked for; outside CI the same test is a skip, and every
// skip, whatever its cause, gets one summary line at the end of the run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

const ROOT = join(__dirname, '..', '..');
const HELPER = join(ROOT, 'test', 'support', 'requirePresent.ts');

/** A probe folder for run-tests.mjs: one test needing `missingPath`, one suite needing it, one external skip, one plain pass. */
function probeFolder(missingPath: string, presentPath: string): string {
  const dir = tempDir('gitops-skip-probe-');
  writeFiles(dir, {
    'probe.test.ts': `import { before, describe, test } from 'node:test';
import { assertPresent, requirePresent, skipUnlessPresent } from ${JSON.stringify(HELPER)};

test('needs the probe fixture', (t) => {
  if (!requirePresent(t, 'probe fixture', ${JSON.stringify(missingPath)})) return;
  throw new Error('the body must not run without its fixture');
});

test('needs a fixture that is there', (t) => {
  if (!requirePresent(t, 'present fixture', ${JSON.stringify(presentPath)})) return;
});

describe('a suite needing the probe tool', { skip: skipUnlessPresent('probe tool', ${JSON.stringify(missingPath)}) }, () => {
  before(() => assertPresent('probe tool', ${JSON.stringify(missingPath)}));
  test('uses the probe tool', () => {});
});

test('asks a service that does not answer', (t) => {
  t.skip('the probe endpoint did not answer: ECONNREFUSED');
});
`,
  });
  return dir;
}

function runTests(folder: string, ci: boolean): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.CI;
  delete env.TEST_FILTER;
  // Set by the runner running this file; left in, the child's runner would refuse to run files.
  delete env.NODE_TEST_CONTEXT;
  if (ci) env.CI = 'true';
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), folder], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('under CI=true a missing fixture or tool fails the run, naming it and where it was looked for', () => {
  const missing = join(tempDir('gitops-skip-missing-'), 'no-such-fixture', 'EXPECTED.tsv');
  const { status, output } = runTests(probeFolder(missing, HELPER), true);
  assert.equal(status, 1, output);
  assert.match(output, /✖ needs the probe fixture/);
  assert.ok(output.includes(`probe fixture missing: looked for ${missing}`), output);
  assert.ok(output.includes(`probe tool missing: looked for ${missing}`), output);
  assert.match(output, /✔ needs a fixture that is there/);
  // An unanswered external service stays a skip under CI, listed, never a pass.
  assert.match(output, /^1 skipped in .*:$/m);
  assert.match(output, /^SKIP .*probe\.test\.ts › asks a service that does not answer — the probe endpoint did not answer: ECONNREFUSED$/m);
});

test('outside CI the same tests skip with the reason, and the run ends with one line per skip', () => {
  const missing = join(tempDir('gitops-skip-missing-'), 'no-such-fixture', 'EXPECTED.tsv');
  const { status, output } = runTests(probeFolder(missing, HELPER), false);
  assert.equal(status, 0, output);
  const summary = output.slice(output.lastIndexOf('skipped in'));
  const lines = summary.split('\n').filter((line) => line.startsWith('SKIP '));
  assert.deepEqual(
    lines.map((line) => line.replace(/^SKIP \S*probe\.test\.ts › /, '')),
    [
      `needs the probe fixture — probe fixture missing: looked for ${missing}`,
      `a suite needing the probe tool — probe tool missing: looked for ${missing}`,
      'asks a service that does not answer — the probe endpoint did not answer: ECONNREFUSED',
    ],
    output,
  );
  assert.match(output, /^3 skipped in .*:$/m);
});

test('a run without skips says so in one line', () => {
  const dir = tempDir('gitops-skip-none-');
  writeFiles(dir, { 'plain.test.ts': "import { test } from 'node:test';\ntest('passes', () => {});\n" });
  const { status, output } = runTests(dir, true);
  assert.equal(status, 0, output);
  assert.match(output, /^0 skipped in /m);
  assert.doesNotMatch(output, /^SKIP /m);
});
