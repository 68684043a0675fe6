// Which files of a folder that several environments share belong to which environment. A Helm
// chart deployed once per environment (`charts/shop` for dev, staging and prod) keeps what every
// environment reads — Chart.yaml, templates/, values.yaml — beside one values file per environment
// (`values-prod.yaml`). Set-image and rollback of prod must touch prod's own files and the shared
// ones, never another environment's: editing values-staging.yaml changes staging, whatever the
// command said.
//
// The owner of a file is decided from the file's path and the set of environments sharing the
// folder only (not from which of them asks), so no file can be "own" to two environments.
import { ladderRank, laneOf } from '../environmentLadder';
import type { Environment } from '../model';
import { environmentPaths } from '../model';
import { valuesFileWord } from '../valuesFileName';

export type EnvironmentFileRole =
  /** Read by this environment only (`values-prod.yaml` for prod). */
  | { role: 'own' }
  /**
   * Another environment's own file. `environment` is that environment's name, or the word the
   * file is named after when no environment of the folder has that name (`values-preprod.yaml`):
   * a file named for an environment is never taken for a shared one.
   */
  | { role: 'other'; environment: string }
  /** Read by every environment of the folder (Chart.yaml, templates/, values.yaml). */
  | { role: 'shared' };

/** `values/prod.yaml`, `envs/prod.yaml`. */
const NAMED_YAML = /^(.+)\.ya?ml$/i;
/** Folders that hold one entry per environment (`envs/prod/…`, `values/prod.yaml`). */
const ENVIRONMENT_CONTAINERS = new Set(['env', 'envs', 'environment', 'environments', 'overlays', 'values', 'stages']);
/**
 * Helm's own chart folders: everything in them is rendered (templates, crds) or bundled (charts)
 * for every environment, whatever its file names say.
 */
const CHART_FOLDERS = new Set(['templates', 'charts', 'crds']);

function wordsOf(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[-_.\s]+/)
    .filter((w) => w !== '');
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

interface NameForms {
  name: string;
  /** The name's words (`prod-eu` → prod, eu). */
  words: string[];
  /**
   * The words left once the words every environment's name shares are taken off its ends
   * (`shop-prod`, `shop-staging` → prod, staging), so Argo CD Applications named after the app
   * still own `values-prod.yaml`; null when that would leave a name empty or two names equal.
   */
  short: string[] | null;
}

function nameForms(names: readonly string[]): NameForms[] {
  const sorted = [...new Set(names)].sort();
  const words = sorted.map(wordsOf);
  let shorts: string[][] | null = null;
  if (words.length >= 2) {
    const min = Math.min(...words.map((w) => w.length));
    let prefix = 0;
    while (prefix < min - 1 && words.every((w) => w[prefix] === words[0][prefix])) prefix++;
    let suffix = 0;
    while (prefix + suffix < min - 1 && words.every((w) => w[w.length - 1 - suffix] === words[0][words[0].length - 1 - suffix])) suffix++;
    if (prefix + suffix > 0) {
      const cut = words.map((w) => w.slice(prefix, w.length - suffix));
      const keys = new Set(cut.map((w) => w.join('-')));
      if (keys.size === cut.length && cut.every((w) => w.length > 0)) shorts = cut;
    }
  }
  return sorted.map((name, i) => ({ name, words: words[i], short: shorts ? shorts[i] : null }));
}

/** True when `part` is the first or the last words of `whole`, and shorter. */
function affixOf(part: readonly string[], whole: readonly string[]): boolean {
  if (part.length === 0 || part.length >= whole.length) return false;
  return same(part, whole.slice(0, part.length)) || same(part, whole.slice(whole.length - part.length));
}

/**
 * The environment a word taken from a file name means: the environment with exactly that name
 * (`prod-eu` is prod-eu, never prod); else the one whose name is the longest first or last words of
 * it (`values-prod-secrets.yaml` is prod's); else the one environment on the word's rung and lane
 * of the ladder; else, when the word is an environment word of the ladder, an environment outside
 * the folder's set, named by the word; else none (`common`, `local`).
 */
function resolveWord(word: string, forms: readonly NameForms[]): string | null {
  const words = wordsOf(word);
  if (words.length === 0) return null;
  const exact = forms.find((f) => same(f.words, words)) ?? forms.find((f) => f.short !== null && same(f.short, words));
  if (exact) return exact.name;
  let best: { name: string; length: number } | null = null;
  for (const form of forms) {
    for (const candidate of [form.words, form.short]) {
      if (candidate && affixOf(candidate, words) && (best === null || candidate.length > best.length)) best = { name: form.name, length: candidate.length };
    }
  }
  if (best) return best.name;
  // The ladder's synonyms (`production` for prod, `prd-eu` for prod-eu): the one environment on the
  // same rung and lane, when there is exactly one.
  const rank = ladderRank(word);
  if (rank === null) return null;
  const lane = laneOf(word);
  const rung = forms.filter((f) => ladderRank(f.name) === rank && laneOf(f.name) === lane);
  return rung.length === 1 ? rung[0].name : word;
}

/** The environment whose own file `relative` (a path inside the shared folder) is, or null for a shared file. */
function ownerOf(relative: string, forms: readonly NameForms[]): string | null {
  const segments = relative.split('/').filter((s) => s !== '');
  if (segments.length === 0 || CHART_FOLDERS.has(segments[0].toLowerCase())) return null;
  const base = segments[segments.length - 1];
  // The file's own name first: it is the most specific (`envs/prod/values-prod-eu.yaml` is prod-eu's).
  const named = valuesFileWord(base);
  if (named !== null) {
    const owner = resolveWord(named, forms);
    if (owner !== null) return owner;
  }
  const folders = segments.slice(0, -1);
  if (folders.length === 1 && ENVIRONMENT_CONTAINERS.has(folders[0].toLowerCase())) {
    const yaml = NAMED_YAML.exec(base);
    const owner = yaml ? resolveWord(yaml[1], forms) : null;
    if (owner !== null) return owner;
  }
  // Then the folders from the top: `envs/prod/…`, `prod/values.yaml`.
  for (let i = 0; i < folders.length; i++) {
    const container = i > 0 && ENVIRONMENT_CONTAINERS.has(folders[i - 1].toLowerCase());
    if (i > 0 && !container) break;
    const owner = resolveWord(folders[i], forms);
    if (owner !== null) return owner;
    if (!ENVIRONMENT_CONTAINERS.has(folders[i].toLowerCase())) break;
  }
  return null;
}

function relativeIn(folder: string, path: string): string {
  if (folder === '') return path;
  return path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : path;
}

/**
 * Whose file `path` (repository-relative, inside `folder`) is, seen from `environment`, when the
 * folder is shared with the environments `others`. With no other environment every file is the
 * environment's own.
 */
export function environmentFileRole(environment: string, others: readonly string[], folder: string, path: string): EnvironmentFileRole {
  const sharers = others.filter((o) => o !== environment);
  if (sharers.length === 0) return { role: 'own' };
  const owner = ownerOf(relativeIn(folder, path), nameForms([environment, ...sharers]));
  if (owner === null) return { role: 'shared' };
  return owner === environment ? { role: 'own' } : { role: 'other', environment: owner };
}

/**
 * The other environments that read `folder` of the same branch of the same repository as
 * `environment` (discovered with the same `path`), in their order.
 */
export function environmentsSharingFolder(environments: readonly Environment[], environment: Environment, folder: string): string[] {
  return environments
    .filter((e) => e.name !== environment.name && e.repo === environment.repo && e.branch === environment.branch && environmentPaths(e).includes(folder))
    .map((e) => e.name);
}

/** `charts/shop/values-prod.yaml`: where an environment's own values file of a shared chart folder goes by the usual convention. */
export function conventionalValuesFile(environment: string, folder: string): string {
  return folder === '' ? `values-${environment}.yaml` : `${folder}/values-${environment}.yaml`;
}

/** A values file by name: `values-prod.yaml`, `prod.values.yml`, `values/prod.yaml`. */
function isValuesFileName(relative: string): boolean {
  return /\.ya?ml$/.test(relative) && (/(^|[-._])values([-._]|$)/i.test(relative.slice(relative.lastIndexOf('/') + 1)) || relative.startsWith('values/'));
}

/**
 * Environments that read one Helm chart folder (same repository, branch and path; the folder holds
 * a Chart.yaml) get their own values files (`values-<env>.yaml` and the other conventions above),
 * in path order, as `valuesFiles` — what helm is given with `-f` when the environment is rendered.
 * An environment that already names its values files (an Argo CD Application's
 * `helm.valueFiles`) keeps them. Returns new objects; the input is not changed.
 */
export function withOwnValuesFiles(environments: readonly Environment[], files: readonly string[]): Environment[] {
  const fileSet = new Set(files);
  return environments.map((environment) => {
    const paths = environmentPaths(environment);
    if (environment.valuesFiles || paths.length !== 1 || environment.repo !== null) return environment;
    const folder = paths[0];
    const prefix = folder === '' ? '' : `${folder}/`;
    if (!fileSet.has(`${prefix}Chart.yaml`) && !fileSet.has(`${prefix}Chart.yml`)) return environment;
    const sharing = environmentsSharingFolder(environments, environment, folder);
    if (sharing.length === 0) return environment;
    const own = files
      .filter((file) => file.startsWith(prefix) && isValuesFileName(file.slice(prefix.length)) && environmentFileRole(environment.name, sharing, folder, file).role === 'own')
      .sort();
    return own.length > 0 ? { ...environment, valuesFiles: own } : environment;
  });
}
