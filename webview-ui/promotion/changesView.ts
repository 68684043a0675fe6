// The files (and, in image mode, the image references) the plan changes, each with a checkbox.
// Ticking sends `select` to the host, which recomputes the plan and sends it back; the list is
// then redrawn from that answer, so what is shown is always what would run.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { h, replaceChildren } from '../dom';
import { renderDiff } from './diffView';
import type { FileRow, ImageRow, PreviewViewModel } from './protocol';

/** Rows drawn at first; "Show all" draws the rest (a plan of thousands of files stays responsive). */
export const FILE_PAGE = 300;

const ACTION_LETTER: Record<FileRow['action'], string> = { add: 'A', modify: 'M', delete: 'D' };
const ACTION_WORD: Record<FileRow['action'], string> = { add: 'added', modify: 'modified', delete: 'deleted' };

export interface ChangesContext {
  expanded: ReadonlySet<string>;
  limit: number;
  readOnly: boolean;
}

function fileRow(file: FileRow, model: PreviewViewModel, context: ChangesContext): HTMLElement {
  const open = context.expanded.has(file.path);
  const notes: string[] = [];
  if (file.excludedBy) notes.push(`left out by default (promotion.exclude: ${file.excludedBy})`);
  if (file.action === 'delete' && model.target.kind === 'promotion') notes.push(`only in ${model.to}: deleted only when ticked`);
  const row = h(
    'div',
    { class: `file action-${file.action}${file.selected ? '' : ' unselected'}`, role: 'listitem', 'data-path': file.path },
    h(
      'div',
      { class: 'file-line' },
      h('vscode-checkbox', {
        'data-action': 'toggleFile',
        'data-path': file.path,
        checked: file.selected,
        disabled: context.readOnly,
        label: file.path,
        'aria-label': `${file.selected ? 'Included' : 'Left out'}: ${file.path} (${ACTION_WORD[file.action]})`,
      }),
      h('span', { class: `action-letter action-${file.action}`, title: ACTION_WORD[file.action] }, ACTION_LETTER[file.action]),
      file.binary ? h('span', { class: 'muted' }, 'binary') : h('span', { class: 'stat-lines' }, h('span', { class: 'ins' }, `+${file.insertions}`), ' ', h('span', { class: 'del' }, `−${file.deletions}`)),
      ...notes.map((n) => h('span', { class: 'file-note' }, n)),
      !file.binary &&
        file.diff !== '' &&
        h('button', { class: 'link', 'data-action': 'toggleDiff', 'data-path': file.path, 'aria-expanded': String(open) }, open ? 'Hide diff' : 'Show diff'),
    ),
  );
  if (open && file.diff !== '') row.append(renderDiff(file.diff, file.diffTruncated, `Diff of ${file.path}`));
  return row;
}

export function renderFiles(container: HTMLElement, model: PreviewViewModel, context: ChangesContext): void {
  const { files } = model;
  if (files.length === 0) {
    replaceChildren(container, h('h2', {}, 'Files'), h('p', { class: 'muted' }, model.layout === 'branch' && model.summary.commits > 0 ? 'No file under the environment’s folder changes; the merge brings the commits only.' : 'No file changes.'));
    return;
  }
  const selected = files.filter((f) => f.selected).length;
  const shown = files.slice(0, context.limit);
  replaceChildren(
    container,
    h(
      'div',
      { class: 'section-title' },
      h('h2', {}, 'Files'),
      h('span', { class: 'muted' }, `${selected} of ${files.length} selected`),
      !context.readOnly && h('button', { class: 'link', 'data-action': 'selectAllFiles', disabled: selected === files.length }, 'Select all'),
      !context.readOnly && h('button', { class: 'link', 'data-action': 'selectNoFiles', disabled: selected === 0 }, 'Select none'),
    ),
    h('div', { class: 'file-list', role: 'list', 'aria-label': 'Files' }, ...shown.map((f) => fileRow(f, model, context))),
    files.length > shown.length && h('button', { class: 'link show-more', 'data-action': 'showAllFiles' }, `Show all ${files.length} files`),
  );
}

function imageRow(image: ImageRow, readOnly: boolean): HTMLElement {
  return h(
    'div',
    { class: `image${image.selected ? '' : ' unselected'}`, role: 'listitem', 'data-id': image.id },
    h('vscode-checkbox', { 'data-action': 'toggleImage', 'data-id': image.id, checked: image.selected, disabled: readOnly, label: `${image.name} (${image.field})` }),
    h('span', { class: 'image-change' }, h('code', {}, image.from ?? '(none)'), ' → ', h('code', {}, image.to ?? '(removed)')),
    h('span', { class: 'muted' }, `${image.file}:${image.line}`),
  );
}

export function renderImages(container: HTMLElement, model: PreviewViewModel, readOnly: boolean): void {
  if (model.layout !== 'image') {
    replaceChildren(container);
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const selected = model.images.filter((i) => i.selected).length;
  replaceChildren(
    container,
    h('div', { class: 'section-title' }, h('h2', {}, 'Images'), h('span', { class: 'muted' }, `${selected} of ${model.images.length} selected`)),
    model.images.length === 0 ? h('p', { class: 'muted' }, 'No image differs.') : h('div', { class: 'image-list', role: 'list', 'aria-label': 'Image changes' }, ...model.images.map((i) => imageRow(i, readOnly))),
  );
}
