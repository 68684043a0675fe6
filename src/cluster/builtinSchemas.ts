// The built-in kinds' schemas for what runs outside the sandbox (the drift service, sync's
// pre-check, `gitops-env validate`): the generated asset beside the running bundle
// (dist/kubernetes-schemas.json, which the editor's validation also reads) when there is one.
// Parsing it costs a few milliseconds; evaluating @kubernetes/client-node's 700 model modules,
// which the sandbox serves from, cost every CLI run and the cluster bundle's load tens of
// milliseconds. Run from sources (tests through tsx) there is no asset: the models are
// loaded then, on first use. The two answer alike (validationDiagnostics.test.ts holds that).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchemaAsset, parseSchemaDescriptions, SchemaAssetCatalog } from '../core/validation/schemaAsset';
import type { SchemaCatalog } from '../core/validation/schemaCatalog';

export const SCHEMA_ASSET_FILE = 'kubernetes-schemas.json';
/** The descriptions of the split asset, read on the first hover (see splitSchemaAsset). */
export const SCHEMA_DESCRIPTIONS_FILE = 'kubernetes-schema-descriptions.json';

export interface BuiltinSchemas {
  catalog: SchemaCatalog;
  /** What the schemas were made from (package, Kubernetes OpenAPI version). */
  source: string;
  /** `asset` when read from the generated file, `models` when converted from the package's models. */
  from: 'asset' | 'models';
}

let loaded: BuiltinSchemas | undefined;

/** The asset in `dir` (default: beside this bundle), else the package's models; one per process. */
export function builtinSchemas(dir: string = __dirname): BuiltinSchemas {
  loaded ??= fromAsset(dir) ?? fromModels();
  return loaded;
}

function fromAsset(dir: string): BuiltinSchemas | undefined {
  const file = join(dir, SCHEMA_ASSET_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const catalog = new SchemaAssetCatalog(parseSchemaAsset(readFileSync(file, 'utf8')), () => parseSchemaDescriptions(readFileSync(join(dir, SCHEMA_DESCRIPTIONS_FILE), 'utf8')));
    return { catalog, source: catalog.source, from: 'asset' };
  } catch {
    // A damaged asset: the models give the same answers, only slower.
    return undefined;
  }
}

function fromModels(): BuiltinSchemas {
  // Required here, not imported: a bundle evaluates the models only when no asset is beside it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require('../sandbox/bundledSchemas') as typeof import('../sandbox/bundledSchemas');
  return { catalog: models.bundledCatalog(), source: models.BUNDLED_SCHEMA_SOURCE, from: 'models' };
}
