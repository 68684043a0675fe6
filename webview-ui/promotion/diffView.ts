// Unified diffs as preformatted text, one span per line so additions, deletions and hunk headers
// take the theme's diff colours. Text nodes only: a diff quotes the user's files, never markup.
import { h } from '../dom';

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-context';
}

/** A `<pre>` of the diff; `truncated` adds a line saying it was cut. */
export function renderDiff(text: string, truncated: boolean, label: string): HTMLElement {
  const pre = h('pre', { class: 'diff', tabindex: '0', 'aria-label': label });
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  for (const line of lines) pre.append(h('span', { class: lineClass(line) }, `${line}\n`));
  if (truncated) pre.append(h('span', { class: 'diff-cut' }, '… (cut: the rest is too long to show)\n'));
  return pre;
}
