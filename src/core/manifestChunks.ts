// Incremental parsing of a multi-document manifest while it is edited: the text is cut at document
// markers (`---` at column 1, which YAML never allows inside a block scalar), each chunk is parsed
// once and remembered by its text, so a keystroke re-parses only the document it touched.
import { fileProblems, parseManifests, type ParsedManifest } from './manifest';
import type { LocatedProblem, SourceRange } from './model';

interface Chunk {
  text: string;
  /** 0-based line where the chunk starts in the whole file. */
  startLine: number;
}

interface ParsedChunk {
  manifests: ParsedManifest[];
  problems: LocatedProblem[];
}

const MARKER = /^---(?:[ \t].*)?$/;

export function splitDocuments(text: string): Chunk[] {
  // Line starts, with LF, CRLF and a lone CR each ending a line, as the YAML parser and the editor count them.
  const starts = [0];
  const breaks = /\r\n|\r|\n/g;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) starts.push(m.index + m[0].length);
  const line = (i: number): string => text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length).replace(/(?:\r\n|\r|\n)$/, '');
  const chunks: Chunk[] = [];
  let start = 0;
  for (let i = 0; i < starts.length; i++) {
    if (i > start && MARKER.test(line(i))) {
      // Directives (`%YAML 1.1`) belong to the document their `---` starts.
      let cut = i;
      while (cut > start && line(cut - 1).startsWith('%')) cut--;
      if (cut === start) continue;
      // Each chunk keeps its own line breaks (a block scalar's last one included).
      chunks.push({ text: text.slice(starts[start], starts[cut]), startLine: start });
      start = cut;
    }
  }
  chunks.push({ text: text.slice(starts[start]), startLine: start });
  return chunks;
}

function shiftRange(range: SourceRange, lines: number): SourceRange {
  return { start: { line: range.start.line + lines, column: range.start.column }, end: { line: range.end.line + lines, column: range.end.column } };
}

function shiftProblem(problem: LocatedProblem, lines: number): LocatedProblem {
  const range = problem.location?.range;
  return range && problem.location ? { ...problem, location: { ...problem.location, range: shiftRange(range, lines) } } : problem;
}

/** Parses a chunk as if it were a file of its own; the caller shifts the ranges. */
function parseChunk(text: string, file: string): ParsedChunk {
  // Size, binary and encoding are the whole file's business (checked once in parse()).
  const { manifests, problems } = parseManifests(text, file, { fileChecks: false });
  return { manifests, problems };
}

export class IncrementalManifestParser {
  private cache = new Map<string, ParsedChunk>();

  constructor(private readonly file: string) {}

  parse(text: string): { manifests: ParsedManifest[]; problems: LocatedProblem[]; reparsed: number } {
    const next = new Map<string, ParsedChunk>();
    const manifests: ParsedManifest[] = [];
    const whole = fileProblems(text, this.file);
    const problems: LocatedProblem[] = [...whole.problems];
    let reparsed = 0;
    if (whole.stop) {
      this.cache = next;
      return { manifests, problems, reparsed };
    }
    if (/^\uFEFF?%/m.test(text)) {
      // A `%YAML` directive carries over to the documents after it: such a file is read as a whole.
      let parsed = this.cache.get(text);
      if (!parsed) {
        parsed = parseChunk(text, this.file);
        reparsed += 1;
      }
      next.set(text, parsed);
      this.cache = next;
      return { manifests: parsed.manifests, problems: [...problems, ...parsed.problems], reparsed };
    }
    splitDocuments(text).forEach((chunk, index) => {
      let parsed = next.get(chunk.text) ?? this.cache.get(chunk.text);
      if (!parsed) {
        parsed = parseChunk(chunk.text, this.file);
        reparsed += 1;
      }
      next.set(chunk.text, parsed);
      const shift = chunk.startLine;
      for (const m of parsed.manifests) {
        manifests.push({
          ...m,
          docIndex: index,
          range: shiftRange(m.range, shift),
          kindRange: shiftRange(m.kindRange, shift),
          rangeOf: (pointer: string) => shiftRange(m.rangeOf(pointer), shift),
          valueRangeOf: (pointer: string) => {
            const range = m.valueRangeOf(pointer);
            return range && shiftRange(range, shift);
          },
        });
      }
      for (const p of parsed.problems) problems.push(shiftProblem(p, shift));
    });
    this.cache = next;
    return { manifests, problems, reparsed };
  }
}
