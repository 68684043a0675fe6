// Expands Argo CD ApplicationSet generators offline, from the repository's own files: list, git
// directories (globs, `exclude: true`), git files (JSON/YAML whose fields become parameters),
// matrix and merge of those. Generators that need a cluster (clusters, clusterDecisionResource)
// or a Git host (scmProvider, pullRequest) or a plugin are reported, never guessed.
// Parameters follow Argo CD's two template modes: fasttemplate (`{{path.basename}}`,
// `{{path[1]}}`, flattened keys) and goTemplate (`{{.path.basename}}`, `{{index .path.segments 1}}`).
import { parse as parseYaml } from 'yaml';

export type Params = Record<string, unknown>;

export interface GeneratorProblem {
  /** JSON pointer inside the ApplicationSet (`/spec/generators/0/git`). */
  pointer: string;
  message: string;
  hint: string;
}

export interface ExpansionInput {
  goTemplate: boolean;
  /** Every file of the repository (repository-relative POSIX paths). */
  files: readonly string[];
  /** Every folder of the repository that holds a file, directly or below. */
  folders: ReadonlySet<string>;
  /** Text of a repository file; undefined when it cannot be read. */
  readFile: (path: string) => Promise<string | undefined>;
  /** False when the generator's repoURL names another repository (its files are not here). */
  isThisRepository: (repoUrl: string | null) => boolean;
}

export interface ExpandedParams {
  params: Params;
  /** Pointer of what produced them (a list element, a matched folder's generator). */
  pointer: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const MAX_PARAM_SETS = 5000;

/** Generators that cannot be expanded from the repository alone, and what they need. */
const NEEDS: Record<string, string> = {
  clusters: 'needs the cluster (the clusters registered in Argo CD)',
  clusterDecisionResource: 'needs the cluster (a resource in the cluster decides)',
  scmProvider: 'needs the host (the repositories of an organisation on the Git host)',
  pullRequest: 'needs the host (the open pull requests on the Git host)',
  plugin: 'needs the plugin (a service that answers at sync time)',
};

/** A glob of Argo CD's git generator as a regular expression: `*` within a segment, `**` across. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function normalizeGlob(path: string): string {
  return path.trim().replace(/^\.\//, '').replace(/\/+$/, '');
}

/** The parameters Argo CD gives a folder or file path, in the template mode of the ApplicationSet. */
export function pathParams(path: string, goTemplate: boolean, file?: string): Params {
  const segments = path === '' ? [] : path.split('/');
  const basename = segments[segments.length - 1] ?? '';
  const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9-.]/g, '-');
  const fields: Params = { path, basename, basenameNormalized: normalize(basename), segments };
  if (file !== undefined) Object.assign(fields, { filename: file, filenameNormalized: normalize(file) });
  if (goTemplate) return { path: fields };
  const flat: Params = { path, 'path.basename': basename, 'path.basenameNormalized': normalize(basename) };
  if (file !== undefined) Object.assign(flat, { 'path.filename': file, 'path.filenameNormalized': normalize(file) });
  segments.forEach((s, i) => (flat[`path[${i}]`] = s));
  return flat;
}

/** Puts params under `pathParamPrefix` (`{{app.path}}`) when the generator asks for one. */
function prefixed(params: Params, prefix: string | null, goTemplate: boolean): Params {
  if (prefix === null) return params;
  if (goTemplate) return { [prefix]: params.path };
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [`${prefix}.${k}`, v]));
}

/** Flattens nested objects to `a.b` keys, as fasttemplate mode sees a git file's fields. */
function flatten(value: unknown, prefix = '', out: Params = {}): Params {
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix !== '') {
    out[prefix] = value;
  }
  return out;
}

/** Resolves a template expression's key: a flat key first (`path.basename`), then a nested walk, `a[1]` indexes too. */
function lookup(params: Params, key: string): unknown {
  if (key in params) return params[key];
  let value: unknown = params;
  for (const part of key.split('.')) {
    const indexed = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!indexed) return undefined;
    value = isRecord(value) ? value[indexed[1]] : undefined;
    for (const index of indexed[2].match(/\d+/g) ?? []) value = Array.isArray(value) ? value[Number(index)] : undefined;
  }
  return value;
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * Replaces `{{key}}`, `{{ .key }}`, `{{path.basename}}`, `{{path[1]}}`, `{{index .path.segments 1}}`
 * and the same with `| lower` / `| upper` by parameter values; leaves other templates untouched.
 */
export function substituteTemplate(text: string, params: Params): string {
  if (!text.includes('{{')) return text;
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (whole, inner: string) => {
    const [expression, ...pipes] = inner.split('|').map((s) => s.trim());
    let value: string | undefined;
    const index = /^index\s+\.?([A-Za-z_][\w.]*)\s+(\d+)$/.exec(expression);
    if (index) value = scalarText((lookup(params, index[1]) as unknown[] | undefined)?.[Number(index[2])]);
    else if (/^\.?[A-Za-z_][\w.\-[\]]*$/.test(expression)) value = scalarText(lookup(params, expression.replace(/^\./, '')));
    if (value === undefined) return whole;
    for (const pipe of pipes) {
      if (pipe === 'lower') value = value.toLowerCase();
      else if (pipe === 'upper') value = value.toUpperCase();
      else return whole;
    }
    return value;
  });
}

export function substituteDeep(value: unknown, params: Params): unknown {
  if (typeof value === 'string') return substituteTemplate(value, params);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, params));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [substituteTemplate(k, params), substituteDeep(v, params)]));
  return value;
}

/**
 * Expands one generator into parameter sets. Problems (a generator that needs a cluster, a git
 * file that is not YAML, a repository that is not this one) are collected; what can be expanded is.
 */
export async function expandGenerator(generator: unknown, pointer: string, input: ExpansionInput, problems: GeneratorProblem[]): Promise<ExpandedParams[]> {
  if (!isRecord(generator)) return [];
  const out: ExpandedParams[] = [];
  for (const [kind, body] of Object.entries(generator)) {
    if (kind === 'selector') continue;
    const at = `${pointer}/${kind}`;
    if (kind === 'list') out.push(...expandList(body, at, problems));
    else if (kind === 'git') out.push(...(await expandGit(body, at, input, problems)));
    else if (kind === 'matrix') out.push(...(await expandMatrix(body, at, input, problems)));
    else if (kind === 'merge') out.push(...(await expandMerge(body, at, input, problems)));
    else if (NEEDS[kind]) problems.push({ pointer: at, message: `the ${kind} generator ${NEEDS[kind]}; it is not expanded offline`, hint: 'declare the environments it makes in gitops.yaml' });
    else problems.push({ pointer: at, message: `the ${kind} generator is not known`, hint: 'declare the environments it makes in gitops.yaml' });
  }
  // The selector filters the generated params by label-style equality on their values.
  const selector = isRecord(generator.selector) && isRecord(generator.selector.matchLabels) ? generator.selector.matchLabels : null;
  if (!selector) return out;
  return out.filter((p) => Object.entries(selector).every(([k, v]) => scalarText(lookup(p.params, k)) === scalarText(v)));
}

function expandList(body: unknown, pointer: string, problems: GeneratorProblem[]): ExpandedParams[] {
  if (!isRecord(body) || !Array.isArray(body.elements)) {
    const what = isRecord(body) && body.elementsYaml !== undefined ? 'elementsYaml (a template)' : 'no elements';
    problems.push({ pointer, message: `the list generator has ${what}; it is not expanded offline`, hint: 'write the elements as a list, or declare the environments in gitops.yaml' });
    return [];
  }
  return body.elements.flatMap((element, e) => (isRecord(element) ? [{ params: element, pointer: `${pointer}/elements/${e}` }] : []));
}

async function expandGit(body: unknown, pointer: string, input: ExpansionInput, problems: GeneratorProblem[]): Promise<ExpandedParams[]> {
  if (!isRecord(body)) return [];
  const repoUrl = str(body.repoURL);
  if (!input.isThisRepository(repoUrl)) {
    problems.push({ pointer: `${pointer}/repoURL`, message: `the git generator reads ${repoUrl}, another repository; it is not expanded here`, hint: 'open that repository, or declare the environments in gitops.yaml' });
    return [];
  }
  const prefix = str(body.pathParamPrefix);
  const values = isRecord(body.values) ? body.values : null;
  const withValues = (params: Params): Params => {
    if (!values) return params;
    const rendered = substituteDeep(values, params) as Params;
    return input.goTemplate ? { ...params, values: rendered } : { ...params, ...flatten(rendered, 'values') };
  };
  const out: ExpandedParams[] = [];
  if (Array.isArray(body.directories)) {
    const include: RegExp[] = [];
    const exclude: RegExp[] = [];
    for (const entry of body.directories) {
      const path = isRecord(entry) ? str(entry.path) : null;
      if (path === null) continue;
      (isRecord(entry) && entry.exclude === true ? exclude : include).push(globToRegExp(normalizeGlob(path)));
    }
    const matched = [...input.folders].filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f))).sort();
    for (const folder of matched) out.push({ params: withValues(prefixed(pathParams(folder, input.goTemplate), prefix, input.goTemplate)), pointer });
  }
  if (Array.isArray(body.files)) {
    const patterns = body.files.map((entry) => (isRecord(entry) ? str(entry.path) : null)).filter((p): p is string => p !== null);
    const include = patterns.map((p) => globToRegExp(normalizeGlob(p)));
    const matched = input.files.filter((f) => include.some((r) => r.test(f))).sort();
    for (const file of matched) {
      const text = await input.readFile(file);
      let content: unknown;
      try {
        content = text === undefined ? undefined : file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      } catch (error) {
        problems.push({ pointer: `${pointer}/files`, message: `the git files generator matches ${file}, which is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${(error as Error).message.split('\n')[0]}); it is skipped`, hint: `fix ${file}` });
        continue;
      }
      const items = Array.isArray(content) ? content : [content];
      const slash = file.lastIndexOf('/');
      const dir = slash < 0 ? '' : file.slice(0, slash);
      for (const item of items) {
        if (!isRecord(item)) continue;
        const fields = input.goTemplate ? item : flatten(item);
        out.push({ params: withValues({ ...fields, ...prefixed(pathParams(dir, input.goTemplate, file.slice(slash + 1)), prefix, input.goTemplate) }), pointer });
      }
    }
  }
  if (!Array.isArray(body.directories) && !Array.isArray(body.files)) {
    problems.push({ pointer, message: 'the git generator has neither directories nor files', hint: 'add directories: [{path: apps/*}] or files: [{path: config/*.json}]' });
  }
  return out.slice(0, MAX_PARAM_SETS);
}

/** Two child generators; the second may use the first's parameters in its own fields. */
async function expandMatrix(body: unknown, pointer: string, input: ExpansionInput, problems: GeneratorProblem[]): Promise<ExpandedParams[]> {
  const children = isRecord(body) && Array.isArray(body.generators) ? body.generators : [];
  if (children.length !== 2) {
    problems.push({ pointer, message: `the matrix generator needs exactly two generators, it has ${children.length}`, hint: 'fix the ApplicationSet' });
    return [];
  }
  const first = await expandGenerator(children[0], `${pointer}/generators/0`, input, problems);
  const out: ExpandedParams[] = [];
  for (const left of first) {
    const second = await expandGenerator(substituteDeep(children[1], left.params), `${pointer}/generators/1`, input, problems);
    for (const right of second) {
      out.push({ params: mergeParams(left.params, right.params), pointer: right.pointer.includes('/elements/') ? right.pointer : left.pointer });
      if (out.length >= MAX_PARAM_SETS) return out;
    }
  }
  return out;
}

/** The first generator's sets, each overridden by the later generators' sets that agree on every merge key. */
async function expandMerge(body: unknown, pointer: string, input: ExpansionInput, problems: GeneratorProblem[]): Promise<ExpandedParams[]> {
  const children = isRecord(body) && Array.isArray(body.generators) ? body.generators : [];
  const keys = isRecord(body) && Array.isArray(body.mergeKeys) ? body.mergeKeys.filter((k): k is string => typeof k === 'string') : [];
  if (children.length === 0 || keys.length === 0) {
    problems.push({ pointer, message: 'the merge generator needs generators and mergeKeys', hint: 'fix the ApplicationSet' });
    return [];
  }
  const keyOf = (p: Params): string => JSON.stringify(keys.map((k) => scalarText(lookup(p, k.replace(/^\./, ''))) ?? null));
  let base = await expandGenerator(children[0], `${pointer}/generators/0`, input, problems);
  for (let i = 1; i < children.length; i++) {
    const overrides = new Map<string, Params>();
    for (const o of await expandGenerator(children[i], `${pointer}/generators/${i}`, input, problems)) overrides.set(keyOf(o.params), o.params);
    base = base.map((b) => {
      const o = overrides.get(keyOf(b.params));
      return o ? { params: mergeParams(b.params, o), pointer: b.pointer } : b;
    });
  }
  return base;
}

function mergeParams(a: Params, b: Params): Params {
  const out: Params = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) ? mergeParams(out[k] as Params, v) : v;
  return out;
}
