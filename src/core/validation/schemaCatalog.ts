// Where the schema of a kind comes from: the bundled built-in models, the CRDs found next to the
// manifests (or stored in the sandbox), or a cluster's /openapi/v3 documents. A catalog answers
// one question — the schema of (group, version, kind) — and catalogs stack: the first that knows
// a kind wins.

import type { OpenApiSchema, SchemaResolver } from './openApiSchema';

export interface KindSchema {
  root: OpenApiSchema;
  resolve: SchemaResolver;
  /** Built-in kinds are decoded into Go structs (`go`); custom resources are checked structurally. */
  style: 'go' | 'structural';
  /** Built-in kinds also get the API server's own Go validation (apiServerRules.ts). */
  builtin: boolean;
}

export interface SchemaCatalog {
  kindSchema(group: string, version: string, kind: string): KindSchema | undefined;
}

const noRefs: SchemaResolver = () => undefined;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** The kinds one CustomResourceDefinition serves, each with its version's openAPIV3Schema. */
export function crdKindSchemas(crd: Json): { group: string; version: string; kind: string; schema: KindSchema }[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string') return [];
  const shared = isRecord(spec.validation) && isRecord(spec.validation.openAPIV3Schema) ? spec.validation.openAPIV3Schema : undefined;
  const out: { group: string; version: string; kind: string; schema: KindSchema }[] = [];
  for (const version of Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : []) {
    if (typeof version.name !== 'string' || version.served === false) continue;
    const own = isRecord(version.schema) && isRecord(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : shared;
    // A version without a schema (only possible through v1beta1 CRDs) keeps every field.
    const root: OpenApiSchema = (own as OpenApiSchema | undefined) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    out.push({ group: spec.group, version: version.name, kind: names.kind, schema: { root, resolve: noRefs, style: 'structural', builtin: false } });
  }
  return out;
}

/** Schemas of the custom resources defined by a set of CRD objects. */
export class CustomResourceCatalog implements SchemaCatalog {
  private readonly byKind = new Map<string, KindSchema>();

  add(crd: Json): void {
    for (const entry of crdKindSchemas(crd)) this.byKind.set(kindKey(entry.group, entry.version, entry.kind), entry.schema);
  }

  get size(): number {
    return this.byKind.size;
  }

  kindSchema(group: string, version: string, kind: string): KindSchema | undefined {
    return this.byKind.get(kindKey(group, version, kind));
  }
}

/**
 * A cluster's OpenAPI v3 documents (one per group-version, as /openapi/v3/<path> serves them).
 * Kinds are found through each component's `x-kubernetes-group-version-kind`.
 */
export class OpenApiDocumentCatalog implements SchemaCatalog {
  private readonly byKind = new Map<string, KindSchema>();

  constructor(documents: readonly unknown[], isBuiltinGroup: (group: string) => boolean) {
    for (const document of documents) {
      if (!isRecord(document) || !isRecord(document.components) || !isRecord(document.components.schemas)) continue;
      const schemas = document.components.schemas as Record<string, OpenApiSchema>;
      const resolve: SchemaResolver = (ref) => (ref.startsWith('#/components/schemas/') ? schemas[ref.slice('#/components/schemas/'.length)] : undefined);
      for (const schema of Object.values(schemas)) {
        for (const gvk of Array.isArray(schema['x-kubernetes-group-version-kind']) ? schema['x-kubernetes-group-version-kind'] : []) {
          if (!isRecord(gvk) || typeof gvk.kind !== 'string' || typeof gvk.version !== 'string') continue;
          const group = typeof gvk.group === 'string' ? gvk.group : '';
          const builtin = isBuiltinGroup(group);
          this.byKind.set(kindKey(group, gvk.version, gvk.kind), { root: schema, resolve, style: builtin ? 'go' : 'structural', builtin });
        }
      }
    }
  }

  get size(): number {
    return this.byKind.size;
  }

  kindSchema(group: string, version: string, kind: string): KindSchema | undefined {
    return this.byKind.get(kindKey(group, version, kind));
  }
}

/** Asks each catalog in turn. */
export function stackedCatalog(catalogs: readonly SchemaCatalog[]): SchemaCatalog {
  return {
    kindSchema(group, version, kind) {
      for (const catalog of catalogs) {
        const found = catalog.kindSchema(group, version, kind);
        if (found) return found;
      }
      return undefined;
    },
  };
}
