// Turns a CustomResourceDefinition object into the resource types it serves (one per served
// version) and checks the parts of a CRD the sandbox depends on.

import { invalid, type StatusCause } from './apiStatus';
import { isRecord, type KubeObject } from './kubeObject';
import { standardVerbs, type PrinterColumn, type ResourceType } from './resourceType';
import { customResourceMergeSchema } from './structuralSchema';

type Json = Record<string, unknown>;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function printerColumns(value: unknown): PrinterColumn[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const columns: PrinterColumn[] = [];
  for (const raw of value) {
    if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.jsonPath !== 'string') continue;
    columns.push({
      name: raw.name,
      type: typeof raw.type === 'string' ? raw.type : 'string',
      jsonPath: raw.jsonPath,
      description: typeof raw.description === 'string' ? raw.description : undefined,
      priority: typeof raw.priority === 'number' ? raw.priority : undefined,
      format: typeof raw.format === 'string' ? raw.format : undefined,
    });
  }
  return columns;
}

const crdResource = { group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition' };

/** Throws 422 Invalid when the CRD cannot be served. */
export function validateCustomResourceDefinition(crd: KubeObject): void {
  const causes: StatusCause[] = [];
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const group = spec.group;
  if (typeof group !== 'string' || group === '' || !group.includes('.')) causes.push({ reason: 'FieldValueInvalid', message: 'should be a domain with at least one dot', field: 'spec.group' });
  if (typeof names.plural !== 'string' || names.plural === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.names.plural' });
  if (typeof names.kind !== 'string' || names.kind === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.names.kind' });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') causes.push({ reason: 'FieldValueNotSupported', message: 'Unsupported value: supported values: "Cluster", "Namespaced"', field: 'spec.scope' });
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : [];
  if (versions.length === 0) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.versions' });
  if (versions.filter((version) => version.storage === true).length !== 1) {
    causes.push({ reason: 'FieldValueInvalid', message: 'must have exactly one version marked as storage version', field: 'spec.versions' });
  }
  if (typeof names.plural === 'string' && typeof group === 'string' && crd.metadata.name !== `${names.plural}.${group}`) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${crd.metadata.name ?? ''}": must be spec.names.plural+"."+spec.group`, field: 'metadata.name' });
  }
  if (causes.length > 0) throw invalid(crdResource, crd.metadata.name ?? '', causes);
}

export function resourceTypesOfDefinition(crd: KubeObject): ResourceType[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names: Json = isRecord(spec.names) ? spec.names : {};
  const group = String(spec.group ?? '');
  const kind = String(names.kind ?? '');
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : [];
  const storageVersion = String(versions.find((version) => version.storage === true)?.name ?? versions[0]?.name ?? 'v1');
  return versions
    .filter((version) => version.served !== false && typeof version.name === 'string')
    .map((version) => {
      const subresources = isRecord(version.subresources) ? version.subresources : {};
      const scale = isRecord(subresources.scale) ? subresources.scale : undefined;
      const openApiSchema = isRecord(version.schema) && isRecord(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : undefined;
      return {
        group,
        version: String(version.name),
        kind,
        plural: String(names.plural ?? ''),
        singular: typeof names.singular === 'string' ? names.singular : kind.toLowerCase(),
        listKind: typeof names.listKind === 'string' ? names.listKind : `${kind}List`,
        namespaced: spec.scope !== 'Cluster',
        shortNames: stringList(names.shortNames),
        categories: stringList(names.categories),
        verbs: standardVerbs,
        statusSubresource: isRecord(subresources.status),
        scaleSubresource:
          scale && typeof scale.specReplicasPath === 'string' && typeof scale.statusReplicasPath === 'string'
            ? {
                specReplicasPath: scale.specReplicasPath,
                statusReplicasPath: scale.statusReplicasPath,
                labelSelectorPath: typeof scale.labelSelectorPath === 'string' ? scale.labelSelectorPath : undefined,
              }
            : undefined,
        tracksGeneration: true,
        mergeSchema: customResourceMergeSchema(openApiSchema),
        printerColumns: printerColumns(version.additionalPrinterColumns),
        openApiSchema,
        custom: true,
        storageVersion,
      };
    });
}
