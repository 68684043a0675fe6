// What applying the promoted target would change in its cluster (server dry-run of the rendered
// "after" against live), one line per object as Preview Impact's report says it. It follows the
// render: until the render is ready it says it is coming; "no cluster" and "unreachable" say why.
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { h, replaceChildren } from '../dom';
import type { PreviewViewModel } from './protocol';

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

export function renderLive(container: HTMLElement, model: PreviewViewModel): void {
  const heading = h('h2', {}, `Live impact on ${model.to}'s cluster`);
  const view = model.live;
  switch (view.state) {
    case 'pending':
      replaceChildren(container, heading, h('div', { class: 'busy-notice', role: 'status' }, h('vscode-progress-bar', { indeterminate: true, 'aria-label': 'Checking the cluster' }), h('span', {}, `Asking ${model.to}'s cluster what applying would change…`)));
      return;
    case 'off':
      replaceChildren(container, heading, h('p', { class: 'muted' }, view.reason));
      return;
    case 'none':
    case 'unreachable':
      replaceChildren(container, heading, h('div', { class: view.state === 'unreachable' ? 'notice warning' : 'muted' }, ...view.lines.map((line) => h('p', {}, line))));
      return;
    case 'checked': {
      const counts = [view.drift > 0 && `overwrites ${plural(view.drift, 'drifted field')}`, view.refused > 0 && `${plural(view.refused, 'object')} refused by the server`].filter((t): t is string => typeof t === 'string');
      replaceChildren(
        container,
        heading,
        counts.length > 0 && h('div', { class: 'notice warning' }, `Applying ${counts.join(', ')}.`),
        h('ul', { class: 'live-lines' }, ...view.lines.map((line) => h('li', {}, line))),
      );
      return;
    }
  }
}
