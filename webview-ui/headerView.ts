// The top of the report: title and time, notices (stale data, approximate verdicts, the operator
// that reconciles the environment, rule problems, errors, progress) and the per-status counts,
// which double as a status filter.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { h, replaceChildren } from './dom';
import { asOfLabel, statusHint, STATUS_GLYPH, statusLabel } from './format';
import { REPORT_STATUSES, type ReportViewModel } from './protocol';
import type { StatusFilter } from './uiState';

export function renderTitle(container: HTMLElement, report: ReportViewModel | undefined): void {
  if (!report) {
    replaceChildren(container, h('h1', {}, 'Drift report'));
    return;
  }
  const total = report.resources.length;
  replaceChildren(container, h('h1', {}, report.title), h('span', { class: 'subtitle' }, `${total} resource${total === 1 ? '' : 's'} · ${asOfLabel(report.asOf)}`));
}

export interface Transient {
  busy: string;
  error: string;
}

function operatorNotice(report: ReportViewModel): string | undefined {
  const op = report.operatorManaged;
  if (!op) return undefined;
  const who = op.kind === 'argocd' ? `Argo CD Application ${op.name}` : `Flux Kustomization ${op.name}`;
  return `${who} reconciles this environment: Sync asks it to sync instead of applying from here.`;
}

export function renderNotices(container: HTMLElement, report: ReportViewModel | undefined, transient: Transient): void {
  const notices: HTMLElement[] = [];
  if (transient.busy !== '') {
    notices.push(h('div', { class: 'busy-notice', role: 'status' }, h('vscode-progress-bar', { indeterminate: true, 'aria-label': transient.busy }), h('span', {}, transient.busy)));
  }
  if (transient.error !== '') {
    notices.push(
      h('div', { class: 'notice error', role: 'alert' }, h('span', {}, transient.error), h('button', { class: 'link', 'data-action': 'dismissError' }, 'Dismiss')),
    );
  }
  if (report?.stale) {
    const what = report.fromSnapshot ? `the last-known results, saved ${asOfLabel(report.asOf)}` : `results ${asOfLabel(report.asOf)}`;
    notices.push(h('div', { class: 'notice warning', role: 'status' }, `The cluster cannot be reached: showing ${what}.`));
  }
  if (report?.approximate) {
    notices.push(h('div', { class: 'notice info' }, 'Some verdicts are approximate (≈): compared without a server dry-run, so admission webhooks and server defaults are not seen.'));
  }
  const operator = report && operatorNotice(report);
  if (operator) notices.push(h('div', { class: 'notice info' }, operator));
  if (report?.readOnly && report.target.kind === 'drift') {
    notices.push(h('div', { class: 'notice info' }, 'Read-only: sync and accept-live are off for this environment.'));
  }
  if (report?.live && report.live.length > 0) {
    notices.push(h('div', { class: 'notice info' }, h('span', {}, 'In the cluster:'), h('ul', {}, ...report.live.map((line) => h('li', {}, line)))));
  }
  if (report && report.problems.length > 0) {
    const heading = report.target.kind === 'preview' ? 'Problems:' : 'Ignore rules not applied:';
    notices.push(h('div', { class: 'notice warning' }, h('span', {}, heading), h('ul', {}, ...report.problems.map((p) => h('li', {}, p)))));
  }
  replaceChildren(container, ...notices);
}

export function renderCounts(container: HTMLElement, report: ReportViewModel | undefined, status: StatusFilter): void {
  if (!report) {
    replaceChildren(container);
    return;
  }
  const chips = REPORT_STATUSES.map((s) =>
    h(
      'button',
      { class: `chip status-${s}`, 'data-action': 'status', 'data-status': s, 'aria-pressed': String(status === s), title: `${statusHint(s, report.target)} — show only these` },
      h('span', { class: 'glyph', 'aria-hidden': 'true' }, STATUS_GLYPH[s]),
      h('span', {}, statusLabel(s, report.target)),
      h('vscode-badge', { variant: 'counter' }, String(report.counts[s])),
    ),
  );
  replaceChildren(container, ...chips);
}
