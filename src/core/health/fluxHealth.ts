// Flux objects, as the health scripts Argo CD ships for them (resource_customizations/*.fluxcd.io)
// assess them. Flux reports through conditions: Ready (True / False / Unknown while working) and
// Reconciling; a Stalled object has Ready False, so it comes out Degraded without being named here.
// The counting looks odd but is Argo's: Progressing needs Ready Unknown *and* Reconciling True, and
// Healthy needs every success condition of the family (Ready alone for a Kustomization; Ready plus
// Released or TestSuccess for a HelmRelease; Ready plus ArtifactInStorage for a source). Anything
// else with conditions is Degraded.
import { health, type HealthResult } from './healthStatus';
import { isRecord, readConditions, type KubeObject } from './objectFields';

export type FluxFamily = 'kustomization' | 'helmRelease' | 'source';

/** `group/kind` → family, for the Flux kinds Argo CD has a health script for. */
export const FLUX_KINDS: ReadonlyMap<string, FluxFamily> = new Map([
  ['kustomize.toolkit.fluxcd.io/Kustomization', 'kustomization'],
  ['helm.toolkit.fluxcd.io/HelmRelease', 'helmRelease'],
  ['source.toolkit.fluxcd.io/GitRepository', 'source'],
  ['source.toolkit.fluxcd.io/OCIRepository', 'source'],
  ['source.toolkit.fluxcd.io/HelmRepository', 'source'],
  ['source.toolkit.fluxcd.io/HelmChart', 'source'],
  ['source.toolkit.fluxcd.io/Bucket', 'source'],
]);

export function fluxHealth(object: KubeObject, family: FluxFamily): HealthResult {
  const spec = isRecord(object.spec) ? object.spec : {};
  // Suspended first: a suspended object's conditions are stale, whatever they say.
  if (spec.suspend === true) return health('Suspended', `${String(object.kind)} is suspended`);
  if (object.kind === 'HelmRepository' && spec.type === 'oci') {
    return health('Healthy', "Helm repositories of type 'oci' do not contain any information in the status.");
  }
  if (!isRecord(object.status) || object.status.conditions === undefined || object.status.conditions === null) {
    return health('Progressing', 'Status unknown');
  }
  let progressing = 0;
  let succeeded = 0;
  let message = '';
  for (const c of readConditions(object)) {
    if (c.type === 'Ready') {
      if (c.status === 'True') succeeded++;
      else if (c.status === 'Unknown') progressing++;
      message = c.reason;
    } else if (c.type === 'Reconciling' && c.status === 'True') {
      progressing++;
    } else if (family === 'helmRelease' && (c.type === 'Released' || c.type === 'TestSuccess') && c.status === 'True') {
      succeeded++;
    } else if (family === 'source' && c.type === 'ArtifactOutdated' && c.status === 'True') {
      message = `${message} ${c.reason}`;
    } else if (family === 'source' && c.type === 'ArtifactInStorage' && c.status === 'True') {
      succeeded++;
    }
  }
  // Exact counts, as in Argo: a HelmRelease with Ready, Released *and* TestSuccess True counts 3 and
  // is Degraded there too. Kept so this view never disagrees with the Argo CD UI.
  if (progressing === 2) return health('Progressing', message);
  if (succeeded === (family === 'kustomization' ? 1 : 2)) return health('Healthy', message);
  return health('Degraded', message);
}
