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

/**
 * Values a document holds once its aliases are expanded. js-yaml's `maxAliases` counts aliases as
 * written, and keeps them as shared references: nine levels of nine (a billion laughs in 1 KB of
 * `helm template` output) pass it, then expand to 387 million values in the first deep copy or
 * hash and exhaust the heap. Counted iteratively, stopping at the limit.
 */
export const MAX_EXPANDED_VALUES = 1_000_000;

function expandedSize(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > limit) return count;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (isRecord(v)) for (const x of Object.values(v)) stack.push(x);
  }
  return count;
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
      if (expandedSize(value, MAX_EXPANDED_VALUES) > MAX_EXPANDED_VALUES) {
        errors.push(`${source ? `${source}: ` : ''}a document expands to more than ${MAX_EXPANDED_VALUES.toLocaleString('en')} values (YAML aliases); it is not read`);
        continue;
      }
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
