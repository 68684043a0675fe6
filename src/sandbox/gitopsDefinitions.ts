// CustomResourceDefinitions of Argo CD and Flux, installed in every sandbox so pull-model
// environments can be exercised: names, scope, subresources and printer columns match the
// upstream CRDs; the schemas keep unknown fields instead of spelling out every property.

import type { KubeObject } from './kubeObject';

interface DefinitionSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames: string[];
  status: boolean;
  columns: Array<Record<string, unknown>>;
  categories?: string[];
}

const readyColumns = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
];

const urlColumn = { name: 'URL', type: 'string', jsonPath: '.spec.url' };

const definitions: DefinitionSpec[] = [
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Application',
    plural: 'applications',
    shortNames: ['app', 'apps'],
    status: false,
    columns: [
      { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' },
      { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
      { name: 'Revision', type: 'string', jsonPath: '.status.sync.revision', priority: 10 },
      { name: 'Project', type: 'string', jsonPath: '.spec.project', priority: 10 },
    ],
  },
  { group: 'argoproj.io', version: 'v1alpha1', kind: 'ApplicationSet', plural: 'applicationsets', shortNames: ['appset', 'appsets'], status: true, columns: [] },
  { group: 'argoproj.io', version: 'v1alpha1', kind: 'AppProject', plural: 'appprojects', shortNames: ['appproj', 'appprojs'], status: false, columns: [] },
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations', shortNames: ['ks'], status: true, columns: readyColumns },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases', shortNames: ['hr'], status: true, columns: readyColumns },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', plural: 'gitrepositories', shortNames: ['gitrepo'], status: true, columns: [urlColumn, ...readyColumns] },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'OCIRepository', plural: 'ocirepositories', shortNames: ['ocirepo'], status: true, columns: [urlColumn, ...readyColumns] },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', plural: 'helmrepositories', shortNames: ['helmrepo'], status: true, columns: [urlColumn, ...readyColumns] },
];

export function gitopsDefinitions(): KubeObject[] {
  return definitions.map((definition) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${definition.group}`, labels: { 'app.kubernetes.io/part-of': definition.group === 'argoproj.io' ? 'argocd' : 'flux' } },
    spec: {
      group: definition.group,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.kind.toLowerCase(),
        shortNames: definition.shortNames,
        ...(definition.categories ? { categories: definition.categories } : {}),
      },
      scope: 'Namespaced',
      versions: [
        {
          name: definition.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          ...(definition.status ? { subresources: { status: {} } } : {}),
          ...(definition.columns.length > 0 ? { additionalPrinterColumns: definition.columns } : {}),
        },
      ],
    },
  }));
}
