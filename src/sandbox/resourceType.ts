// What the sandbox knows about one served resource (one group/version/plural): the facts
// discovery publishes, plus the behaviour switches the write path needs.

import type { MapSchema } from './mergeSchema';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** With a status subresource, writes to the main resource keep the stored status (and vice versa). */
  statusSubresource: boolean;
  scaleSubresource?: ScaleSubresource;
  /** metadata.generation is set and bumped when anything but metadata and status changes. */
  tracksGeneration: boolean;
  mergeSchema: MapSchema;
  /** CRD additionalPrinterColumns, used for `kubectl get` tables. */
  printerColumns?: PrinterColumn[];
  /** CRD openAPIV3Schema, used for defaulting, pruning and strict field validation. */
  openApiSchema?: Record<string, unknown>;
  /** Served from a CustomResourceDefinition (strategic merge patch is refused, as on a real server). */
  custom: boolean;
  /** The version objects are stored at; other served versions rewrite apiVersion (conversion None). */
  storageVersion: string;
}

export const standardVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Objects of one group and plural share storage whatever version they are served at. */
export function storageKey(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${type.group}/${type.plural}`;
}

export function typeApiVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}
