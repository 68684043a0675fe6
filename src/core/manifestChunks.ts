// Incremental parsing of a multi-document manifest while it is edited: the text is cut at document
// markers (`---` at column 1, which YAML never allows inside a block scalar), each chunk is parsed
// once and remembered by its text, so a keystroke re-parses only the document it touched.
import { splitDocuments } from './documentSplit';
import { fileProblems, parseManifests, shiftManifest, shiftProblem, type ParsedManifest } from './manifest';
import type { LocatedProblem } from './model';

export { splitDocuments };

interface ParsedChunk {
  manifests: ParsedManifest[];
  problems: LocatedProblem[];
}

/** Parses a chunk as if it were a file of its own; the caller shifts the ranges. */
function parseChunk(text: string, file: string): ParsedChunk {
  // Size, binary and encoding are the whole file's business (checked once in parse()).
  const { manifests, problems } = parseManifests(text, file, { fileChecks: false, byDocument: false });
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
      for (const m of parsed.manifests) manifests.push(shiftManifest(m, shift, index));
      for (const p of parsed.problems) problems.push(shiftProblem(p, shift));
    });
    this.cache = next;
    return { manifests, problems, reparsed };
  }
}
