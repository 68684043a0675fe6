// Source positions and plain-language type names for nodes of the `yaml` package, shared by the
// readers that report problems on the exact line (gitops.yaml). Kept apart from manifest.ts so the
// config reader can walk nodes itself: it needs the position of every key, not only of values.
import { Composer, Parser, YAMLParseError, isAlias, isMap, isScalar, isSeq, type CST, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { SourceRange } from './model';

/** 1-based range from two offsets; an empty or inverted span collapses onto `start`. */
export function rangeFromOffsets(lines: LineCounter, start: number, end: number): SourceRange {
  const a = lines.linePos(start);
  const b = lines.linePos(Math.max(start, end));
  return { start: { line: a.line, column: a.col }, end: { line: b.line, column: b.col } };
}

/** Range of a node's value (not its trailing comment or line break); undefined for synthetic nodes. */
export function rangeOfNode(lines: LineCounter, node: YamlNode | null | undefined): SourceRange | undefined {
  const range = node?.range;
  return range ? rangeFromOffsets(lines, range[0], range[1]) : undefined;
}

/**
 * Follows an alias to its anchored node once. Readers walk a fixed shape, so they never expand
 * aliases recursively and an alias bomb costs nothing.
 */
export function resolveAlias(doc: Document, node: unknown): YamlNode | null {
  if (isAlias(node)) return (node.resolve(doc) as YamlNode | undefined) ?? null;
  return (node as YamlNode | null | undefined) ?? null;
}

/** What a user would call the node's type, for messages like "must be a list, not a mapping". */
export function describeNode(node: YamlNode | null): string {
  if (node === null) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'empty';
    if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    if (typeof value === 'boolean') return `the boolean ${String(value)}`;
    if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  }
  return 'an unsupported value';
}

/**
 * Collections nested deeper than this are refused before they are composed. The `yaml` composer
 * recurses once per level and runs out of stack near 800 levels; a stack overflow that lands in
 * V8's regular-expression compiler aborts the whole process ("RegExpCompiler Allocation failed",
 * seen with yaml 2.9 on Node 20), so a 20 KB file of `[` could take the extension host down.
 */
export const MAX_YAML_NESTING = 256;

export interface YamlParseOptions {
  lineCounter?: LineCounter;
  /** YAML 1.1 merge keys (`<<: *base`), which kubectl and kustomize apply. */
  merge?: boolean;
  /** Report repeated keys of a mapping as DUPLICATE_KEY errors (default true). */
  uniqueKeys?: boolean;
  /** Like `parseDocument`: one document, always returned, an error on a second one. */
  single?: boolean;
}

/** Offset of the first collection nested deeper than `limit` levels in a CST token, if any (iterative). */
function tooDeepAt(token: CST.Token, limit: number): number | undefined {
  const stack: Array<[CST.Token, number]> = [[token, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [CST.Token, number];
    if (node.type === 'block-map' || node.type === 'block-seq' || node.type === 'flow-collection') {
      if (depth + 1 > limit) return node.offset;
      for (const item of node.items as CST.CollectionItem[]) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    } else if (node.type === 'document' && node.value) {
      stack.push([node.value, depth]);
    }
  }
  return undefined;
}

/**
 * Repeated keys, found with one set per mapping. `yaml`'s own `uniqueKeys` compares every key with
 * every earlier one: a 40 000-key ConfigMap (700 KB) took 9 s, a 5 MB one minutes.
 */
/**
 * A YAML 1.1 merge key: the symbol the yaml library gives a plain `<<` when merging is on. A quoted
 * `"<<"` stays the string, an ordinary key, as kustomize reads it.
 */
export function isMergeKey(value: unknown): boolean {
  return typeof value === 'symbol' && value.description === '<<';
}

function reportDuplicateKeys(doc: Document, merge: boolean): void {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && !(merge && isMergeKey(key.value)) && !(typeof key.value === 'number' && Number.isNaN(key.value))) {
          if (seen.has(key.value)) {
            const at = key.range?.[0] ?? 0;
            doc.errors.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', `Map keys must be unique: "${String(key.value).slice(0, 100)}" is repeated`));
          } else {
            seen.add(key.value);
          }
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
}

/**
 * `parseAllDocuments` (or, with `single`, `parseDocument`) that is safe on hostile text: a document
 * nested deeper than MAX_YAML_NESTING is not composed and carries a RESOURCE_EXHAUSTION error at the
 * offending collection, and duplicate keys are found in linear time. Never throws for bad input.
 */
export function parseYamlDocuments(text: string, options: YamlParseOptions = {}): Document.Parsed[] {
  // A lone CR is a line break in YAML (and in the editor) but not to the `yaml` lexer; the
  // replacement keeps every offset.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const merge = options.merge === true;
  // Line starts come from the text itself: the parser reports them only outside tokens, and after
  // a syntax error a multi-line token would shift every later position.
  const lines = options.lineCounter;
  if (lines) {
    lines.addNewLine(0);
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  }
  const parser = new Parser();
  // logLevel 'error': a hostile file must not fill the host's output with process warnings.
  const composer = new Composer({ uniqueKeys: false, merge, logLevel: 'error' });
  const tooDeep = new Map<number, number>();
  let index = 0;
  // The parser yields a document's syntax errors before the document itself, so `yaml` pins them
  // on the previous document (a valid one, which is then lost). Errors are held back and given to
  // the document they are in: the one whose `---` they follow, else the previous one; junk before
  // the first `---` gets an empty document of its own.
  let pending: CST.ErrorToken[] = [];
  let ended = true;
  function* guarded(): Generator<CST.Token> {
    for (const token of parser.parse(source)) {
      if (token.type === 'error') {
        pending.push(token);
        continue;
      }
      if (token.type === 'doc-end') {
        // Errors before a `...` are in the document it ends.
        yield* pending;
        pending = [];
        ended = true;
        yield token;
        continue;
      }
      if (token.type !== 'document') {
        yield token;
        continue;
      }
      const marker = token.start.find((t) => t.type === 'doc-start')?.offset;
      const before = options.single || marker === undefined ? [] : pending.filter((e) => e.offset <= marker);
      const within = pending.filter((e) => !before.includes(e));
      pending = [];
      if (before.length > 0) {
        // Trailing junk of the previous document stays its own; junk before the first document, or
        // after a `...` that ended the previous one, gets a document of its own.
        if (ended) {
          yield { type: 'document', offset: before[0].offset, start: [] };
          index += 1;
        }
        yield* before;
      }
      const at = token.value ? tooDeepAt(token.value, MAX_YAML_NESTING) : undefined;
      if (at !== undefined) {
        tooDeep.set(index, at);
        token.value = undefined;
      }
      index += 1;
      ended = false;
      yield token;
      yield* within;
    }
    if (pending.length > 0 && ended && !options.single) {
      yield { type: 'document', offset: pending[0].offset, start: [] };
      index += 1;
    }
    yield* pending;
  }
  const docs: Document.Parsed[] = [];
  for (const doc of composer.compose(guarded(), options.single === true, source.length)) {
    if (options.single && docs.length > 0) {
      docs[0].errors.push(new YAMLParseError([doc.range[0], doc.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
    docs.push(doc);
  }
  docs.forEach((doc, i) => {
    const at = tooDeep.get(i);
    if (at !== undefined) doc.errors.push(new YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', `Collections nest deeper than ${MAX_YAML_NESTING} levels`));
    else if (options.uniqueKeys !== false) reportDuplicateKeys(doc, merge);
  });
  return docs;
}
