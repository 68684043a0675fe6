// Multi-document YAML manifests with the source range of every node.
// Uses the `yaml` package (CST + node ranges) because drift hints must land on the exact line that
// declares a field; js-yaml has no positions.
import { LineCounter, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';
import { splitApiVersion, type LocatedProblem, type ResourceId, type SourceRange } from './model';
import { readFastFile } from './fastManifest';
import { splitDocuments } from './documentSplit';
import { parseYamlDocuments } from './yamlSource';
import { lastIndexAtMost } from './sortedIndex';

/** Files larger than this are refused with a located error instead of hanging the parser. */
/** Larger manifest files are refused with a message naming the limit (operators' CRD bundles reach tens of MB). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/**
 * Files edited in place (promotion's image and value edits) are read whole with the general YAML
 * parser, which takes seconds beyond this; larger ones are left for the user to change by hand.
 */
export const MAX_EDITED_MANIFEST_BYTES = 5 * 1024 * 1024;
/** Files at least this large are read one document at a time, so memory follows the largest document, not the file. */
export const BY_DOCUMENT_BYTES = 2 * 1024 * 1024;
/** Alias expansions allowed per document; an anchor bomb exceeds it and becomes an error. */
const MAX_ALIAS_COUNT = 1000;
const MAX_DEPTH = 200;

export interface ParsedManifest {
  file: string;
  /** 0-based index of the document in the file (items of a `List` share their document's index). */
  docIndex: number;
  /** Identity when the document is a Kubernetes object (apiVersion, kind, metadata.name); else null. */
  id: ResourceId | null;
  object: Record<string, unknown>;
  /** Range of the whole document. */
  range: SourceRange;
  /** Range of the `kind:` key (where a resource-level hint belongs); falls back to the document start. */
  kindRange: SourceRange;
  /** Range of the value at a JSON pointer (RFC 6901), or of its nearest ancestor present in the file. */
  rangeOf(pointer: string): SourceRange;
  /** Exact range of the value node at a pointer (no key, no ancestor fallback); undefined when absent. */
  valueRangeOf(pointer: string): SourceRange | undefined;
}

export interface ManifestParseResult {
  manifests: ParsedManifest[];
  problems: LocatedProblem[];
}

/** Kinds that configure tools rather than describe cluster objects. */
const TOOL_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io', 'gitops-environments']);

/** Converts an offset to a 1-based position. */
function positionAt(lines: LineCounter, offset: number): { line: number; column: number } {
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

function rangeFrom(lines: LineCounter, start: number, end: number): SourceRange {
  return { start: positionAt(lines, start), end: positionAt(lines, Math.max(start, end)) };
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Finds the deepest node along `tokens`; returns the key node for map entries so hints sit on the key's line. */
function locate(root: YamlNode | null | undefined, tokens: string[]): { node: YamlNode; key?: YamlNode } | undefined {
  let current: YamlNode | null | undefined = root;
  let best: { node: YamlNode; key?: YamlNode } | undefined = root ? { node: root } : undefined;
  for (const token of tokens) {
    if (isMap(current)) {
      // The last of repeated keys is the one read (kubectl and Argo CD let it win), so the last is located.
      let pair: (typeof current.items)[number] | undefined;
      for (let i = current.items.length - 1; i >= 0 && !pair; i--) {
        const candidate = current.items[i];
        if (isPair(candidate) && isScalar(candidate.key) && String(candidate.key.value) === token) pair = candidate;
      }
      if (!pair) return best;
      const value = pair.value as YamlNode | null;
      const key = pair.key as YamlNode;
      best = { node: value ?? key, key };
      current = value;
    } else if (isSeq(current)) {
      const index = Number(token);
      const item = Number.isInteger(index) ? (current.items[index] as YamlNode | undefined) : undefined;
      if (!item) return best;
      best = { node: item };
      current = item;
    } else {
      return best;
    }
  }
  return best;
}

function nodeRange(lines: LineCounter, node: YamlNode, key?: YamlNode): SourceRange | undefined {
  const valueRange = node.range;
  const keyRange = key?.range;
  if (keyRange && valueRange) return rangeFrom(lines, keyRange[0], valueRange[1]);
  if (valueRange) return rangeFrom(lines, valueRange[0], valueRange[1]);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function depthOf(value: unknown, limit: number): number {
  // Iterative so a hostile document cannot blow the stack.
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (d > max) max = d;
    if (max > limit) return max;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isRecord(v)) for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? BASE64[n & 63] : '=');
  }
  return out;
}

/** A value YAML's explicit tags can produce and JSON cannot, as it reaches the API server. */
function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v]));
  if (value instanceof Set) return Object.fromEntries([...value].map((k) => [String(k), null]));
  return value;
}

/**
 * Replaces `!!binary`, `!!timestamp`, `!!set` and `!!omap` values by their JSON form (base64, an
 * ISO date, mappings), in place and iteratively, so every later step sees plain JSON data.
 */
function toJsonValues(root: Record<string, unknown>): void {
  const stack: Array<Record<string, unknown> | unknown[]> = [root];
  while (stack.length > 0) {
    const container = stack.pop() as Record<string, unknown> | unknown[];
    for (const key of Object.keys(container)) {
      const original = (container as Record<string, unknown>)[key];
      const value = jsonValue(original);
      // defineProperty: a `__proto__` key stays an own key instead of replacing the prototype.
      if (value !== original) Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
      if (Array.isArray(value) || isRecord(value)) stack.push(value);
    }
  }
}

/** Identity of a plain object, or null when it is not a Kubernetes object we track. */
export function identify(object: Record<string, unknown>): ResourceId | null {
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  const metadata = object.metadata;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '' || !isRecord(metadata)) return null;
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return null;
  const { group, version } = splitApiVersion(apiVersion);
  if (TOOL_GROUPS.has(group)) return null;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : null;
  return { group, version, kind, namespace, name };
}

function looksBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

/**
 * What is wrong with a file as a whole: too large, binary or UTF-16 (`stop`: nothing in it can be
 * read), or holding bytes that are not UTF-8 (reported at the first one; its documents are still read).
 */
export function fileProblems(text: string, file: string): { problems: LocatedProblem[]; stop: boolean } {
  if (text.length > MAX_MANIFEST_BYTES) {
    return {
      stop: true,
      problems: [
        {
          severity: 'error',
          message: `File is ${(text.length / 1048576).toFixed(1)} MB; manifests over ${MAX_MANIFEST_BYTES / 1048576} MB are not parsed`,
          location: { file },
          hint: 'split it into smaller files',
        },
      ],
    };
  }
  if (looksBinary(text)) {
    // Readers decode files as UTF-8: a UTF-16 BOM turns into two replacement characters, and its ASCII into NULs.
    const utf16 = text.startsWith('\uFFFD\uFFFD');
    return {
      stop: true,
      problems: [{ severity: 'error', message: utf16 ? 'File is UTF-16, not UTF-8' : 'File is binary, not YAML', location: { file }, hint: utf16 ? 'save it as UTF-8' : 'rename it or remove it from the manifests folder' }],
    };
  }
  // Bytes that are not UTF-8 arrive as U+FFFD; kubectl refuses such a file, and the values read here would be wrong.
  const invalid = text.indexOf('\uFFFD');
  if (invalid < 0) return { problems: [], stop: false };
  const before = text.slice(0, invalid);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = invalid - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return {
    stop: false,
    problems: [
      {
        severity: 'error',
        message: 'File is not valid UTF-8 (a byte sequence here is not UTF-8, or the file holds U+FFFD)',
        location: { file, range: { start: { line, column }, end: { line, column: column + 1 } } },
        hint: 'save the file as UTF-8; its documents are read with the character replaced',
      },
    ],
  };
}

export interface ParseManifestsOptions {
  /** Run fileProblems (default true); the incremental parser runs them once per file, not per document. */
  fileChecks?: boolean;
  /** Read a large text one document at a time (default true; off for a text that is already one document). */
  byDocument?: boolean;
}

function shiftRange(range: SourceRange, lines: number): SourceRange {
  return { start: { line: range.start.line + lines, column: range.start.column }, end: { line: range.end.line + lines, column: range.end.column } };
}

/** A manifest parsed from a document cut out of a file, placed back at its lines in the file. */
export function shiftManifest(m: ParsedManifest, lines: number, docIndex: number): ParsedManifest {
  if (lines === 0 && m.docIndex === docIndex) return m;
  return {
    ...m,
    docIndex,
    range: shiftRange(m.range, lines),
    kindRange: shiftRange(m.kindRange, lines),
    rangeOf: (pointer: string) => shiftRange(m.rangeOf(pointer), lines),
    valueRangeOf: (pointer: string) => {
      const range = m.valueRangeOf(pointer);
      return range && shiftRange(range, lines);
    },
  };
}

export function shiftProblem(problem: LocatedProblem, lines: number): LocatedProblem {
  const range = problem.location?.range;
  return range && problem.location ? { ...problem, location: { ...problem.location, range: shiftRange(range, lines) } } : problem;
}

/**
 * A large file, one document at a time: each is parsed (fast reader, else `yaml`) and dropped
 * before the next, and its positions are shifted to its lines in the file. A `%YAML` directive
 * carries over to later documents, so such a file is read whole.
 */
function parseByDocument(source: string, file: string, problems: LocatedProblem[]): ManifestParseResult {
  const manifests: ParsedManifest[] = [];
  splitDocuments(source).forEach((chunk, index) => {
    const parsed = parseManifests(chunk.text, file, { fileChecks: false, byDocument: false });
    for (const m of parsed.manifests) manifests.push(shiftManifest(m, chunk.startLine, index));
    for (const p of parsed.problems) problems.push(shiftProblem(p, chunk.startLine));
  });
  return { manifests, problems };
}

/**
 * Parses every document of a manifest file. Never throws: syntax errors, alias bombs, oversized and
 * binary files become located problems, and the valid documents of the file are still returned.
 */
export function parseManifests(text: string, file: string, options: ParseManifestsOptions = {}): ManifestParseResult {
  const checked = options.fileChecks === false ? { problems: [], stop: false } : fileProblems(text, file);
  const problems: LocatedProblem[] = [...checked.problems];
  if (checked.stop) return { manifests: [], problems };
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (options.byDocument !== false && source.length >= BY_DOCUMENT_BYTES && !/^%/m.test(source)) return parseByDocument(source, file, problems);
  const fast = fastManifests(source, file);
  if (fast) return { manifests: fast, problems };
  return parseWithYaml(source, file, problems);
}

/** Offsets to 1-based positions, as `LineCounter.linePos` gives them. */
function offsetPositions(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const line = lastIndexAtMost(starts, offset);
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
}

/**
 * The fast path (fastManifest.ts) for files in its subset: values and the document and `kind:`
 * ranges at once; the range of any other field is read by `yaml` on the first request, once per
 * file. Undefined when the file is not in the subset or holds something only `yaml` handles here.
 */
function fastManifests(source: string, file: string): ParsedManifest[] | undefined {
  const fast = readFastFile(source);
  if (!fast) return undefined;
  const documents = fast.documents;
  const position = offsetPositions(source);
  const span = (start: number, end: number): SourceRange => ({ start: position(start), end: position(Math.max(start, end)) });
  let full: Map<number, ParsedManifest> | undefined;
  const fullManifest = (docIndex: number): ParsedManifest | undefined => {
    full ??= new Map(parseWithYaml(source, file, []).manifests.map((m) => [m.docIndex, m]));
    return full.get(docIndex);
  };
  const manifests: ParsedManifest[] = [];
  for (const document of documents) {
    const object = document.value;
    if (object === null) continue;
    // Lists, and objects without a kind (the resource range would be the whole mapping's), go the full way.
    if (!document.kind || (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items))) return undefined;
    const range = span(document.start, document.end);
    const docIndex = document.index;
    manifests.push({
      file,
      docIndex,
      id: identify(object),
      object,
      range,
      kindRange: span(document.kind.keyStart, document.kind.valueEnd),
      // A one-line scalar (most drifted fields) is located by the fast reader; the rest by `yaml`.
      rangeOf: (pointer) => {
        const found = fast.locate(docIndex, splitPointer(pointer));
        return found ? span(found.start, found.end) : (fullManifest(docIndex)?.rangeOf(pointer) ?? range);
      },
      valueRangeOf: (pointer) => fullManifest(docIndex)?.valueRangeOf(pointer),
    });
  }
  return manifests;
}

/**
 * What parseManifests gives without its fast path: the reference the fast path is tested against.
 */
export function parseManifestsWithYaml(text: string, file: string): ManifestParseResult {
  const checked = fileProblems(text, file);
  if (checked.stop) return { manifests: [], problems: checked.problems };
  return parseWithYaml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file, [...checked.problems]);
}

/** The `yaml` package's reading of a file (any YAML), with every problem located. */
function parseWithYaml(source: string, file: string, problems: LocatedProblem[]): ManifestParseResult {
  const manifests: ParsedManifest[] = [];
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    // Merge keys as kubectl and kustomize read them; depth and duplicate keys checked safely.
    docs = parseYamlDocuments(source, { lineCounter: lines, merge: true });
  } catch (error) {
    problems.push({ severity: 'error', message: `Cannot parse YAML: ${(error as Error).message}`, location: { file } });
    return { manifests, problems };
  }
  docs.forEach((doc, docIndex) => {
    const docStart = doc.range?.[0] ?? 0;
    const docEnd = doc.range?.[2] ?? docStart;
    const docRange = rangeFrom(lines, docStart, docEnd);
    // A repeated key is read as kubectl and Argo CD read it — the last one wins — with a warning
    // at the repetition; any other error makes the document unreadable.
    const duplicates = doc.errors.filter((error) => error.code === 'DUPLICATE_KEY').sort((a, b) => (a.pos?.[0] ?? 0) - (b.pos?.[0] ?? 0));
    for (const error of doc.errors.length === duplicates.length ? duplicates : []) {
      const at = error.pos?.[0] ?? docStart;
      problems.push({
        severity: 'warning',
        message: `${error.message.split('\n')[0].replace('Map keys must be unique: ', 'Key ')}; the last value is used, as kubectl does`,
        location: { file, range: rangeFrom(lines, at, error.pos?.[1] ?? at) },
        hint: 'remove the earlier occurrence so the file says one thing',
      });
    }
    if (doc.errors.length > duplicates.length) {
      for (const error of doc.errors) {
        const at = error.pos?.[0] ?? docStart;
        problems.push({
          severity: 'error',
          message: error.code === 'RESOURCE_EXHAUSTION' ? `Document ${docIndex + 1} cannot be read: ${error.message}` : `YAML syntax error: ${error.message.split('\n')[0]}`,
          location: { file, range: rangeFrom(lines, at, error.pos?.[1] ?? at) },
          hint: 'fix the YAML; the other documents of this file are still read',
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // An alias without its anchor is located on the alias; an alias bomb on its document.
      let unresolved: Alias | undefined;
      visit(doc, {
        Alias(_, alias) {
          if (alias.resolve(doc) !== undefined) return undefined;
          unresolved = alias;
          return visit.BREAK;
        },
      });
      const at = unresolved?.range;
      problems.push({
        severity: 'error',
        message: `Document ${docIndex + 1} cannot be expanded: ${(error as Error).message}`,
        location: { file, range: at ? rangeFrom(lines, at[0], at[1]) : docRange },
        hint: unresolved ? `define the anchor &${unresolved.source} before this alias` : 'too many YAML aliases (an alias bomb?); inline the values',
      });
      return;
    }
    if (value === null || value === undefined) return;
    if (!isRecord(value)) return;
    if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
      problems.push({ severity: 'error', message: `Document ${docIndex + 1} nests deeper than ${MAX_DEPTH} levels`, location: { file, range: docRange } });
      return;
    }
    toJsonValues(value);
    const rangeOf = (pointer: string, base: string[] = []): SourceRange => {
      const found = locate(doc.contents as YamlNode | null, [...base, ...splitPointer(pointer)]);
      return (found && nodeRange(lines, found.node, found.key)) ?? docRange;
    };
    const valueRangeOf = (pointer: string, base: string[] = []): SourceRange | undefined => {
      const tokens = [...base, ...splitPointer(pointer)];
      const found = locate(doc.contents as YamlNode | null, tokens);
      if (!found || !found.node.range) return undefined;
      // locate() stops at the nearest ancestor: only an exact hit has the pointer's own node.
      const exact = locate(doc.contents as YamlNode | null, tokens.slice(0, -1));
      if (tokens.length > 0 && exact && exact.node === found.node) return undefined;
      return rangeFrom(lines, found.node.range[0], found.node.range[1]);
    };
    const push = (object: Record<string, unknown>, base: string[]): void => {
      const kindFound = locate(doc.contents as YamlNode | null, [...base, 'kind']);
      const kindRange = (kindFound && nodeRange(lines, kindFound.node, kindFound.key)) ?? rangeOf('', base);
      manifests.push({
        file,
        docIndex,
        id: identify(object),
        object,
        range: base.length ? rangeOf('', base) : docRange,
        kindRange,
        rangeOf: (pointer) => rangeOf(pointer, base),
        valueRangeOf: (pointer) => valueRangeOf(pointer, base),
      });
    };
    // A `kind: List` (what `kubectl get -o yaml` writes) holds objects in `items`.
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (isRecord(item)) push(item, ['items', String(i)]);
      });
      return;
    }
    push(value, []);
  });
  return { manifests, problems };
}

/** True when a path names a file the manifest reader should look at. */
export function isManifestPath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}
