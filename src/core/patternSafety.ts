// Regular expressions written for Go's RE2 (kustomize patch targets, Flux ignore-rule targets)
// run here on JavaScript's backtracking engine. RE2 takes linear time on any pattern; V8 takes
// exponential time on `(a+)+b` or `(a|a)*b` against a short name, and polynomial time of high
// degree on many repeated wildcards, which would freeze the editor on a hostile repository.
// Such patterns are refused before they run; everything people write in practice (`web-.*`,
// `(api|web)`, `.*-config`) passes.

/** Names longer than this are only compared as text: Kubernetes names and kinds never are. */
export const MAX_PATTERN_SUBJECT_LENGTH = 253;
const MAX_REPETITIONS = 3;

/**
 * Why `pattern` (RE2 syntax) could backtrack catastrophically in JavaScript; undefined when it is
 * safe to run against subjects of at most MAX_PATTERN_SUBJECT_LENGTH characters.
 */
export function regexHazard(pattern: string): string | undefined {
  if (pattern.length > 1000) return 'is longer than 1000 characters';
  if (/\\[1-9]|\\k</.test(pattern)) return 'uses a back-reference';
  if (/\(\?<?[=!]/.test(pattern)) return 'uses a lookaround';
  // Escapes and character classes stand for one character each.
  const simplified = pattern
    .replace(/\\./g, 'x')
    .replace(/\[\^?\]?(?:[^\]\\]|\\.)*\]/g, 'x')
    .replace(/\(\?(?:[a-zA-Z]*:|P?<[^>]*>)/g, '(');
  if (/\)(?:[*+?]|\{\d)/.test(simplified)) return 'repeats a group';
  const repetitions = (simplified.match(/[*+?]|\{\d+(?:,\d*)?\}/g) ?? []).length;
  if (repetitions > MAX_REPETITIONS) return `has more than ${MAX_REPETITIONS} repetition operators`;
  return undefined;
}

/**
 * A full-match test for an RE2 pattern that never hangs: hazardous patterns, invalid ones and
 * over-long subjects fall back to comparing the text itself.
 */
export function safeFullMatcher(pattern: string): (subject: string) => boolean {
  if (regexHazard(pattern) === undefined) {
    try {
      const regex = new RegExp(`^(?:${pattern})$`);
      return (subject) => subject === pattern || (subject.length <= MAX_PATTERN_SUBJECT_LENGTH && regex.test(subject));
    } catch {
      // Not a JavaScript regular expression (RE2-only syntax): compare the text.
    }
  }
  return (subject) => subject === pattern;
}

/** `*` and `?` wildcards (Argo CD's name globs) matched in O(pattern × subject), without a RegExp. */
export function wildcardMatches(pattern: string, subject: string): boolean {
  let row = new Array<boolean>(subject.length + 1).fill(false);
  row[0] = true;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const next = new Array<boolean>(subject.length + 1).fill(false);
    if (p === '*') {
      next[0] = row[0];
      for (let j = 1; j <= subject.length; j++) next[j] = row[j] || next[j - 1];
    } else {
      for (let j = 1; j <= subject.length; j++) next[j] = row[j - 1] && (p === '?' || subject[j - 1] === p);
    }
    row = next;
  }
  return row[subject.length];
}
