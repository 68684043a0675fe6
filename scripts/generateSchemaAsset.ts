// Writes dist/kubernetes-schemas.json (see src/core/validation/schemaAsset.ts): every built-in
// model's schema, converted from @kubernetes/client-node's generated model type maps; and beside
// it dist/kubernetes-schema-descriptions.json, the field descriptions from its generated .d.ts doc
// comments (only hovers read them). Run by scripts/build.mjs.
// Usage: node --import tsx scripts/generateSchemaAsset.ts [OUT]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as generatedModels from '@kubernetes/client-node/dist/gen/models/all.js';
import { buildSchemaAsset, splitSchemaAsset } from '../src/core/validation/schemaAsset';
import { BUNDLED_SCHEMA_SOURCE } from '../src/sandbox/bundledSchemas';
// @ts-expect-error -- a plain ES module script shared with the build, without type declarations
import { schemaDescriptions } from './schemaDescriptions.mjs';

const target = process.argv[2] ?? 'dist/kubernetes-schemas.json';
const asset = buildSchemaAsset(generatedModels as unknown as Record<string, unknown>, schemaDescriptions() as Record<string, Record<string, string>>, BUNDLED_SCHEMA_SOURCE);
mkdirSync(dirname(target), { recursive: true });
const { schemas, descriptions } = splitSchemaAsset(asset);
writeFileSync(target, schemas);
writeFileSync(join(dirname(target), 'kubernetes-schema-descriptions.json'), descriptions);
