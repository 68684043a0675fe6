// A small glob matcher for `promotion.exclude`, following .gitignore habits people already know:
// `*` and `?` stay inside one path segment, `**` crosses segments, `[abc]`/`[!a-z]` are classes,
// `{a,b}` are alternatives, and a pattern without `/` matches a file name at any depth
// (`replicas.yml`). No dependency, no I/O.
//
// Matched without a backtracking RegExp: the globs come from the repository's gitops.yaml, and
// a regular expression built from `**/**/**/…` or `*a*a*a*…` takes exponential time on a deep
// path or a long file name (a hostile repository could freeze the editor). Braces are expanded,
// then segments are matched by dynamic programming: time is linear in pattern × path length.

/** One character position of a segment pattern. */
type Atom = { kind: 'char'; ch: string } | { kind: 'one' } | { kind: 'class'; test: (ch: string) => boolean } | { kind: 'star' };
/** `**` as a whole segment: zero or more segments; `rest` (a trailing `**`): one or more. */
type Segment = { kind: 'globstar' } | { kind: 'rest' } | { kind: 'atoms'; atoms: Atom[] };

/** Brace alternatives expanded per pattern; beyond this a pattern matches nothing. */
const MAX_ALTERNATIVES = 256;
const cache = new Map<string, Segment[][]>();

/** The index of the `}` closing the `{` at `open`, or -1 (an unbalanced `{` runs to the end). */
function closingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close >= 0) i = close;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits a brace body at its top-level commas. */
function alternativesOf(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      const close = body.indexOf(']', i + 2);
      if (close >= 0) i = close;
    } else if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** `{a,b}c` → `ac`, `bc`; null when there would be more than MAX_ALTERNATIVES. */
function expandBraces(glob: string): string[] | null {
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close >= 0) i = close;
    } else if (ch === '{') {
      const close = closingBrace(glob, i);
      const body = glob.slice(i + 1, close < 0 ? glob.length : close);
      const rest = close < 0 ? '' : glob.slice(close + 1);
      const out: string[] = [];
      for (const alternative of alternativesOf(body)) {
        const expanded = expandBraces(`${glob.slice(0, i)}${alternative}${rest}`);
        if (!expanded || out.length + expanded.length > MAX_ALTERNATIVES) return null;
        out.push(...expanded);
      }
      return out;
    }
  }
  return [glob];
}

/** A `[…]` class as a test of one character; an invalid class matches nothing. */
function classTest(body: string): (ch: string) => boolean {
  const negate = body.startsWith('!') || body.startsWith('^');
  const inner = (negate ? body.slice(1) : body).replace(/\\/g, '\\\\').replace(/\]/g, '\\]');
  try {
    // No `/` added to a negated class: a segment never holds one, and `[^/-a]` would read a leading
    // `-` member as the range `/`–`a` (in .gitignore, `[!-a]` is "neither - nor a").
    const regex = new RegExp(`^[${negate ? '^' : ''}${inner}]$`);
    return (ch) => regex.test(ch);
  } catch {
    return () => false;
  }
}

function atomsOf(segment: string): Atom[] {
  const atoms: Atom[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '*') {
      // `**` inside a segment is one `*`; runs collapse (they match the same).
      while (segment[i + 1] === '*') i++;
      if (atoms[atoms.length - 1]?.kind !== 'star') atoms.push({ kind: 'star' });
    } else if (ch === '?') {
      atoms.push({ kind: 'one' });
    } else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        atoms.push({ kind: 'char', ch });
        continue;
      }
      atoms.push({ kind: 'class', test: classTest(segment.slice(i + 1, close)) });
      i = close;
    } else if (ch === '\\' && i + 1 < segment.length) {
      atoms.push({ kind: 'char', ch: segment[++i] });
    } else {
      atoms.push({ kind: 'char', ch });
    }
  }
  return atoms;
}

/** One brace-free glob (already stripped of leading `/` and `./`) as segments. */
function segmentsOf(glob: string, anchored: boolean): Segment[] {
  const parts = glob.split('/');
  const segments: Segment[] = anchored ? [] : [{ kind: 'globstar' }];
  parts.forEach((part, index) => {
    if (part === '**') {
      const last = index === parts.length - 1;
      if (last) segments.push({ kind: 'rest' });
      // Consecutive `**/` match what one does.
      else if (segments[segments.length - 1]?.kind !== 'globstar') segments.push({ kind: 'globstar' });
    } else {
      segments.push({ kind: 'atoms', atoms: atomsOf(part) });
    }
  });
  return segments;
}

function compile(pattern: string): Segment[][] {
  let compiled = cache.get(pattern);
  if (compiled) return compiled;
  let glob = pattern.trim().replace(/\\(?=[^*?[\]{},\\])/g, '/');
  glob = glob.replace(/^(\.\/)+/, '');
  const anchored = glob.startsWith('/') || glob.replace(/\/+$/, '').includes('/');
  glob = glob.replace(/^\/+/, '');
  // A trailing `/` means "this folder": everything under it.
  if (glob.endsWith('/')) glob += '**';
  compiled = (expandBraces(glob) ?? []).map((alternative) => segmentsOf(alternative, anchored));
  cache.set(pattern, compiled);
  return compiled;
}

function atomMatches(atom: Atom, ch: string): boolean {
  return atom.kind === 'one' ? ch !== '/' : atom.kind === 'char' ? atom.ch === ch : atom.kind === 'class' ? atom.test(ch) : false;
}

/** Wildcard matching of one segment, O(atoms × characters). */
function segmentMatches(atoms: readonly Atom[], name: string): boolean {
  // row[j]: atoms[0..i) match name[0..j).
  let row = new Array<boolean>(name.length + 1).fill(false);
  row[0] = true;
  for (const atom of atoms) {
    const next = new Array<boolean>(name.length + 1).fill(false);
    if (atom.kind === 'star') {
      next[0] = row[0];
      for (let j = 1; j <= name.length; j++) next[j] = row[j] || next[j - 1];
    } else {
      for (let j = 1; j <= name.length; j++) next[j] = row[j - 1] && atomMatches(atom, name[j - 1]);
    }
    row = next;
  }
  return row[name.length];
}

/** Segments against path parts, O(segments × parts) segment tests. */
function pathMatches(segments: readonly Segment[], parts: readonly string[]): boolean {
  // ok[j]: segments[i..) match parts[j..); filled from the last segment backwards.
  let ok = new Array<boolean>(parts.length + 1).fill(false);
  ok[parts.length] = true;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    const next = new Array<boolean>(parts.length + 1).fill(false);
    for (let j = parts.length; j >= 0; j--) {
      if (segment.kind === 'globstar') next[j] = ok[j] || (j < parts.length && next[j + 1]);
      // `rest` only ever ends a pattern: whatever is left, if anything is.
      else if (segment.kind === 'rest') next[j] = j < parts.length;
      else next[j] = j < parts.length && ok[j + 1] && segmentMatches(segment.atoms, parts[j]);
    }
    ok = next;
  }
  return ok[0];
}

/** True when the repository- or folder-relative POSIX `path` matches the glob. */
export function globMatches(pattern: string, path: string): boolean {
  if (pattern.trim() === '') return false;
  const parts = path.split('/');
  return compile(pattern).some((segments) => pathMatches(segments, parts));
}

/**
 * The first of `patterns` matching any of `paths` (the same file seen repository-relative and
 * relative to its environment folder), or null.
 */
export function firstMatchingGlob(patterns: readonly string[], paths: readonly string[]): string | null {
  for (const pattern of patterns) {
    if (paths.some((path) => globMatches(pattern, path))) return pattern;
  }
  return null;
}
