// What each file a kustomization names is for, so `gitops-env validate` judges it for what it is:
// `resources` are complete objects (checked like any manifest), patches are partial objects (never
// held to required fields: kustomize merges them into a complete one), and configuration or data
// files (transformer configs, generator inputs, Helm values, OpenAPI schemas) are no cluster
// objects at all. Only the kustomization's own text is read here; paths stay as written, relative
// to the kustomization's folder, for the caller to resolve.

/** File names kustomize accepts for a kustomization (the same list as src/render/repoPaths.ts). */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** What a referenced file holds; a stronger role wins when two kustomizations disagree. */
export type KustomizeFileRole = 'resource' | 'patch' | 'config' | 'data';

export interface KustomizeFileReference {
  /** The path as written, relative to the kustomization's folder. */
  entry: string;
  role: KustomizeFileRole;
  /** The kustomization field that names it (`patches`, `configMapGenerator`, …). */
  field: string;
}

const ROLE_STRENGTH: Record<KustomizeFileRole, number> = { resource: 3, patch: 2, config: 1, data: 0 };

/** The role to keep for a file named with both: a complete object anywhere must be checked as one. */
export function strongerRole(a: KustomizeFileRole | undefined, b: KustomizeFileRole): KustomizeFileRole {
  return a !== undefined && ROLE_STRENGTH[a] >= ROLE_STRENGTH[b] ? a : b;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A list entry that is a path, not inline YAML (kustomize accepts both in the same lists). */
function pathEntry(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && !value.includes('\n') ? value.trim() : undefined;
}

/** Every local file a kustomization (or Component) names, with its role. Remote URLs are left in; they resolve to nothing on disk. */
export function kustomizationFileReferences(spec: Record<string, unknown>): KustomizeFileReference[] {
  const out: KustomizeFileReference[] = [];
  const add = (value: unknown, role: KustomizeFileRole, field: string): void => {
    const entry = pathEntry(value);
    if (entry !== undefined) out.push({ entry, role, field });
  };
  // Folders among these are kustomizations (Components for `components`) the caller may follow.
  for (const field of ['resources', 'bases', 'components', 'crds']) for (const value of asArray(spec[field])) add(value, 'resource', field);
  // Strategic-merge patches are paths or inline YAML; `patches` and `patchesJson6902` entries give a
  // `path` or an inline `patch:` string (which is no file).
  for (const value of asArray(spec.patchesStrategicMerge)) add(value, 'patch', 'patchesStrategicMerge');
  for (const field of ['patches', 'patchesJson6902']) {
    for (const value of asArray(spec[field])) if (isRecord(value)) add(value.path, 'patch', field);
  }
  for (const field of ['configurations', 'transformers', 'generators', 'validators']) for (const value of asArray(spec[field])) add(value, 'config', field);
  for (const value of asArray(spec.replacements)) if (isRecord(value)) add(value.path, 'config', 'replacements');
  if (isRecord(spec.openapi)) add(spec.openapi.path, 'config', 'openapi');
  for (const value of asArray(spec.helmCharts)) {
    if (!isRecord(value)) continue;
    add(value.valuesFile, 'config', 'helmCharts');
    for (const file of asArray(value.additionalValuesFiles)) add(file, 'config', 'helmCharts');
  }
  // Generator inputs are read as bytes (`key=path` or `path`), never as YAML.
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const value of asArray(spec[field])) {
      if (!isRecord(value)) continue;
      for (const source of [...asArray(value.files), ...asArray(value.envs), value.env]) {
        const entry = pathEntry(source);
        if (entry !== undefined) add(entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry, 'data', field);
      }
    }
  }
  return out;
}

/**
 * Values files by the names Helm users give them (`values.yaml`, `values-prod.yaml`,
 * `prod-values.yaml`, `prod.values.yml`, `values.schema.json`): they hold no object, though an object
 * found in one is still checked.
 */
export function isHelmValuesFileName(name: string): boolean {
  return /^(?:.*[-_.])?values(?:[-_.].*)?\.(?:ya?ml|json)$/i.test(name);
}

/** Files that configure a tool and hold no cluster object by design. */
export function isToolFileName(name: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(name) || name === 'Chart.yaml' || name === 'gitops.yaml' || name === 'gitops.yml' || isHelmValuesFileName(name);
}
