// The top of the preview: heading and sides, notices (progress, errors, "already in sync", notes,
// the target's drift, protection), the outcome once the plan ran, and the summary counts.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { h, replaceChildren } from '../dom';
import type { PreviewViewModel } from './protocol';

export interface Transient {
  busy: string;
  error: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderTitle(container: HTMLElement, model: PreviewViewModel | undefined): void {
  if (!model) {
    replaceChildren(container, h('h1', {}, 'Promotion preview'));
    return;
  }
  const layout =
    model.target.kind === 'rollback'
      ? 'restores the earlier state in one new commit'
      : model.layout === 'branch'
        ? 'merge of the branch'
        : model.layout === 'image'
          ? 'image changes only'
          : model.values.length > 0
            ? 'folder, value by value (identity and own values stay)'
            : 'folder copy';
  const from = model.target.kind === 'rollback' ? `${model.to} as of ${model.source.shortCommit}` : `${model.from} (${model.source.ref} ${model.source.shortCommit})`;
  replaceChildren(
    container,
    h('h1', {}, model.heading),
    h('span', { class: 'subtitle' }, `${from} → ${model.to} (${model.base.ref} ${model.base.shortCommit}) · ${layout}`),
  );
}

export function renderNotices(container: HTMLElement, model: PreviewViewModel | undefined, transient: Transient): void {
  const notices: HTMLElement[] = [];
  if (transient.busy !== '') {
    notices.push(h('div', { class: 'busy-notice', role: 'status' }, h('vscode-progress-bar', { indeterminate: true, 'aria-label': transient.busy }), h('span', {}, transient.busy)));
  }
  if (transient.error !== '') {
    notices.push(h('div', { class: 'notice error', role: 'alert' }, h('span', {}, transient.error), h('button', { class: 'link', 'data-action': 'dismissError' }, 'Dismiss')));
  }
  if (model?.alreadyInSync) {
    notices.push(h('div', { class: 'notice in-sync', role: 'status' }, h('strong', {}, 'Already in sync. '), model.syncReason ?? `${model.to} already has everything ${model.from} has.`));
  }
  if (model?.outcome) notices.push(renderOutcome(model));
  if (model?.driftState) notices.push(h('div', { class: 'notice info' }, model.driftState));
  if (model && model.notes.length > 0) {
    notices.push(h('div', { class: 'notice warning' }, h('span', {}, 'Worth knowing:'), h('ul', {}, ...model.notes.map((n) => h('li', {}, n)))));
  }
  replaceChildren(container, ...notices);
}

function renderOutcome(model: PreviewViewModel): HTMLElement {
  const outcome = model.outcome;
  if (!outcome) return h('div');
  const text =
    outcome.number !== null
      ? `${outcome.action === 'updated' ? 'Updated' : 'Opened'} pull request #${outcome.number} into ${model.base.branch}.`
      : `Pushed ${outcome.headBranch} to ${outcome.remote}.${outcome.url ? ' Open the pull request on the host’s page.' : ' Open a pull request for it on your Git host.'}`;
  return h(
    'div',
    { class: 'notice outcome', role: 'status' },
    h('span', {}, text),
    outcome.url && h('vscode-button', { 'data-action': 'openOutcome' }, outcome.number !== null ? 'Open Pull Request' : 'Open Compare Page'),
    outcome.warnings.length > 0 && h('ul', {}, ...outcome.warnings.map((w) => h('li', {}, w))),
  );
}

export function renderSummary(container: HTMLElement, model: PreviewViewModel | undefined): void {
  if (!model) {
    replaceChildren(container);
    return;
  }
  const s = model.summary;
  const chip = (label: string, value: string, title: string) => h('span', { class: 'stat-chip', title }, h('span', {}, label), h('vscode-badge', { variant: 'counter' }, value));
  const chips = [
    chip('Files', s.filesSelected === s.filesTotal ? String(s.filesTotal) : `${s.filesSelected}/${s.filesTotal}`, `${s.filesSelected} of ${plural(s.filesTotal, 'file')} selected`),
    h('span', { class: 'stat-lines', title: 'Lines added and removed by the selected files' }, h('span', { class: 'ins' }, `+${s.insertions}`), ' ', h('span', { class: 'del' }, `−${s.deletions}`)),
  ];
  if (s.valuesTotal > 0) chips.push(chip('Values', `${s.valuesSelected}/${s.valuesTotal}`, `${s.valuesSelected} of ${plural(s.valuesTotal, 'differing value')} promoted; the rest are ${model.to}'s identity or its own`));
  if (model.layout === 'image') chips.push(chip('Images', `${s.imagesSelected}/${s.imagesTotal}`, `${s.imagesSelected} of ${plural(s.imagesTotal, 'image change')} selected`));
  chips.push(chip('Commits', String(s.commits), model.target.kind === 'rollback' ? `${plural(s.commits, 'commit')} this rollback undoes` : `${plural(s.commits, 'commit')} this promotion brings`));
  replaceChildren(container, ...chips);
}
