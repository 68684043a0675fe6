// Issue 6 §2, manifests: every manifest file of the hostile corpus (test/hostile) through
// discovery, rendering (trusted and untrusted), drift (local and `drift --desired/--live`), the CLI
// (`envs`, `health`) and promotion planning (folder and image mode) on a real repository. Each
// stage yields a located error or a correct result within 2 s, with bounded memory and no crash;
// the table is printed and saved to test-results/hostile-manifests.txt.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ALL_CASES, MANIFEST_CASES } from '../hostile/corpus';
import { formatTable, HEAP_BUDGET_MB, retainedHeapMb, runCase, saveTable, type Row } from '../hostile/runCase';
import { removeTempDirs } from './helpers/tempGitRepo';

const rows: Row[] = [];

after(() => {
  const table = formatTable(rows);
  console.log(`\nHostile manifests × stage (ok = correct result, loc = located error, FAIL, - = not applicable)\n${table}\n`);
  saveTable('hostile-manifests.txt', table);
  removeTempDirs();
});

describe('hostile and broken manifests', () => {
  test('the corpus holds at least 60 inputs, each named once', () => {
    assert.ok(ALL_CASES.length >= 60, `${ALL_CASES.length} inputs`);
    assert.equal(new Set(ALL_CASES.map((c) => c.id)).size, ALL_CASES.length);
  });

  for (const c of MANIFEST_CASES) {
    test(`${c.id}: a located error or a correct result at every stage, in time and memory`, async () => {
      const row = await runCase(c);
      rows.push(row);
      const failures = Object.entries(row.cells)
        .filter(([, cell]) => cell.outcome === 'FAIL')
        .map(([stage, cell]) => `${stage}: ${cell.reason}`);
      assert.deepEqual(failures, []);
    });
  }

  test('the heap kept after the whole corpus stays bounded', () => {
    const retained = retainedHeapMb();
    console.log(`heap retained after ${rows.length} inputs: ${Math.round(retained)} MB`);
    assert.ok(retained < HEAP_BUDGET_MB, `${Math.round(retained)} MB retained`);
  });
});
