// The pull request's title and description (editable), its base and head branches, labels and
// reviewers, and the primary "Open Pull Request" button. Built once: re-creating the fields on
// every plan update would steal the user's focus and caret. The generated text follows the ticks
// until the user edits it; an edited text is kept (and saved with the panel's state).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { h, replaceChildren } from '../dom';
import type { PreviewViewModel } from './protocol';

export interface PullRequestText {
  /** null = follow the generated text. */
  title: string | null;
  body: string | null;
}

export class PullRequestForm {
  readonly element: HTMLElement;
  readonly actions: HTMLElement;
  private readonly meta = h('div', { class: 'pr-meta' });
  private readonly title: VscodeTextfield;
  private readonly body: VscodeTextarea;
  private readonly editedNote: HTMLElement;
  private readonly executeButton: HTMLElement;
  private readonly blockedNote = h('span', { class: 'blocked-note' });
  private model: PreviewViewModel | undefined;

  constructor(
    private text: PullRequestText,
    private readonly onEdit: (text: PullRequestText) => void,
  ) {
    this.title = h('vscode-textfield', { class: 'pr-title', label: 'Pull request title', 'aria-label': 'Pull request title', 'data-field': 'title' });
    this.body = h('vscode-textarea', { class: 'pr-body', rows: '16', monospace: true, resize: 'vertical', 'aria-label': 'Pull request description', 'data-field': 'body' });
    this.editedNote = h(
      'div',
      { class: 'edited-note', hidden: true },
      'You edited the description: it no longer follows the ticks above. ',
      h('button', { class: 'link', 'data-action': 'resetBody' }, 'Use the generated description'),
    );
    this.executeButton = h('vscode-button', { 'data-action': 'execute' }, 'Open Pull Request');
    this.element = h(
      'section',
      { class: 'pull-request', 'aria-label': 'Pull request' },
      h('h2', {}, 'Pull request'),
      this.meta,
      h('label', { class: 'field-label' }, 'Title'),
      this.title,
      h('label', { class: 'field-label' }, 'Description'),
      this.body,
      this.editedNote,
    );
    this.actions = h('div', { class: 'actions' }, this.executeButton, this.blockedNote);
    this.title.addEventListener('input', () => this.edited());
    this.body.addEventListener('input', () => this.edited());
  }

  private edited(): void {
    const model = this.model;
    if (!model) return;
    const title = this.title.value === model.pullRequest.title ? null : this.title.value;
    const body = this.body.value === model.pullRequest.body ? null : this.body.value;
    this.text = { title, body };
    this.editedNote.hidden = body === null;
    this.onEdit(this.text);
  }

  resetBody(): void {
    this.text = { ...this.text, body: null };
    if (this.model) this.body.value = this.model.pullRequest.body;
    this.editedNote.hidden = true;
    this.onEdit(this.text);
  }

  /** What to open the pull request with. */
  values(): { title: string; body: string } {
    const model = this.model;
    const title = this.title.value.trim() || model?.pullRequest.title || '';
    return { title, body: this.body.value };
  }

  update(model: PreviewViewModel, busy: boolean): void {
    this.model = model;
    const hidden = model.alreadyInSync || model.outcome !== null;
    this.element.hidden = model.alreadyInSync;
    // Only the generated parts follow the plan; the user's edits stay as typed.
    if (this.text.title === null && this.title.value !== model.pullRequest.title) this.title.value = model.pullRequest.title;
    else if (this.text.title !== null && this.title.value !== this.text.title) this.title.value = this.text.title;
    if (this.text.body === null && this.body.value !== model.pullRequest.body) this.body.value = model.pullRequest.body;
    else if (this.text.body !== null && this.body.value !== this.text.body) this.body.value = this.text.body;
    this.editedNote.hidden = this.text.body === null;
    const labels = model.pullRequest.labels.length ? `labels ${model.pullRequest.labels.join(', ')}` : 'no labels';
    const reviewers = model.pullRequest.reviewers.length ? `reviewers ${model.pullRequest.reviewers.join(', ')}` : 'no reviewers';
    replaceChildren(
      this.meta,
      h('span', {}, 'Into '),
      h('code', { title: 'Base branch (target)' }, model.base.branch),
      h('span', {}, ' from '),
      h('code', { title: 'Head branch, pushed to the remote' }, model.headBranch),
      h('span', {}, ` on ${model.hostName} · ${labels} · ${reviewers} (gitops.yaml promotion:)`),
    );
    this.actions.hidden = hidden;
    const blocked = model.executeBlocked ?? (busy ? 'Working…' : null);
    if (blocked !== null || busy) this.executeButton.setAttribute('disabled', '');
    else this.executeButton.removeAttribute('disabled');
    const protectedNote = model.protected ? `${model.to} is protected: you will be asked to type its name.` : '';
    this.blockedNote.textContent = blocked ?? protectedNote;
  }
}
