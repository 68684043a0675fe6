// The values a folder promotion writes, value by value, grouped by file: each with its class
// (identity — names the environment; own — sizing, kept, never flowed; flows — promoted) and its
// own checkbox. Above everything, the plan's safety checks, and for an identity change the
// explicit "Allow identity change" tick without which the pull request cannot be opened.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { h, replaceChildren } from '../dom';
import type { PreviewViewModel, ValueClassName, ValueRow, WarningCodeName } from './protocol';

const CLASS_LABEL: Record<ValueClassName, string> = { identity: 'identity', own: 'own', flows: 'flows' };
const CLASS_TITLE: Record<ValueClassName, string> = {
  identity: 'Names the environment, its tier or region: never copied unless you tick it',
  own: 'The environment’s own (sizing, promotion.keep, or it never flowed): not copied unless you tick it',
  flows: 'Promoted: image tags, chart versions, settings',
};
const WARNING_TITLE: Record<WarningCodeName, string> = {
  'image-downgrade': 'Image downgrade',
  'chart-downgrade': 'Chart downgrade',
  'identity-change': 'Identity change',
  'target-ahead': 'Target ahead',
  'invalid-objects': 'Invalid objects',
};

export function renderWarnings(container: HTMLElement, model: PreviewViewModel, readOnly: boolean): void {
  if (model.warnings.length === 0) {
    replaceChildren(container);
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const identity = model.identityChange;
  replaceChildren(
    container,
    h(
      'div',
      { class: `notice warning plan-warnings${identity && !identity.allowed ? ' blocking' : ''}`, role: 'alert' },
      h('strong', {}, `${model.warnings.length} warning${model.warnings.length === 1 ? '' : 's'}`),
      h('ul', {}, ...model.warnings.map((w) => h('li', { class: `warning-${w.code}`, 'data-code': w.code }, h('strong', {}, `${WARNING_TITLE[w.code]}: `), w.message))),
      identity &&
        h(
          'div',
          { class: 'identity-allow' },
          h('vscode-checkbox', {
            'data-action': 'allowIdentityChange',
            checked: identity.allowed,
            disabled: readOnly,
            label: `Allow identity change: I mean to change ${model.to}'s names, namespace or objects`,
          }),
          !identity.allowed && h('span', { class: 'muted' }, 'The pull request cannot be opened until this is ticked or the identity values are unticked.'),
        ),
    ),
  );
}

function change(value: ValueRow): HTMLElement {
  if (value.op === 'add') return h('span', { class: 'value-change' }, h('span', { class: 'muted' }, '(new) '), h('code', {}, value.to ?? ''));
  if (value.op === 'remove') return h('span', { class: 'value-change' }, h('code', {}, value.from ?? ''), h('span', { class: 'muted' }, ' → (removed)'));
  return h('span', { class: 'value-change' }, h('code', {}, value.from ?? ''), ' → ', h('code', {}, value.to ?? ''));
}

function valueRow(value: ValueRow, readOnly: boolean): HTMLElement {
  return h(
    'div',
    { class: `value class-${value.class}${value.selected ? '' : ' unselected'}`, role: 'listitem', 'data-id': value.id, 'data-class': value.class },
    h('vscode-checkbox', {
      'data-action': 'toggleValue',
      'data-id': value.id,
      checked: value.selected,
      disabled: readOnly,
      label: value.path,
      'aria-label': `${value.selected ? 'Promoted' : 'Kept'} (${value.class}): ${value.path} in ${value.file}`,
    }),
    h('span', { class: `value-class class-${value.class}`, title: CLASS_TITLE[value.class] }, CLASS_LABEL[value.class]),
    change(value),
    h('span', { class: 'muted value-reason' }, value.reason),
    h('span', { class: 'muted' }, `line ${value.line}`),
  );
}

export function renderValues(container: HTMLElement, model: PreviewViewModel, readOnly: boolean): void {
  if (model.values.length === 0) {
    replaceChildren(container);
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const byFile = new Map<string, ValueRow[]>();
  for (const value of model.values) byFile.set(value.file, [...(byFile.get(value.file) ?? []), value]);
  const count = (c: ValueClassName): number => model.values.filter((v) => v.class === c).length;
  replaceChildren(
    container,
    h(
      'div',
      { class: 'section-title' },
      h('h2', {}, 'Values'),
      h('span', { class: 'muted' }, `${model.summary.valuesSelected} of ${model.summary.valuesTotal} promoted · ${count('flows')} flow, ${count('identity')} identity, ${count('own')} ${model.to}'s own`),
    ),
    h(
      'div',
      { class: 'value-files' },
      ...[...byFile].map(([file, values]) =>
        h('div', { class: 'value-file', 'data-path': file }, h('div', { class: 'value-file-name' }, h('code', {}, file)), h('div', { class: 'value-list', role: 'list', 'aria-label': `Values of ${file}` }, ...values.map((v) => valueRow(v, readOnly)))),
      ),
    ),
  );
}
