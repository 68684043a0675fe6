// Cuts a multi-document YAML text at its document markers (`---` at column 1, which YAML never
// allows inside a block scalar), keeping each document's own text and the line it starts on. Used
// to re-parse only the edited document of an open file, and to read very large files one
// document at a time.

export interface Chunk {
  text: string;
  /** 0-based line where the chunk starts in the whole file. */
  startLine: number;
}

const MARKER = /^---(?:[ \t].*)?$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

function onlyBlankOrComments(line: (i: number) => string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!BLANK_OR_COMMENT.test(line(i))) return false;
  return true;
}

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
      // Blank lines and comments before the first marker are not a document: YAML gives them to the
      // document that marker starts, so they stay with it (the documents keep the indexes a whole
      // reading gives them).
      if (start === 0 && onlyBlankOrComments(line, 0, cut)) continue;
      // Each chunk keeps its own line breaks (a block scalar's last one included).
      chunks.push({ text: text.slice(starts[start], starts[cut]), startLine: start });
      start = cut;
    }
  }
  chunks.push({ text: text.slice(starts[start]), startLine: start });
  return chunks;
}

