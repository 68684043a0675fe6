// What a test needs from outside the repository (the shared fixtures beside the checkout, an
// executable, a build output) is either there or the test says so: under CI (`CI=true`, which
// .ci/run exports) a missing piece FAILS the test, naming what is missing and where it was looked
// for, because a CI run that quietly skips its conformance checks proves nothing; on a developer's
// machine it is a skip with the same reason, and scripts/run-tests.mjs lists every skip at the end.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

/** `<checkout>/../shared/fixtures`: other projects' data, read in place, never copied here. */
export const SHARED_FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

/** True when the run is a CI run: missing requirements fail instead of skipping. */
export function underCi(): boolean {
  return process.env.CI === 'true';
}

/** The sentence both the failure and the skip carry. */
export function missingMessage(what: string, path: string): string {
  return `${what} missing: looked for ${path}`;
}

/** Throws (fails the test or hook that calls it) when `path` does not exist. */
export function assertPresent(what: string, path: string): void {
  if (!existsSync(path)) throw new Error(`${missingMessage(what, path)} (CI=true: a missing requirement fails the run)`);
}

/**
 * At the top of a test: `if (!requirePresent(t, 'Argo CD diff fixtures', file)) return;`.
 * Present: true. Missing under CI: throws, so the test fails with what is missing. Missing outside
 * CI: skips the test with that reason and returns false (the caller returns).
 */
export function requirePresent(t: TestContext, what: string, path: string): boolean {
  if (existsSync(path)) return true;
  if (underCi()) assertPresent(what, path);
  t.skip(missingMessage(what, path));
  return false;
}

/** `requirePresent` for `<shared fixtures>/<segments…>`: its absolute path, or undefined after a skip. */
export function requireSharedFixture(t: TestContext, ...segments: string[]): string | undefined {
  const path = join(SHARED_FIXTURES, ...segments);
  return requirePresent(t, `shared fixture ${segments.join('/')}`, path) ? path : undefined;
}

/**
 * For a `{ skip }` option of a test or a suite: the skip reason when `path` is missing outside CI,
 * else false (the test runs). Under CI the test runs and must fail on its own: pair it with
 * `before(() => assertPresent(what, path))` in a suite, or `requirePresent` in the test body.
 */
export function skipUnlessPresent(what: string, path: string): string | false {
  return !existsSync(path) && !underCi() ? missingMessage(what, path) : false;
}
