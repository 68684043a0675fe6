// Mutation testing of src/core (issue 14): shared StrykerJS options. scripts/mutate.mjs runs one
// module group at a time on top of these (which files to mutate, which unit tests exercise
// them), so a mutant only ever runs the tests that cover it. Not part of `npm test` nor CI.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: 'npm',
  // Our unit tests are plain node:test files loaded through tsx; the tap runner starts one Node
  // process per test file (TAP on stdout) and measures per-file coverage, so a mutant runs only
  // the files that reach it.
  testRunner: 'tap',
  tap: {
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  // A mutant that does not compile is not a test gap: the checker drops it before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The sandbox only needs what the unit tests load; everything else stays out of the copy. Output
  // folders others write while a run copies the tree (e2e screenshots in test-results) must stay
  // out too: a file deleted mid-copy stops Stryker with ENOENT.
  ignorePatterns: [
    'dist', 'out', 'reports', '.stryker-tmp', 'media', 'bench', 'test/e2e',
    'test/desktop', 'test/integration', '*.vsix', '.cache', '.demo', 'scratch', '.scratch*', 'docs',
    'test-results', '.ci',
  ],
  // The machine is shared (2 cores): keep the run polite.
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  incremental: true,
  reporters: ['progress-append-only', 'clear-text', 'html', 'json'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  thresholds: { high: 85, low: 75, break: null },
  cleanTempDir: 'always',
  tempDirName: '.stryker-tmp',
};
export default config;
