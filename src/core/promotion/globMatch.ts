// A small glob matcher for `promotion.exclude`, following .gitignore habits people already know:
// `*` and `?` stay inside one path segment, `**` crosses segments, `[abc]`/`[!a-z]` are classes,
// `{a,b}` are alternatives, and a pattern without `/` matches a file name at any depth
// (`replicas.yml`). Compiled once to a RegExp; no dependency, no I/O.

const cache = new Map<string, RegExp>();

function escapeChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates one glob (already stripped of leading `/` and `./`) to a RegExp source. */
function translate(glob: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const next = glob[i + 2];
        i++;
        if (atStart && next === '/') {
          // `**/` = zero or more whole segments.
          out += '(?:[^/]*/)*';
          i++;
        } else if (atStart && next === undefined) {
          out += '.*';
        } else {
          out += '[^/]*';
        }
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]')}]`;
      i = close;
    } else if (ch === '{') {
      braceDepth++;
      out += '(?:';
    } else if (ch === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (ch === ',' && braceDepth > 0) {
      out += '|';
    } else if (ch === '\\' && i + 1 < glob.length) {
      out += escapeChar(glob[++i]);
    } else {
      out += escapeChar(ch);
    }
  }
  // An unbalanced `{` would leave the RegExp invalid; close it so the rest still works.
  return out + ')'.repeat(braceDepth);
}

function compile(pattern: string): RegExp {
  let regex = cache.get(pattern);
  if (regex) return regex;
  let glob = pattern.trim().replace(/\\(?=[^*?[\]{},\\])/g, '/');
  glob = glob.replace(/^(\.\/)+/, '');
  const anchored = glob.startsWith('/') || glob.replace(/\/+$/, '').includes('/');
  glob = glob.replace(/^\/+/, '');
  // A trailing `/` means "this folder": everything under it.
  if (glob.endsWith('/')) glob += '**';
  const body = translate(glob);
  regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
  cache.set(pattern, regex);
  return regex;
}

/** True when the repository- or folder-relative POSIX `path` matches the glob. */
export function globMatches(pattern: string, path: string): boolean {
  if (pattern.trim() === '') return false;
  return compile(pattern).test(path);
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
