// What an environment's definition says about drift: ignore rules from gitops.yaml
// (`drift.ignoreDifferences`), from the Argo CD Application or Flux Kustomization that declares
// the environment, and the label selector that marks its live objects (for Extra resources).
// Reads through a RepoView, so it works on the working tree and at any ref alike.
import { CONFIG_FILE_NAMES, extraSelectorFor, parseGitopsConfig, type DriftMode, type IgnoreDifferenceRule } from '../../core/config';
import { ignoreRulesFromArgoApplication, ignoreRulesFromFlux, type IgnoreRule } from '../../core/drift/ignoreRules';
import { parseManifests } from '../../core/manifest';
import type { Environment, LocatedProblem } from '../../core/model';
import type { RepoView } from '../../core/repoView';

export interface EnvironmentDriftRules {
  ignoreRules: IgnoreRule[];
  /** gitops.yaml `drift.mode`; null when not set. */
  mode: DriftMode | null;
  /** Label selector of the environment's live objects, when its operator labels them; else undefined. */
  extraSelector?: string;
  /** Argo CD application whose tracking annotation marks the environment's live objects. */
  extraTrackingApp?: string;
  problems: LocatedProblem[];
}

/** gitops.yaml rules have Argo CD's shape and meaning: '' is the core group, null name/namespace match all. */
export function ignoreRulesFromConfig(rules: readonly IgnoreDifferenceRule[]): IgnoreRule[] {
  return rules.map((rule) => ({
    group: rule.group,
    kind: rule.kind,
    name: rule.name,
    namespace: rule.namespace,
    jsonPointers: rule.jsonPointers,
    jqPathExpressions: rule.jqPathExpressions,
    managedFieldsManagers: rule.managedFieldsManagers,
    match: 'glob',
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rules and selector from the operator object that declares an environment (Application, ApplicationSet, Kustomization, HelmRelease). */
export function rulesFromOperatorObject(object: Record<string, unknown>): { ignoreRules: IgnoreRule[]; extraSelector?: string; extraTrackingApp?: string } {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (apiVersion.startsWith('argoproj.io/')) {
    if (object.kind === 'Application') {
      // Argo CD marks every object it applies with the app name: a label before 3.0, an annotation since.
      if (!name) return { ignoreRules: ignoreRulesFromArgoApplication(object) };
      return { ignoreRules: ignoreRulesFromArgoApplication(object), extraSelector: `app.kubernetes.io/instance=${name}`, extraTrackingApp: name };
    }
    if (object.kind === 'ApplicationSet' && isRecord(object.spec) && isRecord(object.spec.template)) {
      // Generated Application names are templates: no selector can be told.
      return { ignoreRules: ignoreRulesFromArgoApplication({ spec: object.spec.template.spec }) };
    }
  }
  if (apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') || apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
    const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'flux-system';
    const group = object.kind === 'HelmRelease' ? 'helm.toolkit.fluxcd.io' : 'kustomize.toolkit.fluxcd.io';
    return { ignoreRules: ignoreRulesFromFlux(object), extraSelector: name ? `${group}/name=${name},${group}/namespace=${namespace}` : undefined };
  }
  return { ignoreRules: [] };
}

async function readConfig(view: RepoView, out: EnvironmentDriftRules): Promise<string | null> {
  for (const file of CONFIG_FILE_NAMES) {
    const text = await view.readFile(file).catch(() => undefined);
    if (text === undefined) continue;
    const parsed = parseGitopsConfig(text, file);
    if (parsed.config) {
      out.ignoreRules.push(...ignoreRulesFromConfig(parsed.config.drift.ignoreDifferences));
      out.mode = parsed.config.drift.mode;
      return parsed.config.drift.extraSelector;
    }
    return null;
  }
  return null;
}

/** Everything an environment's definition says about drift. Never throws: unreadable parts are skipped. */
export async function loadEnvironmentDriftRules(view: RepoView, environment: Environment): Promise<EnvironmentDriftRules> {
  const out: EnvironmentDriftRules = { ignoreRules: [], mode: null, problems: [] };
  const configured = await readConfig(view, out);
  const declared = environment.declaredAt;
  if ((environment.source === 'argocd' || environment.source === 'flux') && declared) {
    const text = await view.readFile(declared.file).catch(() => undefined);
    if (text !== undefined) {
      const line = declared.range?.start.line ?? 1;
      const manifests = parseManifests(text, declared.file).manifests;
      const manifest = manifests.find((m) => m.range.start.line <= line && line <= m.range.end.line) ?? manifests[0];
      if (manifest) {
        const found = rulesFromOperatorObject(manifest.object);
        out.ignoreRules.push(...found.ignoreRules);
        out.extraSelector = found.extraSelector;
        if (found.extraTrackingApp) out.extraTrackingApp = found.extraTrackingApp;
      }
    }
  }
  // The repository's own choice wins over the operator's tracking label.
  if (configured !== null) {
    out.extraSelector = extraSelectorFor(configured, environment.name);
    delete out.extraTrackingApp;
  }
  return out;
}
