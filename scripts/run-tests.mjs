// Runs every *.test.ts under the given folders with Node's test runner (tsx loads TypeScript).
// Node 20's `--test` takes no globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
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
const perTestMs = Number(process.env.TEST_TIMEOUT_MS || 120_000);
const overallMs = Number(process.env.TEST_RUN_TIMEOUT_MS || 15 * 60_000);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', `--test-timeout=${perTestMs}`, '--test-force-exit', ...files],
  { stdio: 'inherit', timeout: overallMs, killSignal: 'SIGKILL' },
);
if (result.error) console.error(`test run stopped: ${result.error.message}`);
process.exit(result.status ?? 1);
