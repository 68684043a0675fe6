// Blame for objects a Helm chart renders: a field whose template line reads one value
// (`replicas: {{ .Values.replicaCount }}`, `tag: {{ .Values.image.tag | quote }}`) is blamed on
// the values file that sets that value last (the environment's `values-<env>.yaml` before the
// chart's `values.yaml`), at the value's line. Conservative on purpose: the field's key must
// appear once in the object's template document, and the values file's value must read as the
// rendered one; otherwise the template's `kind:` line stays the answer (no blame).
import { splitPointer } from '../manifest';
import type { SourceRange } from '../model';
import type { FieldBlame, ObjectBlame } from './blameTypes';
import { nodeAt, parseSourceDocuments, scalarText, type SourceDocument } from './sourceTree';

export interface ValuesFile {
  file: string;
  text: string;
}

const VALUES_REF = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g;

/** The lines of the template document holding the object: from the `---` before `kindLine` to the next. */
function documentLines(template: string, kindLine: number): Array<{ line: number; text: string }> {
  const lines = template.split(/\r?\n/);
  let start = kindLine - 1;
  while (start > 0 && !/^---/.test(lines[start - 1] ?? '')) start--;
  let end = kindLine;
  while (end < lines.length && !/^---/.test(lines[end] ?? '')) end++;
  return lines.slice(start, end).map((text, i) => ({ line: start + i + 1, text }));
}

function valueAtPath(rendered: unknown, tokens: readonly string[]): unknown {
  let current = rendered;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (typeof current === 'object' && current !== null) current = (current as Record<string, unknown>)[token];
    else return undefined;
  }
  return current;
}

/**
 * `template`: the template file's text; `kindLine`: the object's `kind:` line in it; `values`:
 * the values files in the order helm reads them (later wins).
 */
export function helmValuesBlame(template: string, kindLine: number, values: readonly ValuesFile[], rendered: Record<string, unknown>): ObjectBlame {
  let lines: Array<{ line: number; text: string }> | undefined;
  const parsed = new Map<string, SourceDocument | undefined>();
  const valuesRoot = (file: ValuesFile): SourceDocument | undefined => {
    if (!parsed.has(file.file)) parsed.set(file.file, parseSourceDocuments(file.text)[0]);
    return parsed.get(file.file);
  };
  return {
    blame(pointer: string): FieldBlame | undefined {
      const tokens = splitPointer(pointer);
      const key = [...tokens].reverse().find((token) => !/^\d+$/.test(token));
      const value = valueAtPath(rendered, tokens);
      if (key === undefined || value === undefined || value === null || typeof value === 'object') return undefined;
      lines ??= documentLines(template, kindLine);
      const keyed = lines.filter((l) => new RegExp(`^\\s*(?:-\\s+)?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s`).test(l.text));
      if (keyed.length !== 1) return undefined;
      const references = [...keyed[0].text.matchAll(VALUES_REF)].map((m) => m[1].slice(1).split('.'));
      const renderedText = String(value);
      let best: { file: string; range: SourceRange; pointer: string; order: number } | undefined;
      references.forEach((path) => {
        values.forEach((file, order) => {
          const root = valuesRoot(file);
          const node = root && nodeAt(root.root, path);
          const text = scalarText(node);
          // The value must show in the rendered field (whole, or as the tag of an image, ...).
          if (!node || text === undefined || !(text === renderedText || (references.length > 1 && renderedText.includes(text)))) return;
          if (!best || order >= best.order) best = { file: file.file, range: node.range, pointer: `/${path.join('/')}`, order };
        });
      });
      if (!best) return undefined;
      // A line reading several values (`image: {{ .Values.repo }}:{{ .Values.tag }}`) sets part of the field.
      return { location: { file: best.file, range: best.range }, via: 'values', docIndex: 0, sourcePointer: best.pointer, exact: references.length === 1 };
    },
  };
}
