// `--seed DIR`: every *.yaml / *.yml / *.json manifest under DIR (recursively, multi-document,
// `kind: List` unwrapped) is applied at start with server-side apply as field manager
// `sandbox-seed`, Namespaces and CustomResourceDefinitions first so the rest can land in them.
// Seeds may carry `status` (a demo's Argo CD Application health, say): it is stored as given.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ApiError } from './apiStatus';
import { isKubeObject, isRecord, type KubeObject } from './kubeObject';
import type { ResourceService } from './resourceService';

export const seedFieldManager = 'sandbox-seed';

interface SeedObject {
  object: KubeObject;
  source: string;
}

function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(full));
    else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) out.push(full);
  }
  return out;
}

function documentsOf(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  if (/\.json$/i.test(file)) return [JSON.parse(text) as unknown];
  const out: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(document.errors[0].message);
    out.push(document.toJS());
  }
  return out;
}

function unwrap(value: unknown): unknown[] {
  if (isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) return value.items.flatMap(unwrap);
  return value === null || value === undefined ? [] : [value];
}

function rank(object: KubeObject): number {
  if (object.kind === 'Namespace') return 0;
  if (object.kind === 'CustomResourceDefinition') return 1;
  return 2;
}

export function readSeedObjects(dir: string): SeedObject[] {
  const out: SeedObject[] = [];
  for (const file of manifestFiles(dir)) {
    const source = relative(dir, file) || file;
    let documents: unknown[];
    try {
      documents = documentsOf(file);
    } catch (error) {
      throw new Error(`seed ${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const value of documents.flatMap(unwrap)) {
      if (!isKubeObject(value)) throw new Error(`seed ${source}: a document is not a Kubernetes object (apiVersion, kind and metadata are required)`);
      out.push({ object: value, source });
    }
  }
  return out.map((item, index) => ({ item, index })).sort((a, b) => rank(a.item.object) - rank(b.item.object) || a.index - b.index).map(({ item }) => item);
}

/** Applies the seed directory; returns how many objects were applied. */
export function applySeed(service: ResourceService, dir: string, defaultNamespace: string): number {
  const objects = readSeedObjects(dir);
  for (const { object, source } of objects) {
    const type = service.registry.byApiVersionKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`seed ${source}: the server has no resource for ${object.apiVersion} ${object.kind}`);
    const namespace = type.namespaced ? (object.metadata.namespace ?? defaultNamespace) : '';
    try {
      service.patch(type, namespace, object.metadata.name ?? '', 'apply', object, {
        dryRun: false,
        fieldManager: seedFieldManager,
        fieldValidation: 'Strict',
        warnings: [],
        force: true,
        includeStatus: true,
      });
    } catch (error) {
      const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
      throw new Error(`seed ${source}: ${object.kind} ${object.metadata.name ?? ''}: ${message}`, { cause: error });
    }
  }
  return objects.length;
}
