// The built-in kinds' schemas as a generated JSON asset, for the editor: the extension bundle must
// not carry @kubernetes/client-node (the models' source), so scripts/generateSchemaAsset.ts
// converts every model at build time (the same conversion the sandbox and the CLI make on the fly)
// and adds the field descriptions from the generated .d.ts doc comments. Loading the asset costs a
// JSON.parse; loading the cluster bundle for the models would cost about half a second.

import { modelNameCandidates, modelSchema, MODEL_REF_PREFIX, type ModelClasses } from './modelTypeMaps';
import type { OpenApiSchema, SchemaResolver } from './openApiSchema';
import type { KindSchema, SchemaCatalog } from './schemaCatalog';
import type { DescriptionSource } from './schemaLookup';

export interface SchemaAsset {
  /** Where the schemas come from (package and Kubernetes OpenAPI version). */
  source: string;
  /** Model name → its schema (fields refer to other models as `#/components/schemas/<name>`). */
  schemas: Record<string, OpenApiSchema>;
  /** Model name → JSON field name → description ('' for the model's own). */
  descriptions: Record<string, Record<string, string>>;
}

/** Every model's schema, converted once (the generator's half). */
export function buildSchemaAsset(models: ModelClasses, descriptions: Record<string, Record<string, string>>, source: string): SchemaAsset {
  const schemas: Record<string, OpenApiSchema> = {};
  for (const name of Object.keys(models).sort()) {
    const schema = modelSchema(name, models);
    if (schema) schemas[name] = schema;
  }
  const kept: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(descriptions).sort()) if (schemas[name]) kept[name] = descriptions[name];
  return { source, schemas, descriptions: kept };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an asset's JSON text; throws on anything that is not one. */
export function parseSchemaAsset(text: string): SchemaAsset {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !isRecord(parsed.schemas) || typeof parsed.source !== 'string') throw new Error('not a schema asset');
  return { source: parsed.source, schemas: parsed.schemas as SchemaAsset['schemas'], descriptions: isRecord(parsed.descriptions) ? (parsed.descriptions as SchemaAsset['descriptions']) : {} };
}

/**
 * The asset as two files: the schemas, which every validation reads, and the descriptions (four
 * fifths of the text), which only a hover reads. A drift or validate run then parses 0.2 MB of
 * JSON instead of 0.9 MB.
 */
export function splitSchemaAsset(asset: SchemaAsset): { schemas: string; descriptions: string } {
  return { schemas: JSON.stringify({ source: asset.source, schemas: asset.schemas }), descriptions: JSON.stringify(asset.descriptions) };
}

/** Reads the descriptions file of a split asset; throws on anything that is not one. */
export function parseSchemaDescriptions(text: string): SchemaAsset['descriptions'] {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !Object.values(parsed).every(isRecord)) throw new Error('not schema descriptions');
  return parsed as SchemaAsset['descriptions'];
}

/** The asset as a catalog: answers exactly what bundledCatalog() answers from the live models. */
export class SchemaAssetCatalog implements SchemaCatalog {
  private descriptions: SchemaAsset['descriptions'] | undefined;

  /**
   * `loadDescriptions`: for a split asset, reads the descriptions on the first describe() (an
   * asset whose own descriptions are empty); a failure leaves fields undescribed.
   */
  constructor(
    private readonly asset: SchemaAsset,
    private readonly loadDescriptions?: () => SchemaAsset['descriptions'],
  ) {}

  readonly resolve: SchemaResolver = (ref) => (ref.startsWith(MODEL_REF_PREFIX) ? this.asset.schemas[ref.slice(MODEL_REF_PREFIX.length)] : undefined);

  readonly describe: DescriptionSource = (model, field) => this.descriptionsOf(model)?.[field];

  private descriptionsOf(model: string): Record<string, string> | undefined {
    if (this.descriptions === undefined) {
      this.descriptions = this.asset.descriptions;
      if (this.loadDescriptions && Object.keys(this.descriptions).length === 0) {
        try {
          this.descriptions = this.loadDescriptions();
        } catch {
          // A missing or damaged descriptions file: hovers show types without descriptions.
        }
      }
    }
    return this.descriptions[model];
  }

  get source(): string {
    return this.asset.source;
  }

  kindSchema(group: string, version: string, kind: string): KindSchema | undefined {
    const name = modelNameCandidates(group, version, kind).find((candidate) => this.asset.schemas[candidate] !== undefined);
    if (!name) return undefined;
    return { root: { $ref: `${MODEL_REF_PREFIX}${name}` }, resolve: this.resolve, style: 'go', builtin: true };
  }
}
