// Reads the status of every Argo CD and Flux object among one cluster's live objects. The other
// objects given (GitRepositories, ArtifactGenerators) let a Kustomization say which repository and
// folder it reconciles.
import { splitApiVersion } from '../model';
import { argoApplicationStatus } from './argoStatus';
import { fluxObjectStatus, type FluxObjectLookup } from './fluxStatus';
import { metadataOf, text, type KubeObject } from './lenientFields';
import type { OperatorKind, OperatorObjectKind, OperatorStatus } from './operatorTypes';

export interface OperatorKindInfo {
  operator: OperatorKind;
  group: string;
  kind: OperatorObjectKind;
}

/** The objects whose status we show, by API group. */
export const OPERATOR_OBJECT_KINDS: readonly OperatorKindInfo[] = [
  { operator: 'argocd', group: 'argoproj.io', kind: 'Application' },
  { operator: 'flux', group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
  { operator: 'flux', group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' },
  { operator: 'flux', group: 'source.toolkit.fluxcd.io', kind: 'GitRepository' },
  { operator: 'flux', group: 'source.toolkit.fluxcd.io', kind: 'OCIRepository' },
];

/** Objects read only to resolve references: where an ExternalArtifact is cut from. */
export const ARTIFACT_GENERATOR = { group: 'source.extensions.fluxcd.io', kind: 'ArtifactGenerator' } as const;

export function operatorKindOf(object: KubeObject): OperatorKindInfo | null {
  const group = splitApiVersion(text(object, 'apiVersion') ?? '').group;
  const kind = text(object, 'kind');
  return OPERATOR_OBJECT_KINDS.find((k) => k.group === group && k.kind === kind) ?? null;
}

function lookupOver(objects: readonly KubeObject[]): FluxObjectLookup {
  const byKey = new Map<string, KubeObject>();
  const generators: KubeObject[] = [];
  for (const object of objects) {
    const kind = text(object, 'kind') ?? '';
    const meta = metadataOf(object);
    byKey.set(`${kind}/${meta.namespace ?? ''}/${meta.name}`, object);
    if (kind === ARTIFACT_GENERATOR.kind && splitApiVersion(text(object, 'apiVersion') ?? '').group === ARTIFACT_GENERATOR.group) generators.push(object);
  }
  return {
    get: (kind, namespace, name) => byKey.get(`${kind}/${namespace ?? ''}/${name}`),
    artifactGenerators: () => generators,
  };
}

/** Statuses of the operator objects among `objects`, in input order; other objects are skipped. */
export function readOperatorStatuses(objects: Iterable<KubeObject>, context: string | null = null): OperatorStatus[] {
  const all = [...objects];
  const lookup = lookupOver(all);
  const out: OperatorStatus[] = [];
  for (const object of all) {
    const info = operatorKindOf(object);
    if (!info) continue;
    out.push(info.operator === 'argocd' ? argoApplicationStatus(object, context) : fluxObjectStatus(info.kind, object, lookup, context));
  }
  return out;
}
