// A fast reader for the plain YAML most Kubernetes manifests are written in: block mappings and
// sequences, plain and quoted one-line scalars, `{}`/`[]`, literal block scalars. It yields each
// document's value and the two positions every manifest needs at once (the document and its
// `kind:` line); everything else (the range of a drifted field) is read later, on demand, by the
// full `yaml` parser. Anything outside that subset — anchors, tags, flow collections, folded or
// multi-line scalars, tabs, CR line breaks, duplicate keys, syntax errors — makes it give up on
// the whole file, and the caller parses it with `yaml` as before, so results never differ: the
// `yaml` package costs ~0.2 ms per small manifest (1,000 files: a quarter of a second), this ~0.02.

/** One document of a file the fast reader accepted. */
export interface FastDocument {
  /** 0-based, counted as the `yaml` package counts documents (empty ones included). */
  index: number;
  /** null for an empty document (comments only). */
  value: Record<string, unknown> | null;
  /** Offsets of the document, as `Document.range[0]` and `Document.range[2]` of the `yaml` package. */
  start: number;
  end: number;
  /** Offsets of the top-level `kind` key and the end of its scalar value; undefined without one. */
  kind?: { keyStart: number; valueEnd: number };
}

/** Thrown inside the reader to abandon the fast path; never escapes it. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('outside the fast subset');

/** Nesting the reader follows before handing the file to `yaml` (which guards deeper nesting itself). */
const MAX_FAST_DEPTH = 64;

// Characters the fast path does not reason about: tabs and CR (line structure), other C0/C1
// controls, DEL, BOM, and the Unicode line separators YAML 1.1 knew.
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
/** A plain key: starts with a letter or `_`, then letters, digits and `_ . / -`. */
const KEY = /[A-Za-z_][A-Za-z0-9_./-]*/y;
/** Plain keys that would not resolve to the string they spell, or that name the prototype. */
const RESERVED_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);

// The YAML 1.2 core schema, as the `yaml` package resolves plain scalars.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** Indicators a plain scalar may not start with: `#` `&` `*` `!` `|` `>` `%` `@` `` ` `` `?` `,` `]` `}`. */
const INDICATORS = new Set([35, 38, 42, 33, 124, 62, 37, 64, 96, 63, 44, 93, 125]);

/** Gives up unless a plain scalar may start at `p` (not an indicator, nor `- ` or `: `). */
function rejectPlainStart(text: string, p: number, lineEnd: number): void {
  const c = text.charCodeAt(p);
  if (INDICATORS.has(c)) throw GIVE_UP;
  if ((c === 45 /* - */ || c === 58) /* : */ && (p + 1 >= lineEnd || text.charCodeAt(p + 1) === 32)) throw GIVE_UP;
}

function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Most values are words: only text that starts like a number, `~`, `.`, or a null/bool word can resolve to something else.
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!numeric) {
    if (text === '' || first === 126 /* ~ */ || first === 110 || first === 78 /* n N */) {
      if (NULL.test(text)) return null;
    }
    if ((first === 116 || first === 84 || first === 102 || first === 70) && BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
    return text;
  }
  if (INT_OCT.test(text)) return parseInt(text.slice(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

interface Line {
  start: number;
  /** Offset of the line break, or the text's length on the last line. */
  end: number;
  /** Leading spaces. */
  indent: number;
  /** Blank or comment-only: skipped between entries. */
  empty: boolean;
}

/** What a scalar parse leaves: the value, where it ends, and the next line to look at. */
interface ScalarResult {
  value: unknown;
  valueEnd: number;
  nextLine: number;
  /** A single-line scalar (plain or quoted): what `kind:` must be. */
  inline: boolean;
}

/** Offsets of a field as `yaml` ranges it: from its key (or sequence item) to the end of its value. */
export interface FieldSpan {
  start: number;
  end: number;
}

class DocumentReader {
  kind: { keyStart: number; valueEnd: number } | undefined;

  constructor(
    private readonly text: string,
    private readonly lines: readonly Line[],
    /** Lines of this document: [from, to). */
    private readonly to: number,
  ) {}

  /** Next non-empty line at or after `i`, or -1. */
  private content(i: number): number {
    for (; i < this.to; i++) if (!this.lines[i].empty) return i;
    return -1;
  }

  private isSeqItemAt(offset: number, lineEnd: number): boolean {
    return this.text.charCodeAt(offset) === 45 /* - */ && (offset + 1 === lineEnd || this.text.charCodeAt(offset + 1) === 32);
  }

  /** The document's root mapping, starting on line `first` at column 0. */
  readRoot(first: number): Record<string, unknown> {
    const line = this.lines[first];
    if (line.indent !== 0 || this.isSeqItemAt(line.start, line.end)) throw GIVE_UP;
    const { value, nextLine } = this.readMap(first, 0, 1, true);
    if (this.content(nextLine) !== -1) throw GIVE_UP;
    return value;
  }

  /**
   * Where `yaml`'s lookup of pointer `tokens` stops in this document (its root mapping starts on
   * line `first`) when that is a one-line plain or quoted scalar: from the field's key (or the
   * sequence item) to the end of its value. A path through a scalar stops at it, as manifest.ts
   * locate() does. Undefined for anything else (a collection, a literal block or flow value, an
   * empty value, a missing key): the caller asks `yaml`. Only for documents readRoot accepted,
   * so the structure is the one readRoot followed; kept apart from it so reading stays as fast.
   */
  locate(first: number, tokens: readonly string[]): FieldSpan | undefined {
    let line = first;
    let column = 0;
    let seq = false;
    for (const token of tokens) {
      const entry = seq ? this.seqItemAt(line, column, Number(token)) : this.mapEntryAt(line, column, token);
      if (!entry) return undefined;
      const { i, start, p } = entry;
      const lineEnd = this.lines[i].end;
      if (p === lineEnd || this.text.charCodeAt(p) === 35 /* # */) {
        // A block on the following lines, as readNested finds it.
        const j = this.content(i + 1);
        if (j === -1) return undefined;
        const next = this.lines[j];
        if (next.indent > column) {
          column = next.indent;
          seq = this.isSeqItemAt(next.start + column, next.end);
        } else if (!seq && next.indent === column && this.isSeqItemAt(next.start + column, next.end)) {
          seq = true;
        } else {
          return undefined;
        }
        line = j;
        continue;
      }
      if (seq && this.startsMapEntry(p, lineEnd)) {
        // `- key: value`: a mapping starting on the item's line.
        line = i;
        column = p - this.lines[i].start;
        seq = false;
        continue;
      }
      const scalar = this.readScalar(p, i, column);
      return scalar.inline ? { start, end: scalar.valueEnd } : undefined;
    }
    return undefined; // the path ends on a collection (or is empty)
  }

  /** The entry `key` of the mapping whose first key is on line `first` at `column`: its line, key offset, and where its value starts. */
  private mapEntryAt(first: number, column: number, key: string): { i: number; start: number; p: number } | undefined {
    for (let i = first; i !== -1; i = this.content(i + 1)) {
      const line = this.lines[i];
      if (i !== first) {
        if (line.indent < column) return undefined;
        // Deeper lines, and a `- ` at the keys' column, belong to the previous entry's value.
        if (line.indent > column || this.isSeqItemAt(line.start + column, line.end)) continue;
      }
      const start = line.start + column;
      KEY.lastIndex = start;
      const match = KEY.exec(this.text);
      if (!match) return undefined;
      if (match[0] !== key) continue;
      let p = start + key.length + 1;
      while (p < line.end && this.text.charCodeAt(p) === 32) p++;
      return { i, start, p };
    }
    return undefined;
  }

  /** Item `index` (as manifest.ts reads a token: Number()) of the sequence whose first `-` is on line `first` at `column`. */
  private seqItemAt(first: number, column: number, index: number): { i: number; start: number; p: number } | undefined {
    let n = 0;
    for (let i = first; i !== -1; i = this.content(i + 1)) {
      const line = this.lines[i];
      if (line.indent < column) return undefined;
      if (line.indent > column) continue;
      if (!this.isSeqItemAt(line.start + column, line.end)) return undefined;
      if (n++ === index) {
        let p = line.start + column + 1;
        while (p < line.end && this.text.charCodeAt(p) === 32) p++;
        return { i, start: p, p };
      }
    }
    return undefined;
  }

  /** A block node whose first content is on line `i` at column `column`. */
  private readNode(i: number, column: number, depth: number): { value: unknown; nextLine: number } {
    if (depth > MAX_FAST_DEPTH) throw GIVE_UP;
    const line = this.lines[i];
    if (this.isSeqItemAt(line.start + column, line.end)) return this.readSeq(i, column, depth);
    return this.readMap(i, column, depth, false);
  }

  /**
   * The value of a key or item with nothing after its indicator: a block on the following lines
   * indented deeper than `parentIndent` (or, for a mapping's value, a sequence at the key's own
   * indentation), else null.
   */
  private readNested(from: number, parentIndent: number, depth: number, sameIndentSeq: boolean): { value: unknown; nextLine: number } {
    const i = this.content(from);
    if (i === -1) return { value: null, nextLine: from };
    const line = this.lines[i];
    if (line.indent > parentIndent) return this.readNode(i, line.indent, depth);
    if (sameIndentSeq && line.indent === parentIndent && this.isSeqItemAt(line.start + line.indent, line.end)) return this.readSeq(i, line.indent, depth);
    return { value: null, nextLine: from };
  }

  private readMap(i: number, column: number, depth: number, root: boolean): { value: Record<string, unknown>; nextLine: number } {
    const map: Record<string, unknown> = {};
    const text = this.text;
    for (;;) {
      const line = this.lines[i];
      const keyStart = line.start + column;
      KEY.lastIndex = keyStart;
      const match = KEY.exec(text);
      if (!match) throw GIVE_UP;
      const key = match[0];
      // `yaml` refuses an implicit key longer than 1,024 characters.
      if (key.length > 1000) throw GIVE_UP;
      const colon = keyStart + key.length;
      if (text.charCodeAt(colon) !== 58 /* : */) throw GIVE_UP;
      if (colon + 1 < line.end && text.charCodeAt(colon + 1) !== 32) throw GIVE_UP;
      if (RESERVED_KEYS.has(key) || Object.prototype.hasOwnProperty.call(map, key)) throw GIVE_UP;
      let p = colon + 1;
      while (p < line.end && text.charCodeAt(p) === 32) p++;
      let nextLine: number;
      if (p === line.end || text.charCodeAt(p) === 35 /* # */) {
        if (root && key === 'kind') throw GIVE_UP;
        const nested = this.readNested(i + 1, column, depth + 1, true);
        map[key] = nested.value;
        nextLine = nested.nextLine;
      } else {
        const scalar = this.readScalar(p, i, column);
        if (root && key === 'kind') {
          if (!scalar.inline) throw GIVE_UP;
          this.kind = { keyStart, valueEnd: scalar.valueEnd };
        }
        map[key] = scalar.value;
        nextLine = scalar.nextLine;
      }
      const next = this.content(nextLine);
      if (next === -1) return { value: map, nextLine };
      const nextIndent = this.lines[next].indent;
      if (nextIndent < column) return { value: map, nextLine };
      // Deeper after a finished entry is a continuation line or a syntax error; a `- ` at the
      // mapping's own indentation is an error too. Both are `yaml`'s to report.
      if (nextIndent > column || this.isSeqItemAt(this.lines[next].start + column, this.lines[next].end)) throw GIVE_UP;
      i = next;
    }
  }

  private readSeq(i: number, column: number, depth: number): { value: unknown[]; nextLine: number } {
    const items: unknown[] = [];
    const text = this.text;
    for (;;) {
      const line = this.lines[i];
      let p = line.start + column + 1;
      while (p < line.end && text.charCodeAt(p) === 32) p++;
      let nextLine: number;
      if (p === line.end || text.charCodeAt(p) === 35 /* # */) {
        const nested = this.readNested(i + 1, column, depth + 1, false);
        items.push(nested.value);
        nextLine = nested.nextLine;
      } else if (this.isSeqItemAt(p, line.end)) {
        throw GIVE_UP; // `- - x`
      } else if (this.startsMapEntry(p, line.end)) {
        const map = this.readMap(i, p - line.start, depth + 1, false);
        items.push(map.value);
        nextLine = map.nextLine;
      } else {
        const scalar = this.readScalar(p, i, column);
        items.push(scalar.value);
        nextLine = scalar.nextLine;
      }
      const next = this.content(nextLine);
      if (next === -1) return { value: items, nextLine };
      const nextLineInfo = this.lines[next];
      if (nextLineInfo.indent < column) return { value: items, nextLine };
      if (nextLineInfo.indent > column) throw GIVE_UP;
      if (!this.isSeqItemAt(nextLineInfo.start + column, nextLineInfo.end)) return { value: items, nextLine };
      i = next;
    }
  }

  /** `key:` followed by a space or the end of the line. */
  private startsMapEntry(p: number, lineEnd: number): boolean {
    KEY.lastIndex = p;
    const match = KEY.exec(this.text);
    if (!match) return false;
    const colon = p + match[0].length;
    return this.text.charCodeAt(colon) === 58 && (colon + 1 === lineEnd || this.text.charCodeAt(colon + 1) === 32);
  }

  /** After a quoted scalar or `{}`: only spaces and a comment may follow on the line. */
  private expectLineEnd(p: number, lineEnd: number): void {
    if (p === lineEnd) return;
    if (this.text.charCodeAt(p) !== 32) throw GIVE_UP;
    while (p < lineEnd && this.text.charCodeAt(p) === 32) p++;
    if (p < lineEnd && this.text.charCodeAt(p) !== 35) throw GIVE_UP;
  }

  /** A scalar starting at offset `p` of line `i`; `parentIndent` is the indentation of its key or `-`. */
  private readScalar(p: number, i: number, parentIndent: number): ScalarResult {
    const text = this.text;
    const lineEnd = this.lines[i].end;
    const ch = text.charCodeAt(p);
    switch (ch) {
      case 34 /* " */:
      case 39 /* ' */: {
        const quoted = this.readQuoted(p, lineEnd);
        this.expectLineEnd(quoted.end, lineEnd);
        return { value: quoted.value, valueEnd: quoted.end, nextLine: i + 1, inline: true };
      }
      case 123 /* { */:
      case 91 /* [ */: {
        const flow = this.readFlow(p, lineEnd, 0);
        this.expectLineEnd(flow.end, lineEnd);
        return { value: flow.value, valueEnd: flow.end, nextLine: i + 1, inline: false };
      }
      case 124 /* | */:
        return this.readLiteral(p, i, parentIndent);
      default:
        break;
    }
    rejectPlainStart(text, p, lineEnd);
    // A plain scalar runs to a ` #` comment or the end of the line.
    let end = lineEnd;
    for (let j = p + 1; j < lineEnd; j++) {
      if (text.charCodeAt(j) === 35 /* # */ && text.charCodeAt(j - 1) === 32) {
        end = j;
        break;
      }
    }
    while (end > p && text.charCodeAt(end - 1) === 32) end--;
    const raw = text.slice(p, end);
    // `a: b: c` and a trailing `:` are errors (or keys) to `yaml`.
    if (raw.includes(': ') || raw.endsWith(':')) throw GIVE_UP;
    return { value: resolvePlain(raw), valueEnd: end, nextLine: i + 1, inline: true };
  }

  /**
   * A flow collection on one line: `{a: 1, b: [x, "y"]}`, `[]`. Keys are plain keys followed by
   * `: `; values plain (ending at `,` `]` `}`), quoted or nested flow collections. Anything else
   * (a trailing comma, `a:1`, a collection continued on the next line, `? `) gives up.
   */
  private readFlow(p: number, lineEnd: number, depth: number): { value: unknown; end: number } {
    if (depth > MAX_FAST_DEPTH) throw GIVE_UP;
    const text = this.text;
    const isMap = text.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    const map: Record<string, unknown> = {};
    const items: unknown[] = [];
    let q = this.skipSpaces(p + 1, lineEnd);
    if (text.charCodeAt(q) === close) return { value: isMap ? map : items, end: q + 1 };
    for (;;) {
      let key: string | undefined;
      if (isMap) {
        KEY.lastIndex = q;
        const match = KEY.exec(text);
        if (!match) throw GIVE_UP;
        key = match[0];
        const colon = q + key.length;
        if (text.charCodeAt(colon) !== 58 || text.charCodeAt(colon + 1) !== 32) throw GIVE_UP;
        if (RESERVED_KEYS.has(key) || Object.prototype.hasOwnProperty.call(map, key)) throw GIVE_UP;
        q = this.skipSpaces(colon + 1, lineEnd);
      }
      const item = this.readFlowValue(q, lineEnd, depth);
      if (key !== undefined) map[key] = item.value;
      else items.push(item.value);
      q = this.skipSpaces(item.end, lineEnd);
      const c = text.charCodeAt(q);
      if (c === close) return { value: isMap ? map : items, end: q + 1 };
      if (c !== 44 /* , */) throw GIVE_UP;
      q = this.skipSpaces(q + 1, lineEnd);
      if (q >= lineEnd || text.charCodeAt(q) === close) throw GIVE_UP; // trailing comma, or continued on the next line
    }
  }

  private readFlowValue(q: number, lineEnd: number, depth: number): { value: unknown; end: number } {
    const text = this.text;
    if (q >= lineEnd) throw GIVE_UP;
    const c = text.charCodeAt(q);
    if (c === 123 || c === 91) return this.readFlow(q, lineEnd, depth + 1);
    if (c === 34 || c === 39) {
      const quoted = this.readQuoted(q, lineEnd);
      return { value: quoted.value, end: quoted.end };
    }
    // A plain scalar in flow context: no indicator first, and it stops before `,` `]` `}` or ` #`.
    rejectPlainStart(text, q, lineEnd);
    let end = q;
    while (end < lineEnd) {
      const d = text.charCodeAt(end);
      if (d === 44 || d === 93 || d === 125 || d === 91 || d === 123) break;
      if (d === 58) {
        // `: ` or `:` before a flow indicator makes an implicit key (a pair inside a sequence).
        const after = end + 1 < lineEnd ? text.charCodeAt(end + 1) : -1;
        if (after === -1 || after === 32 || after === 44 || after === 93 || after === 125 || after === 91 || after === 123) throw GIVE_UP;
      }
      if (d === 35 && text.charCodeAt(end - 1) === 32) throw GIVE_UP; // a comment inside the collection
      if (d === 34 || d === 39) throw GIVE_UP;
      end++;
    }
    if (end < lineEnd && (text.charCodeAt(end) === 91 || text.charCodeAt(end) === 123)) throw GIVE_UP;
    let trimmed = end;
    while (trimmed > q && text.charCodeAt(trimmed - 1) === 32) trimmed--;
    if (trimmed === q) throw GIVE_UP;
    return { value: resolvePlain(text.slice(q, trimmed)), end: trimmed };
  }

  private skipSpaces(p: number, lineEnd: number): number {
    while (p < lineEnd && this.text.charCodeAt(p) === 32) p++;
    return p;
  }

  /** A double- or single-quoted scalar closed on its own line. */
  private readQuoted(p: number, lineEnd: number): { value: string; end: number } {
    const text = this.text;
    if (text.charCodeAt(p) === 34) {
      let j = p + 1;
      let escaped = false;
      while (j < lineEnd) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \ */) {
          escaped = true;
          j += 2;
        } else if (c === 34) break;
        else j++;
      }
      if (j >= lineEnd) throw GIVE_UP; // multi-line or unterminated
      const raw = text.slice(p, j + 1);
      if (!escaped) return { value: raw.slice(1, -1), end: j + 1 };
      // JSON's escapes are a subset of YAML's with the same meaning; any other escape gives up.
      try {
        return { value: JSON.parse(raw) as string, end: j + 1 };
      } catch {
        throw GIVE_UP;
      }
    }
    let j = p + 1;
    for (;;) {
      if (j >= lineEnd) throw GIVE_UP;
      if (text.charCodeAt(j) === 39) {
        if (j + 1 < lineEnd && text.charCodeAt(j + 1) === 39) {
          j += 2;
          continue;
        }
        break;
      }
      j++;
    }
    return { value: text.slice(p + 1, j).replace(/''/g, "'"), end: j + 1 };
  }

  /** `|`, `|-` or `|+`: the following lines indented deeper than the parent, kept verbatim. */
  private readLiteral(p: number, i: number, parentIndent: number): ScalarResult {
    const text = this.text;
    const header = text.slice(p, this.lines[i].end);
    const chomp = header[1] === '-' || header[1] === '+' ? header[1] : '';
    this.expectLineEnd(p + 1 + chomp.length, this.lines[i].end);
    const first = i + 1;
    if (first >= this.to) throw GIVE_UP;
    const firstLine = this.lines[first];
    // Leading empty lines and explicit indentation indicators have rules of their own.
    if (firstLine.start === firstLine.end || text.slice(firstLine.start, firstLine.end).trim() === '') throw GIVE_UP;
    const indent = firstLine.indent;
    if (indent <= parentIndent) throw GIVE_UP;
    const parts: string[] = [];
    let last = first; // last line with content
    let k = first;
    for (; k < this.to; k++) {
      const line = this.lines[k];
      const blank = text.slice(line.start, line.end).trim() === '';
      if (blank) {
        // Spaces beyond the block's indentation on an empty line would be content.
        if (line.end - line.start > indent) throw GIVE_UP;
        parts.push('');
        continue;
      }
      if (line.indent < indent) break;
      parts.push(text.slice(line.start + indent, line.end));
      last = k;
    }
    const trailing = k - 1 - last;
    parts.length -= trailing;
    // Clip and keep need the final line break; at the end of the file without one, give up.
    if (chomp !== '-' && this.lines[last].end >= text.length) throw GIVE_UP;
    if (chomp === '+' && trailing > 0) throw GIVE_UP;
    const body = parts.join('\n');
    return { value: chomp === '-' ? body : `${body}\n`, valueEnd: this.lines[last].end, nextLine: last + 1, inline: false };
  }
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    let end = text.indexOf('\n', start);
    const last = end === -1;
    if (last) end = text.length;
    let indent = 0;
    while (start + indent < end && text.charCodeAt(start + indent) === 32) indent++;
    const first = start + indent < end ? text.charCodeAt(start + indent) : -1;
    lines.push({ start, end, indent, empty: first === -1 || first === 35 /* # */ });
    if (last) break;
    start = end + 1;
  }
  return lines;
}

/** `---` alone (or with a comment) at column 1; -1 for `---` with content (given up), 0 for no marker. */
function markerKind(text: string, line: Line): 1 | 0 | -1 {
  if (line.indent !== 0 || !text.startsWith('---', line.start)) return 0;
  const rest = text.slice(line.start + 3, line.end);
  if (rest === '') return 1;
  if (rest[0] !== ' ') return 0; // `---x` is a plain scalar; the reader gives up on it as a key
  const trimmed = rest.trim();
  return trimmed === '' || trimmed.startsWith('#') ? 1 : -1;
}

/**
 * The documents of `text` when all of it is in the fast subset and every document holding content
 * is a mapping; undefined otherwise (parse with `yaml`). `text` has no BOM (the caller strips it).
 */
export function readFastDocuments(text: string): FastDocument[] | undefined {
  return readFastFile(text)?.documents;
}

/** What the fast reader read of a file, and how to locate a field in it without the `yaml` parser. */
export interface FastFile {
  documents: FastDocument[];
  /**
   * Where `yaml`'s lookup of `tokens` (pointer tokens) in document `index` stops, when that is a
   * one-line scalar (the usual drifted field: an image, a replica count, a config value); undefined
   * otherwise, and the caller asks `yaml`.
   */
  locate(index: number, tokens: readonly string[]): FieldSpan | undefined;
}

export function readFastFile(text: string): FastFile | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  const lines = splitLines(text);
  // Document boundaries: each `---` line starts one; content before the first starts one too.
  const bounds: Array<{ start: number; from: number; marker: boolean }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.indent === 0 && line.end > line.start) {
      const c = text.charCodeAt(line.start);
      if (c === 37 /* % directive */) return undefined;
      if (c === 46 /* . */ && text.startsWith('...', line.start)) return undefined;
    }
    const marker = markerKind(text, line);
    if (marker === -1) return undefined;
    if (marker === 1) bounds.push({ start: line.start, from: i + 1, marker: true });
    else if (bounds.length === 0 && !line.empty) bounds.push({ start: line.start + line.indent, from: i, marker: false });
  }
  const documents: FastDocument[] = [];
  /** Per document index, for locate(): its first content line and end line (not the lines: a file's stay garbage until located in). */
  const extents = new Map<number, { first: number; to: number }>();
  try {
    bounds.forEach((bound, index) => {
      const to = index + 1 < bounds.length ? lineIndexAt(lines, bounds[index + 1].start) : lines.length;
      const end = index + 1 < bounds.length ? bounds[index + 1].start : text.length;
      const reader = new DocumentReader(text, lines, to);
      let first = -1;
      for (let i = bound.from; i < to; i++) {
        if (!lines[i].empty) {
          first = i;
          break;
        }
      }
      if (first === -1) {
        documents.push({ index, value: null, start: bound.start, end });
        return;
      }
      // A document whose last line ends in an empty value (`key:`) ends before that line's break
      // in `yaml`'s ranges, unlike every other document: rare, so left to `yaml`.
      for (let i = to - 1; i >= first; i--) {
        const line = lines[i];
        const content = text.slice(line.start, line.end).trimEnd();
        if (content === '') continue;
        if (!line.empty && (content.endsWith(':') || content.endsWith('-'))) throw GIVE_UP;
        break;
      }
      const value = reader.readRoot(first);
      extents.set(index, { first, to });
      const document: FastDocument = { index, value, start: bound.start, end };
      if (reader.kind) document.kind = reader.kind;
      documents.push(document);
    });
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
  return { documents, locate: locator(text, extents) };
}

/** Made outside readFastFile so the closure does not hold that function's scope (its lines) alive. */
function locator(text: string, extents: ReadonlyMap<number, { first: number; to: number }>): FastFile['locate'] {
  let lines: readonly Line[] | undefined;
  return (index, tokens) => {
    const extent = extents.get(index);
    if (!extent) return undefined;
    lines ??= splitLines(text);
    try {
      return new DocumentReader(text, lines, extent.to).locate(extent.first, tokens);
    } catch (error) {
      if (error instanceof GiveUp) return undefined; // not expected: the same text was read before
      throw error;
    }
  };
}

function lineIndexAt(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
