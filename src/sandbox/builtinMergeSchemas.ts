// Merge structure of the built-in kinds, transcribed from the Go types' markers
// (patchMergeKey / listType / listMapKey / structType / mapType). Only the parts that are keyed,
// sets or atomic are listed; everything else follows the unknown-schema defaults.

import type { ListSchema, MapSchema, SchemaNode } from './mergeSchema';

function map(fields: Record<string, SchemaNode>): MapSchema {
  return { type: 'map', fields };
}

function keyed(keys: string[], items?: SchemaNode, extra: Partial<ListSchema> = {}): ListSchema {
  return { type: 'list', listType: 'map', keys, mergeKey: keys[0], items, ...extra };
}

const atomicMap: MapSchema = { type: 'map', atomic: true };
const atomicList: ListSchema = { type: 'list', listType: 'atomic' };
const setOfStrings: ListSchema = { type: 'list', listType: 'set' };

export const objectMetaSchema = map({
  finalizers: setOfStrings,
  ownerReferences: keyed(['uid']),
});

const conditionsByType = keyed(['type']);

const containerSchema = map({
  ports: keyed(['containerPort', 'protocol'], undefined, { keyDefaults: { protocol: 'TCP' }, mergeKey: 'containerPort' }),
  env: keyed(['name']),
  volumeMounts: keyed(['mountPath']),
  volumeDevices: keyed(['devicePath']),
  resizePolicy: atomicList,
});

const podSpecSchema = map({
  containers: keyed(['name'], containerSchema),
  initContainers: keyed(['name'], containerSchema),
  ephemeralContainers: keyed(['name'], containerSchema),
  volumes: keyed(['name']),
  imagePullSecrets: keyed(['name']),
  hostAliases: keyed(['ip']),
  topologySpreadConstraints: keyed(['topologyKey', 'whenUnsatisfiable'], undefined, { mergeKey: 'topologyKey' }),
  schedulingGates: keyed(['name']),
  resourceClaims: keyed(['name']),
});

const podTemplateSchema = map({ metadata: objectMetaSchema, spec: podSpecSchema });

const workloadStatus = map({ conditions: conditionsByType });

function workload(specFields: Record<string, SchemaNode> = {}): MapSchema {
  return map({
    metadata: objectMetaSchema,
    spec: map({ selector: atomicMap, template: podTemplateSchema, ...specFields }),
    status: workloadStatus,
  });
}

const jobSpecSchema = map({ selector: atomicMap, template: podTemplateSchema });

const servicePorts = keyed(['port', 'protocol'], undefined, { keyDefaults: { protocol: 'TCP' }, mergeKey: 'port' });

/** Keyed by `group/Kind`; kinds without an entry get `{ metadata }` only. */
export const builtinMergeSchemas: Record<string, MapSchema> = {
  '/Pod': map({ metadata: objectMetaSchema, spec: podSpecSchema, status: map({ conditions: conditionsByType }) }),
  '/Service': map({ metadata: objectMetaSchema, spec: map({ ports: servicePorts, selector: { type: 'map', atomic: true } }) }),
  '/Namespace': map({ metadata: objectMetaSchema, status: map({ conditions: conditionsByType }) }),
  '/PersistentVolumeClaim': map({ metadata: objectMetaSchema, status: map({ conditions: conditionsByType }) }),
  'apps/Deployment': workload(),
  'apps/StatefulSet': workload({ volumeClaimTemplates: atomicList }),
  'apps/DaemonSet': workload(),
  'apps/ReplicaSet': workload(),
  'batch/Job': map({ metadata: objectMetaSchema, spec: jobSpecSchema }),
  'batch/CronJob': map({ metadata: objectMetaSchema, spec: map({ jobTemplate: map({ metadata: objectMetaSchema, spec: jobSpecSchema }) }) }),
  'apiextensions.k8s.io/CustomResourceDefinition': map({ metadata: objectMetaSchema, status: map({ conditions: conditionsByType }) }),
};

export function builtinMergeSchema(group: string, kind: string): MapSchema {
  return builtinMergeSchemas[`${group}/${kind}`] ?? map({ metadata: objectMetaSchema });
}
