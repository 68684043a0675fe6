// Words and symbols the report shows. Pure (no DOM), so the wording is tested in Node. Every status
// has a word as well as a glyph and a colour: colour alone does not survive high-contrast themes
// or colour blindness.
import type { ReportStatus, ReportTarget, ReportViewModel, ResourceView, ValueView } from './protocol';

export const STATUS_LABEL: Record<ReportStatus, string> = {
  InSync: 'In sync',
  Drifted: 'Drifted',
  Missing: 'Missing',
  Extra: 'Extra',
  Unknown: 'Unknown',
  Invalid: 'Invalid',
};

/** A change's impact (A = the render at head, B = at base): what the change does to each resource. */
const PREVIEW_LABEL: Record<ReportStatus, string> = { InSync: 'Unchanged', Drifted: 'Changed', Missing: 'Added', Extra: 'Removed', Unknown: 'Unknown', Invalid: 'Invalid' };
const PREVIEW_HINT: Record<ReportStatus, string> = {
  InSync: 'The change leaves it as it is',
  Drifted: 'The change modifies it',
  Missing: 'The change adds it',
  Extra: 'The change removes it',
  Unknown: 'Could not be compared',
  Invalid: 'The API server would refuse it',
};

/** The word for a status: a comparison of two environments says Same / Differs / Only in A, a change's impact Added / Changed / Removed, not drift words. */
export function statusLabel(status: ReportStatus, target: ReportTarget): string {
  if (target.kind === 'drift') return STATUS_LABEL[status];
  if (target.kind === 'preview') return PREVIEW_LABEL[status];
  switch (status) {
    case 'InSync':
      return 'Same';
    case 'Drifted':
      return 'Differs';
    case 'Missing':
      return `Only in ${target.from}`;
    case 'Extra':
      return `Only in ${target.to}`;
    case 'Unknown':
    case 'Invalid':
      return STATUS_LABEL[status];
  }
}

export const STATUS_GLYPH: Record<ReportStatus, string> = {
  InSync: '✓',
  Drifted: '●',
  Missing: '○',
  Extra: '+',
  Unknown: '?',
  Invalid: '✗',
};

export function statusHint(status: ReportStatus, target: ReportTarget): string {
  if (target.kind === 'preview') return PREVIEW_HINT[status];
  const [a, b] = target.kind === 'drift' ? ['Git', 'the cluster'] : [target.from, target.to];
  switch (status) {
    case 'InSync':
      return target.kind === 'drift' ? 'The cluster matches Git' : `Same in ${a} and ${b}`;
    case 'Drifted':
      return target.kind === 'drift' ? 'The cluster differs from Git' : `Differs between ${a} and ${b}`;
    case 'Missing':
      return `In ${a}, not in ${b}`;
    case 'Extra':
      return `In ${b}, not in ${a}`;
    case 'Unknown':
      return 'Could not be compared';
    case 'Invalid':
      return 'The API server would refuse it: fix it in Git';
  }
}

/** `namespace/name`, or `name` for a cluster-scoped object. */
export function resourceName(resource: ResourceView): string {
  return resource.namespace === '' ? resource.name : `${resource.namespace}/${resource.name}`;
}

export function resourceLocation(resource: ResourceView): string | undefined {
  if (resource.file === undefined) return undefined;
  return resource.line === undefined ? resource.file : `${resource.file}:${resource.line}`;
}

export interface ValueLabel {
  text: string;
  /** How the cell is styled: a plain value, a masked Secret value, or a missing side. */
  style: 'value' | 'masked' | 'absent';
}

export function valueLabel(value: ValueView, column: string): ValueLabel {
  switch (value.kind) {
    case 'absent':
      return { text: `(not in ${column})`, style: 'absent' };
    case 'masked':
      return { text: `differs · #${value.hash}`, style: 'masked' };
    case 'text':
      return { text: value.truncated ? `${value.text}…` : value.text, style: 'value' };
  }
}

export function syncLabel(report: Pick<ReportViewModel, 'operatorManaged'>): string {
  const operator = report.operatorManaged;
  if (!operator) return 'Sync';
  return `Ask ${operator.kind === 'argocd' ? 'Argo CD' : 'Flux'} to sync`;
}

export function fieldCountLabel(resource: ResourceView): string {
  const n = resource.fields.length;
  if (resource.status !== 'Drifted') return '';
  return n === 1 ? '1 field' : `${n} fields`;
}

/** "as of 10:42" today, "as of 3 May, 10:42" before; the host's clock and the user's locale. */
export function asOfLabel(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === now.toDateString() ? `as of ${time}` : `as of ${at.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}
