// Runs every *.test.ts under the given folders with Node's test runner (tsx loads TypeScript).
// Node 20's `--test` takes no globs, so the files are listed here.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  // A single test file may be named too (`node scripts/run-tests.mjs test/unit/foo.test.ts`).
  if (!statSync(dir).isDirectory()) return dir.endsWith('.test.ts') ? [dir] : [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const args = process.argv.slice(2);
const only = process.env.TEST_FILTER;
const files = args.flatMap(collect).filter((f) => !only || f.includes(only));
if (files.length === 0) {
  console.error(`no test files under ${args.join(', ')}`);
  process.exit(1);
}
// A test file that leaves a handle open would keep the runner waiting forever: every test gets a
// timeout, and the whole run a watchdog.
const perTestMs = Number(process.env.TEST_TIMEOUT_MS || 300_000);
const overallMs = Number(process.env.TEST_RUN_TIMEOUT_MS || 20 * 60_000);
// Spec output to the terminal; every skip, with its reason, also to a file read back below.
const skipDir = mkdtempSync(join(tmpdir(), 'gitops-env-skips-'));
const skipFile = join(skipDir, 'skips.jsonl');
const skipReporter = new URL('./skipReporter.mjs', import.meta.url).href;
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${skipReporter}`, `--test-reporter-destination=${skipFile}`,
    '--test-concurrency=1', `--test-timeout=${perTestMs}`, '--test-force-exit', ...files,
  ],
  { stdio: 'inherit', timeout: overallMs, killSignal: 'SIGKILL' },
);
if (result.error) console.error(`test run stopped: ${result.error.message}`);
printSkips(skipFile, args.join(' '));
rmSync(skipDir, { recursive: true, force: true });
process.exit(result.status ?? 1);

/** One line per skipped test, after everything else, so no skip passes unseen. */
function printSkips(path, tier) {
  let lines = [];
  try {
    lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  } catch {
    // No file: the runner never started (reported above) or nothing was written.
  }
  const skips = lines.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return []; // a line cut short by the watchdog's kill
    }
  });
  console.log(`\n${skips.length} skipped in ${tier}${skips.length ? ':' : ''}`);
  for (const skip of skips) {
    // File only: tsx's transform shifts the line numbers the runner reports.
    const where = skip.file ? relative(process.cwd(), skip.file.replace(/^file:\/\//, '')) : '?';
    console.log(`SKIP ${where} › ${skip.name} — ${skip.reason || 'no reason given'}`);
  }
}
