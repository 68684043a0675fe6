// One shape for every hostile-corpus test file: a test per input asserting that no stage FAILs,
// a bound on the heap kept after the whole set, and the outcome table printed and saved.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { removeTempDirs } from '../integration/helpers/tempGitRepo';
import type { HostileCase } from './corpus';
import { formatTable, HEAP_BUDGET_MB, retainedHeapMb, runCase, saveTable, type Row } from './runCase';

export interface CorpusSuite {
  /** Heading of the printed table, e.g. "Hostile manifests". */
  tableTitle: string;
  /** Saved under test-results/. */
  tableFile: string;
  cases: readonly HostileCase[];
}

/** Registers the suite's tests in the enclosing describe(). */
export function hostileCorpusTests({ tableTitle, tableFile, cases }: CorpusSuite): void {
  const rows: Row[] = [];

  after(() => {
    const table = formatTable(rows);
    console.log(`\n${tableTitle} × stage (ok = correct result, loc = located error, FAIL, - = not applicable)\n${table}\n`);
    saveTable(tableFile, table);
    removeTempDirs();
  });

  for (const c of cases) {
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
}
