// The commits a promotion brings (or a rollback undoes), newest first.
import { h, replaceChildren } from '../dom';
import type { PreviewViewModel } from './protocol';

function shortDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

export function renderCommits(container: HTMLElement, model: PreviewViewModel): void {
  const total = model.summary.commits;
  const heading = model.target.kind === 'rollback' ? 'Commits undone' : 'Commits';
  if (total === 0) {
    replaceChildren(container, h('h2', {}, heading), h('p', { class: 'muted' }, model.target.kind === 'rollback' ? 'No commit touched the environment since then.' : 'No commit is waiting.'));
    return;
  }
  replaceChildren(
    container,
    h('div', { class: 'section-title' }, h('h2', {}, heading), h('span', { class: 'muted' }, model.commits.length < total ? `${model.commits.length} newest of ${total}` : String(total))),
    h(
      'ol',
      { class: 'commit-list', 'aria-label': heading },
      ...model.commits.map((c) =>
        h('li', { class: 'commit', title: c.sha }, h('code', { class: 'sha' }, c.shortSha), h('span', { class: 'subject' }, c.subject || '(no subject)'), h('span', { class: 'muted' }, `${c.author} · ${shortDate(c.date)}`)),
      ),
    ),
  );
}
