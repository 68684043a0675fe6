// Issue 6 §2, repositories: hostile gitops.yaml files, kustomizations (remote bases, exec plugins,
// escapes, cycles, a backtracking patch target), helm-ish folders (no helm, hostile output),
// symlinks out of the repository, folders and branches named with shell metacharacters — through
// discovery, rendering (trusted and untrusted), drift, `gitops-env envs` and promotion planning.
// Each stage yields a located error or a correct result within 2 s, with bounded memory, no crash,
// no plugin run and nothing from outside the repository shown; the table is printed and saved to
// test-results/hostile-repositories.txt.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CONFIG_CASES, FOLDER_CASES } from '../hostile/corpus';
import { formatTable, HEAP_BUDGET_MB, retainedHeapMb, runCase, saveTable, type Row } from '../hostile/runCase';
import { removeTempDirs } from './helpers/tempGitRepo';

const rows: Row[] = [];

after(() => {
  const table = formatTable(rows);
  console.log(`\nHostile repositories × stage (ok = correct result, loc = located error, FAIL, - = not applicable)\n${table}\n`);
  saveTable('hostile-repositories.txt', table);
  removeTempDirs();
});

describe('hostile gitops.yaml, kustomizations, charts and repository layouts', () => {
  for (const c of [...CONFIG_CASES, ...FOLDER_CASES]) {
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
