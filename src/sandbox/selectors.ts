// `labelSelector` and `fieldSelector` query parameters, parsed once per request into predicates.
// Label syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (absent).
// Field selectors support `=`, `==`, `!=` on metadata.name / metadata.namespace and, like the
// real server for a few kinds, simple dotted paths such as status.phase or spec.nodeName.

import { badRequest } from './apiStatus';
import { isRecord, type KubeObject } from './kubeObject';

export type ObjectPredicate = (object: KubeObject) => boolean;

type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' };

// Splits on commas that are not inside parentheses.
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += char;
  }
  terms.push(current);
  return terms.map((term) => term.trim()).filter((term) => term !== '');
}

function parseLabelTerm(term: string): LabelRequirement {
  const setMatch = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (setMatch) {
    const values = setMatch[3]
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    return { key: setMatch[1], op: setMatch[2] === 'in' ? 'in' : 'notin', values };
  }
  const inequality = /^([^\s!=(),]+)\s*!=\s*([^\s!=(),]*)$/.exec(term);
  if (inequality) return { key: inequality[1], op: 'neq', value: inequality[2] };
  const equality = /^([^\s!=(),]+)\s*==?\s*([^\s!=(),]*)$/.exec(term);
  if (equality) return { key: equality[1], op: 'eq', value: equality[2] };
  const absent = /^!\s*([^\s!=(),]+)$/.exec(term);
  if (absent) return { key: absent[1], op: 'absent' };
  if (/^[^\s!=(),]+$/.test(term)) return { key: term, op: 'exists' };
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}

function matchesRequirement(labels: Record<string, string>, requirement: LabelRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.op) {
    case 'eq':
      return has && value === requirement.value;
    case 'neq':
      return !has || value !== requirement.value;
    case 'in':
      return has && requirement.values.includes(value);
    case 'notin':
      return !has || !requirement.values.includes(value);
    case 'exists':
      return has;
    case 'absent':
      return !has;
  }
}

export function parseLabelSelector(selector: string | null | undefined): ObjectPredicate | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const requirements = splitTerms(selector).map(parseLabelTerm);
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((requirement) => matchesRequirement(labels, requirement));
  };
}

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) current = isRecord(current) ? current[part] : undefined;
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : String(current);
}

export function parseFieldSelector(selector: string | null | undefined): ObjectPredicate | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const checks = splitTerms(selector).map((term) => {
    const match = /^([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, path, op, value] = match;
    return { path, negate: op === '!=', value: value.trim() };
  });
  return (object) => checks.every((check) => (fieldValue(object, check.path) === check.value) !== check.negate);
}

/** Both selectors combined; undefined when neither was given. */
export function objectFilter(labelSelector: string | null | undefined, fieldSelector: string | null | undefined): ObjectPredicate | undefined {
  const byLabel = parseLabelSelector(labelSelector);
  const byField = parseFieldSelector(fieldSelector);
  if (byLabel && byField) return (object) => byLabel(object) && byField(object);
  return byLabel ?? byField;
}
