// Incremental parsing of a multi-document manifest while it is edited: the text is cut at document
// markers (`---` at column 1, which YAML never allows inside a block scalar), each chunk is parsed
// once and remembered by its text, so a keystroke re-parses only the document it touched.
import { parseManifests, type ParsedManifest } from './manifest';
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
  const lines = text.split('\n');
  const chunks: Chunk[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > start && MARKER.test(lines[i].replace(/\r$/, ''))) {
      chunks.push({ text: lines.slice(start, i).join('\n'), startLine: start });
      start = i;
    }
  }
  chunks.push({ text: lines.slice(start).join('\n'), startLine: start });
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
  const { manifests, problems } = parseManifests(text, file);
  return { manifests, problems };
}

export class IncrementalManifestParser {
  private cache = new Map<string, ParsedChunk>();

  constructor(private readonly file: string) {}

  parse(text: string): { manifests: ParsedManifest[]; problems: LocatedProblem[]; reparsed: number } {
    const next = new Map<string, ParsedChunk>();
    const manifests: ParsedManifest[] = [];
    const problems: LocatedProblem[] = [];
    let reparsed = 0;
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
