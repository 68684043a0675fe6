// The target rendered before and after the plan (kustomize build, helm template or plain
// manifests): which objects are added, removed or changed, and the YAML diff of the changed ones.
// It arrives after the plan (rendering takes a moment); until then it says it is coming.
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { h, replaceChildren } from '../dom';
import { renderDiff } from './diffView';
import type { PreviewViewModel } from './protocol';

function objectList(title: string, items: readonly string[], className: string): HTMLElement | false {
  return items.length > 0 && h('div', { class: `object-list ${className}` }, h('span', { class: 'object-list-title' }, `${title}:`), ...items.map((i) => h('code', {}, i)));
}

export function renderRendered(container: HTMLElement, model: PreviewViewModel): void {
  const heading = h('h2', {}, `Rendered ${model.to}: before → after`);
  const view = model.rendered;
  switch (view.state) {
    case 'pending':
      replaceChildren(container, heading, h('div', { class: 'busy-notice', role: 'status' }, h('vscode-progress-bar', { indeterminate: true, 'aria-label': 'Rendering' }), h('span', {}, `Rendering ${model.to} before and after…`)));
      return;
    case 'off':
      replaceChildren(container, heading, h('p', { class: 'muted' }, view.reason));
      return;
    case 'failed':
      replaceChildren(container, heading, h('div', { class: 'notice warning' }, `Could not render: ${view.reason}`));
      return;
    case 'ready': {
      const counts = `${view.renderer}: ${view.changed.length} changed, ${view.added.length} added, ${view.removed.length} removed, ${view.unchanged} unchanged`;
      replaceChildren(
        container,
        heading,
        h('p', {}, counts),
        objectList('Changed', view.changed, 'changed'),
        objectList('Added', view.added, 'added'),
        objectList('Removed', view.removed, 'removed'),
        view.problems.length > 0 && h('div', { class: 'notice warning' }, h('span', {}, 'Rendering problems:'), h('ul', {}, ...view.problems.map((p) => h('li', {}, p)))),
        view.text !== '' && h('details', { class: 'rendered-diff' }, h('summary', {}, 'Rendered diff'), renderDiff(view.text, view.truncated, `Rendered diff of ${model.to}`)),
      );
      return;
    }
  }
}
