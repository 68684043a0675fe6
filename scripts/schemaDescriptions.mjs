// Generates dist/schema-descriptions.json: the OpenAPI description of every field of every
// Kubernetes model, read from the doc comments that OpenAPI Generator writes into
// @kubernetes/client-node's generated .d.ts files (its model type maps carry no descriptions).
// The editor's schema hover loads it lazily; nothing here is typed by hand.
// Shape: { "<Model>": { "": "<model description>", "<jsonField>": "<description>" } }.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const modelsDir = join(dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist', 'gen', 'models');

/** The text of a `/** … *\/` block: one line per ` * ` line, unescaped as the generator escaped it. */
function commentText(block) {
  return block
    .split('\n')
    .map((line) => line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, ''))
    .filter((line) => line !== '')
    .join(' ')
    .replace(/\\(['"\\])/g, '$1')
    .trim();
}

const comment = /\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*(export declare class (\w+)|'([^']+)'\??:)/g;

export function schemaDescriptions(dir = modelsDir) {
  const out = {};
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.d.ts') || file === 'all.d.ts' || file === 'ObjectSerializer.d.ts') continue;
    const source = readFileSync(join(dir, file), 'utf8');
    const model = file.slice(0, -'.d.ts'.length);
    const fields = {};
    for (const match of source.matchAll(comment)) {
      const text = commentText(match[1]);
      if (!text || text.startsWith('Kubernetes No description')) continue;
      if (match[3]) fields[''] = text;
      else fields[match[4]] = text;
    }
    if (Object.keys(fields).length > 0) out[model] = fields;
  }
  return out;
}

if (process.argv[1] && process.argv[1].endsWith('schemaDescriptions.mjs')) {
  const target = process.argv[2] ?? 'dist/schema-descriptions.json';
  mkdirSync(dirname(target), { recursive: true });
  const descriptions = schemaDescriptions();
  writeFileSync(target, JSON.stringify(descriptions));
  console.log(`${target}: ${Object.keys(descriptions).length} models`);
}
