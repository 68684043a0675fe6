// Rules of the promotion file modules that the mutation run (npm run mutate -- core-promotion-files)
// found unheld: the `promotion.exclude` glob dialect of globMatch.ts, checked against a separate
// reference (brace expansion and a backtracking RegExp written here, from the dialect documented
// in globMatch.ts) on seeded random patterns and paths, plus its boundaries (256 alternatives,
// blank patterns, empty path segments); the metadata block of promotionMetadata.ts (escaping, what
// is refused); per-file diffs and their summary in planFileDiffs.ts (binary files, Secret
// manifests, the size caps); rendered-object diffs in renderedDiff.ts (masking, labels, the cap);
// folder and branch change lists in fileChanges.ts (nested folders, excludes, order);
// promotionDefaults.ts and promotionError.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBranchChanges, planFolderChanges, type FileChangeDraft, type TreeFile } from '../../src/core/promotion/fileChanges';
import { firstMatchingGlob, globMatches } from '../../src/core/promotion/globMatch';
import { fileDiff, holdsSecrets, summarizeFiles, withDiff } from '../../src/core/promotion/planFileDiffs';
import { emptyPromotionConfig } from '../../src/core/promotion/promotionDefaults';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { formatMetadataBlock, parseMetadataBlock, type PromotionMetadata } from '../../src/core/promotion/promotionMetadata';
import type { PlannedFileChange } from '../../src/core/promotion/promotionTypes';
import { diffRenderedObjects, objectLabel, type RenderedObjectInput } from '../../src/core/promotion/renderedDiff';
import type { ResourceId } from '../../src/core/model';
import { seededRandom } from '../support/seededRandom';

// ---------------------------------------------------------------------------------------------
// Reference glob matcher. The dialect (globMatch.ts's header and code comments):
// - the pattern is trimmed; a blank pattern matches nothing;
// - `\` before a character other than `* ? [ ] { } , \` is a Windows path separator (`/`);
//   before one of those it escapes it;
// - leading `./` are dropped; a pattern is anchored at the root when it starts with `/` or holds
//   a `/` other than trailing ones, otherwise it matches at any depth; leading `/` are dropped;
//   a trailing `/` means everything under that folder (`dir/` is `dir/**`);
// - `{a,b}` alternatives (nested, escapes and `[…]` skipped, an unclosed `{` runs to the end);
//   more than 256 alternatives match nothing;
// - then per `/`-separated part: `**` alone is zero or more parts, or, last, one or more;
//   `*` any run inside a part, `?` one character, `[…]` a class (`!` or `^` negates; its `]`
//   is searched from the second character after `[`; a reversed range matches nothing), `\x`
//   the character x.
// Here each alternative becomes one RegExp over the whole path (classes as the set of characters
// of PATH_CHARS they admit), matched by the engine's backtracking: small inputs only.

/** Every character a generated path uses; a class is the subset of these it admits. */
const PATH_CHARS = ['a', 'b', 'c', 'd', 'e', 'q', 'x', 'y', 'z', 'B', '0', '.', '-', '!', '^', '[', ']', '{', '}', ',', '\\', '*', '?', ' '];
const GLOB_SPECIAL = '*?[]{},\\';

function regexEscape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Index of the last character of the token at `i`: an escape pair, a closed class, or one character. */
function tokenEnd(text: string, i: number): number {
  if (text[i] === '\\') return i + 1;
  if (text[i] === '[') {
    const close = text.indexOf(']', i + 2);
    return close >= 0 ? close : i;
  }
  return i;
}

/** All brace alternatives, or null beyond 256 of them. */
function referenceExpand(glob: string): string[] | null {
  for (let i = 0; i < glob.length; i = tokenEnd(glob, i) + 1) {
    if (glob[i] !== '{') continue;
    const cuts: number[] = [i];
    let depth = 0;
    let close = -1;
    for (let j = i; j < glob.length && close < 0; j = tokenEnd(glob, j) + 1) {
      if (glob[j] === '{') depth++;
      else if (glob[j] === '}') {
        depth--;
        if (depth === 0) close = j;
      } else if (glob[j] === ',' && depth === 1) cuts.push(j);
    }
    const end = close < 0 ? glob.length : close;
    cuts.push(end);
    const rest = close < 0 ? '' : glob.slice(close + 1);
    const all: string[] = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const expanded = referenceExpand(glob.slice(0, i) + glob.slice(cuts[k] + 1, cuts[k + 1]) + rest);
      if (expanded === null) return null;
      all.push(...expanded);
      if (all.length > 256) return null;
    }
    return all;
  }
  return [glob];
}

/** A `[…]` body as the characters of PATH_CHARS it admits (none when a range is reversed). */
function referenceClass(body: string): string[] {
  const negate = body[0] === '!' || body[0] === '^';
  const items = negate ? body.slice(1) : body;
  const members: Array<(ch: string) => boolean> = [];
  for (let k = 0; k < items.length; ) {
    if (items[k + 1] === '-' && k + 2 < items.length) {
      const low = items.charCodeAt(k);
      const high = items.charCodeAt(k + 2);
      if (low > high) return [];
      members.push((ch) => ch.charCodeAt(0) >= low && ch.charCodeAt(0) <= high);
      k += 3;
    } else {
      const single = items[k];
      members.push((ch) => ch === single);
      k += 1;
    }
  }
  return PATH_CHARS.filter((ch) => members.some((member) => member(ch)) !== negate);
}

function partRegex(part: string): string {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i];
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[' && part.indexOf(']', i + 2) >= 0) {
      const close = part.indexOf(']', i + 2);
      const admitted = referenceClass(part.slice(i + 1, close));
      out += admitted.length === 0 ? '(?!)' : `(?:${admitted.map(regexEscape).join('|')})`;
      i = close;
    } else if (ch === '\\' && i + 1 < part.length) out += regexEscape(part[++i]);
    else out += regexEscape(ch);
  }
  return out;
}

function referenceMatches(pattern: string, path: string): boolean {
  const trimmed = pattern.trim();
  if (trimmed === '') return false;
  let glob = '';
  for (let i = 0; i < trimmed.length; i++) {
    const next = trimmed[i + 1];
    glob += trimmed[i] === '\\' && next !== undefined && !GLOB_SPECIAL.includes(next) ? '/' : trimmed[i];
  }
  while (glob.startsWith('./')) glob = glob.slice(2);
  let withoutTrailing = glob;
  while (withoutTrailing.endsWith('/')) withoutTrailing = withoutTrailing.slice(0, -1);
  const anchored = glob.startsWith('/') || withoutTrailing.includes('/');
  while (glob.startsWith('/')) glob = glob.slice(1);
  if (glob.endsWith('/')) glob += '**';
  const alternatives = referenceExpand(glob) ?? [];
  return alternatives.some((alternative) => {
    const parts = alternative.split('/');
    let source = anchored ? '' : '(?:[^/]*/)*';
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      if (part === '**') source += last ? '[\\s\\S]*' : '(?:[^/]*/)*';
      else source += partRegex(part) + (last ? '' : '/');
    });
    return new RegExp(`^${source}$`).test(path);
  });
}

// Generators -----------------------------------------------------------------------------------

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const CLASS_CHARS = ['a', 'b', 'c', 'e', 'B', '0', '-', '!', '^', ']', '[', '\\', '{', '}', ',', '/', 'z'];

/** A `[…]` body; a negation followed by `-` and more is left out (see the bug test below). */
function classBody(random: Random): string {
  for (;;) {
    const length = 1 + Math.floor(random() * 3);
    let body = '';
    for (let k = 0; k < length; k++) body += pick(random, CLASS_CHARS);
    if (!/^[!^]-./.test(body)) return body;
  }
}

function randomPatternToken(random: Random, depth: number): string {
  const r = random();
  if (r < 0.3) return pick(random, ['a', 'b', 'c', 'e', '.', '-', 'B', '0', 'ab', 'a.b']);
  if (r < 0.42) return pick(random, ['*', '**', '?', '***']);
  if (r < 0.55) return '/';
  if (r < 0.65) return `[${classBody(random)}]`;
  if (r < 0.72) return pick(random, ['[', ']', '{', '}', ',', '!', '^', ' ']);
  if (r < 0.8) return pick(random, ['\\*', '\\?', '\\[', '\\]', '\\{', '\\}', '\\,', '\\\\', '\\a', '\\b', '\\']);
  if (r < 0.92 && depth < 2) {
    const count = 1 + Math.floor(random() * 3);
    const alternatives = Array.from({ length: count }, () => randomPatternText(random, depth + 1, 3));
    return `{${alternatives.join(',')}${random() < 0.1 ? '' : '}'}`;
  }
  return pick(random, ['./', '//', '**/', '/**']);
}

function randomPatternText(random: Random, depth: number, maxTokens: number): string {
  const count = Math.floor(random() * (maxTokens + 1));
  let text = '';
  for (let k = 0; k < count; k++) text += randomPatternToken(random, depth);
  return text;
}

function randomPath(random: Random): string {
  const parts = 1 + Math.floor(random() * 4);
  return Array.from({ length: parts }, () => {
    const length = Math.floor(random() * 4);
    let part = '';
    for (let k = 0; k < length; k++) part += random() < 0.6 ? pick(random, ['a', 'b', 'c']) : pick(random, PATH_CHARS);
    return part;
  }).join('/');
}

/** A pattern written from `path`, so that a good share of the cases match. */
function patternFromPath(random: Random, path: string): string {
  const parts = path.split('/');
  const kept = random() < 0.4 ? parts.slice(Math.floor(random() * parts.length)) : parts;
  const written = kept.map((part) => {
    if (random() < 0.12) return '**';
    if (random() < 0.1) return '*';
    let out = '';
    for (const ch of part) {
      const r = random();
      if (r < 0.12) out += '?';
      else if (r < 0.22) out += '*';
      else if (r < 0.32) out += `[${ch === ']' ? '' : ch}${pick(random, ['a', 'b', '-', '!', 'z'])}]`;
      else if (r < 0.4) out += `{${GLOB_SPECIAL.includes(ch) ? `\\${ch}` : ch},${pick(random, ['x', 'b', ''])}}`;
      else out += GLOB_SPECIAL.includes(ch) ? `\\${ch}` : ch;
    }
    return out;
  });
  const prefix = pick(random, ['', '', '', '/', './', ' ', '**/']);
  const suffix = pick(random, ['', '', '', '/', ' ', '/**']);
  return `${prefix}${written.join(random() < 0.1 ? '\\' : '/')}${suffix}`;
}

describe('promotion.exclude globs against a reference matcher', () => {
  it('matches exactly what the reference matches on 6,000 seeded random patterns and paths', () => {
    const random = seededRandom(20261207);
    const mismatches: string[] = [];
    let matched = 0;
    const cases = 6000;
    for (let n = 0; n < cases; n++) {
      const path = randomPath(random);
      const pattern = random() < 0.5 ? randomPatternText(random, 0, 6) : patternFromPath(random, path);
      const expected = referenceMatches(pattern, path);
      if (expected) matched++;
      if (globMatches(pattern, path) !== expected) mismatches.push(`${JSON.stringify(pattern)} vs ${JSON.stringify(path)}: expected ${expected}`);
    }
    assert.deepEqual(mismatches.slice(0, 8), []);
    // Not a vacuous property: both verdicts are frequent.
    assert.ok(matched > cases / 5 && matched < (cases * 4) / 5, `${matched} of ${cases} matched`);
  });

  it('agrees with the reference on every pairing of hand-picked tricky patterns and paths', () => {
    const patterns = [
      '{a\\}b,c}', '{a,{b,c}d}', '{a,b,c', '{[},a]}x', 'x[ab{]', '[{]', '[]{a,b}]', '\\{a,b}', '{a\\,b,c}', 'a{b,[c,]d}',
      '[]x]', '[]', '[\\]', '[]a]', '[^a]', '[a^]', '[!a]', '[!]', '[c-a]', '[a-c]', '[B-a]', 'ab]', 'a]b[',
      '**a', 'a**b', 'x/**a', '*b', 'a*', 'a\\*', '\\*', 'a\\', 'a\\\\', 'a\\b', ' a ', '  ', '', './/a', '././a', 'a/./b',
      '//a', '/', '//', 'a/', 'a//', 'b/', '**', '/**', 'a/**', '**/a/**', 'a//b', 'x/a', '?', 'a?', '{,a}', '{}', 'x{a,b}y/', '{[ab,c]}', 'x{[ab,c]}',
    ];
    const paths = ['', 'a', 'b', 'c', 'x', 'ab', 'ba', 'bc', 'aab', 'x/', 'x/a', 'x/b', 'x/ba', 'b/a/c', 'a/b', 'a/b/c', 'a//b', '/a',
      'a/', 'a\\', 'a*', '*', '\\', ']', '[', '[]', 'x]', 'x{', 'x[]', '{a,b}', '{', '}', 'a}b', 'ad', 'bd', 'cd', 'c]d', ',',
      '-', '!', '^', 'B', '0', 'xay/q', 'xy', 'a b', ' a ', 'ab/c', 'a/x/b', 'xa', 'x,', 'xc]', 'x/a//b', 'a//b/c'];
    const mismatches: string[] = [];
    for (const pattern of patterns) {
      for (const path of paths) {
        const expected = referenceMatches(pattern, path);
        if (globMatches(pattern, path) !== expected) mismatches.push(`${JSON.stringify(pattern)} vs ${JSON.stringify(path)}: expected ${expected}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
});

describe('promotion.exclude glob boundaries', () => {
  it('a blank pattern matches nothing, not even an empty path', () => {
    for (const pattern of ['', '   ', '\t']) {
      for (const path of ['', 'a', 'a/', '/']) assert.equal(globMatches(pattern, path), false, `${JSON.stringify(pattern)} vs ${JSON.stringify(path)}`);
    }
  });

  it('a pattern may expand to 256 alternatives; one more and it matches nothing', () => {
    const eightPairs = '{a,b}'.repeat(8);
    assert.equal(globMatches(eightPairs, 'abababab'), true, '2^8 = 256 alternatives');
    assert.equal(globMatches(eightPairs, 'x/bbbbbbbb'), true);
    const list256 = `{${Array.from({ length: 256 }, (_, i) => `f${i}`).join(',')}}`;
    assert.equal(globMatches(list256, 'f255'), true);
    const list257 = `{${Array.from({ length: 257 }, (_, i) => `f${i}`).join(',')}}`;
    assert.equal(globMatches(list257, 'f0'), false, '257 alternatives match nothing');
    assert.equal(globMatches(`${'{a,b}'.repeat(9)}`, 'aaaaaaaaa'), false, '2^9 alternatives match nothing');
    assert.equal(globMatches(`{a,b}${'{a,b}'.repeat(8)}`, 'b'.repeat(9)), false);
  });

  it('a part pattern does not match an empty path segment unless it can be empty', () => {
    assert.equal(globMatches('x/a', 'x/'), false);
    assert.equal(globMatches('x/ab', 'x/b'), false);
    assert.equal(globMatches('x/*', 'x/'), true);
    assert.equal(globMatches('x/a*', 'x/'), false);
    assert.equal(globMatches('a*', 'b'), false);
    assert.equal(globMatches('x/**', 'x/'), true, 'a trailing ** matches one (empty) segment');
    assert.equal(globMatches('x/**', 'x'), false, 'a trailing ** needs at least one segment');
  });

  it('firstMatchingGlob returns the first pattern in order that matches any of the paths', () => {
    assert.equal(firstMatchingGlob(['b/*', '*.yaml', 'a/*'], ['a/x.yaml', 'envs/a/x.yaml']), '*.yaml');
    assert.equal(firstMatchingGlob(['', ' '], ['']), null);
  });
});

describe('promotion.exclude glob bugs', () => {
  // `[!-a]` builds the RegExp class `[^/-a]`, a range from `/` to `a`: `-` is admitted and `B`, `0`
  // are refused. In .gitignore (fnmatch) a `-` right after the negation is a literal member.
  it('a negated class whose first member is "-" refuses "-" and admits characters outside it', () => {
    assert.equal(globMatches('[!-a]', '-'), false);
    assert.equal(globMatches('[!-a]', 'a'), false);
    assert.equal(globMatches('[!-a]', 'B'), true);
    assert.equal(globMatches('[^-a]', '0'), true);
  });
});

// ---------------------------------------------------------------------------------------------

const METADATA: PromotionMetadata = {
  v: 1,
  kind: 'promotion',
  from: 'staging',
  to: 'prod',
  layout: 'folder',
  sourceCommit: 'a'.repeat(40),
  targetCommit: 'b'.repeat(40),
  headBranch: 'promote/staging-to-prod',
  chain: [{ environment: 'dev', commit: 'c'.repeat(40) }],
  rollbackTo: null,
};

/** The metadata block with some of its JSON fields replaced (undefined removes one). */
function blockWith(fields: Record<string, unknown>): string {
  return `<!-- gitops-environments: ${JSON.stringify({ ...METADATA, ...fields })} -->`;
}

describe('promotion metadata block', () => {
  it('escapes < and > so no value can end the comment, and reads the values back', () => {
    const metadata: PromotionMetadata = { ...METADATA, from: 'a<!-- b -->c', headBranch: '<x>' };
    const block = formatMetadataBlock(metadata);
    assert.equal(
      block,
      `<!-- gitops-environments: {"v":1,"kind":"promotion","from":"a\\u003c!-- b --\\u003ec","to":"prod","layout":"folder","sourceCommit":"${'a'.repeat(40)}",` +
        `"targetCommit":"${'b'.repeat(40)}","headBranch":"\\u003cx\\u003e","chain":[{"environment":"dev","commit":"${'c'.repeat(40)}"}],"rollbackTo":null} -->`,
    );
    assert.deepEqual(parseMetadataBlock(`text\n${block}`), metadata);
  });

  it('reads a block at the very start of the body', () => {
    assert.deepEqual(parseMetadataBlock(formatMetadataBlock(METADATA)), METADATA);
  });

  it('reads every kind and layout, and refuses others', () => {
    for (const kind of ['promotion', 'rollback'] as const) {
      for (const layout of ['branch', 'folder', 'image'] as const) {
        assert.deepEqual(parseMetadataBlock(blockWith({ kind, layout })), { ...METADATA, kind, layout });
      }
    }
    for (const fields of [{ kind: 'merge' }, { kind: '' }, { kind: null }, { layout: 'helm' }, { layout: '' }, { v: 2 }, { v: '1' }]) {
      assert.equal(parseMetadataBlock(blockWith(fields)), null, JSON.stringify(fields));
    }
  });

  it('a JSON value that is not an object is not ours, and does not throw', () => {
    for (const json of ['null', '[1]', '"text"', '1', 'true']) {
      assert.equal(parseMetadataBlock(`<!-- gitops-environments: ${json} -->`), null, json);
    }
  });

  it('keeps only chain links that are objects with an environment and a commit', () => {
    const chain = [null, 'dev', ['dev', 'x'], { environment: 'dev' }, { environment: 'qa', commit: 'q1' }, 3, { environment: '', commit: 'x' }];
    assert.deepEqual(parseMetadataBlock(blockWith({ chain }))?.chain, [{ environment: 'qa', commit: 'q1' }]);
    assert.deepEqual(parseMetadataBlock(blockWith({ chain: 'dev' }))?.chain, []);
  });

  it('a block under another marker, or without its closing -->, is not read', () => {
    const json = JSON.stringify(METADATA);
    // `<!-- gitops-environment: ` is as long as the real marker: the JSON sits where ours would.
    assert.equal(parseMetadataBlock(`<!-- gitops-environment:  ${json} -->`), null);
    assert.equal(parseMetadataBlock(`<!-- gitops-environments: ${json}\n`), null);
    assert.equal(parseMetadataBlock(`<!-- gitops-environments: ${json} `), null);
  });
});

describe('promotion defaults and errors', () => {
  it('the empty promotion config has no excludes, labels, reviewers or kept values', () => {
    assert.deepEqual(emptyPromotionConfig(), { exclude: [], labels: [], reviewers: [], keep: [] });
  });

  it('a PromotionError carries its name, code and hint, and describes itself with the hint when there is one', () => {
    const bare = new PromotionError('conflict', 'Merge stopped');
    assert.equal(bare.name, 'PromotionError');
    assert.equal(bare.code, 'conflict');
    assert.equal(bare.hint, '');
    assert.equal(bare.describe(), 'Merge stopped');
    assert.ok(bare instanceof Error);
    const hinted = new PromotionError('noRemote', 'No remote', 'Add one with git remote add.');
    assert.equal(hinted.describe(), 'No remote — Add one with git remote add.');
    assert.equal(String(hinted), 'PromotionError: No remote');
  });
});

// ---------------------------------------------------------------------------------------------

function draft(path: string, action: 'add' | 'modify' | 'delete', beforeBlob: string | null, afterBlob: string | null): FileChangeDraft {
  return { path, sourcePath: action === 'delete' ? null : path, action, excluded: false, excludedBy: null, selected: true, beforeBlob, afterBlob, mode: action === 'delete' ? null : '100644' };
}

function planned(path: string, fields: Partial<PlannedFileChange>): PlannedFileChange {
  return { ...draft(path, 'modify', 'b', 'a'), diff: '', diffTruncated: false, binary: false, insertions: 0, deletions: 0, ...fields };
}

describe('per-file diffs of a plan', () => {
  it('a file with a NUL on either side is binary, with no diff and no counts', () => {
    const blobs = new Map([
      ['text', 'a: 1\n'],
      ['bin', 'PNG\u0000data'],
    ]);
    const expected = (change: FileChangeDraft): PlannedFileChange => ({ ...change, diff: '', diffTruncated: false, binary: true, insertions: 0, deletions: 0 });
    for (const change of [draft('x.png', 'modify', 'bin', 'text'), draft('y.png', 'modify', 'text', 'bin'), draft('z.png', 'add', null, 'bin'), draft('w.png', 'delete', 'bin', null)]) {
      assert.deepEqual(withDiff(change, blobs), expected(change), change.path);
    }
    assert.equal(withDiff(draft('t.yaml', 'modify', 'text', 'text'), blobs).binary, false);
  });

  it('a file diff is cut at 100,000 characters', () => {
    const after = Array.from({ length: 20_000 }, (_, i) => `line-${i}`).join('\n');
    const result = fileDiff(draft('big.txt', 'add', null, 'x'), null, after);
    assert.equal(result.diffTruncated, true);
    assert.ok(result.diff.length <= 100_000 + 20, `${result.diff.length}`);
    assert.equal(result.insertions, 20_000);
  });

  it('a Secret added, removed or changed keeps its counts but never shows its lines', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n';
    const added = fileDiff(draft('s.yaml', 'add', null, 'x'), null, secret);
    assert.equal(added.diff, '--- a/s.yaml\n+++ b/s.yaml\n(Secret manifest: 4 changed lines not shown)\n');
    assert.equal(added.insertions, 4);
    const removed = fileDiff(draft('s.yaml', 'delete', 'x', null), secret, null);
    assert.equal(removed.diff, '--- a/s.yaml\n+++ b/s.yaml\n(Secret manifest: 4 changed lines not shown)\n');
    assert.equal(removed.deletions, 4);
  });

  it('recognises Secret manifests and secret generators written in the forms YAML and JSON allow', () => {
    const secrets = [
      'kind: Secret\n',
      'kind : Secret\n',
      '{"kind" : "Secret"}',
      '{"apiVersion":"v1","kind":"Secret"}',
      'items:\n- kind: Secret # db\n',
      'secretGenerator:\n- name: db\n',
      '  secretGenerator:\n',
      '{\n  "secretGenerator": []\n}',
      "'secretGenerator' : []",
      'secretGenerator :\n',
    ];
    for (const text of secrets) assert.equal(holdsSecrets(text), true, JSON.stringify(text));
    const plain = ['kind: ConfigMap\n', 'mykind: Secret\n', 'kind: SecretStore\n', 'notsecretGenerator: x\n', 'configMapGenerator:\n', 'data:\n  secretGenerator-name: x\n'];
    for (const text of plain) assert.equal(holdsSecrets(text), false, JSON.stringify(text));
    assert.equal(holdsSecrets(null), false);
  });
});

describe('summary of a plan’s file diffs', () => {
  it('binary files say whether they were added, deleted or changed', () => {
    const files = [
      planned('a.png', { binary: true, action: 'add' }),
      planned('b.png', { binary: true, action: 'delete' }),
      planned('c.png', { binary: true, action: 'modify' }),
      planned('d.png', { binary: true, action: 'add', selected: false }),
    ];
    assert.deepEqual(summarizeFiles(files), {
      files: 3,
      insertions: 0,
      deletions: 0,
      text: 'Binary file a.png added\nBinary file b.png deleted\nBinary file c.png changed\n',
      truncated: false,
    });
  });

  it('counts and joins the selected files; truncated only when a file diff was cut', () => {
    const files = [planned('a', { diff: 'A\n', insertions: 2, deletions: 1 }), planned('b', { diff: 'B\n', insertions: 3, deletions: 0, selected: false }), planned('c', { diff: 'C\n', insertions: 0, deletions: 4 })];
    assert.deepEqual(summarizeFiles(files), { files: 2, insertions: 2, deletions: 5, text: 'A\nC\n', truncated: false });
    const cut = [planned('a', { diff: 'A\n' }), planned('b', { diff: 'B…\n', diffTruncated: true }), planned('c', { diff: 'C\n' })];
    assert.deepEqual(summarizeFiles(cut), { files: 3, insertions: 0, deletions: 0, text: 'A\nB…\nC\n', truncated: true });
  });

  it('the summary text holds up to 1,000,000 characters and stops before the file that would pass it', () => {
    const first = 'x'.repeat(600_000);
    const exact = [planned('a', { diff: first }), planned('b', { diff: 'y'.repeat(400_000) })];
    const fits = summarizeFiles(exact);
    assert.equal(fits.truncated, false);
    assert.equal(fits.text.length, 1_000_000);
    const over = [planned('a', { diff: first }), planned('b', { diff: 'y'.repeat(400_001) }), planned('c', { diff: 'z' })];
    const cut = summarizeFiles(over);
    assert.equal(cut.truncated, true);
    assert.equal(cut.text, first, 'stops at the first file that does not fit');
    assert.equal(cut.files, 3, 'counts still cover every selected file');
  });
});

// ---------------------------------------------------------------------------------------------

function rid(kind: string, name: string, namespace: string | null = 'shop'): ResourceId {
  return { group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace, name };
}

function rendered(kind: string, name: string, extra: Record<string, unknown>, namespace: string | null = 'shop'): RenderedObjectInput {
  return { id: rid(kind, name, namespace), object: { kind, metadata: { name }, ...extra } };
}

describe('rendered objects before → after', () => {
  it('labels cluster-scoped objects without a namespace', () => {
    assert.equal(objectLabel(rid('Namespace', 'shop', null)), 'Namespace shop');
    assert.equal(objectLabel(rid('ConfigMap', 'app')), 'ConfigMap shop/app');
  });

  it('shows the diff of a changed ConfigMap with its values, and a Secret with its values hidden', () => {
    const diff = diffRenderedObjects(
      [rendered('ConfigMap', 'app', { data: { MODE: 'slow' } }), rendered('Secret', 'db', { data: { user: 'YQ==', password: 'Yg==' } })],
      [rendered('ConfigMap', 'app', { data: { MODE: 'fast' } }), rendered('Secret', 'db', { data: { user: 'YQ==', token: 'Yw==' } })],
      'plain',
    );
    assert.deepEqual(diff.changed, ['ConfigMap shop/app', 'Secret shop/db']);
    assert.equal(diff.truncated, false);
    assert.equal(
      diff.text,
      '--- a/ConfigMap shop/app\n+++ b/ConfigMap shop/app\n@@ -2,4 +2,4 @@\n metadata:\n   name: app\n data:\n-  MODE: slow\n+  MODE: fast\n' +
        '--- a/Secret shop/db\n+++ b/Secret shop/db\n@@ -3,4 +3,4 @@\n   name: db\n data:\n   user: "*** (hidden)"\n-  password: "*** (hidden)"\n+  token: "*** (hidden)"\n',
    );
  });

  it('keeps long values on one line', () => {
    const long = `v-${'x'.repeat(150)} ${'y'.repeat(150)}`;
    const diff = diffRenderedObjects([], [rendered('ConfigMap', 'big', { data: { long } }, null)], 'helm');
    assert.deepEqual(diff.added, ['ConfigMap big']);
    assert.equal(diff.text, `--- /dev/null\n+++ b/ConfigMap big\n@@ -0,0 +1,5 @@\n+kind: ConfigMap\n+metadata:\n+  name: big\n+data:\n+  long: ${long}\n`);
  });

  it('the text holds whole objects up to maxChars and stops before the one that would pass it', () => {
    const after = [rendered('ConfigMap', 'a', { data: { k: '1' } }), rendered('ConfigMap', 'b', { data: { k: '2' } })];
    const full = diffRenderedObjects([], after, 'plain');
    const firstPiece = full.text.slice(0, full.text.indexOf('--- /dev/null', 1));
    assert.ok(firstPiece.length > 0 && firstPiece.length < full.text.length);
    const exact = diffRenderedObjects([], after, 'plain', [], full.text.length);
    assert.equal(exact.truncated, false);
    assert.equal(exact.text, full.text);
    const short = diffRenderedObjects([], after, 'plain', ['helm: missing'], full.text.length - 1);
    assert.equal(short.truncated, true);
    assert.equal(short.text, firstPiece);
    assert.deepEqual(short.added, ['ConfigMap shop/a', 'ConfigMap shop/b']);
    assert.deepEqual(short.problems, ['helm: missing']);
  });
});

// ---------------------------------------------------------------------------------------------

const file = (path: string, blob: string, mode = '100644'): TreeFile => ({ path, blob, mode });

describe('folder change lists', () => {
  it('a rollback of one folder lists what differs, sorted by path', () => {
    const changes = planFolderChanges({
      sourceFiles: [file('envs/prod/z.yaml', 'z1'), file('envs/prod/b.yaml', 'b1'), file('envs/prod/a.yaml', 'a1'), file('envs/prod/same.yaml', 's')],
      targetFiles: [file('envs/prod/a.yaml', 'a2'), file('envs/prod/same.yaml', 's'), file('envs/prod/c.yaml', 'c2')],
      sourceFolder: 'envs/prod',
      targetFolder: 'envs/prod',
      exclude: [],
      selectDeletions: true,
    });
    assert.deepEqual(
      changes.map((c) => [c.path, c.action, c.selected]),
      [
        ['envs/prod/a.yaml', 'modify', true],
        ['envs/prod/b.yaml', 'add', true],
        ['envs/prod/c.yaml', 'delete', true],
        ['envs/prod/z.yaml', 'add', true],
      ],
    );
  });

  it('from the root folder, the environment folder nested in it is not part of the source', () => {
    const changes = planFolderChanges({
      sourceFiles: [file('app.yaml', 'new'), file('envs/prod/app.yaml', 'old')],
      targetFiles: [file('envs/prod/app.yaml', 'old')],
      sourceFolder: '',
      targetFolder: 'envs/prod',
      exclude: [],
      selectDeletions: false,
    });
    assert.deepEqual(changes.map((c) => [c.path, c.sourcePath, c.action]), [['envs/prod/app.yaml', 'app.yaml', 'modify']]);
  });

  it('into a folder nested in the source, the target keeps its own files only', () => {
    const changes = planFolderChanges({
      sourceFiles: [file('envs/dev/app.yaml', 'v2'), file('envs/dev/eu/app.yaml', 'v1')],
      targetFiles: [file('envs/dev/app.yaml', 'v2'), file('envs/dev/eu/app.yaml', 'v1')],
      sourceFolder: 'envs/dev',
      targetFolder: 'envs/dev/eu',
      exclude: [],
      selectDeletions: false,
    });
    assert.deepEqual(changes.map((c) => [c.path, c.action, c.beforeBlob, c.afterBlob]), [['envs/dev/eu/app.yaml', 'modify', 'v1', 'v2']]);
  });

  it('from a folder nested in the target, the target leaves that folder out', () => {
    const changes = planFolderChanges({
      sourceFiles: [file('envs/dev/eu/app.yaml', 'v2'), file('envs/dev/app.yaml', 'v1')],
      targetFiles: [file('envs/dev/eu/app.yaml', 'v2'), file('envs/dev/app.yaml', 'v1')],
      sourceFolder: 'envs/dev/eu',
      targetFolder: 'envs/dev',
      exclude: [],
      selectDeletions: true,
    });
    assert.deepEqual(changes.map((c) => [c.path, c.action, c.beforeBlob, c.afterBlob]), [['envs/dev/app.yaml', 'modify', 'v1', 'v2']]);
  });

  it('an excluded target-only file is listed as excluded and never ticked, even when deletions are', () => {
    const changes = planFolderChanges({
      sourceFiles: [file('envs/staging/app.yaml', 'a')],
      targetFiles: [file('envs/prod/app.yaml', 'a'), file('envs/prod/replicas.yml', 'r'), file('envs/prod/extra.yaml', 'e')],
      sourceFolder: 'envs/staging',
      targetFolder: 'envs/prod',
      exclude: ['replicas.yml'],
      selectDeletions: true,
    });
    assert.deepEqual(
      changes.map((c) => [c.path, c.action, c.excluded, c.excludedBy, c.selected]),
      [
        ['envs/prod/extra.yaml', 'delete', false, null, true],
        ['envs/prod/replicas.yml', 'delete', true, 'replicas.yml', false],
      ],
    );
  });
});

describe('branch change lists', () => {
  it('a file whose mode alone changed is a change', () => {
    const changes = planBranchChanges({
      changedPaths: ['envs/run.sh', 'envs/same.sh'],
      sourceFiles: [file('envs/run.sh', 'r', '100755'), file('envs/same.sh', 's', '100755')],
      targetFiles: [file('envs/run.sh', 'r', '100644'), file('envs/same.sh', 's', '100755')],
      folder: 'envs',
      exclude: [],
    });
    assert.deepEqual(changes.map((c) => [c.path, c.action, c.mode]), [['envs/run.sh', 'modify', '100755']]);
  });

  it('lists a changed blob, sorted by path, and matches excludes against paths outside the shared folder too', () => {
    const changes = planBranchChanges({
      changedPaths: ['z.yaml', 'other/replicas.yml', 'envs/app.yaml', 'envs/same.yaml', 'envs/gone.yaml', 'never.yaml'],
      sourceFiles: [file('z.yaml', 'z2'), file('other/replicas.yml', 'r2'), file('envs/app.yaml', 'a2'), file('envs/same.yaml', 's')],
      targetFiles: [file('z.yaml', 'z1'), file('other/replicas.yml', 'r1'), file('envs/app.yaml', 'a1'), file('envs/same.yaml', 's'), file('envs/gone.yaml', 'g')],
      folder: 'envs',
      exclude: ['replicas.yml'],
    });
    assert.deepEqual(
      changes.map((c) => [c.path, c.action, c.excludedBy, c.selected]),
      [
        ['envs/app.yaml', 'modify', null, true],
        ['envs/gone.yaml', 'delete', null, true],
        ['other/replicas.yml', 'modify', 'replicas.yml', false],
        ['z.yaml', 'modify', null, true],
      ],
    );
  });
});
