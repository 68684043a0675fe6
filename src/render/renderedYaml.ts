// Parses what kustomize and helm print: a stream of YAML documents, with helm's `# Source:` comments.
import { loadAll } from 'js-yaml';
import { identify } from '../core/manifest';
import type { ResourceId } from '../core/model';

export interface RenderedDocument {
  id: ResourceId;
  object: Record<string, unknown>;
  /** Helm's `# Source: <chart>/templates/<file>` comment above the document, when present. */
  source?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each document on its own, so one bad document costs only itself. Throws nothing. */
export function parseRenderedYaml(text: string): { documents: RenderedDocument[]; errors: string[] } {
  const documents: RenderedDocument[] = [];
  const errors: string[] = [];
  // Tool output starts each document with `---` at column 0; block scalars are always indented.
  for (const chunk of text.split(/^---[ \t]*(?:\r?\n|$)/m)) {
    if (!chunk.trim()) continue;
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim();
    let values: unknown[];
    try {
      values = loadAll(chunk, { maxDepth: 200, maxAliases: 1000 });
    } catch (error) {
      errors.push(`${source ? `${source}: ` : ''}${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const value of values) {
      if (!isRecord(value)) continue;
      const items = typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
      for (const item of items) {
        if (!isRecord(item)) continue;
        const id = identify(item);
        if (id) documents.push({ id, object: item, source });
      }
    }
  }
  return { documents, errors };
}
