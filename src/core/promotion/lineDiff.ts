// Unified diffs of two texts (Myers' O(ND) algorithm), for the preview and the PR body. Kept in
// the core so the plan carries its diff as data, with no `git diff` process per file.

export interface LineDiffResult {
  /** Unified diff with `--- a/` `+++ b/` headers; '' when the texts are equal. */
  text: string;
  insertions: number;
  deletions: number;
  truncated: boolean;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Edit script between two line arrays; falls back to "replace everything" beyond `maxCost` edits. */
function editScript(a: readonly string[], b: readonly string[], maxCost: number): Op[] {
  // Common prefix and suffix first: promotion diffs are usually a few lines in a long file.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  const tail: Op[] = a.slice(endA).map((line) => ({ kind: ' ', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  return [...head, ...myers(midA, midB, maxCost), ...tail];
}

function myers(a: readonly string[], b: readonly string[], maxCost: number): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ kind: '+', line }));
  if (m === 0) return a.map((line) => ({ kind: '-', line }));
  const max = Math.min(n + m, maxCost);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    // Too different to be worth aligning: show it as a replacement.
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && prev[offset + k - 1] < prev[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = prev[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

export interface UnifiedDiffOptions {
  context?: number;
  /** Cut the diff text after this many characters (counts stay exact). */
  maxChars?: number;
  /** Edits beyond which the texts are shown as replaced wholesale. */
  maxCost?: number;
}

/**
 * Texts larger than this together are not diffed line by line: a 50 MB file would need hundreds
 * of megabytes of edit script. They are counted as replaced and the diff says why.
 */
export const MAX_DIFF_INPUT_CHARS = 4 * 1024 * 1024;

function lineCount(text: string | null): number {
  if (!text) return 0;
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return text.endsWith('\n') ? count : count + 1;
}

/** A `git diff`-style unified diff of `before` → `after` for one file; null sides mean absent. */
export function unifiedDiff(path: string, before: string | null, after: string | null, options: UnifiedDiffOptions = {}): LineDiffResult {
  const size = (before?.length ?? 0) + (after?.length ?? 0);
  if (size > MAX_DIFF_INPUT_CHARS) {
    if (before === after) return { text: '', insertions: 0, deletions: 0, truncated: false };
    const header = `${before === null ? '--- /dev/null' : `--- a/${path}`}\n${after === null ? '+++ /dev/null' : `+++ b/${path}`}\n`;
    return { text: `${header}(${(size / 1048576).toFixed(1)} MB: too large to show line by line)\n`, insertions: lineCount(after), deletions: lineCount(before), truncated: true };
  }
  const context = options.context ?? 3;
  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  const a = splitLines(before ?? '');
  const b = splitLines(after ?? '');
  const ops = editScript(a, b, options.maxCost ?? 4000);
  let insertions = 0;
  let deletions = 0;
  for (const op of ops) {
    if (op.kind === '+') insertions++;
    else if (op.kind === '-') deletions++;
  }
  if (insertions === 0 && deletions === 0 && (before === null) === (after === null)) return { text: '', insertions, deletions, truncated: false };
  const lines: string[] = [before === null ? '--- /dev/null' : `--- a/${path}`, after === null ? '+++ /dev/null' : `+++ b/${path}`];
  // Group changes into hunks with `context` lines around them.
  let i = 0;
  let oldLine = 1;
  let newLine = 1;
  const positions = ops.map((op) => {
    const at = { op, oldLine, newLine };
    if (op.kind !== '+') oldLine++;
    if (op.kind !== '-') newLine++;
    return at;
  });
  while (i < positions.length) {
    while (i < positions.length && positions[i].op.kind === ' ') i++;
    if (i >= positions.length) break;
    const hunkStart = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2 × context lines.
    for (;;) {
      while (end < positions.length && positions[end].op.kind !== ' ') end++;
      let next = end;
      while (next < positions.length && positions[next].op.kind === ' ') next++;
      if (next < positions.length && next - end <= 2 * context) end = next;
      else break;
    }
    const hunkEnd = Math.min(positions.length, end + context);
    const slice = positions.slice(hunkStart, hunkEnd);
    const oldCount = slice.filter((p) => p.op.kind !== '+').length;
    const newCount = slice.filter((p) => p.op.kind !== '-').length;
    const oldStart = oldCount === 0 ? slice[0].oldLine - 1 : slice[0].oldLine;
    const newStart = newCount === 0 ? slice[0].newLine - 1 : slice[0].newLine;
    lines.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const p of slice) lines.push(`${p.op.kind}${p.op.line}`);
    i = hunkEnd;
  }
  let text = `${lines.join('\n')}\n`;
  let truncated = false;
  if (text.length > maxChars) {
    const cut = text.lastIndexOf('\n', maxChars);
    text = `${text.slice(0, cut > 0 ? cut + 1 : maxChars)}… (diff cut)\n`;
    truncated = true;
  }
  return { text, insertions, deletions, truncated };
}

/** True when a buffer-derived text looks binary (a NUL in the first 8 KB, as git decides). */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}
