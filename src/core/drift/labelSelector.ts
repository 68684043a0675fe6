// Kubernetes label selector strings (`app=web,tier!=db,env in (dev,qa),!legacy`): which live
// objects belong to an environment, and Flux ignore-rule targets.

export class LabelSelectorError extends Error {
  constructor(readonly selector: string, detail: string) {
    super(`label selector "${selector}": ${detail}`);
    this.name = 'LabelSelectorError';
  }
}

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

export type LabelMatcher = (labels: Readonly<Record<string, string>> | undefined) => boolean;

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const SET_TERM = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const EQUALITY_TERM = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*([-A-Za-z0-9_.]*)$`);
const EXISTS_TERM = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

function parseTerm(selector: string, term: string): Requirement {
  let match = SET_TERM.exec(term);
  if (match) {
    const [, key, op, list] = match;
    // An empty member is the empty value, as in Kubernetes' parser: `(a,)` is {a, ""}, `()` is {""}.
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (labels) => key in labels && values.has(labels[key]) : (labels) => !(key in labels) || !values.has(labels[key]);
  }
  match = EQUALITY_TERM.exec(term);
  if (match) {
    const [, key, op, value] = match;
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  match = EXISTS_TERM.exec(term);
  if (match) {
    const [, not, key] = match;
    return not ? (labels) => !(key in labels) : (labels) => key in labels;
  }
  throw new LabelSelectorError(selector, `cannot read "${term}"; write key=value, key!=value, key in (a,b), key notin (a,b), key or !key`);
}

/** Parses a selector; an empty selector matches everything, as in Kubernetes. */
export function parseLabelSelector(selector: string): LabelMatcher {
  const requirements = splitTerms(selector).map((term) => parseTerm(selector, term));
  return (labels) => {
    const actual = labels ?? {};
    return requirements.every((requirement) => requirement(actual));
  };
}
