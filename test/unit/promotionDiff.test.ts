// The unified diffs in the plan: git-compatible hunks, exact counts, and (property) applying the
// diff to the old text gives the new text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../src/core/promotion/lineDiff';
import { fuzzRuns } from '../support/fuzzSettings';
import { describeScaling, measureScaling } from '../support/scaling';

/** Applies a unified diff produced by unifiedDiff to `before`. */
function applyDiff(before: string, diff: string): string {
  const old = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let cursor = 0;
  const lines = diff.split('\n');
  for (let i = 2; i < lines.length; i++) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[i]);
    if (!header) continue;
    const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (cursor < start) out.push(old[cursor++]);
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) {
      const line = lines[i];
      if (line === '') continue;
      if (line[0] === ' ') {
        out.push(line.slice(1));
        cursor++;
      } else if (line[0] === '-') cursor++;
      else if (line[0] === '+') out.push(line.slice(1));
    }
    i--;
  }
  while (cursor < old.length) out.push(old[cursor++]);
  return out.length ? `${out.join('\n')}\n` : '';
}

describe('unified diff', () => {
  it('equal texts give no diff', () => {
    assert.deepEqual(unifiedDiff('a', 'x\ny\n', 'x\ny\n'), { text: '', insertions: 0, deletions: 0, truncated: false });
  });

  it('matches git diff hunks for a small change', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\nh\n';
    assert.equal(unifiedDiff('f.yaml', before, after).text, '--- a/f.yaml\n+++ b/f.yaml\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n');
  });

  it('new and deleted files use /dev/null and zero-length ranges', () => {
    assert.equal(unifiedDiff('n.yaml', null, 'x\n').text, '--- /dev/null\n+++ b/n.yaml\n@@ -0,0 +1,1 @@\n+x\n');
    assert.equal(unifiedDiff('n.yaml', 'x\n', null).text, '--- a/n.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
  });

  it('cuts long diffs but keeps exact counts', () => {
    const before = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const after = Array.from({ length: 2000 }, (_, i) => `LINE ${i}`).join('\n');
    const result = unifiedDiff('big', before, after, { maxChars: 1000 });
    assert.equal(result.truncated, true);
    assert.ok(result.text.length < 1100);
    assert.equal(result.insertions, 2000);
    assert.equal(result.deletions, 2000);
  });

  it('applying the diff to the old text gives the new text (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', 'image: x:1', 'image: x:2', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (a, b) => {
        const before = a.length ? `${a.join('\n')}\n` : '';
        const after = b.length ? `${b.join('\n')}\n` : '';
        const { text, insertions, deletions } = unifiedDiff('p', before, after, { context: 2 });
        if (before === after) return text === '';
        assert.equal(applyDiff(before, text), after);
        assert.ok(insertions <= b.length && deletions <= a.length);
        return true;
      }),
      fuzzRuns(300, 20_240_601),
    );
  });

  /** A `lines`-line file and the same with two lines changed, one near each end. */
  const scatteredEdits = (lines: number): [string, string] => {
    const before = `${Array.from({ length: lines }, (_, i) => `k${i}: v`).join('\n')}\n`;
    return [before, before.replace('k100: v', 'k100: w').replace(`k${lines - 100}: v`, `k${lines - 100}: w`)];
  };

  it('a 20,000-line file with two scattered edits: two hunks, two lines in and out', () => {
    const [before, after] = scatteredEdits(20_000);
    const result = unifiedDiff('big', before, after);
    assert.deepEqual([result.insertions, result.deletions], [2, 2]);
    assert.equal(result.text.match(/^@@ /gm)?.length, 2);
    assert.equal(applyDiff(before, result.text), after);
  });

  // Two edits far apart must not cost lines × lines (a plain LCS table would): a complexity
  // guard that holds on a loaded machine, where an absolute "ms" bound would flake.
  it('diffing a file with two scattered edits stays linear: 10× the lines (2,000 → 20,000) takes < 30× the time', (t) => {
    const scaling = measureScaling(scatteredEdits, ([before, after]) => unifiedDiff('big', before, after), 2_000, 20_000);
    t.diagnostic(describeScaling(scaling, 2_000, 20_000));
    assert.ok(scaling.ratio < 30, describeScaling(scaling, 2_000, 20_000));
  });
});
