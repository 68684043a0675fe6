// Property tests run a fixed number of cases with a fixed seed on every machine (issue 14 §3): a
// time limit would let a slow or loaded machine silently run fewer. These guard the settings
// helper and that no property in the repository stops on a clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fuzzRuns, fuzzSeed } from '../support/fuzzSettings';
import { REPO_ROOT, sourceFiles } from './helpers/sourceFiles';

function withFuzzSeed<T>(value: string | undefined, body: () => T): T {
  const saved = process.env.FUZZ_SEED;
  if (value === undefined) delete process.env.FUZZ_SEED;
  else process.env.FUZZ_SEED = value;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.FUZZ_SEED;
    else process.env.FUZZ_SEED = saved;
  }
}

test('fuzzRuns: exactly the runs asked for, the file\'s fixed seed, and no time limit', () => {
  withFuzzSeed(undefined, () => assert.deepEqual(fuzzRuns(1500, 20_240_601), { seed: 20_240_601, numRuns: 1500 }));
});

test('FUZZ_SEED replaces the fixed seed (to replay a failure or explore), and must be an integer', () => {
  withFuzzSeed('42', () => assert.equal(fuzzRuns(10, 7).seed, 42));
  withFuzzSeed('-3', () => assert.equal(fuzzSeed(7), -3));
  withFuzzSeed('', () => assert.equal(fuzzSeed(7), 7));
  withFuzzSeed('soon', () => assert.throws(() => fuzzSeed(7), /FUZZ_SEED must be an integer, got "soon"/));
  withFuzzSeed('1.5', () => assert.throws(() => fuzzSeed(7), /must be an integer/));
});

test('no property in the repository stops on a time limit, and every fc.assert runs through fuzzRuns', () => {
  const files = [...sourceFiles(join(REPO_ROOT, 'test')), ...sourceFiles(join(REPO_ROOT, 'src')), ...sourceFiles(join(REPO_ROOT, 'bench'))].filter((f) => !f.endsWith('fuzzSettings.test.ts'));
  const timeLimited = files.filter((f) => /interruptAfterTimeLimit|skipAllAfterTimeLimit/.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(timeLimited, []);
  const properties = files.filter((f) => /\bfc\.assert\(/.test(readFileSync(f, 'utf8')));
  assert.ok(properties.length >= 5, `property test files found: ${properties.length}`);
  const unsettled = properties.filter((f) => !/\bfuzzRuns\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(unsettled, [], 'property files that do not use fuzzRuns (fixed runs and seed)');
});
