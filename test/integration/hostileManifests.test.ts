// Issue 6 §2, manifests: every manifest file of the hostile corpus (test/hostile) through
// discovery, rendering (trusted and untrusted), drift (local and `drift --desired/--live`), the CLI
// (`envs`, `health`) and promotion planning (folder and image mode) on a real repository. Each
// stage yields a located error or a correct result within 2 s, with bounded memory and no crash;
// the table is printed and saved to test-results/hostile-manifests.txt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_CASES, MANIFEST_CASES } from '../hostile/corpus';
import { hostileCorpusTests } from '../hostile/suite';

describe('hostile and broken manifests', () => {
  test('the corpus holds at least 60 inputs, each named once', () => {
    assert.ok(ALL_CASES.length >= 60, `${ALL_CASES.length} inputs`);
    assert.equal(new Set(ALL_CASES.map((c) => c.id)).size, ALL_CASES.length);
  });

  hostileCorpusTests({ tableTitle: 'Hostile manifests', tableFile: 'hostile-manifests.txt', cases: MANIFEST_CASES });
});
